import Logging

/// A log handler that keeps a logger's metadata itself and gives it to the handler it wraps only
/// with a line to write, as the line's own metadata.
///
/// swift-log's `StreamLogHandler` formats its metadata again on every change, so that a line can
/// reuse the text: right for a logger made once and used often, wrong for a request's logger, which
/// gets its ids (Hummingbird's `hb.request.id`, Tern's `request_id`) for every request and, at the
/// usual level, logs nothing. Wrapped, a metadata change only stores a value, and the text is made
/// for the lines actually written. The lines are the wrapped handler's: same format, same order of
/// precedence (the logger's metadata, then the metadata provider's, then the line's own).
public struct LateMetadataLogHandler<Wrapped: LogHandler>: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private var wrapped: Wrapped

    /// Wraps `handler`, taking over its metadata and metadata provider.
    public init(_ handler: Wrapped) {
        wrapped = handler
        metadata = handler.metadata
        metadataProvider = handler.metadataProvider
        wrapped.metadata = [:]
        wrapped.metadataProvider = nil
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let given = event.metadata { merged.merge(given) { $1 } }
        event.metadata = merged.isEmpty ? nil : merged
        wrapped.log(event: event)
    }
}
