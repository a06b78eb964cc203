import Testing

@testable import TernAPI

@Suite("URL-encoded pairs", .timeLimit(.minutes(5)))
struct URLEncodedPairsTests {
    @Test("read as Starlette reads them: empty parts and nameless pairs skipped, the first = splits, repeats kept")
    func pairs() {
        let query = URLEncodedPairs("a=1&&b=2&=x&c&d=e=f&a=%20+z&n%C3%A4me=%E2%9C%93&")
        #expect(query.pairs.map(\.name) == ["a", "b", "c", "d", "a", "näme"])
        #expect(query.pairs.map(\.value) == ["1", "2", "", "e=f", "  z", "✓"])
        #expect(query.values("a") == ["1", "  z"])
        #expect(query.values("c") == [""])
        #expect(query.values("missing") == [])
        #expect(URLEncodedPairs("").pairs.isEmpty)
        #expect(URLEncodedPairs("&&").pairs.isEmpty)
    }
}
