/// Where the SMTP server is and how to talk to it.
///
/// The fields follow the reference FastAPI template's settings (`SMTP_HOST`, `SMTP_PORT`,
/// `SMTP_USER`, `SMTP_PASSWORD`, `SMTP_TLS`, `SMTP_SSL`); the application maps its settings onto this
/// struct, which reads no environment itself.
public struct SMTPConfiguration: Sendable {
    public var host: String
    /// 587 (submission with STARTTLS) by default; 465 is usual with ``implicitTLS``, 25 between servers.
    public var port: Int
    /// The user to authenticate as; without one no `AUTH` is attempted.
    public var username: String?
    public var password: String?
    /// `SMTP_TLS`: upgrade the connection with STARTTLS before authenticating, and fail if the server
    /// does not offer it, so that credentials and mail never cross the network in plain text.
    public var startTLS: Bool
    /// `SMTP_SSL`: TLS from the first byte (`smtps://`, port 465). When set, ``startTLS`` is moot.
    public var implicitTLS: Bool
    /// Whether the server's certificate must verify against the system's trusted roots and name the
    /// host. Turn off only for a local server with a self-signed certificate.
    public var verifyPeer: Bool
    /// How long connecting (TCP and TLS handshake) may take.
    public var connectTimeout: Duration
    /// How long a whole send may take, connecting included.
    public var timeout: Duration

    public init(
        host: String, port: Int = 587, username: String? = nil, password: String? = nil, startTLS: Bool = true,
        implicitTLS: Bool = false, verifyPeer: Bool = true, connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(60)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.startTLS = startTLS
        self.implicitTLS = implicitTLS
        self.verifyPeer = verifyPeer
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// `smtp://host:port` or `smtps://host:port`, an IPv6 address in brackets.
    public var url: String {
        let host = self.host.contains(":") && !self.host.hasPrefix("[") ? "[\(self.host)]" : self.host
        return "\(implicitTLS ? "smtps" : "smtp")://\(host):\(port)"
    }
}
