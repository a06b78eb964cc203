import Testing

@testable import TernSettings

@Suite(".env files", .timeLimit(.minutes(5)))
struct DotEnvFileTests {
    @Test("reads the forms .env files use")
    func forms() throws {
        let file = try DotEnvFile(
            contents: """
                # a comment
                PLAIN=value
                export EXPORTED=yes
                SPACED = padded value   # trailing comment
                SINGLE='literal $HOME # not a comment'
                DOUBLE="line one\\nline \\"two\\""
                EMPTY=
                URL=postgres://user:p#ss@host/db?sslmode=disable
                """)
        #expect(file.variables["PLAIN"] == "value")
        #expect(file.variables["EXPORTED"] == "yes")
        #expect(file.variables["SPACED"] == "padded value")
        #expect(file.variables["SINGLE"] == "literal $HOME # not a comment")
        #expect(file.variables["DOUBLE"] == "line one\nline \"two\"")
        #expect(file.variables["EMPTY"] == "")
        #expect(file.variables["URL"] == "postgres://user:p#ss@host/db?sslmode=disable")
    }

    @Test(
        "malformed lines are reported with their line number",
        arguments: [
            ("A=1\njust words\n", 2), ("A=1\nB='open\n", 2), ("1BAD=x", 1), ("A=\"open", 1),
        ])
    func malformed(contents: String, line: Int) {
        let error = #expect(throws: DotEnvFile.SyntaxError.self) { try DotEnvFile(contents: contents) }
        #expect(error?.line == line)
    }

    @Test("a missing file has no variables")
    func missingFile() throws {
        #expect(try DotEnvFile(path: "/no/such/.env").variables.isEmpty)
    }
}

@Suite("Settings reader", .timeLimit(.minutes(5)))
struct SettingsReaderTests {
    enum Color: String, CaseIterable { case red, green }

    @Test("the environment wins over .env, and defaults fill the rest")
    func layering() throws {
        var reader = SettingsReader(environment: ["PORT": "9000"], dotEnv: ["PORT": "8001", "NAME": "from-file"])
        let port = reader.integer("PORT", default: 1, in: 1...65535)
        #expect(port == 9000)
        #expect(reader.string("NAME", default: "x") == "from-file")
        #expect(reader.string("MISSING", default: "fallback") == "fallback")
        let flag = reader.boolean("FLAG", default: true)
        #expect(flag)
        try reader.finish()
    }

    @Test("every problem is collected, one line each, secrets not echoed")
    func problems() {
        var reader = SettingsReader(environment: [
            "PORT": "eighty", "WORKERS": "0", "DEBUG": "maybe", "COLOR": "blue", "TIMEOUT": "-1", "TOKEN": "s3cr3t",
        ])
        _ = reader.integer("PORT", default: 8000, in: 1...65535)
        _ = reader.integer("WORKERS", default: 1, in: 1...64)
        _ = reader.boolean("DEBUG", default: false)
        _ = reader.choice("COLOR", default: Color.red)
        _ = reader.seconds("TIMEOUT", default: .seconds(5), in: 0...60)
        _ = reader.parsed("TOKEN", default: "", secret: true) { value -> String in
            // A careless parser that quotes what it read.
            struct Bad: Error, CustomStringConvertible {
                let value: String
                var description: String { "'\(value)' is too short" }
            }
            throw Bad(value: value)
        }
        let error = #expect(throws: SettingsError.self) { try reader.finish() }
        #expect(
            error?.problems == [
                "PORT: expected a whole number, got 'eighty'",
                "WORKERS: must be between 1 and 64, got 0",
                "DEBUG: expected true or false, got 'maybe'",
                "COLOR: expected one of red, green, got 'blue'",
                "TIMEOUT: expected a number of seconds between 0.0 and 60.0, got '-1'",
                "TOKEN: invalid value",
            ])
        #expect(error?.description.contains("s3cr3t") == false)
    }

    @Test("lists split on commas and drop blanks")
    func lists() {
        var reader = SettingsReader(environment: ["ORIGINS": " http://a.example , ,http://b.example"])
        let origins = reader.list("ORIGINS")
        #expect(origins == ["http://a.example", "http://b.example"])
    }

    @Test("each read notes its default as a .env file writes it, whatever the value set")
    func defaults() {
        var reader = SettingsReader(environment: ["PORT": "9000", "COLOR": "green"])
        _ = reader.integer("PORT", default: 8000, in: 1...65535)
        _ = reader.seconds("TIMEOUT", default: .seconds(30), in: 0...60)
        _ = reader.seconds("POLL", default: .milliseconds(250), in: 0...60)
        _ = reader.boolean("DEBUG", default: false)
        _ = reader.choice("COLOR", default: Color.red)
        _ = reader.list("HOSTS", default: ["a.example", "b.example"])
        _ = reader.string("NAME", default: "Tern")
        _ = reader.optionalString("DSN")
        _ = reader.parsed("URL", default: "sqlite://data/app.sqlite") { $0 }
        #expect(
            reader.defaults == [
                "PORT": "8000", "TIMEOUT": "30", "POLL": "0.25", "DEBUG": "false", "COLOR": "red", "HOSTS": "a.example,b.example",
                "NAME": "Tern", "DSN": "", "URL": "sqlite://data/app.sqlite",
            ])
    }
}
