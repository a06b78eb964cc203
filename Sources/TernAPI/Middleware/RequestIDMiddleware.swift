import HTTPTypes
import Hummingbird
import Logging
import Synchronization
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

    private let ids = RequestIDs()

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestID].flatMap(Self.accepted) ?? ids.next()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
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
}

/// New request ids: 32 lowercase hex digits, unique in the process and unpredictable without its
/// key, made without a system call. (Sixteen bytes from the system's generator cost sixteen
/// `getrandom` calls, a tenth of a health check's CPU.) A random key per process, drawn once, and
/// a counter: each id is the counter scrambled by a bijection keyed by it, so no two ids of one
/// process are equal, and another process's key makes other ids.
final class RequestIDs: Sendable {
    private let key: (UInt64, UInt64)
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        key = (generator.next(), generator.next())
    }

    func next() -> String {
        let count = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let (first, second) = (Self.mix(count ^ key.0), Self.mix(count &+ key.1))
        // Written in place: one allocation, where formatting each half and joining them made five.
        return String(unsafeUninitializedCapacity: 32) { digits in
            Self.writeHex(first, into: digits, at: 0)
            Self.writeHex(second, into: digits, at: 16)
            return 32
        }
    }

    /// Writes `value` as 16 lowercase hex digits, most significant first, from `start`.
    private static func writeHex(_ value: UInt64, into digits: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        for index in 0..<16 {
            digits[start + index] = UInt8(lowercaseHexDigit: UInt8(truncatingIfNeeded: value >> (60 - 4 * index)) & 0x0f)
        }
    }

    /// SplitMix64's finalizer: a bijection on 64 bits that spreads every input bit over the output.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`: the request's id, as the client or a proxy sent it, or as the server made it.
    public static var requestID: Self { HTTPField.Name("X-Request-ID")! }
}
