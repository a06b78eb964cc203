import Testing

@testable import TernDatabase

@Suite("Database URLs", .timeLimit(.minutes(5)))
struct DatabaseURLTests {
    @Test("the password is hidden in every form, a malformed percent escape included")
    func redaction() throws {
        let url = try DatabaseURL("postgres://tern:s3cr%C3%A9t@db.example.com:5432/app?sslmode=require&password=other")
        #expect(url.redacted == "postgres://tern:***@db.example.com:5432/app?sslmode=require&password=***")
        #expect(url.password == "s3crét")
        #expect(!"\(url)".contains("s3cr"))

        // libpq refuses the stray `%`, and its message quotes the text around it.
        let error = #expect(throws: DatabaseURL.InvalidURL.self) { try DatabaseURL("postgres://tern:hun%zzter2@localhost/app") }
        let reason = try #require(error?.reason)
        #expect(!reason.contains("hun%zzter2") && !reason.contains("hunter"), "\(reason)")
        #expect(!reason.isEmpty)
    }

    @Test("URLs without a password, and SQLite paths, are shown as they are")
    func noPassword() throws {
        #expect(try DatabaseURL("postgres://tern@localhost/app").redacted == "postgres://tern@localhost/app")
        #expect(try DatabaseURL("postgresql://localhost/app").redacted == "postgresql://localhost/app")
        #expect(try DatabaseURL("sqlite://data/app.sqlite").redacted == "sqlite://data/app.sqlite")
    }
}
