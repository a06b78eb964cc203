import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TernAPI

/// Security headers on every answer unless it set its own, and requests for unlisted hosts refused.
@Suite("Security headers and trusted hosts")
struct SecurityMiddlewareTests {
    @Test("every answer gets nosniff, frame and referrer headers, HSTS when configured; an answer's own headers win")
    func securityHeaders() async throws {
        let router = Router()
        router.add(middleware: SecurityHeadersMiddleware(hstsMaxAge: 31_536_000))
        router.get("/plain") { _, _ in "plain" }
        router.get("/framed") { _, _ in Response(status: .ok, headers: [.xFrameOptions: "SAMEORIGIN"]) }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/plain", method: .get) { response in
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.xFrameOptions] == "DENY")
                #expect(response.headers[.referrerPolicy] == "strict-origin-when-cross-origin")
                #expect(response.headers[.strictTransportSecurity] == "max-age=31536000; includeSubDomains")
            }
            try await client.execute(uri: "/framed", method: .get) { response in
                #expect(response.headers[values: .xFrameOptions] == ["SAMEORIGIN"])
            }
        }
        let withoutHSTS = Router()
        withoutHSTS.add(middleware: SecurityHeadersMiddleware())
        withoutHSTS.get("/plain") { _, _ in "plain" }
        try await Application(router: withoutHSTS).test(.router) { client in
            try await client.execute(uri: "/plain", method: .get) { #expect($0.headers[.strictTransportSecurity] == nil) }
        }
    }

    @Test("listed hosts, subdomain patterns and any port pass; other hosts, look-alikes and no host do not")
    func trustedHosts() {
        let middleware = TrustedHostMiddleware<BasicRequestContext>(allowedHosts: ["api.example.com", "*.example.org", "[::1]"])
        for host in ["api.example.com", "API.example.com:8443", "eu.example.org", "[::1]:8000"] {
            #expect(middleware.allows(host), "\(host)")
        }
        for host in ["evil.com", "api.example.com.evil.com", "example.org", "notexample.org", "[::2]", ""] {
            #expect(!middleware.allows(host), "\(host)")
        }
        #expect(!middleware.allows(nil))
        #expect(TrustedHostMiddleware<BasicRequestContext>(allowedHosts: ["*"]).allows(nil))
    }
}

/// Plain HTTP sent to HTTPS, unless a proxy says the request came over HTTPS.
@Suite("HTTPS redirect")
struct HTTPSRedirectTests {
    @Test("plain HTTP gets a 307 to the same URL over HTTPS; HTTPS by scheme or by a proxy's headers passes")
    func redirect() async throws {
        let router = Router()
        router.add(middleware: HTTPSRedirectMiddleware())
        router.post("/items/{id}") { _, _ in "ok" }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/items/1?full=true", method: .post) { response in
                #expect(response.status == .temporaryRedirect)
                let location = try #require(response.headers[.location])
                #expect(location.hasPrefix("https://") && location.hasSuffix("/items/1?full=true"))
            }
            for forwarded: HTTPFields in [
                [HTTPField.Name("X-Forwarded-Proto")!: "https"], [HTTPField.Name("X-Forwarded-Proto")!: "HTTPS, http"],
                [HTTPField.Name("Forwarded")!: "for=1.2.3.4;proto=https"],
            ] {
                let status = try await client.execute(uri: "/items/1", method: .post, headers: forwarded) { $0.status }
                #expect(status == .ok, "\(forwarded)")
            }
            let spoofedDown = try await client.execute(
                uri: "/items/1", method: .post, headers: [HTTPField.Name("X-Forwarded-Proto")!: "http"]
            ) { $0.status }
            #expect(spoofedDown == .temporaryRedirect)
        }
    }
}
