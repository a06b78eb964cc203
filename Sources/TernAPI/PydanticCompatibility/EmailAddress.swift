/// Checks email addresses the way pydantic's `EmailStr` does (through the `email-validator`
/// package, without deliverability checks), with its reasons, and normalises them (the domain is
/// lowercased).
enum EmailAddress {
    /// Why an address was refused, in email-validator's words.
    struct Reason: Error {
        let text: String
    }

    private static let maximumLength = 254
    private static let maximumLocalLength = 64
    private static let maximumDomainLength = 253
    private static let maximumLabelLength = 63
    /// Characters allowed unquoted before the @-sign besides letters and digits (RFC 5322 atext).
    private static let localSymbols = Set("!#$%&'*+-/=?^_`{|}~.")
    /// Domains reserved for special uses, which cannot receive mail.
    private static let specialUseDomains: Set<String> = ["arpa", "invalid", "local", "localhost", "onion", "test"]

    static func validate(_ address: String) -> Result<String, Reason> {
        guard let at = address.lastIndex(of: "@") else { return .failure(Reason(text: "An email address must have an @-sign.")) }
        let local = String(address[..<at])
        let domain = String(address[address.index(after: at)...])
        guard !local.isEmpty else { return .failure(Reason(text: "There must be something before the @-sign.")) }
        guard !domain.isEmpty else { return .failure(Reason(text: "There must be something after the @-sign.")) }
        if let reason = problem(withLocalPart: local) ?? problem(withDomain: domain) {
            return .failure(Reason(text: reason))
        }
        let normalized = local + "@" + domain.lowercased()
        if normalized.count > maximumLength {
            return .failure(Reason(text: "The email address is too long (\(plural(normalized.count - maximumLength)) too many)."))
        }
        return .success(normalized)
    }

    private static func problem(withLocalPart local: String) -> String? {
        let invalid = local.filter { character in
            !(character.isLetter || character.isNumber || localSymbols.contains(character)) || character == "@"
        }
        if !invalid.isEmpty {
            return "The email address contains invalid characters before the @-sign: \(describe(invalid))."
        }
        if local.count > maximumLocalLength {
            return "The email address is too long before the @-sign (\(plural(local.count - maximumLocalLength)) too many)."
        }
        if local.hasPrefix(".") { return "An email address cannot start with a period." }
        if local.hasSuffix(".") { return "An email address cannot have a period immediately before the @-sign." }
        if local.contains("..") { return "An email address cannot have two periods in a row." }
        return nil
    }

    private static func problem(withDomain domain: String) -> String? {
        if domain.hasPrefix("[") { return "A bracketed IP address after the @-sign is not allowed here." }
        let invalid = domain.filter { character in !(character.isLetter || character.isNumber || character == "-" || character == ".") }
        if !invalid.isEmpty { return "The part after the @-sign contains invalid characters: \(describe(invalid))." }
        if domain.count > maximumDomainLength {
            return "The email address is too long after the @-sign (\(plural(domain.count - maximumDomainLength)) too many)."
        }
        if domain.hasPrefix(".") { return "An email address cannot have a period immediately after the @-sign." }
        if domain.hasSuffix(".") { return "An email address cannot end with a period." }
        if domain.contains("..") { return "An email address cannot have two periods in a row." }
        let labels = domain.split(separator: ".")
        for label in labels {
            if label.count > maximumLabelLength {
                return
                    "After the @-sign, periods cannot be separated by so many characters (\(plural(label.count - maximumLabelLength)) too many)."
            }
            if label.hasPrefix("-") { return "An email address cannot have a hyphen immediately after the @-sign or after a period." }
            if label.hasSuffix("-") { return "An email address cannot have a hyphen immediately before a period or at the end." }
        }
        guard labels.count > 1 else { return "The part after the @-sign is not valid. It should have a period." }
        if let last = labels.last, last.allSatisfy(\.isNumber) {
            return "The part after the @-sign is not valid IDNA."
        }
        if let last = labels.last, specialUseDomains.contains(last.lowercased()) {
            return "The part after the @-sign is a special-use or reserved name that cannot be used with email."
        }
        return nil
    }

    private static func plural(_ count: Int) -> String {
        "\(count) character\(count == 1 ? "" : "s")"
    }

    /// Lists offending characters as email-validator does: sorted, each once, whitespace by name.
    private static func describe(_ characters: String) -> String {
        var seen: [Character] = []
        for character in characters where !seen.contains(character) { seen.append(character) }
        return seen.sorted().map { character -> String in
            switch character {
            case " ": "SPACE"
            case "\t": "TAB"
            case "\n", "\r": "NEWLINE"
            default: "'\(character)'"
            }
        }.joined(separator: ", ")
    }
}
