import Foundation
import NIOPosix

/// The development mail transport: each email becomes an HTML file in a folder (`data/outbox` by
/// default), so password-recovery links can be followed locally without a mail server. Used only
/// when `ENVIRONMENT=development` and no SMTP server is configured; elsewhere, emails need a real
/// transport.
struct OutboxMailer: Mailer {
    let folder: String

    func send(_ email: OutgoingEmail) async throws {
        let name = "\(Int(Date().timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(8)).html"
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name)
        let contents = "<!-- To: \(email.to) -->\n<!-- Subject: \(email.subject) -->\n\(email.html)\n<!--\n\(email.text)\n-->\n"
        try await NIOThreadPool.singleton.runIfActive { [folder] in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: path)
        }
    }
}
