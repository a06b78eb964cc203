import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import NIOFileSystem
import TernPrimitives

/// Reads a `multipart/form-data` body as it arrives: text parts into ``FormFields/text``, file
/// parts (those with a `filename`) into ``UploadFile``s, in memory up to the spool threshold and in
/// a temporary file past it. The body is never held whole; past `maxBodySize` the read stops with 413.
struct MultipartFormReader {
    let boundary: String
    let maxBodySize: Int
    let limits: MultipartLimits

    /// The boundary of a `multipart/form-data` content type, or `nil` for any other.
    static func boundary(ofContentType contentType: String?) -> String? {
        guard let contentType, mediaType(of: contentType) == "multipart/form-data" else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst().map({ $0.trimmingWhitespaces() }) {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value =
                pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return value.isEmpty ? nil : value
        }
        return nil
    }

    func read(_ body: RequestBody) async throws -> FormFields {
        let parser = MultipartParser(boundary: boundary)
        let events = ParserEvents()
        parser.onHeader = { name, value in events.pending.append(.header(name: name, value: value)) }
        parser.onBody = { buffer in events.pending.append(.body(buffer)) }
        parser.onPartComplete = { events.pending.append(.partComplete) }

        var form = FormBuilder(limits: limits)
        var received = 0
        do {
            for try await chunk in body {
                received += chunk.readableBytes
                guard received <= maxBodySize else { throw APIError(.contentTooLarge) }
                do {
                    try parser.execute(chunk)
                } catch {
                    throw APIError(.badRequest, "There was an error parsing the body")
                }
                for event in events.take() { try await form.handle(event) }
                // One write per chunk received, not per piece the parser cut it into.
                try await form.spoolIfNeeded()
            }
        } catch {
            await form.discard()
            throw error
        }
        guard form.isComplete else {
            await form.discard()
            throw APIError(.badRequest, "There was an error parsing the body")
        }
        return form.fields
    }
}

/// What the parser reported while it read one chunk; handled (files written) after it returns,
/// as its callbacks cannot wait.
private final class ParserEvents {
    enum Event {
        case header(name: String, value: String)
        case body(ByteBuffer)
        case partComplete
    }

    var pending: [Event] = []

    func take() -> [Event] {
        defer { pending = [] }
        return pending
    }
}

/// The form as its parts complete.
private struct FormBuilder {
    let limits: MultipartLimits
    private(set) var text: [(name: String, value: String)] = []
    private(set) var files: [String: [UploadFile]] = [:]
    private var part = Part()
    private var parts = 0
    /// Whether the last part ended the body (nothing half-read).
    var isComplete: Bool { parts > 0 && part.isEmpty }

    init(limits: MultipartLimits) {
        self.limits = limits
    }

    var fields: FormFields {
        var pairs = URLEncodedPairs("")
        for (name, value) in text { pairs.append(name: name, value: value) }
        return FormFields(text: pairs, files: files)
    }

    /// One part being read: its headers, then its content, in memory or in a temporary file.
    private struct Part {
        var headers: [(name: String, value: String)] = []
        var memory = ByteBuffer()
        var spool: (file: SpooledFile, handle: WriteFileHandle, written: Int64)?
        var size = 0
        var isEmpty: Bool { headers.isEmpty && size == 0 }

        /// Its `Content-Disposition`, read once its headers are complete (at its first content).
        private var parsedDisposition: ContentDisposition.Parameters?

        mutating func disposition() -> ContentDisposition.Parameters {
            if let parsedDisposition { return parsedDisposition }
            let disposition = ContentDisposition.parse(header("content-disposition") ?? "")
            parsedDisposition = disposition
            return disposition
        }

        func header(_ name: String) -> String? {
            headers.last { $0.name.lowercased() == name }?.value
        }
    }

    mutating func handle(_ event: ParserEvents.Event) async throws {
        switch event {
        case .header(let name, let value):
            part.headers.append((name, value))
        case .body(var buffer):
            part.size += buffer.readableBytes
            if part.disposition().filename == nil, part.size > limits.maxFieldSize { throw APIError(.contentTooLarge) }
            part.memory.writeBuffer(&buffer)
        case .partComplete:
            try await completePart()
        }
    }

    /// Moves what a file part holds in memory to its temporary file, once it is past the threshold
    /// (opening the file then).
    mutating func spoolIfNeeded() async throws {
        guard part.disposition().filename != nil, part.spool != nil || part.memory.readableBytes > limits.spoolThreshold else { return }
        if part.spool == nil {
            let path = FilePath("\(limits.temporaryDirectory)/tern-upload-\(UUID().uuidString.lowercased())")
            let handle = try await FileSystem.shared.openFile(forWritingAt: path, options: .newFile(replaceExisting: false))
            part.spool = (SpooledFile(path: path), handle, 0)
        }
        guard let spool = part.spool, part.memory.readableBytes > 0 else { return }
        try await spool.handle.write(contentsOf: part.memory.readableBytesView, toAbsoluteOffset: spool.written)
        part.spool?.written += Int64(part.memory.readableBytes)
        part.memory.clear()
    }

    private mutating func completePart() async throws {
        parts += 1
        guard parts <= limits.maxParts else { throw APIError(.contentTooLarge, "Too many parts in the form") }
        defer { part = Part() }
        let disposition = part.disposition()
        guard let name = disposition.name else { return }
        guard let filename = disposition.filename else {
            text.append((name, String(buffer: part.memory)))
            return
        }
        let storage: UploadFile.Storage
        try await spoolIfNeeded()
        if let spool = part.spool {
            try await spool.handle.close()
            storage = .spooled(spool.file)
        } else {
            storage = .memory(part.memory)
        }
        // A file input left empty in a browser form sends an empty part with an empty filename.
        if filename.isEmpty, part.size == 0 { return }
        let file = UploadFile(filename: filename, contentType: part.header("content-type"), size: part.size, storage: storage)
        files[name, default: []].append(file)
    }

    /// The body failed: a temporary file being written is closed (and deleted with its `SpooledFile`).
    mutating func discard() async {
        if let spool = part.spool { try? await spool.handle.close() }
        part = Part()
        files = [:]
    }
}
