import Foundation
import HTTPTypes
import Hummingbird

/// The parts of an HTTP request that an operation's inputs read: path parameters, query, headers,
/// cookies and the body. Built by the API for each request.
public struct IncomingRequest: Sendable {
    /// The underlying Hummingbird request; read the body from ``body``, not from here.
    public let request: Request
    /// Path parameters by name, percent-decoded.
    public let pathParameters: [String: String]
    /// The request body, collected up to the API's size limit for operations that read one (their
    /// inputs or dependencies document a body); empty for the others, and when there is none.
    public let body: ByteBuffer
    /// The query string's parameters.
    public let query: URLEncodedPairs

    public init(request: Request, pathParameters: [String: String], body: ByteBuffer) {
        self.request = request
        self.pathParameters = pathParameters
        self.body = body
        self.query = URLEncodedPairs(request.uri.query.map { Substring($0) } ?? "")
    }

    public var method: HTTPRequest.Method { request.method }
    public var headers: HTTPFields { request.headers }

    /// A header's value (the last one when repeated).
    public func header(_ name: String) -> String? {
        guard let fieldName = HTTPField.Name(name) else { return nil }
        return request.headers[values: fieldName].last
    }

    /// A cookie's value.
    public func cookie(_ name: String) -> String? {
        request.cookies[name]?.value
    }
}
