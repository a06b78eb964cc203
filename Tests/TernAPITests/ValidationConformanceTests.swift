import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import TernAPI

/// One request recorded against FastAPI 0.165 / pydantic 2.14 (Fixtures/record.py), with its answer.
struct Fixture: Sendable, CustomTestStringConvertible {
    let name: String
    let method: String
    let path: String
    let headers: [String: String]
    let body: [UInt8]?
    let status: Int
    let response: JSONValue
    /// Every header FastAPI answered with, by lowercase name.
    let responseHeaders: [String: String]

    var testDescription: String { name }

    /// Cases where FastAPI crashes and this layer answers: 500s when writing infinity, NaN or a huge
    /// number, and its plain-text 500 (``DeliberateDifferenceTests`` says what this layer answers).
    static let deliberateDifferences: Set<String> = [
        "numbers_b_inf", "items_json_nan_literal", "things_json_nan_ratio", "things_count_huge",
        "things_when_infinity", "default_500",
    ]

    /// pydantic writes a datetime parsed from a date alone without an offset; this layer writes
    /// every datetime in UTC with `Z`. The rest of the answer is compared.
    static let naiveDatetimeAnswers: Set<String> = ["things_when_date_only"]

    /// The answer FastAPI gave, as this layer should give it.
    var expectedResponse: JSONValue {
        guard Self.naiveDatetimeAnswers.contains(name), case .object(var answer) = response,
            case .object(var thing)? = answer["thing"], case .string(let when)? = thing["when"]
        else { return response }
        thing["when"] = .string(when + "Z")
        answer["thing"] = .object(thing)
        return .object(answer)
    }

    static let all: [Fixture] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fastapi-responses.json")
        guard let data = try? Data(contentsOf: url), case .array(let entries) = try? JSONParser.parse(Array(data)) else {
            preconditionFailure("cannot read \(url.path)")
        }
        return entries.map { entry -> Fixture in
            guard let name = entry["name"]?.stringValue, let request = entry["request"],
                let method = request["method"]?.stringValue, let path = request["path"]?.stringValue,
                let status = entry["status"]?.integerValue, let response = entry["response"]
            else { preconditionFailure("a malformed fixture: \(entry.jsonText.prefix(200))") }
            var headers: [String: String] = [:]
            for member in request["headers"]?.objectValue?.members ?? [] {
                headers[member.key] = member.value.stringValue
            }
            let body: [UInt8]? =
                request["body_base64"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map(Array.init)
                ?? request["body"]?.stringValue.map { Array($0.utf8) }
            var responseHeaders: [String: String] = [:]
            for member in entry["response_headers"]?.objectValue?.members ?? [] {
                responseHeaders[member.key.lowercased()] = member.value.stringValue
            }
            return Fixture(
                name: name, method: method, path: path, headers: headers, body: body, status: status, response: response,
                responseHeaders: responseHeaders)
        }
    }()
}

@Suite("Validation errors match FastAPI's", .timeLimit(.minutes(5)))
struct ValidationConformanceTests {
    static let fixtures = Fixture.all.filter { !Fixture.deliberateDifferences.contains($0.name) }

    @Test("every fixture was loaded, and every named exception exists")
    func fixturesLoaded() {
        let names = Set(Fixture.all.map(\.name))
        #expect(Fixture.all.count == 148)
        #expect(Fixture.deliberateDifferences.isSubset(of: names))
        #expect(Fixture.naiveDatetimeAnswers.isSubset(of: names))
        #expect(Self.fixtures.count == Fixture.all.count - Fixture.deliberateDifferences.count)
    }

    /// Headers whose value depends on the bytes, compared through the body instead (numbers such as
    /// `1e+300` may be spelled differently; the values are the same).
    static let lengthHeaders: Set<String> = ["content-length"]

    @Test("same status, the same body (keys in the same order) and the same headers as FastAPI", arguments: fixtures)
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
                let body = try JSONParser.parse(Array(response.body.readableBytesView))
                // Written back in document order, so that keys in another order (`type, loc, msg,
                // input, ctx`) differ.
                #expect(body.jsonText == fixture.expectedResponse.jsonText)
                let ours = Set(response.headers.map { $0.name.canonicalName })
                #expect(ours.subtracting(fixture.responseHeaders.keys).isEmpty, "headers FastAPI did not send")
                for (name, value) in fixture.responseHeaders where !Self.lengthHeaders.contains(name) {
                    let ours = response.headers[HTTPField.Name(name)!]
                    if name == "allow" {
                        // Starlette names the methods of the first route on the path; this layer
                        // names them all, as RFC 9110 asks.
                        let methods = Set(ours?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [])
                        #expect(methods.isSuperset(of: value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
                    } else {
                        #expect(ours == value, "\(name)")
                    }
                }
            }
        }
    }
}

@Suite("Where FastAPI crashes, this layer answers", .timeLimit(.minutes(5)))
struct DeliberateDifferenceTests {
    /// The fixture's request, replayed; its status and body.
    private func replay(_ name: String) async throws -> (status: Int, body: JSONValue) {
        let fixture = try #require(Fixture.all.first { $0.name == name })
        return try await fixtureApplication().test(.router) { client in
            var headers = HTTPFields()
            for (name, value) in fixture.headers { headers[HTTPField.Name(name)!] = value }
            return try await client.execute(
                uri: fixture.path, method: HTTPRequest.Method(fixture.method)!, headers: headers,
                body: fixture.body.map { ByteBuffer(bytes: $0) }
            ) { response in
                (Int(response.status.code), try JSONParser.parse(Array(response.body.readableBytesView)))
            }
        }
    }

    private func types(_ body: JSONValue) -> [String] {
        body["detail"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
    }

    @Test("non-finite numbers are accepted as pydantic accepts them and written as null; huge integers are 422s")
    func numbers() async throws {
        // pydantic takes `inf` and `NaN` for a float; FastAPI then fails to write them. JSON has no
        // such numbers, so this layer writes null, as JavaScript's JSON.stringify does.
        let infinity = try await replay("numbers_b_inf")
        #expect(infinity.status == 200)
        #expect(infinity.body["b"] == .null)
        let nanRatio = try await replay("things_json_nan_ratio")
        #expect(nanRatio.status == 200)
        #expect(nanRatio.body["thing"]?["ratio"] == .null)
        // NaN where a string belongs is the same 422 FastAPI means to send; it fails writing its input.
        let nanTitle = try await replay("items_json_nan_literal")
        #expect(nanTitle.status == 422)
        #expect(types(nanTitle.body) == ["string_type"])
        let huge = try await replay("things_count_huge")
        #expect(huge.status == 422)
        #expect(types(huge.body) == ["int_from_float"])
    }

    @Test("infinity for a datetime is the 422 pydantic gives a number past 9999; FastAPI fails to write it")
    func infiniteDatetime() async throws {
        let infinity = try await replay("things_when_infinity")
        #expect(infinity.status == 422)
        #expect(types(infinity.body) == ["datetime_parsing"])
        #expect(infinity.body["detail"]?[0]?["ctx"]?["error"] == "dates after 9999 are not supported as unix timestamps")
    }

    @Test("an unexpected error is a JSON 500 that says nothing more")
    func internalError() async throws {
        let crash = try await replay("default_500")
        #expect(crash.status == 500)
        #expect(crash.body == ["detail": "Internal Server Error"])
    }
}
