import Foundation

/// The parts of the WHATWG URL standard (the one browsers and pydantic's Rust `url` crate follow)
/// that `http`/`https` URLs need, with the Rust crate's error messages: enough to accept, refuse and
/// normalise URLs as pydantic's `HttpUrl` does. Other schemes are recognised only to be refused.
struct WHATWGURL {
    struct ParseError: Error {
        let message: String
        static let empty = ParseError(message: "input is empty")
        static let relative = ParseError(message: "relative URL without a base")
        static let emptyHost = ParseError(message: "empty host")
        static let invalidPort = ParseError(message: "invalid port number")
        static let invalidDomain = ParseError(message: "invalid international domain name")
        static let invalidIPv6 = ParseError(message: "invalid IPv6 address")
    }

    var scheme: String
    var userinfo: String
    var host: String
    var port: Int?
    var path: String
    var query: String?
    var fragment: String?

    var serialized: String {
        var text = scheme + "://"
        if !userinfo.isEmpty { text += userinfo + "@" }
        text += host
        if let port { text += ":\(port)" }
        text += path
        if let query { text += "?" + query }
        if let fragment { text += "#" + fragment }
        return text
    }

    static func parse(_ input: String) -> Result<WHATWGURL, ParseError> {
        // Leading and trailing C0 controls and spaces go; tabs and newlines anywhere go.
        var scalars = Array(input.unicodeScalars.drop { $0.value <= 0x20 }.reversed().drop { $0.value <= 0x20 }.reversed())
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard !scalars.isEmpty else { return .failure(.empty) }
        guard let colon = schemeEnd(scalars) else { return .failure(.relative) }
        let scheme = String(String.UnicodeScalarView(scalars[..<colon])).lowercased()
        var rest = scalars[(colon + 1)...]
        guard scheme == "http" || scheme == "https" else {
            // Only refused afterwards, for its scheme: any text after the colon will do.
            return .success(WHATWGURL(scheme: scheme, userinfo: "", host: "", port: nil, path: "", query: nil, fragment: nil))
        }
        while let first = rest.first, first == "/" || first == "\\" { rest = rest.dropFirst() }
        let authorityEnd = rest.firstIndex { "/\\?#".unicodeScalars.contains($0) } ?? rest.endIndex
        var authority = rest[rest.startIndex..<authorityEnd]
        var url = WHATWGURL(scheme: scheme, userinfo: "", host: "", port: nil, path: "/", query: nil, fragment: nil)
        if let at = authority.lastIndex(of: "@") {
            url.userinfo = percentEncode(authority[authority.startIndex..<at], encoding: userinfoEncoded)
            authority = authority[authority.index(after: at)...]
        }
        switch parseHostAndPort(authority, defaultPort: scheme == "http" ? 80 : 443) {
        case .failure(let error): return .failure(error)
        case .success(let (host, port)): (url.host, url.port) = (host, port)
        }
        var remainder = rest[authorityEnd...]
        if let hash = remainder.firstIndex(of: "#") {
            url.fragment = percentEncode(remainder[remainder.index(after: hash)...], encoding: fragmentEncoded)
            remainder = remainder[remainder.startIndex..<hash]
        }
        if let question = remainder.firstIndex(of: "?") {
            url.query = percentEncode(remainder[remainder.index(after: question)...], encoding: queryEncoded)
            remainder = remainder[remainder.startIndex..<question]
        }
        url.path = normalizedPath(remainder)
        return .success(url)
    }

    /// The index of the colon ending a scheme (`[A-Za-z][A-Za-z0-9+.-]*:`), if the input starts with one.
    private static func schemeEnd(_ scalars: [Unicode.Scalar]) -> Int? {
        guard let first = scalars.first, first.isASCIILetter else { return nil }
        for (index, scalar) in scalars.enumerated().dropFirst() {
            if scalar == ":" { return index }
            guard scalar.isASCIILetter || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar) else { return nil }
        }
        return nil
    }

    private static func parseHostAndPort(
        _ authority: ArraySlice<Unicode.Scalar>, defaultPort: Int
    ) -> Result<(String, Int?), ParseError> {
        var hostPart = authority
        var portText: ArraySlice<Unicode.Scalar> = []
        let closingBracket = authority.lastIndex(of: "]")
        if let colon = authority.lastIndex(of: ":"), closingBracket.map({ colon > $0 }) ?? true {
            hostPart = authority[authority.startIndex..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        var port: Int?
        if !portText.isEmpty {
            guard portText.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(String(String.UnicodeScalarView(portText))),
                value <= 65535
            else { return .failure(.invalidPort) }
            port = value == defaultPort ? nil : value
        }
        if hostPart.first == "[" {
            guard hostPart.last == "]", hostPart.count > 2,
                hostPart.dropFirst().dropLast().allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." })
            else { return .failure(.invalidIPv6) }
            return .success((String(String.UnicodeScalarView(hostPart)).lowercased(), port))
        }
        guard let decoded = percentDecoded(hostPart), !decoded.isEmpty else { return .failure(.emptyHost) }
        let forbidden = " #%/:<>?@[\\]^|".unicodeScalars
        guard !decoded.unicodeScalars.contains(where: { forbidden.contains($0) || $0.value < 0x20 || $0.value == 0x7F }) else {
            return .failure(.invalidDomain)
        }
        guard let host = Punycode.domain(decoded.lowercased()) else { return .failure(.invalidDomain) }
        return .success((host, port))
    }

    /// The path with `.` and `..` segments resolved and `\` read as `/`; at least `/`.
    private static func normalizedPath(_ path: ArraySlice<Unicode.Scalar>) -> String {
        let text = String(String.UnicodeScalarView(path.map { $0 == "\\" ? "/" : $0 }))
        var segments: [String] = []
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, part) in parts.enumerated() {
            let isLast = index == parts.count - 1
            switch part.lowercased() {
            case ".", "%2e":
                if isLast { segments.append("") }
            case "..", ".%2e", "%2e.", "%2e%2e":
                if !segments.isEmpty { segments.removeLast() }
                if isLast { segments.append("") }
            default:
                segments.append(percentEncode(ArraySlice(part.unicodeScalars), encoding: pathEncoded))
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    // The printable ASCII characters each part percent-encodes (controls, spaces and non-ASCII always are).
    private static let pathEncoded = Set("\"#<>?`{}".unicodeScalars)
    private static let queryEncoded = Set("\"#<>'".unicodeScalars)
    private static let fragmentEncoded = Set("\"<>`".unicodeScalars)
    private static let userinfoEncoded = Set("\"#<>?`{}/;=@[\\]^|".unicodeScalars)

    private static func percentEncode(_ scalars: ArraySlice<Unicode.Scalar>, encoding encoded: Set<Unicode.Scalar>) -> String {
        var text = ""
        for scalar in scalars {
            if scalar.value > 0x20, scalar.value < 0x7F, !encoded.contains(scalar) {
                text.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { text += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
            }
        }
        return text
    }

    private static func percentDecoded(_ scalars: ArraySlice<Unicode.Scalar>) -> String? {
        var bytes: [UInt8] = []
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "%", index + 2 < scalars.endIndex,
                let byte = UInt8(String(String.UnicodeScalarView(scalars[(index + 1)...(index + 2)])), radix: 16)
            {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(contentsOf: Array(String(scalar).utf8))
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}

/// Punycode (RFC 3492) for international domain names: `exämple.com` → `xn--exmple-cua.com`.
enum Punycode {
    /// The domain with each non-ASCII label encoded; `nil` when a label cannot be.
    static func domain(_ domain: String) -> String? {
        var labels: [String] = []
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                labels.append(String(label))
            } else {
                guard let encoded = encode(String(label)) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        return labels.joined(separator: ".")
    }

    static func encode(_ label: String) -> String? {
        let (base, tMin, tMax, skew, damp) = (36, 1, 26, 38, 700)
        let input = label.precomposedStringWithCanonicalMapping.unicodeScalars.map { Int($0.value) }
        var output = input.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var (n, delta, bias) = (0x80, 0, 72)

        func digit(_ value: Int) -> Character {
            Character(Unicode.Scalar(UInt8(value < 26 ? value + 97 : value + 22)))
        }
        func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / count
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }

        while handled < input.count {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            delta += (m - n) * (handled + 1)
            n = m
            for code in input {
                if code < n { delta += 1 }
                guard code == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, handled + 1, handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return String(output)
    }
}
