import Foundation
import HTTPTypes
import TernPrimitives

/// The proxies whose `X-Forwarded-For` / `Forwarded` headers are believed: uvicorn's
/// `FORWARDED_ALLOW_IPS`, with its meaning. A list of addresses and IPv4 networks
/// (`127.0.0.1,10.0.0.0/8`), or `*` for any peer.
///
/// The client's address is the socket's peer, unless the peer is trusted: then the nearest address
/// in the forwarded chain that is not itself a trusted proxy (walking from the right, as each proxy
/// appends), or with `*` the leftmost (the chain's origin, as uvicorn takes it).
public struct TrustedProxies: Sendable, Equatable {
    private let trustsAll: Bool
    private let addresses: Set<String>
    private let networks: [IPv4Network]

    /// Parses a comma-separated list, refusing an entry that is neither an address, a network nor `*`.
    public init(_ list: String) throws(InvalidEntry) {
        var addresses: Set<String> = []
        var networks: [IPv4Network] = []
        var trustsAll = false
        for entry in list.split(separator: ",").map({ $0.trimmingWhitespaces() }) where !entry.isEmpty {
            if entry == "*" {
                trustsAll = true
            } else if entry.contains("/") {
                guard let network = IPv4Network(entry) else { throw InvalidEntry(entry: entry) }
                networks.append(network)
            } else {
                guard IPv4Network.address(entry) != nil || entry.contains(":") else { throw InvalidEntry(entry: entry) }
                addresses.insert(entry.lowercased())
            }
        }
        self.trustsAll = trustsAll
        self.addresses = addresses
        self.networks = networks
    }

    /// An entry of the list that is not an address, a network or `*`.
    public struct InvalidEntry: Error, CustomStringConvertible {
        public let entry: String
        public var description: String { "'\(entry)' is not an IP address, an IPv4 network (10.0.0.0/8) or *" }
    }

    public func trusts(_ address: String) -> Bool {
        let address = Self.unmapped(address)
        if trustsAll || addresses.contains(address.lowercased()) { return true }
        guard let value = IPv4Network.address(address) else { return false }
        return networks.contains { $0.contains(value) }
    }

    /// The client's address, from the socket's peer and the request's headers.
    public func clientAddress(peer: String?, headers: HTTPFields) -> String? {
        guard let peer = peer.map(Self.unmapped), trusts(peer) else { return peer.map(Self.unmapped) }
        let chain = Self.forwardedChain(headers)
        guard !chain.isEmpty else { return peer }
        if trustsAll { return chain.first }
        return chain.reversed().first { !trusts($0) } ?? chain.first
    }

    /// The addresses a request passed through, origin first: `X-Forwarded-For` (as uvicorn reads it),
    /// else `Forwarded`'s `for=`; ports and brackets dropped, so that a client's source port never
    /// makes it a new client. The trusted proxy must set or overwrite the header it forwards.
    static func forwardedChain(_ headers: HTTPFields) -> [String] {
        let forwardedFor = headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }
        if !forwardedFor.isEmpty {
            return forwardedFor.map { nodeAddress($0.trimmingWhitespaces()) }.filter { !$0.isEmpty }
        }
        return headers[values: .forwarded].flatMap { $0.split(separator: ",") }.compactMap { element in
            element.split(separator: ";").lazy.compactMap { pair -> String? in
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespaces() }
                guard parts.count == 2, parts[0].lowercased() == "for" else { return nil }
                return Self.nodeAddress(parts[1])
            }.first
        }
    }

    /// An IPv4 client seen by an IPv6 socket (`::ffff:192.0.2.1`) is the IPv4 client.
    private static func unmapped(_ address: String) -> String {
        let lowered = address.lowercased()
        guard lowered.hasPrefix("::ffff:"), IPv4Network.address(String(address.dropFirst(7))) != nil else { return address }
        return String(address.dropFirst(7))
    }

    /// `"[2001:db8::1]:4711"` → `2001:db8::1`; `192.0.2.60:80` → `192.0.2.60`.
    private static func nodeAddress(_ node: String) -> String {
        var node = Substring(node.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        if node.hasPrefix("["), let close = node.firstIndex(of: "]") {
            return String(node[node.index(after: node.startIndex)..<close])
        }
        if node.filter({ $0 == ":" }).count == 1, let colon = node.firstIndex(of: ":") { node = node[..<colon] }
        return String(node)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwarded = HTTPField.Name("Forwarded")!
}
