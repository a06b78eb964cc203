import TestSupport
import Testing

@Suite("Settings at start-up", .timeLimit(.minutes(5)))
struct SettingsCommandTests {
    @Test("a malformed DATABASE_URL exits with status 2 and one clear line")
    func malformedURL() async throws {
        let api = try APIProcess(environment: ["DATABASE_URL": "mysql://root@localhost/app"])
        defer { api.delete() }
        for command in [["serve"], ["migrate"], ["migrate", "status"]] {
            let result = try await api.run(command)
            #expect(result.status == 2)
            #expect(
                result.errorOutput
                    == "error: DATABASE_URL: unsupported scheme 'mysql': use sqlite:///absolute/path, sqlite://relative/path, postgres:// or postgresql://\n"
            )
        }
    }

    @Test("every problem is reported at once, one line each, without echoing secrets")
    func severalProblems() async throws {
        let api = try APIProcess(environment: [
            "DATABASE_URL": "postgres://user:hunter2@host/db?no_such_option=1", "PORT": "http", "ENVIRONMENT": "prod",
            "DATABASE_POOL_SIZE": "0",
        ])
        defer { api.delete() }
        let result = try await api.run(["serve"])
        #expect(result.status == 2)
        let lines = result.errorOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.allSatisfy { $0.hasPrefix("error: ") })
        #expect(lines.contains { $0.hasPrefix("error: DATABASE_URL: ") })
        #expect(lines.contains("error: PORT: expected a whole number, got 'http'"))
        #expect(lines.contains("error: ENVIRONMENT: expected one of development, staging, production, got 'prod'"))
        #expect(lines.contains("error: DATABASE_POOL_SIZE: must be between 1 and 1000, got 0"))
        #expect(!result.errorOutput.contains("hunter2"))
    }

    @Test("placeholder secrets are refused outside development")
    func placeholderSecrets() async throws {
        let api = try APIProcess(environment: [
            "ENVIRONMENT": "production", "SECRET_KEY": "changethis", "FIRST_SUPERUSER_PASSWORD": "changethis",
        ])
        defer { api.delete() }
        let result = try await api.run(["serve"])
        #expect(result.status == 2)
        #expect(result.errorOutput.contains("error: SECRET_KEY: the value \"changethis\" is not safe"))
        #expect(result.errorOutput.contains("error: FIRST_SUPERUSER_PASSWORD: the value \"changethis\" is not safe"))
    }
}
