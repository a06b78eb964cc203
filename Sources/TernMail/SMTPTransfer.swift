import CCurl

/// One SMTP transaction through libcurl: connect, `EHLO`, `STARTTLS` and `AUTH` as configured,
/// `MAIL FROM`, a `RCPT TO` per recipient, `DATA`, `QUIT`. It blocks until done, so it runs only on
/// a thread pool.
///
/// A recipient the server refuses fails the whole transaction, nothing sent to anyone: a retry then
/// cannot deliver twice to the recipients that were accepted.
struct SMTPTransfer: Sendable {
    let configuration: SMTPConfiguration
    let sender: String
    let recipients: [String]
    let message: [UInt8]

    /// Sends the message; returns the server's last reply code (250 when all went well).
    func run() throws(MailError) -> Int {
        let handle = try CurlEasyHandle()
        try configure(handle)
        let code = handle.perform()
        guard code == CURLE_OK else {
            let message = "\(handle.errorMessage(for: code)) (\(configuration.url))"
            throw MailError(curlCode: code, replyCode: handle.responseCode, message: message).masking(configuration.password)
        }
        return handle.responseCode
    }

    private func configure(_ handle: CurlEasyHandle) throws(MailError) {
        try handle.set(CURLOPT_URL, configuration.url)
        // libcurl would otherwise use signals for DNS timeouts, which is unsafe with threads.
        try handle.set(CURLOPT_NOSIGNAL, 1)
        try handle.set(CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout / .milliseconds(1)))
        try handle.set(CURLOPT_TIMEOUT_MS, Int(configuration.timeout / .milliseconds(1)))
        if configuration.startTLS && !configuration.implicitTLS {
            try handle.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        try handle.set(CURLOPT_SSL_VERIFYPEER, configuration.verifyPeer ? 1 : 0)
        try handle.set(CURLOPT_SSL_VERIFYHOST, configuration.verifyPeer ? 2 : 0)
        if let username = configuration.username, !username.isEmpty {
            try handle.set(CURLOPT_USERNAME, username)
            try handle.set(CURLOPT_PASSWORD, configuration.password ?? "")
        }
        try handle.set(CURLOPT_MAIL_FROM, "<\(sender)>")
        try handle.set(CURLOPT_MAIL_RCPT, try CurlStringList(recipients.map { "<\($0)>" }))
        try handle.upload(UploadReader(message))
    }
}
