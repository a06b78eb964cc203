import Foundation
import TernDatabase

/// An optional second factor: a TOTP authenticator app (RFC 6238), with one-time recovery codes for
/// when the phone is lost.
///
/// Enrolling is two steps: ``begin(for:account:issuer:on:)`` hands out the secret (as a QR-code URI),
/// and ``confirm(for:code:on:now:)`` switches it on once the app has proved it holds it, returning the
/// recovery codes, shown once. From then on ``verify(_:for:on:now:)`` checks a code at each sign-in:
/// a code works once (its time step is recorded), a recovery code too.
public struct TwoFactor: Sendable {
    private let box: SecretBox
    private let store = TwoFactorStore()

    /// - Parameter secrets: the application's secrets, newest first: stored TOTP secrets are sealed
    ///   with a key derived from the first, and opened with any.
    public init(secrets: [String]) {
        box = SecretBox(secrets: secrets)
    }

    /// What an authenticator app needs: the secret in base32, and the `otpauth://` URI of the QR code.
    public struct Enrollment: Sendable {
        public let secret: String
        public let uri: String
    }

    /// Why a second factor was not set up or removed.
    public enum Refusal: Error, Sendable, Equatable {
        /// Already on: turn it off first.
        case alreadyEnabled
        /// No enrollment waits for confirmation, or the second factor is off.
        case notEnrolled
        /// The code is wrong, too old, or used before.
        case invalidCode
    }

    /// Whether the user must give a second factor to sign in.
    public func isEnabled(for user: UUID, on database: some Queryable) async throws -> Bool {
        try await store.enrollment(of: user, on: database)?.confirmedAt != nil
    }

    /// Starts enrolling: a new secret, not yet in force. Starting again replaces an unconfirmed one.
    public func begin(for user: UUID, account: String, issuer: String, on database: Database) async throws -> Enrollment {
        let totp = TOTP.generate()
        let sealed = try box.seal(totp.secret)
        let begun = try await database.transaction { transaction in
            try await store.begin(user, sealedSecret: sealed, on: transaction)
        }
        guard begun else { throw Refusal.alreadyEnabled }
        return Enrollment(secret: Base32.encode(totp.secret), uri: totp.provisioningURI(account: account, issuer: issuer))
    }

    /// Switches the second factor on with a first code from the app; the recovery codes, shown once.
    public func confirm(for user: UUID, code: String, on database: Database, now: Date = Date()) async throws -> [String] {
        guard let enrollment = try await store.enrollment(of: user, on: database), enrollment.confirmedAt == nil,
            let secret = box.open(enrollment.sealedSecret)
        else { throw Refusal.notEnrolled }
        guard let step = TOTP(secret: secret).matchingStep(of: code, at: now) else { throw Refusal.invalidCode }
        let codes = (0..<10).map { _ in RecoveryCode.generate() }
        // At once or not at all: switched on without its recovery codes, a lost phone would lock the user out.
        let confirmed = try await database.transaction { transaction in
            try await store.confirm(user, step: step, recoveryCodeHashes: codes.map(RecoveryCode.hash), now: now, on: transaction)
        }
        guard confirmed else { throw Refusal.notEnrolled }
        return codes
    }

    /// Whether `code` (from the app, or a recovery code) proves the second factor; each works once.
    public func verify(_ code: String, for user: UUID, on database: some Queryable, now: Date = Date()) async throws -> Bool {
        if RecoveryCode.looksLikeOne(code) {
            return try await store.useRecoveryCode(hash: RecoveryCode.hash(code), of: user, now: now, on: database)
        }
        guard let enrollment = try await store.enrollment(of: user, on: database), enrollment.confirmedAt != nil,
            let (secret, isCurrent) = box.opened(enrollment.sealedSecret), let step = TOTP(secret: secret).matchingStep(of: code, at: now)
        else { return false }
        guard try await store.use(step: step, of: user, on: database) else { return false }
        // Sealed under a key that has since rotated: sealed again, so that removing that key later
        // does not lock the user out.
        if !isCurrent { try await store.reseal(user, sealedSecret: try box.seal(secret), on: database) }
        return true
    }

    /// Switches the second factor off, recovery codes included.
    public func disable(for user: UUID, on database: Database) async throws {
        try await database.transaction { transaction in try await disable(for: user, in: transaction) }
    }

    /// Switches the second factor off as part of a larger change.
    public func disable(for user: UUID, in transaction: Transaction) async throws {
        try await store.remove(user, on: transaction)
    }
}
