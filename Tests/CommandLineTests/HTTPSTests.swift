import Foundation
import Subprocess
import TestSupport
import Testing

@Suite("api serve over HTTPS and cleartext HTTP/2", .timeLimit(.minutes(4)))
struct HTTPSTests {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `curl` with `options` against `url`: the HTTP version and status it saw, and the body.
    private func curl(_ options: [String], _ url: String) async throws -> (version: String, status: String, body: String) {
        let result = try await Subprocess.run(
            .name("curl"),
            arguments: Arguments(
                [
                    "-sS", "--cacert", Self.fixtures.appendingPathComponent("localhost-cert.pem").path,
                    "-w", "\n%{http_version} %{http_code}",
                ] + options + [url]),
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 16))
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        let last = lines.last.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(result.terminationStatus.isSuccess, "\(result.standardError)")
        return (last.first ?? "", last.dropFirst().first ?? "", lines.dropLast().joined(separator: "\n"))
    }

    @Test("TLS_CERT_FILE and TLS_KEY_FILE: HTTP/2 for a client that offers it, HTTP/1.1 for one that does not, over TLS")
    func http2OverTLS() async throws {
        let api = try APIProcess(environment: [
            "TLS_CERT_FILE": Self.fixtures.appendingPathComponent("localhost-cert.pem").path,
            "TLS_KEY_FILE": Self.fixtures.appendingPathComponent("localhost-key.pem").path,
        ])
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        let result = try await api.serve { server in
            let url = "https://localhost:\(server.port)/api/v1/utils/health-check/"
            let http2 = try await curl(["--http2"], url)
            #expect(http2.version == "2")
            #expect(http2.status == "200")
            #expect(http2.body == "true")
            let http1 = try await curl(["--http1.1"], url)
            #expect(http1.version == "1.1")
            #expect(http1.status == "200")
            let missing = try await curl(["--http2"], "https://localhost:\(server.port)/api/v1/items/")
            #expect(missing.status == "401")
            #expect(missing.body == #"{"detail":"Not authenticated"}"#)
        }
        #expect(result.status == 0, "\(result.errorOutput)")
    }

    @Test("HTTP2_CLEARTEXT: cleartext HTTP/2 (h2c) to a client with prior knowledge")
    func cleartextHTTP2() async throws {
        let api = try APIProcess(environment: ["HTTP2_CLEARTEXT": "true"])
        defer { api.delete() }
        #expect(try await api.run(["migrate"]).status == 0)
        let result = try await api.serve { server in
            let url = "http://localhost:\(server.port)/api/v1/utils/health-check/"
            let answer = try await curl(["--http2-prior-knowledge"], url)
            #expect(answer.version == "2")
            #expect(answer.status == "200")
            #expect(answer.body == "true")
            let missing = try await curl(["--http2-prior-knowledge"], "http://localhost:\(server.port)/api/v1/items/")
            #expect(missing.status == "401")
        }
        #expect(result.status == 0, "\(result.errorOutput)")
    }

    @Test("HTTP2_CLEARTEXT beside TLS_CERT_FILE is refused at startup: HTTPS serves HTTP/2 already")
    func cleartextWithTLS() async throws {
        let api = try APIProcess(environment: [
            "TLS_CERT_FILE": Self.fixtures.appendingPathComponent("localhost-cert.pem").path,
            "TLS_KEY_FILE": Self.fixtures.appendingPathComponent("localhost-key.pem").path,
            "HTTP2_CLEARTEXT": "true",
        ])
        defer { api.delete() }
        let result = try await api.run(["serve", "--port", "0"])
        #expect(result.status != 0)
        #expect(result.errorOutput.contains("HTTP2_CLEARTEXT"), "\(result.errorOutput)")
    }

    @Test("a certificate without its key is refused at startup, naming the setting")
    func halfConfigured() async throws {
        let api = try APIProcess(environment: ["TLS_CERT_FILE": Self.fixtures.appendingPathComponent("localhost-cert.pem").path])
        defer { api.delete() }
        let result = try await api.run(["serve", "--port", "0"])
        #expect(result.status != 0)
        #expect(result.errorOutput.contains("TLS_KEY_FILE"), "\(result.errorOutput)")
    }
}
