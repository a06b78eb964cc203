import Foundation
import Testing

@testable import TernAPI

@Suite("JSON writer", .timeLimit(.minutes(5)))
struct JSONWriterTests {
    @Test("ids and timestamps written in place are their canonical text, commas and all")
    func inPlaceStrings() throws {
        let id = try #require(UUID(uuidString: "0F9A1B2C-3D4E-4F60-8A7B-9C0D1E2F3A4B"))
        let values: [any APIValue] = [
            id,
            Date(timeIntervalSince1970: 1_795_442_932.123456),
            // A whole second has no fraction, as pydantic writes it.
            Date(timeIntervalSince1970: 1_795_442_932),
            "between",
            // A year with five digits has no fixed-width form: written through a String instead.
            Date(timeIntervalSince1970: 253_402_300_800),
        ]
        var writer = JSONWriter()
        writer.beginArray()
        for value in values { value.writeJSON(to: &writer) }
        writer.endArray()
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == #"["0f9a1b2c-3d4e-4f60-8a7b-9c0d1e2f3a4b","2026-11-23T14:08:52.123456Z","2026-11-23T14:08:52Z","between","10000-01-01T00:00:00Z"]"#
        )
    }

    @Test("a string written in place that gives up leaves nothing behind, not even a comma")
    func givingUp() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.integer(1)
        let wrote = writer.unescapedString(maximumCount: 8) { _ in nil }
        writer.integer(2)
        writer.endArray()
        #expect(!wrote)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[1,2]")
    }
}
