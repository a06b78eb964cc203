import CCurl

/// Hands bytes to libcurl's read callback piece by piece: how the rendered message reaches `DATA`.
final class UploadReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The `CURLOPT_READFUNCTION`: copies the next bytes into libcurl's buffer; 0 at the end.
    static let callback: curl_read_callback = { buffer, size, count, reader in
        guard let buffer, let reader else { return 0 }
        return Unmanaged<UploadReader>.fromOpaque(reader).takeUnretainedValue().read(into: buffer, capacity: size * count)
    }

    private func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
