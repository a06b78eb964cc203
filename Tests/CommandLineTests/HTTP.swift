import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An answer of a server the tests started.
struct HTTPResult {
    let status: Int
    let body: String
    let headers: HTTPHeaders

    var contentType: String? { header("content-type") }

    func header(_ name: String) -> String? { headers.first(name: name) }
    /// The body as a JSON object.
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
}

/// GETs `url`.
func get(_ url: String, headers: [(String, String)] = []) async throws -> HTTPResult {
    try await send(.GET, url, headers: headers)
}

/// POSTs a form.
func post(_ url: String, form: String, headers: [(String, String)] = []) async throws -> HTTPResult {
    try await send(.POST, url, headers: headers + [("content-type", "application/x-www-form-urlencoded")], body: form)
}

/// Sends a request; `body`, if any, as given.
func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil) async throws -> HTTPResult {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
    let collected = try await response.body.collect(upTo: 1 << 20)
    return HTTPResult(status: Int(response.status.code), body: String(buffer: collected), headers: response.headers)
}
