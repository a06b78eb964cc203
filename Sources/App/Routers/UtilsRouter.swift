import Hummingbird
import TernDatabase

/// `/utils`: liveness and readiness probes.
struct UtilsRouter {
    let database: Database

    func register(on group: RouterGroup<some RequestContext>) {
        group.get("health-check/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: "true")))
        }
        group.get("readiness-check/") { _, _ in
            do {
                _ = try await database.query("SELECT 1")
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ready","database":"ok"}"#)))
            } catch {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"detail":"Database unavailable"}"#)))
            }
        }
    }
}
