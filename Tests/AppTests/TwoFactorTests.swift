import Foundation
import HTTPTypes
import Synchronization
import TernAPI
import TernDatabase
import TestSupport
import Testing

@testable import App
@testable import TernAuth

/// A TOTP second factor: set up, confirmed, asked for at login (`X-TOTP-Code`), recovery codes,
/// switched off.
@Suite("Two-factor authentication", .timeLimit(.minutes(5)))
struct TwoFactorTests {
    private static let totpHeader = HTTPField.Name("x-totp-code")!

    private func login(_ client: TestClient, code: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let code { headers[Self.totpHeader] = code }
        return try await client.request(
            .post, "/login/access-token", form: "username=guarded%40example.com&password=user-password", headers: headers)
    }

    /// Sets up and confirms a second factor: the app's TOTP, the step its first code used, and the recovery codes.
    private func enable(_ client: TestClient, token: String) async throws -> (totp: TOTP, step: Int64, recoveryCodes: [String]) {
        let wrongPassword = try await client.post("/users/me/totp/", json: ["current_password": "not-the-password"], token: token)
        #expect(wrongPassword.detail == "Incorrect password")
        let begun = try await client.post("/users/me/totp/", json: ["current_password": "user-password"], token: token)
        #expect(begun.status == 200, "\(begun.text)")
        let text = try #require(begun.json["secret"]?.stringValue)
        let secret = try #require(Base32.decode(text))
        #expect(begun.json["otpauth_uri"]?.stringValue?.hasPrefix("otpauth://totp/") == true)
        let totp = TOTP(secret: secret)
        let step = totp.step(at: Date())
        #expect(try await client.post("/users/me/totp/confirm", json: ["code": "000000"], token: token).status == 400)
        let confirmed = try await client.post("/users/me/totp/confirm", json: ["code": .string(totp.code(step: step))], token: token)
        #expect(confirmed.status == 200, "\(confirmed.text)")
        let codes = try #require(confirmed.json["recovery_codes"]?.arrayValue).compactMap(\.stringValue)
        #expect(codes.count == 10 && Set(codes).count == 10)
        return (totp, step, codes)
    }

    @Test("once confirmed, login asks for a code, takes each code once, and takes recovery codes once", arguments: Backend.allCases)
    func login(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "guarded@example.com")
            let token = try await client.login("guarded@example.com", "user-password")
            let (totp, step, recoveryCodes) = try await enable(client, token: token)
            #expect(try await client.post("/users/me/totp/", json: ["current_password": "user-password"], token: token).status == 409)
            // The secret is stored sealed.
            let stored = try await app.services.database.query("SELECT sealed_secret FROM auth_totp", as: String.self)
            #expect(stored.count == 1 && !stored[0].contains(Base32.encode(totp.secret)))

            let required = try await login(client)
            #expect(required.status == 401)
            #expect(required.detail == "Two-factor code required")
            #expect(required.headers[.wwwAuthenticate] == #"TOTP header="X-TOTP-Code""#)
            #expect(try await login(client, code: "123456").detail == "Invalid two-factor code")

            // The next step's code (within the window): once.
            let next = totp.code(step: step + 1)
            #expect(try await login(client, code: next).status == 200)
            #expect(try await login(client, code: next).status == 401)
            // A code older than the last one used is refused too.
            #expect(try await login(client, code: totp.code(step: step)).status == 401)
            // Recovery codes: once each, whatever their case.
            #expect(try await login(client, code: recoveryCodes[0].uppercased()).status == 200)
            #expect(try await login(client, code: recoveryCodes[0]).status == 401)

            // HTTP Basic is refused for the account: each request would spend a code.
            let basic = "Basic \(Data("guarded@example.com:user-password".utf8).base64EncodedString())"
            let refused = try await client.request(.get, "/users/me", headers: [.authorization: basic, Self.totpHeader: recoveryCodes[1]])
            #expect(refused.status == 401)
            #expect(refused.detail?.stringValue?.hasPrefix("HTTP Basic is not accepted") == true)
        }
    }

    @Test("a secret sealed under a rotated key is sealed again at the next sign-in, so the old key can go")
    func resealedAfterRotation() async throws {
        let (old, new) = ("the-old-secret-key-of-a-decent-length", "the-new-secret-key-of-a-decent-length")
        try await TestDatabase.with(.sqlite, migrated: true) { database in
            let enabled = Mutex<(totp: TOTP, step: Int64)?>(nil)
            try await TestApp.run(database, environment: ["SECRET_KEY": old]) { client, app in
                _ = try await app.createUser(email: "guarded@example.com")
                let (totp, step, _) = try await enable(client, token: try await client.login("guarded@example.com", "user-password"))
                enabled.withLock { $0 = (totp, step) }
            }
            let (totp, step) = try #require(enabled.withLock { $0 })
            try await TestApp.run(database, environment: ["SECRET_KEY": new, "PREVIOUS_SECRET_KEYS": old]) { client, app in
                let sealed = try await app.services.database.query("SELECT sealed_secret FROM auth_totp", as: String.self)
                #expect(SecretBox(secrets: [new]).open(sealed[0]) == nil)
                let response = try await login(client, code: totp.code(step: step + 1))
                #expect(response.status == 200)
                // Now the new key alone opens it.
                let resealed = try await app.services.database.query("SELECT sealed_secret FROM auth_totp", as: String.self)
                #expect(SecretBox(secrets: [new]).open(resealed[0]) == totp.secret)
            }
        }
    }

    @Test("switching it off takes a valid code; afterwards login needs none", arguments: Backend.allCases)
    func disable(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            _ = try await app.createUser(email: "guarded@example.com")
            let token = try await client.login("guarded@example.com", "user-password")
            // Not on yet: nothing to switch off, and an unconfirmed setup changes nothing at login.
            #expect(try await client.request(.delete, "/users/me/totp/", token: token, headers: [Self.totpHeader: "000000"]).status == 400)
            _ = try await client.post("/users/me/totp/", json: ["current_password": "user-password"], token: token)
            #expect(try await login(client).status == 200)

            let (_, _, recoveryCodes) = try await enable(client, token: token)
            let wrong = try await client.request(.delete, "/users/me/totp/", token: token, headers: [Self.totpHeader: "000000"])
            #expect(wrong.status == 400)
            #expect(wrong.detail == "Invalid two-factor code")
            #expect(try await client.request(.delete, "/users/me/totp/", token: token).status == 422)
            let off = try await client.request(.delete, "/users/me/totp/", token: token, headers: [Self.totpHeader: recoveryCodes[0]])
            #expect(off.status == 200)
            #expect(try await login(client).status == 200)
            #expect(try await app.services.database.query("SELECT count(*) FROM auth_recovery_code", as: Int.self) == [0])
        }
    }
}
