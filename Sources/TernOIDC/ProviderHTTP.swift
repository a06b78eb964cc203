import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The few HTTP calls a provider needs (discovery, keys, token, user info), each with a timeout and
/// a cap on what it reads, answered as JSON.
struct ProviderHTTP: Sendable {
    let client: HTTPClient
    let timeout: TimeAmount
    /// More than any discovery document, key set or token response needs.
    static let maximumResponseSize = 1 << 20

    /// The client providers share unless given one: like `HTTPClient.shared`, one per process and
    /// never shut down, but following no redirect.
    static let sharedClient = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    /// GETs `url` and decodes its JSON.
    func get<Response: Decodable>(
        _ url: String, as _: Response.Type, headers: [(String, String)] = []
    ) async throws(SignInError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        return try await send(request, as: Response.self, clientErrorRefuses: false)
    }

    /// POSTs `form` to `url` (as `application/x-www-form-urlencoded`) and decodes the JSON answer.
    /// Made to token endpoints: a 4xx is the provider turning the code down (RFC 6749 §5.2).
    func post<Response: Decodable>(
        _ url: String, form: [(String, String)], as _: Response.Type, headers: [(String, String)] = []
    ) async throws(SignInError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(contentsOf: [("Accept", "application/json"), ("Content-Type", "application/x-www-form-urlencoded")])
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        return try await send(request, as: Response.self, clientErrorRefuses: true)
    }

    private func send<Response: Decodable>(
        _ request: HTTPClientRequest, as _: Response.Type, clientErrorRefuses: Bool
    ) async throws(SignInError) -> Response {
        let status: HTTPResponseStatus
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: timeout)
            status = response.status
            body = try await response.body.collect(upTo: Self.maximumResponseSize)
        } catch {
            throw .unavailable("\(request.method) \(request.url) failed: \(error)")
        }
        guard (200..<300).contains(status.code) else {
            let answer = String(buffer: body).prefix(200)
            if clientErrorRefuses, (400..<500).contains(status.code) { throw .refused("\(request.url) answered \(status.code): \(answer)") }
            throw .unavailable("\(request.url) answered \(status.code): \(answer)")
        }
        do {
            return try JSONDecoder().decode(Response.self, from: Data(body.readableBytesView))
        } catch {
            throw .unavailable("\(request.url) answered what is not the expected JSON: \(error)")
        }
    }
}

/// `application/x-www-form-urlencoded`, as RFC 6749 wants for the token request and the
/// authorization request's query.
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `url` with `pairs` added to its query.
    static func url(_ url: String, adding pairs: [(String, String)]) -> String {
        url + (url.contains("?") ? "&" : "?") + encode(pairs)
    }
}
