/// Bound values laid out the way `PQexecPrepared` wants them: one buffer of NUL-terminated texts (and
/// raw bytes for `bytea`), with pointers, lengths and formats built over it without a copy per value.
struct PostgresParameters {
    private var storage: [UInt8] = []
    private var offsets: [Int?] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [DatabaseValue]) throws {
        offsets.reserveCapacity(values.count)
        lengths.reserveCapacity(values.count)
        formats.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .null:
                offsets.append(nil)
                lengths.append(0)
                formats.append(0)
            case .bool(let bool):
                appendText(bool ? "t" : "f")
            case .integer(let integer):
                appendText(String(integer))
            case .double(let double):
                appendText(Self.text(for: double))
            case .text(let text):
                guard !text.utf8.contains(0) else {
                    throw DatabaseError(.invalidValue, "PostgreSQL text cannot contain NUL (\\u0000) characters")
                }
                appendText(text)
            case .blob(let bytes):
                offsets.append(storage.count)
                storage += bytes
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
        // A trailing byte, so that even a lone empty `bytea` gets a pointer (a null one means NULL).
        storage.append(0)
    }

    private mutating func appendText(_ text: String) {
        offsets.append(storage.count)
        storage += text.utf8
        storage.append(0)
        lengths.append(0)
        formats.append(0)
    }

    private static func text(for double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double > 0 ? "Infinity" : "-Infinity" }
        return "\(double)"
    }

    /// Calls `body` with the argument arrays of `PQexecPrepared`, valid only during the call.
    func withUnsafeArguments<R>(
        _ body: (
            UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?
        ) -> R
    ) -> R {
        storage.withUnsafeBytes { bytes in
            let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard let offset, let base else { return nil }
                return base + offset
            }
            return pointers.withUnsafeBufferPointer { values in
                lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }
}
