import CCurl

/// A libcurl easy handle: one transfer's options, run with ``perform()``. It keeps alive everything
/// its options point to (the recipient list, the message reader, the error buffer) until it is
/// released, when the handle is cleaned up.
///
/// Blocking and not thread-safe, as libcurl's easy interface is: one thread uses a handle at a time.
final class CurlEasyHandle {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Objects the options point to; libcurl does not retain them.
    private var retained: [AnyObject] = []

    init() throws(MailError) {
        try Self.initializeLibrary()
        guard let handle = curl_easy_init() else { throw MailError(.other, "libcurl could not create a handle") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        // Set first, so that every later failure can explain itself.
        _ = tern_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws(MailError) {
        try check(tern_curl_setopt_long(handle, option, value), option)
    }

    /// A string option; libcurl copies the string.
    func set(_ option: CURLoption, _ value: String) throws(MailError) {
        try check(tern_curl_setopt_string(handle, option, value), option)
    }

    /// A list option (`CURLOPT_MAIL_RCPT`); the list lives as long as the handle.
    func set(_ option: CURLoption, _ list: CurlStringList) throws(MailError) {
        retained.append(list)
        try check(tern_curl_setopt_pointer(handle, option, list.head), option)
    }

    /// Uploads `reader`'s bytes (the message, for SMTP's `DATA`).
    func upload(_ reader: UploadReader) throws(MailError) {
        retained.append(reader)
        try set(CURLOPT_UPLOAD, 1)
        try check(tern_curl_setopt_read_function(handle, UploadReader.callback), CURLOPT_READFUNCTION)
        try check(tern_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(reader).toOpaque()), CURLOPT_READDATA)
    }

    /// Runs the transfer, blocking until it ends.
    func perform() -> CURLcode {
        curl_easy_perform(handle)
    }

    /// The last reply code the server sent (an SMTP code such as 250 or 550), or 0 if none came.
    var responseCode: Int {
        var code = 0
        _ = tern_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// libcurl's explanation of the last failure: the error buffer, or the code's generic text.
    func errorMessage(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(MailError) {
        guard code != CURLE_OK else { return }
        throw MailError(.other, "libcurl refused option \(option.rawValue): \(errorMessage(for: code))")
    }

    /// `curl_global_init` once per process: it is not thread-safe, and `curl_easy_init` would call
    /// it, unguarded, on first use.
    private static func initializeLibrary() throws(MailError) {
        guard globalInitResult == CURLE_OK else {
            throw MailError(.other, "libcurl failed to initialise: \(String(cString: curl_easy_strerror(globalInitResult)))")
        }
    }

    // A lazily initialised global: Swift runs its initialiser exactly once, whichever thread comes first.
    private static let globalInitResult: CURLcode = tern_curl_global_init()
}
