import Foundation
import HTTPTypes
import TernAPI
import TernAuth
import TernDatabase
import TestSupport
import Testing

@testable import App

/// A cheap hasher with one hashing thread, which a test can hold (``Occupation``).
private func singleThreadHasher(maxQueuedHashes: Int = 8) -> PasswordHasher {
    PasswordHasher(
        parameters: TestApp.cheapHashing,
        limits: HashingLimits(maxConcurrentHashes: 1, maxQueuedHashes: maxQueuedHashes, queueTimeout: .seconds(60)))
}

@Suite("Password hashes at login", .timeLimit(.minutes(3)))
struct PasswordPolicyTests {
    /// Stores `hash` as the user's password hash.
    private func store(_ hash: String, for user: User, in app: TestApp) async throws {
        try await UserRepository().updatePassword(id: user.id, hashedPassword: hash, on: app.services.database)
    }

    @Test("an Argon2 hash stronger than the policy (pwdlib's, from the reference template) is kept", arguments: Backend.allCases)
    func strongerHashKept(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            // pwdlib's default (m=64 MiB, t=3, p=4) hash of "secret", as the reference template stores it.
            let pwdlib = "$argon2id$v=19$m=65536,t=3,p=4$iiWM4ERijF+UyjlMJR8eKQ$PESDdmWMme//RHZj5QSIKwkJVShcDdZWuubuspHjnC0"
            let user = try await app.createUser(email: "migrated@example.com")
            try await store(pwdlib, for: user, in: app)
            _ = try await client.login("migrated@example.com", "secret")
            #expect(try await app.storedHash(of: user) == pwdlib)
        }
    }

    @Test("an Argon2 hash weaker than the policy is replaced by one with the policy's parameters", arguments: Backend.allCases)
    func weakerHashUpgraded(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let weak = try await PasswordHasher(parameters: Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)).hash("secret")
            let user = try await app.createUser(email: "weak@example.com")
            try await store(weak, for: user, in: app)
            _ = try await client.login("weak@example.com", "secret")
            let stored = try #require(try await app.storedHash(of: user))
            #expect(stored.hasPrefix("$argon2id$v=19$m=256,t=1,p=1$"))
            _ = try await client.login("weak@example.com", "secret")
        }
    }

    @Test("an upgrade never overwrites a password changed while the login was checking it", arguments: Backend.allCases)
    func upgradeRacesPasswordChange(backend: Backend) async throws {
        let hasher = singleThreadHasher()
        try await TestApp.run(backend, hasher: hasher) { client, app in
            let legacy = "$2b$04$WR9zzLfrwXzpix2yFmSuNe55Bk0.qeNFnnTfoRXsW3L9XpAvBNshG"  // bcrypt of "legacy-password"
            let user = try await app.createUser(email: "legacy@example.com")
            try await store(legacy, for: user, in: app)
            // Hold the only hashing thread, so that the login reads the user, then waits to verify.
            let occupation = try await HashingOccupation(hasher)
            async let login = client.request(.post, "/login/access-token", form: "username=legacy%40example.com&password=legacy-password")
            try await waitUntil { hasher.statistics.queued == 1 }
            // Meanwhile the password changes.
            let changed = try await PasswordHasher(parameters: TestApp.cheapHashing).hash("brand-new-password")
            try await store(changed, for: user, in: app)
            try await occupation.release()
            #expect(try await login.status == 200)
            #expect(try await app.storedHash(of: user) == changed)
        }
    }

    @Test("with hashing at capacity, a login gets 503 with Retry-After at once", arguments: [Backend.sqlite])
    func hashingAtCapacity(backend: Backend) async throws {
        let hasher = singleThreadHasher(maxQueuedHashes: 0)
        try await TestApp.run(backend, hasher: hasher) { client, app in
            let occupation = try await HashingOccupation(hasher)
            for form in ["username=admin%40example.com&password=admin-password", "username=nobody%40example.com&password=x"] {
                let refused = try await client.request(.post, "/login/access-token", form: form)
                #expect(refused.status == 503)
                #expect(refused.headers[.retryAfter] == "1")
                #expect(refused.detail == "Service Unavailable")
            }
            try await occupation.release()
            #expect(
                try await client.request(.post, "/login/access-token", form: "username=admin%40example.com&password=admin-password").status
                    == 200)
        }
    }

    @Test("a login for an unknown email pays a real hash", arguments: [Backend.sqlite])
    func unknownEmailHashes(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let before = app.services.passwordHasher.statistics.completed
            let response = try await client.request(.post, "/login/access-token", form: "username=nobody%40example.com&password=whatever")
            #expect(response.status == 400)
            #expect(app.services.passwordHasher.statistics.completed == before + 1)
        }
    }
}

@Suite("Emails are one account whatever their case", .timeLimit(.minutes(5)))
struct EmailCaseTests {
    @Test(
        "sign-up, login, creation and updates match emails without regard to case; the email is stored as given",
        arguments: Backend.allCases)
    func caseInsensitive(backend: Backend) async throws {
        try await TestApp.run(backend) { client, app in
            let signup = try await client.post("/users/signup", json: ["email": "Bob.Smith@example.com", "password": "bobs-password"])
            #expect(signup.status == 200)
            #expect(signup.json["email"] == "Bob.Smith@example.com")

            let again = try await client.post("/users/signup", json: ["email": "bob.smith@EXAMPLE.com", "password": "other-password"])
            #expect(again.status == 400)
            #expect(again.detail == "The user with this email already exists in the system")

            let token = try await client.login("BOB.SMITH@example.com", "bobs-password")
            #expect(try await client.get("/users/me", token: token).json["email"] == "Bob.Smith@example.com")

            let admin = try await client.superuserToken()
            let created = try await client.post(
                "/users/", json: ["email": "bob.smith@example.com", "password": "other-password"], token: admin)
            #expect(created.status == 400)
            #expect(created.detail == "The user with this email already exists in the system.")

            _ = try await app.createUser(email: "alice@example.com")
            let alice = try await client.login("alice@example.com", "user-password")
            let taken = try await client.patch("/users/me", json: ["email": "BOB.smith@example.com"], token: alice)
            #expect(taken.status == 409)
            #expect(taken.detail == "User with this email already exists")

            let recovery = try await client.post("/password-recovery/BOB.SMITH@EXAMPLE.COM")
            #expect(recovery.status == 200)
        }
    }
}
