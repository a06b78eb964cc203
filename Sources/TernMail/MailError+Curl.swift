import CCurl

extension MailError {
    /// Classifies a failed libcurl transfer. The server's reply code decides first: an error reply
    /// (4xx or 5xx) means the server was reached and refused, whatever libcurl's own code (it reports a
    /// refused recipient as a send error). Otherwise libcurl's code tells what failed.
    init(curlCode code: CURLcode, replyCode: Int, message: String) {
        let replyCode = replyCode >= 400 ? replyCode : nil
        let kind: Kind =
            switch code {
            case CURLE_LOGIN_DENIED: .authenticationFailed
            case _ where replyCode != nil: .rejected
            case CURLE_OPERATION_TIMEDOUT: .timeout
            case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR,
                CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
                .connectionFailed
            case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
                CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
                .tlsFailed
            default: .other
            }
        self.init(kind, message, replyCode: replyCode)
    }

    /// The same error with every occurrence of `secret` masked. libcurl's messages are not known to
    /// quote a password (the URL carries none either), but an error text is logged and stored, so this
    /// does not rely on that. Secrets under 4 characters are left alone: masking a letter or two
    /// wherever it occurs would garble the text.
    func masking(_ secret: String?) -> MailError {
        guard let secret, secret.count >= 4, message.contains(secret) else { return self }
        return MailError(kind, message.replacing(secret, with: "********"), replyCode: replyCode)
    }
}
