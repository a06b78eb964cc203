import Foundation
import Testing

@testable import TernAPI

@Suite("Page cursors' JSON: flat positions written fast, the rest by JSONEncoder", .timeLimit(.minutes(5)))
struct FlatJSONEncoderTests {
    private enum Direction: String, Codable { case up, down }

    private struct Position: Codable, Equatable {
        var t: Int64?
        var id: UUID
        var title: String
        var at: Date
        var ratio: Double
        var isLast: Bool
        var direction: Direction
        var note: String?
    }

    private struct Nested: Codable, Equatable {
        struct Inner: Codable, Equatable { var a: Int }
        var inner: Inner
    }

    private struct WithArray: Codable, Equatable {
        var ids: [Int]
    }

    @Test("a flat struct is compact JSON in declaration order that JSONDecoder reads back")
    func flat() throws {
        let id = UUID(uuidString: "0F3C5E3A-3C1B-4C1D-9B5A-2E7D3F1A6B8C")!
        let position = Position(
            t: 1_795_442_932_123_456, id: id, title: "quote \" and \\ and\nline", at: Date(timeIntervalSinceReferenceDate: 1_000.5),
            ratio: 0.25, isLast: false, direction: .down, note: nil)
        let bytes = try #require(FlatJSONEncoder.encode(position))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text
                == #"{"t":1795442932123456,"id":"0F3C5E3A-3C1B-4C1D-9B5A-2E7D3F1A6B8C","title":"quote \" and \\ and\nline","at":1000.5,"ratio":0.25,"isLast":false,"direction":"down"}"#
        )
        #expect(try JSONDecoder().decode(Position.self, from: Data(bytes)) == position)
    }

    @Test("nested objects, arrays and top-level scalars are left to JSONEncoder")
    func unsupportedShapes() {
        #expect(FlatJSONEncoder.encode(Nested(inner: .init(a: 1))) == nil)
        #expect(FlatJSONEncoder.encode(WithArray(ids: [1, 2])) == nil)
        #expect(FlatJSONEncoder.encode("a string") == nil)
        #expect(FlatJSONEncoder.encode([1, 2]) == nil)
    }

    @Test("a cursor of either kind reads back as the position it was made from")
    func cursorsRoundTrip() {
        let cursors = PageCursors(secrets: ["secret"], purpose: "test")
        let flat = Position(
            t: nil, id: UUID(), title: "t", at: Date(timeIntervalSince1970: 0), ratio: 1, isLast: true, direction: .up, note: "n")
        #expect(cursors.position(from: cursors.make(flat), as: Position.self) == flat)
        let nested = Nested(inner: .init(a: 7))
        #expect(cursors.position(from: cursors.make(nested), as: Nested.self) == nested)
    }
}
