import Foundation
import NIOCore
import NIOFileSystem
import OpenAPIKit
import Synchronization

/// A file sent in a `multipart/form-data` field, as FastAPI's `UploadFile`: read with `@Form`
/// (`@Form var file: UploadFile`, `[UploadFile]` for several in one field, `UploadFile?` for an
/// optional one), documented as a binary string so that Swagger UI offers a file picker.
///
/// Small files stay in memory; past ``MultipartLimits/spoolThreshold`` a file is written to a
/// temporary file as it arrives, so an upload of any size costs the server flat memory. The
/// temporary file is deleted when the last copy of its `UploadFile` goes (the request's end, unless
/// the handler keeps it).
public struct UploadFile: Sendable {
    /// The file's name as the client sent it: not a safe path (see `ContentDisposition`).
    public let filename: String?
    /// The part's `Content-Type`, as the client sent it.
    public let contentType: String?
    /// Its size in bytes.
    public let size: Int
    let storage: Storage

    enum Storage: Sendable {
        case memory(ByteBuffer)
        case spooled(SpooledFile)
    }

    init(filename: String?, contentType: String?, size: Int, storage: Storage) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.storage = storage
    }

    /// The file's content, whole: for files known to be small.
    public func bytes() async throws -> ByteBuffer {
        switch storage {
        case .memory(let buffer):
            return buffer
        case .spooled(let file):
            return try await FileSystem.shared.withFileHandle(forReadingAt: file.path) { handle in
                try await handle.readToEnd(maximumSizeAllowed: .bytes(Int64(size)))
            }
        }
    }

    /// Stores the file at `path` (which must not exist): a spooled file is moved there, one in memory
    /// is written.
    public func save(to path: String) async throws {
        let destination = FilePath(path)
        switch storage {
        case .memory(let buffer):
            try await FileSystem.shared.withFileHandle(forWritingAt: destination, options: .newFile(replaceExisting: false)) { handle in
                _ = try await handle.write(contentsOf: buffer.readableBytesView, toAbsoluteOffset: 0)
            }
        case .spooled(let file):
            try await file.move(to: destination)
        }
    }

    /// Refuses the file with `415 Unsupported Media Type` unless its `Content-Type` is one of
    /// `mediaTypes` (`image/png`) or matches one of their wildcards (`image/*`).
    public func require(mediaTypes: [String]) throws {
        let type = mediaType(of: contentType)
        let accepted = mediaTypes.contains { allowed in
            let allowed = allowed.lowercased()
            return allowed.hasSuffix("/*") ? type.hasPrefix(allowed.dropLast()) : allowed == type
        }
        guard accepted else {
            throw APIError(
                .unsupportedMediaType,
                "Unsupported file type \(type.isEmpty ? "(none)" : type); expected \(mediaTypes.joined(separator: ", "))")
        }
    }
}

/// A temporary file that holds an upload, deleted when nothing refers to it any more (unless it was
/// moved away first).
final class SpooledFile: Sendable {
    let path: FilePath
    private let moved = Mutex(false)

    init(path: FilePath) {
        self.path = path
    }

    /// Moves it to `destination` (copied, when that is on another file system).
    func move(to destination: FilePath) async throws {
        try await FileSystem.shared.moveItem(at: path, to: destination)
        moved.withLock { $0 = true }
    }

    deinit {
        if !moved.withLock({ $0 }) { unlink(path.string) }
    }
}

/// The fields of a `@Form` input that can hold files: `UploadFile`, `UploadFile?`, `[UploadFile]`.
/// The document shows a body with any of them as `multipart/form-data`.
public protocol FormFileValue {}

extension UploadFile: FormFileValue {}
extension Optional: FormFileValue where Wrapped == UploadFile {}
extension Array: FormFileValue where Element == UploadFile {}

extension UploadFile: APIValue {
    /// A file never comes as JSON or as a text field: pydantic's answer for a text value.
    public static func validate(
        _ input: JSONValue, at location: IssueLocation, options: FieldOptions, issues: inout ValidationIssues
    ) -> UploadFile? {
        issues.append(Self.notAFile(input, at: location))
        return nil
    }

    static func notAFile(_ input: JSONValue, at location: IssueLocation) -> ValidationIssue {
        ValidationIssue(
            type: "value_error", location: location, message: "Value error, Expected UploadFile, received: <class 'str'>", input: input,
            context: ["error": .object([:])])
    }

    public static func jsonSchema(options: FieldOptions, components: inout SchemaComponents) -> JSONSchema {
        options.apply(to: .string(format: .other("binary"), title: options.title))
    }

    /// Its name: a file is an input, never part of an answer.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.value(filename.map { JSONValue.string($0) } ?? .null)
    }
}

/// Reading files from a form, for the code `@Input` generates: FastAPI's answers for a missing file
/// (`missing`) and for text where a file belongs (`value_error`).
extension IncomingRequest {
    public func form(
        _ name: String, _ type: [UploadFile].Type, in fields: FormFields, options: FieldOptions,
        default defaultValue: (() -> [UploadFile])? = nil, issues: inout ValidationIssues
    ) -> [UploadFile]? {
        files(name, in: fields, textAt: ["body", .key(name), 0], default: defaultValue, issues: &issues)
    }

    public func form(
        _ name: String, _ type: UploadFile.Type, in fields: FormFields, options: FieldOptions,
        default defaultValue: (() -> UploadFile)? = nil, issues: inout ValidationIssues
    ) -> UploadFile? {
        files(name, in: fields, textAt: ["body", .key(name)], default: defaultValue.map { make in { [make()] } }, issues: &issues)?.last
    }

    public func form(
        _ name: String, _ type: UploadFile?.Type, in fields: FormFields, options: FieldOptions,
        default defaultValue: (() -> UploadFile?)? = nil, issues: inout ValidationIssues
    ) -> UploadFile?? {
        files(name, in: fields, textAt: ["body", .key(name)], default: { [] }, issues: &issues).map { $0.last }
    }

    /// The files sent as `name`; text sent there instead is an issue at `textAt`.
    private func files(
        _ name: String, in fields: FormFields, textAt location: IssueLocation, default defaultValue: (() -> [UploadFile])?,
        issues: inout ValidationIssues
    ) -> [UploadFile]? {
        if let text = fields.values(name).first(where: { !$0.isEmpty }) {
            issues.append(UploadFile.notAFile(.string(text), at: location))
            return nil
        }
        if let files = fields.files[name] { return files }
        if let defaultValue { return defaultValue() }
        issues.report(.missing, at: ["body", .key(name)], input: .null)
        return nil
    }
}
