import Testing

@testable import TernMail

@Suite("Mail errors")
struct MailErrorTests {
    @Test("4xx replies, connection failures and timeouts are transient; 5xx replies and the rest are not")
    func transience() {
        #expect(MailError(.rejected, "", replyCode: 451).isTransient)
        #expect(MailError(.authenticationFailed, "", replyCode: 454).isTransient)
        #expect(!MailError(.rejected, "", replyCode: 550).isTransient)
        #expect(!MailError(.authenticationFailed, "", replyCode: 535).isTransient)
        #expect(MailError(.connectionFailed, "").isTransient)
        #expect(MailError(.timeout, "").isTransient)
        #expect(!MailError(.tlsFailed, "").isTransient)
        #expect(!MailError(.invalidMessage, "").isTransient)
        #expect("\(MailError(.rejected, "RCPT failed: 550", replyCode: 550))" == "mail not sent (rejected, SMTP 550): RCPT failed: 550")
    }

    @Test("a password is masked should it appear in an error text")
    func masking() {
        let error = MailError(.other, "no luck with hunter2 (hunter2)").masking("hunter2")
        #expect(error.message == "no luck with ******** (********)")
        #expect(MailError(.other, "smtp://host").masking("p").message == "smtp://host")
        #expect(MailError(.other, "text").masking(nil).message == "text")
    }
}
