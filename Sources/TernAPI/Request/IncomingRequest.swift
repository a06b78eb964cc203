import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The parts of an HTTP request that an operation's inputs read: path parameters, query, headers,
/// cookies and the body. Built by the API for each request.
public struct IncomingRequest: Sendable {
    /// The underlying Hummingbird request; read the body with ``body()``, not from here.
    public let request: Request
    /// Path parameters by name, percent-decoded.
    public let pathParameters: [String: String]
    /// The query string's parameters.
    public let query: URLEncodedPairs
    /// The largest body ``body()`` and ``formFields()`` accept.
    public let maxBodySize: Int
    /// What a `multipart/form-data` body may hold besides its size.
    public let multipartLimits: MultipartLimits
    /// The socket's peer, and the proxies believed about who is behind it.
    private let peer: SocketAddress?
    private let trustedProxies: TrustedProxies?
    private let collectedBody = AsyncOnce()
    let collectedForm = AsyncOnce()

    public init(
        request: Request, pathParameters: [String: String], maxBodySize: Int, multipartLimits: MultipartLimits = MultipartLimits(),
        peer: SocketAddress? = nil, trustedProxies: TrustedProxies? = nil
    ) {
        self.request = request
        self.pathParameters = pathParameters
        self.maxBodySize = maxBodySize
        self.multipartLimits = multipartLimits
        self.peer = peer
        self.trustedProxies = trustedProxies
        self.query = URLEncodedPairs(request.uri.query.map { Substring($0) } ?? "")
    }

    /// The client's IP address: the socket's peer, or what a trusted proxy says it forwarded for
    /// (``TrustedProxies``); `nil` when unknown (a request made in-process by a test). Worked out when
    /// asked (a rate limit by address), not for every request.
    public var clientAddress: String? {
        let address = peer?.ipAddress
        guard let trustedProxies else { return address }
        return trustedProxies.clientAddress(peer: address, headers: request.headers)
    }

    public var method: HTTPRequest.Method { request.method }
    /// The path, without the query string.
    public var path: String { request.uri.path }
    public var headers: HTTPFields { request.headers }

    /// The request body, collected the first time anything reads it (an input, a dependency),
    /// then kept for the others; an operation that reads none never waits for it. A body larger
    /// than ``maxBodySize`` fails with 413.
    public func body() async throws -> ByteBuffer {
        try await collectedBody.value {
            var request = request
            return try await request.collectBody(upTo: maxBodySize)
        } as! ByteBuffer
    }

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
