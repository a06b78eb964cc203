import HTTPTypes
import NIOCore
import Testing

@testable import TernAPI

@Suite("FORWARDED_ALLOW_IPS")
struct TrustedProxiesTests {
    private func client(_ list: String, peer: String?, _ headers: HTTPFields = [:]) throws -> String? {
        try TrustedProxies(list).clientAddress(peer: peer, headers: headers)
    }

    @Test("an untrusted peer is the client, whatever it forwards")
    func untrustedPeer() throws {
        #expect(try client("127.0.0.1", peer: "203.0.113.9", [.xForwardedFor: "198.51.100.1"]) == "203.0.113.9")
    }

    @Test("behind trusted proxies: the nearest address that is not one of them")
    func trustedChain() throws {
        let headers: HTTPFields = [.xForwardedFor: "198.51.100.1, 192.0.2.7, 10.0.0.2"]
        #expect(try client("127.0.0.1, 10.0.0.0/8", peer: "127.0.0.1", headers) == "192.0.2.7")
        #expect(try client("127.0.0.1", peer: "127.0.0.1", headers) == "10.0.0.2")
        #expect(try client("127.0.0.1", peer: "127.0.0.1") == "127.0.0.1", "no header: the peer")
    }

    @Test("ports, brackets and IPv4-mapped addresses are the same client")
    func normalised() throws {
        #expect(try client("127.0.0.1", peer: "::ffff:127.0.0.1", [.xForwardedFor: "198.51.100.1:5678"]) == "198.51.100.1")
        #expect(try client("127.0.0.1", peer: "127.0.0.1", [.xForwardedFor: "[2001:db8::1]:80"]) == "2001:db8::1")
        #expect(try client("127.0.0.1", peer: "::ffff:203.0.113.9") == "203.0.113.9")
    }

    @Test("* trusts everyone and takes the chain's origin, as uvicorn does")
    func trustAll() throws {
        #expect(try client("*", peer: "203.0.113.9", [.xForwardedFor: "198.51.100.1, 192.0.2.7"]) == "198.51.100.1")
    }

    @Test("Forwarded's for= when there is no X-Forwarded-For, IPv6 and ports included")
    func forwarded() throws {
        #expect(try client("*", peer: "127.0.0.1", [.forwarded: #"for="[2001:db8::1]:4711";proto=https, for=192.0.2.60"#]) == "2001:db8::1")
        #expect(try client("127.0.0.1", peer: "127.0.0.1", [.forwarded: "for=192.0.2.60:8080;by=10.0.0.1"]) == "192.0.2.60")
    }

    @Test("entries that are neither addresses, IPv4 networks nor * are refused", arguments: ["localhost", "10.0.0.0/33", "1.2.3"])
    func refuses(entry: String) {
        #expect(throws: TrustedProxies.InvalidEntry.self) { try TrustedProxies(entry) }
    }
}

@Suite("HTTP cache validators")
struct HTTPCachePolicyTests {
    @Test("If-None-Match compares weakly, in lists, and * matches any tag")
    func matching() {
        let tag = #""abc""#
        #expect(HTTPCachePolicy.matches(tag, [#""abc""#]))
        #expect(HTTPCachePolicy.matches(tag, [#"W/"abc""#]))
        #expect(HTTPCachePolicy.matches(tag, [#""x", "abc""#]))
        #expect(HTTPCachePolicy.matches(tag, ["*"]))
        #expect(!HTTPCachePolicy.matches(tag, [#""abcd""#]))
        #expect(!HTTPCachePolicy.matches(tag, []))
    }

    @Test("the tag depends on the bytes only")
    func stableTags() {
        let tag = HTTPCachePolicy.entityTag(of: ByteBuffer(string: #"{"a":1}"#))
        #expect(tag == HTTPCachePolicy.entityTag(of: ByteBuffer(string: #"{"a":1}"#)))
        #expect(tag != HTTPCachePolicy.entityTag(of: ByteBuffer(string: #"{"a":2}"#)))
    }
}
