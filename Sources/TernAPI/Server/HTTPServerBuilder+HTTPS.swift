import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import NIOCore
import NIOSSL

/// The certificate chain and private key a server answers HTTPS with, as PEM files.
public struct TLSFiles: Sendable {
    public var certificateChain: String
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}

extension HTTPServerBuilder {
    /// HTTPS, with HTTP/2 or HTTP/1.1 as the client's TLS handshake chooses (ALPN): Hummingbird's
    /// HTTP/2 server, idle connections closed after `idleTimeout`. The certificate and key are read
    /// once, here: a file that is missing or not PEM fails at startup, not at the first handshake.
    ///
    /// The handlers of ``HTTPServerLimits`` and WebSocket upgrades belong to the cleartext HTTP/1.1
    /// server; behind a TLS-terminating proxy, serve that one.
    public static func https(_ files: TLSFiles, idleTimeout: Duration) throws -> HTTPServerBuilder {
        let certificates = try NIOSSLCertificate.fromPEMFile(files.certificateChain).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: certificates, privateKey: .privateKey(key))
        return try .http2Upgrade(tlsConfiguration: tls, configuration: http2Configuration(idleTimeout: idleTimeout))
    }

    /// Cleartext HTTP/2 (h2c) to clients that know in advance that the server speaks it, such as a
    /// proxy or service mesh that talks h2c to its upstreams (`curl --http2-prior-knowledge`); with no
    /// TLS handshake to choose by, HTTP/1.1 clients, and so browsers and WebSocket upgrades, are not
    /// served. Idle connections are closed after `idleTimeout`.
    public static func cleartextHTTP2(idleTimeout: Duration) -> HTTPServerBuilder {
        .plaintextHTTP2(configuration: http2Configuration(idleTimeout: idleTimeout))
    }

    private static func http2Configuration(idleTimeout: Duration) -> HTTP2ChannelConfiguration {
        HTTP2ChannelConfiguration(idleTimeout: idleTimeout, streamConfiguration: .init(idleTimeout: TimeAmount(idleTimeout)))
    }
}
