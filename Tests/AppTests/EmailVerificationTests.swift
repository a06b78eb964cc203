import Foundation
import TernAPI
import TestSupport
import Testing

@testable import App

/// Email verification: a link on signup (and after an email change), `POST /verify-email/`, and the
/// setting that keeps unverified users from logging in.
@Suite("Email verification", .timeLimit(.minutes(5)))
struct EmailVerificationTests {
    private static let mail = ["SMTP_HOST": "smtp.example.com", "EMAILS_FROM_EMAIL": "noreply@example.com"]

    /// The token of the verification link in `email`.
    private func token(in email: OutgoingEmail) throws -> String {
        let link = try #require(email.text.split(separator: "\n").first { $0.contains("/verify-email?token=") })
        return String(link.split(separator: "token=").last ?? "")
    }

    private func signUp(_ client: TestClient, _ email: String) async throws {
        let response = try await client.post("/users/signup", json: ["email": .string(email), "password": "a-password"])
        #expect(response.status == 200, "\(response.text)")
        #expect(response.json["is_verified"] == false)
    }

    @Test("signing up sends a link whose token verifies the email, once it is opened", arguments: Backend.allCases)
    func signUpAndVerify(backend: Backend) async throws {
        try await TestApp.run(backend, environment: Self.mail) { client, app in
            try await signUp(client, "new@example.com")
            let email = try #require(try await app.mailer.emails(count: 1).first)
            #expect(email.to == "new@example.com")
            #expect(email.subject.contains("Verify your email"))
            let token = try token(in: email)

            let verified = try await client.post("/verify-email/", json: ["token": .string(token)])
            #expect(verified.status == 200)
            #expect(verified.json == ["message": "Email verified"])
            let access = try await client.login("new@example.com", "a-password")
            #expect(try await client.get("/users/me", token: access).json["is_verified"] == true)
            // Again: nothing more to do.
            #expect(try await client.post("/verify-email/", json: ["token": .string(token)]).status == 200)
            let resend = try await client.post("/verify-email/resend", token: access)
            #expect(resend.json == ["message": "Email already verified"])

            // Not another kind of token, and not garbage.
            for wrong in [access, "garbage"] {
                let refused = try await client.post("/verify-email/", json: ["token": .string(wrong)])
                #expect(refused.status == 400)
                #expect(refused.detail == "Invalid token")
            }
            #expect(try await client.post("/login/test-token", token: token).status == 403)
        }
    }

    @Test("a changed email is unverified, gets a link of its own, and the old link confirms nothing", arguments: Backend.allCases)
    func changedEmail(backend: Backend) async throws {
        try await TestApp.run(backend, environment: Self.mail) { client, app in
            try await signUp(client, "old@example.com")
            let first = try token(in: try #require(try await app.mailer.emails(count: 1).first))
            #expect(try await client.post("/verify-email/", json: ["token": .string(first)]).status == 200)

            let access = try await client.login("old@example.com", "a-password")
            let changed = try await client.patch("/users/me", json: ["email": "new@example.com"], token: access)
            #expect(changed.json["is_verified"] == false)
            let second = try #require(try await app.mailer.emails(count: 2).last)
            #expect(second.to == "new@example.com")

            // Changed again before the link was opened: it confirms an address the account no longer has.
            _ = try await client.patch("/users/me", json: ["email": "other@example.com"], token: access)
            let stale = try await client.post("/verify-email/", json: ["token": .string(try token(in: second))])
            #expect(stale.status == 400)
            // The resend link works.
            #expect(try await client.post("/verify-email/resend", token: access).json == ["message": "Verification email sent"])
            let third = try #require(try await app.mailer.emails(count: 4).last)
            #expect(third.to == "other@example.com")
            #expect(try await client.post("/verify-email/", json: ["token": .string(try token(in: third))]).status == 200)
            #expect(try await client.get("/users/me", token: access).json["is_verified"] == true)
        }
    }

    @Test(
        "with EMAIL_VERIFICATION_REQUIRED, an unverified user cannot log in until verified; accounts a superuser made can",
        arguments: Backend.allCases)
    func required(backend: Backend) async throws {
        try await TestApp.run(backend, environment: Self.mail.merging(["EMAIL_VERIFICATION_REQUIRED": "true"]) { $1 }) { client, app in
            try await signUp(client, "new@example.com")
            let refused = try await client.request(.post, "/login/access-token", form: "username=new%40example.com&password=a-password")
            #expect(refused.status == 400)
            #expect(refused.detail == "Email not verified")
            let basic = "Basic \(Data("new@example.com:a-password".utf8).base64EncodedString())"
            #expect(try await client.request(.get, "/users/me", headers: [.authorization: basic]).detail == "Email not verified")

            let token = try token(in: try #require(try await app.mailer.emails(count: 1).first))
            #expect(try await client.post("/verify-email/", json: ["token": .string(token)]).status == 200)
            _ = try await client.login("new@example.com", "a-password")

            let superuser = try await client.superuserToken()
            let created = try await client.post("/users/", json: ["email": "made@example.com", "password": "a-password"], token: superuser)
            #expect(created.json["is_verified"] == true)
            _ = try await client.login("made@example.com", "a-password")
        }
    }
}
