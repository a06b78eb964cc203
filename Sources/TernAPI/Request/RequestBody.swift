import Foundation
import Hummingbird
import TernPrimitives

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
        guard let bytes = PythonJSONText.utf8(Array(body.readableBytesView)) else { throw UnreadableBody() }
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

    /// The form fields of an `application/x-www-form-urlencoded` or `multipart/form-data` body
    /// (read as it arrives, files spooled to disk past a threshold); other bodies have none.
    public func formFields() async throws -> FormFields {
        try await collectedForm.value {
            let contentType = header("content-type")
            if let boundary = MultipartFormReader.boundary(ofContentType: contentType) {
                return try await MultipartFormReader(boundary: boundary, maxBodySize: maxBodySize, limits: multipartLimits).read(
                    request.body)
            }
            guard let contentType = contentType?.lowercased(), contentType.hasPrefix("application/x-www-form-urlencoded") else {
                return FormFields(text: URLEncodedPairs(""))
            }
            return FormFields(text: URLEncodedPairs(Substring(String(decoding: try await body().readableBytesView, as: UTF8.self))))
        } as! FormFields
    }

    /// `application/json`, `application/*+json`, with any parameters.
    static func isJSON(contentType: String?) -> Bool {
        let type = mediaType(of: contentType)
        guard type.hasPrefix("application/") else { return false }
        let subtype = type.dropFirst("application/".count)
        return subtype == "json" || subtype.hasSuffix("+json")
    }
}

/// The media type of a `Content-Type` value, lowercased and without its parameters
/// (`Text/HTML; charset=utf-8` → `text/html`); empty for none.
func mediaType(of contentType: String?) -> String {
    contentType.map { $0.prefix { $0 != ";" }.trimmingWhitespaces().lowercased() } ?? ""
}
