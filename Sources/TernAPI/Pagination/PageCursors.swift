import Crypto
import Foundation
import TernPrimitives

/// Makes and reads the opaque `cursor` of keyset pagination: the sort key of the last row a page
/// showed, signed so that a client can hand it back but not forge one.
///
/// A page that starts at a cursor seeks straight to it through an index, so page 1,000 costs what
/// page 1 costs; `OFFSET` reads and discards every row before the page. The position is whatever the
/// list orders by (a timestamp and an id, say), encoded as JSON; the signature binds it to `purpose`,
/// so a cursor of one list is refused by another.
///
/// ```swift
/// let cursors = PageCursors(secrets: [settings.secretKey], purpose: "items")
/// let next = cursors.make(ItemPosition(createdAt: last.createdAt, id: last.id))
/// let position = cursors.position(from: next, as: ItemPosition.self)   // nil when tampered with
/// ```
public struct PageCursors: Sendable {
    /// One authenticator per secret, keyed once: a copy signs or checks a cursor without setting up
    /// the key's pads again (which cost more than the signing itself).
    private let authenticators: [HMAC<SHA256>]
    /// For a position that is not a flat struct (``FlatJSONEncoder`` writes the rest); made once,
    /// not per cursor.
    private let encoder: JSONEncoder

    /// Cursors signed with a key derived from the first of `secrets` for `purpose`, and read when
    /// signed with any of them (the ones after the first are retired secrets, still honoured).
    public init(secrets: [String], purpose: String) {
        precondition(!secrets.isEmpty && !secrets[0].isEmpty, "page cursors need a secret")
        authenticators = secrets.map { secret in
            HMAC(
                key: HKDF<SHA256>.deriveKey(
                    inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("tern page cursor: \(purpose)".utf8),
                    outputByteCount: 32))
        }
        encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
    }

    /// The cursor that names `position`: base64url JSON, a dot, and its base64url HMAC-SHA256.
    public func make<Position: Encodable>(_ position: Position) -> String {
        // Encoding a plain Codable value to JSON cannot fail; a position that throws is a programming error.
        let json = FlatJSONEncoder.encode(position).map { Data($0) } ?? (try? encoder.encode(position)) ?? Data()
        let payload = json.base64URLEncoded
        // The code's bytes copied as bytes: `Data(code)` goes through its generic sequence initializer.
        let signature = Self.authenticationCode(for: payload, by: authenticators[0]).withUnsafeBytes { code in
            Data(bytes: code.baseAddress!, count: code.count)
        }
        return payload + "." + signature.base64URLEncoded
    }

    /// The position a cursor names, or `nil` when it was not made by ``make(_:)`` with this secret
    /// and purpose, or does not decode as `Position`.
    public func position<Position: Decodable>(from cursor: String, as type: Position.Type) -> Position? {
        let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let signature = Data(base64URLEncoded: parts[1]),
            // Checked in constant time, so the time taken tells nothing of how much of a forgery was right.
            authenticators.contains(where: { Self.authenticationCode(for: parts[0], by: $0) == signature }),
            let payload = Data(base64URLEncoded: parts[0])
        else { return nil }
        return try? JSONDecoder().decode(Position.self, from: payload)
    }

    private static func authenticationCode(
        for text: some StringProtocol, by authenticator: HMAC<SHA256>
    ) -> HashedAuthenticationCode<SHA256> {
        var authenticator = authenticator
        // The text's own UTF-8 bytes, not a `Data` made of them: HMAC reads any `DataProtocol`.
        let read: Void? = text.utf8.withContiguousStorageIfAvailable { authenticator.update(data: UnsafeRawBufferPointer($0)) }
        if read == nil { authenticator.update(data: Data(text.utf8)) }
        return authenticator.finalize()
    }
}
