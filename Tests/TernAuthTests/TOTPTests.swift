import Foundation
import Testing

@testable import TernAuth

@Suite("TOTP")
struct TOTPTests {
    /// RFC 6238 appendix B, SHA-1 rows: the secret "12345678901234567890", 8 digits.
    @Test(
        "codes match the RFC's test vectors",
        arguments: [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ] as [(TimeInterval, String)])
    func vectors(time: TimeInterval, code: String) {
        let totp = TOTP(secret: Array("12345678901234567890".utf8), digits: 8)
        let date = Date(timeIntervalSince1970: time)
        #expect(totp.code(step: totp.step(at: date)) == code)
        #expect(totp.matchingStep(of: code, at: date) == totp.step(at: date))
    }

    @Test("a code is accepted one step either side of now, and no further")
    func window() {
        let totp = TOTP.generate()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let step = totp.step(at: now)
        for offset in [-1, 0, 1] as [Int64] {
            #expect(totp.matchingStep(of: totp.code(step: step + offset), at: now) == step + offset)
        }
        for offset in [-3, -2, 2, 3] as [Int64] {
            #expect(totp.matchingStep(of: totp.code(step: step + offset), at: now) == nil)
        }
        #expect(totp.matchingStep(of: "", at: now) == nil)
        #expect(totp.matchingStep(of: "abcdef", at: now) == nil)
    }

    @Test("base32 follows RFC 4648 and round-trips")
    func base32() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.encode(Array("f".utf8)) == "MY")
        #expect(Base32.decode("mzxw6ytboi======") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
        let secret = TOTP.generate().secret
        #expect(Base32.decode(Base32.encode(secret)) == secret)
    }

    @Test("the provisioning URI names the issuer, the account and the secret")
    func uri() {
        let totp = TOTP(secret: Array("foobar".utf8))
        #expect(
            totp.provisioningURI(account: "someone@example.com", issuer: "Full Stack")
                == "otpauth://totp/Full%20Stack%3Asomeone@example.com?secret=MZXW6YTBOI&issuer=Full%20Stack&algorithm=SHA1&digits=6&period=30"
        )
    }

    @Test("a sealed secret opens with the key that sealed it or an older one, and with no other")
    func secretBox() throws {
        let old = SecretBox(secrets: ["old-secret"])
        let sealed = try old.seal([1, 2, 3])
        #expect(!sealed.contains("AQID"))  // base64 of the plaintext
        #expect(SecretBox(secrets: ["new-secret", "old-secret"]).open(sealed) == [1, 2, 3])
        #expect(SecretBox(secrets: ["new-secret"]).open(sealed) == nil)
        #expect(old.open("not sealed") == nil)
    }
}
