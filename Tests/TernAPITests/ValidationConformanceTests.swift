import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TernAPI

/// One request recorded against FastAPI 0.115 / pydantic 2.14 (Fixtures/record.py), with its answer.
struct Fixture: Sendable, CustomTestStringConvertible {
    let name: String
    let method: String
    let path: String
    let headers: [String: String]
    let body: [UInt8]?
    let status: Int
    let response: JSONValue

    var testDescription: String { name }

    /// Cases where FastAPI's answer is a quirk or a crash this layer deliberately does better than:
    /// validating a parameter's default value, 500s on NaN and huge numbers, a plain-text 500.
    static let deliberateDifferences: Set<String> = [
        "numbers_b_0_5", "numbers_c_5", "numbers_d_6", "numbers_b_abc", "numbers_b_inf", "numbers_b_nan",
        "items_json_nan_literal", "things_json_nan_ratio", "things_count_huge", "default_500",
    ]

    static let all: [Fixture] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fastapi-responses.json")
        guard let data = try? Data(contentsOf: url), case .array(let entries) = try? JSONParser.parse(Array(data)) else {
            return []
        }
        return entries.compactMap { entry -> Fixture? in
            guard let name = entry["name"]?.stringValue, let request = entry["request"],
                let method = request["method"]?.stringValue, let path = request["path"]?.stringValue,
                let status = entry["status"]?.integerValue, let response = entry["response"]
            else { return nil }
            var headers: [String: String] = [:]
            for member in request["headers"]?.objectValue?.members ?? [] {
                headers[member.key] = member.value.stringValue
            }
            let body: [UInt8]? =
                request["body_base64"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map(Array.init)
                ?? request["body"]?.stringValue.map { Array($0.utf8) }
            return Fixture(name: name, method: method, path: path, headers: headers, body: body, status: status, response: response)
        }
    }()
}

@Suite("Validation errors match FastAPI's")
struct ValidationConformanceTests {
    static let fixtures = Fixture.all.filter { !Fixture.deliberateDifferences.contains($0.name) }

    @Test("the fixtures were loaded")
    func fixturesLoaded() {
        #expect(Self.fixtures.count > 100)
    }

    @Test("same status, and the same body for every error", arguments: fixtures)
    func replay(fixture: Fixture) async throws {
        let app = try fixtureApplication()
        try await app.test(.router) { client in
            var headers = HTTPFields()
            for (name, value) in fixture.headers {
                headers[HTTPField.Name(name)!] = value
            }
            try await client.execute(
                uri: fixture.path, method: HTTPRequest.Method(fixture.method)!, headers: headers,
                body: fixture.body.map { ByteBuffer(bytes: $0) }
            ) { response in
                #expect(Int(response.status.code) == fixture.status)
                guard fixture.status >= 400 else { return }
                let body = try JSONParser.parse(Array(response.body.readableBytesView))
                #expect(body == fixture.response)
            }
        }
    }
}
