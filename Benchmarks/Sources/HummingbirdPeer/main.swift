// The bare Hummingbird 2 server the API benchmark compares a route without a database against
// (the shape of the reference bare-Hummingbird peer's `GET /json`): no middleware, a Codable response.
import Foundation
import Hummingbird

struct Message: ResponseEncodable {
    let message: String
}

let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "58100") ?? 58100
let router = Router()
router.get("/json") { _, _ in Message(message: "Hello, World!") }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
