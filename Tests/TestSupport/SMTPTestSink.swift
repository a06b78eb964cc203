import Foundation

/// An SMTP server of a test's own that keeps every message it accepts: `scripts/smtp-test-sink` in
/// a temporary folder, on a free loopback port. Recipients whose local part starts with `reject` are
/// refused with 550, `tempfail` with 451; with a user and password, only those credentials pass AUTH.
///
/// The script is `TERN_TEST_SMTP_SINK_SCRIPT` when set, the repository's otherwise; its first start
/// makes the Python environment it runs in (aiosmtpd from PyPI), which takes a few seconds.
public struct SMTPTestSink: Sendable {
    /// A message as the sink accepted it.
    public struct Message: Sendable {
        /// The envelope sender (`MAIL FROM`).
        public let mailFrom: String
        /// The envelope recipients (`RCPT TO`) the sink accepted.
        public let recipients: [String]
        /// The user that authenticated, if any did.
        public let authenticatedUser: String?
        /// The message as received (RFC 5322 bytes, after SMTP's dot-unstuffing).
        public let data: [UInt8]
    }

    /// `smtp://127.0.0.1:PORT`.
    public let url: String
    public let host = "127.0.0.1"
    public let port: Int
    private let directory: String
    private let script: String
    /// The `start` arguments after the directory (the credentials), for ``restart()``.
    private let options: [String]

    /// Runs `body` with a sink of its own, then stops and deletes it whatever happens; with `user`
    /// and `password`, the sink requires AUTH with exactly those.
    public static func with<T>(
        user: String? = nil, password: String? = nil, _ body: (SMTPTestSink) async throws -> T
    ) async throws -> T {
        let script =
            ProcessInfo.processInfo.environment["TERN_TEST_SMTP_SINK_SCRIPT"]
            ?? TestEnvironment.packageRoot.appendingPathComponent("scripts/smtp-test-sink").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)").path
        var options: [String] = []
        if let user, let password { options = ["--user", user, "--password", password] }
        let url = try await TestServerScript.run(script, ["start", directory] + options)
        guard let port = url.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw TestSetupError("smtp-test-sink printed \(url), not an smtp:// URL")
        }
        let sink = SMTPTestSink(url: url, port: port, directory: directory, script: script, options: options)
        return try await using(sink, cleanup: { await $0.delete() }, body)
    }

    /// The messages accepted so far, in arrival order. A message is here before the sink answers 250
    /// to it, so a send that succeeded finds its message at once.
    public func messages() throws -> [Message] {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("messages")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let envelope = try JSONDecoder().decode(Envelope.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
            let data = try Data(contentsOf: folder.appendingPathComponent(envelope.eml))
            return Message(
                mailFrom: envelope.mail_from, recipients: envelope.rcpt_tos, authenticatedUser: envelope.auth_user, data: Array(data))
        }
    }

    /// Stops the sink: its port then refuses connections (until another process takes it).
    public func stop() async throws {
        _ = try await TestServerScript.run(script, ["stop", directory])
    }

    /// Starts the stopped sink again on its port, with the messages it kept: a mail server back
    /// after an outage. Fails if another process took the port meanwhile (unlikely: the system
    /// hands out free ports in turn).
    public func restart() async throws {
        _ = try await TestServerScript.run(script, ["start", directory, "--port", String(port)] + options)
    }

    private func delete() async {
        try? await stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The JSON file the sink writes beside each message.
    private struct Envelope: Decodable {
        let mail_from: String
        let rcpt_tos: [String]
        let auth_user: String?
        let eml: String
    }
}
