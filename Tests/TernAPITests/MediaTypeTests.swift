import Testing

@testable import TernAPI

@Suite("Media types of Content-Type values", .timeLimit(.minutes(5)))
struct MediaTypeTests {
    @Test(
        "lowercased, without parameters or optional whitespace",
        arguments: [
            ("application/json", "application/json"),
            (" Application/JSON ; charset=utf-8", "application/json"),
            ("\ttext/html\t;q=1", "text/html"),
            ("\u{2003}text/plain\u{00A0}", "text/plain"),
            ("multipart/form-data; boundary=x", "multipart/form-data"),
            ("", ""),
            (";charset=utf-8", ""),
        ])
    func mediaTypes(value: String, expected: String) {
        #expect(mediaType(of: value) == expected)
    }

    @Test("a request without a Content-Type has none")
    func absent() {
        #expect(mediaType(of: nil) == "")
    }

    @Test(
        "JSON is application/json or application/*+json, whatever the parameters",
        arguments: [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("application/problem+json", true),
            ("application/jsonp", false),
            ("text/json", false),
            ("text/plain", false),
        ])
    func json(value: String, isJSON: Bool) {
        #expect(IncomingRequest.isJSON(contentType: value) == isJSON)
    }
}
