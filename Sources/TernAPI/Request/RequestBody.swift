import Foundation
import Hummingbird

/// What a request body turned out to be, before validation against the operation's body type.
public enum RequestBodyContent: Sendable {
    /// No body (or a JSON `null`): a required body is `missing`.
    case absent
    /// A parsed JSON document.
    case json(JSONValue)
    /// A body that is not JSON by its content type; validated as a string, so that a model fails
    /// with `model_attributes_type`, as FastAPI does.
    case text(String)
}

/// The body could not be read at all (it is not UTF-8): FastAPI's 400.
public struct UnreadableBody: Error, Sendable {}

extension IncomingRequest {
    /// The body as a JSON operation sees it: parsed when the content type is JSON (or absent), kept
    /// as text otherwise. Malformed JSON throws FastAPI's `json_invalid` issue right away.
    public func jsonBody() throws -> RequestBodyContent {
        guard body.readableBytes > 0 else { return .absent }
        let bytes = Array(body.readableBytesView)
        guard String(validating: bytes, as: UTF8.self) != nil else { throw UnreadableBody() }
        guard Self.isJSON(contentType: header("content-type")) else {
            return .text(String(decoding: bytes, as: UTF8.self))
        }
        do {
            let value = try JSONParser.parse(Self.droppingByteOrderMark(bytes))
            if case .null = value { return .absent }
            return .json(value)
        } catch {
            throw RequestValidationError([
                IssueKind.jsonInvalid(error: error.message).issue(at: .body + error.position, input: .object([:]))
            ])
        }
    }

    /// The form fields of an `application/x-www-form-urlencoded` body; other bodies have none.
    public func formFields() -> URLEncodedPairs {
        guard let contentType = header("content-type")?.lowercased(),
            contentType.hasPrefix("application/x-www-form-urlencoded")
        else { return URLEncodedPairs("") }
        return URLEncodedPairs(Substring(String(decoding: body.readableBytesView, as: UTF8.self)))
    }

    /// `application/json`, `application/*+json`, with any parameters; no content type counts as JSON.
    static func isJSON(contentType: String?) -> Bool {
        guard let contentType else { return true }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard mediaType.hasPrefix("application/") else { return false }
        let subtype = mediaType.dropFirst("application/".count)
        return subtype == "json" || subtype.hasSuffix("+json")
    }

    private static func droppingByteOrderMark(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }
}
