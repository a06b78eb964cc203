import HTTPTypes
import Hummingbird
import Logging
import TernPrimitives

/// Gives every request an id: the one a client or a proxy sent in `X-Request-ID`, if it is a sane
/// one, else a new one. The id goes into the request's logger (`request_id`), so every line logged
/// while serving it carries it, and back to the client in `X-Request-ID`, so a report of a failure
/// can name the log lines it produced.
///
/// Add it first, so that what the other middleware log carries the id too.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The longest id accepted from a client.
    public static var maximumLength: Int { 128 }

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestID].flatMap(Self.accepted) ?? Self.makeID()
        var context = context
        context.logger[metadataKey: "request_id"] = "\(id)"
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// A client's id, if it is short and made of characters that are safe in a log line and a header
    /// (letters, digits, `-`, `_`, `.`, `:`, `/`, `+`, `=`): anything else would let a client forge
    /// log lines.
    static func accepted(_ id: String) -> String? {
        guard !id.isEmpty, id.utf8.count <= maximumLength,
            id.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.:/+=".unicodeScalars.contains($0))
            })
        else { return nil }
        return id
    }

    /// 16 random bytes in hex.
    static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in generator.next() as UInt8 }.lowercaseHex
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`: the request's id, as the client or a proxy sent it, or as the server made it.
    public static var requestID: Self { HTTPField.Name("X-Request-ID")! }
}
