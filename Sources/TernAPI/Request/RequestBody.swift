import Foundation
import Hummingbird

/// What a request body turned out to be, before validation against the operation's body type.
public enum RequestBodyContent: Sendable {
    /// No body: a required body is `missing`.
    case absent
    /// A parsed JSON document.
    case json(JSONValue)
    /// A body that is not JSON by its content type; validated as a string, so that a model fails
    /// with `model_attributes_type`, as FastAPI does.
    case text(String)
}

/// The body could not be read at all (it is not UTF-8): FastAPI's 400.
public struct UnreadableBody: APIErrorConvertible {
    public var apiError: APIError { APIError(.badRequest, "There was an error parsing the body") }
}

extension IncomingRequest {
    /// The body as a JSON operation sees it: parsed when the content type is JSON, kept as text
    /// otherwise (no content type included, as FastAPI's `strict_content_type` does). Malformed JSON
    /// throws FastAPI's `json_invalid` issue right away.
    public func jsonBody() async throws -> RequestBodyContent {
        let body = try await body()
        guard body.readableBytes > 0 else { return .absent }
        guard let bytes = Self.utf8(Array(body.readableBytesView)) else { throw UnreadableBody() }
        guard Self.isJSON(contentType: header("content-type")) else {
            return .text(String(decoding: bytes, as: UTF8.self))
        }
        do {
            return .json(try JSONParser.parse(bytes))
        } catch {
            throw RequestValidationError([
                IssueKind.jsonInvalid(error: error.message).issue(at: .body + error.position, input: .object([:]))
            ])
        }
    }

    /// The form fields of an `application/x-www-form-urlencoded` body; other bodies have none.
    public func formFields() async throws -> URLEncodedPairs {
        guard let contentType = header("content-type")?.lowercased(),
            contentType.hasPrefix("application/x-www-form-urlencoded")
        else { return URLEncodedPairs("") }
        return URLEncodedPairs(Substring(String(decoding: try await body().readableBytesView, as: UTF8.self)))
    }

    /// `application/json`, `application/*+json`, with any parameters.
    static func isJSON(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaType.hasPrefix("application/") else { return false }
        let subtype = mediaType.dropFirst("application/".count)
        return subtype == "json" || subtype.hasSuffix("+json")
    }

    /// The body as UTF-8 without a byte-order mark, whatever Unicode encoding it came in; `nil` when
    /// it is not valid text. Detects the encoding as Python's `json.loads` does for bytes.
    static func utf8(_ bytes: [UInt8]) -> [UInt8]? {
        let encoding: String.Encoding
        var payload = bytes[...]
        switch bytes.count {
        case _ where bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]):
            encoding = .utf32
        case _ where bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]):
            encoding = .utf16
        case _ where bytes.starts(with: [0xEF, 0xBB, 0xBF]):
            payload = payload.dropFirst(3)
            encoding = .utf8
        case 4... where bytes[0] == 0:
            encoding = bytes[1] != 0 ? .utf16BigEndian : .utf32BigEndian
        case 4... where bytes[1] == 0:
            encoding = bytes[2] != 0 || bytes[3] != 0 ? .utf16LittleEndian : .utf32LittleEndian
        case 2 where bytes[0] == 0:
            encoding = .utf16BigEndian
        case 2 where bytes[1] == 0:
            encoding = .utf16LittleEndian
        default:
            encoding = .utf8
        }
        if encoding == .utf8 {
            guard String(validating: payload, as: UTF8.self) != nil else { return nil }
            return payload.count == bytes.count ? bytes : Array(payload)
        }
        guard let text = String(data: Data(payload), encoding: encoding) else { return nil }
        var utf8 = Array(text.utf8)
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        return utf8
    }
}
