/// A mailbox: an address and, optionally, the name shown beside it (`Tern <noreply@example.com>`).
///
/// Addresses are plain ASCII `local@domain` (no SMTPUTF8, no quoted local parts); names may be any
/// text and are encoded for the header when they are not ASCII. Neither is checked here but when the
/// message is rendered, where a bad one fails the send with ``MailError/Kind/invalidMessage``.
public struct MailAddress: Sendable, Hashable {
    /// `user@example.com`.
    public var address: String
    /// The display name, if any.
    public var name: String?

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// The part after the last `@`: the sender's domain names the message's `Message-ID`.
    var domain: Substring {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return address[address.index(after: at)...]
    }
}

extension MailAddress: ExpressibleByStringLiteral {
    /// An address without a name: `let to: MailAddress = "user@example.com"`.
    public init(stringLiteral address: String) {
        self.init(address)
    }
}
