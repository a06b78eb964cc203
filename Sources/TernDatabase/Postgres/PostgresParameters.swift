/// Bound values laid out the way `PQexecPrepared` wants them: one buffer of NUL-terminated texts (and
/// raw bytes for `bytea`), with pointers, lengths and formats built over it without a copy per value.
struct PostgresParameters {
    private var storage: [UInt8] = []
    private var offsets: [Int?] = []
    /// Each value's length and format (0 text, 1 binary), kept only once a value is binary: libpq
    /// takes no arrays at all for texts alone, which spares most statements two allocations.
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [DatabaseValue]) throws {
        // Room for every value at once: the buffer is allocated once, not grown by each long text.
        storage.reserveCapacity(values.reduce(1) { $0 + Self.largestSize(of: $1) })
        offsets.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .null:
                offsets.append(nil)
                noteText()
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
                if formats.isEmpty {
                    // The values before were texts.
                    lengths = Array(repeating: 0, count: offsets.count)
                    formats = lengths
                }
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
        noteText()
    }

    /// Notes a text (or NULL) value's length and format, if there are binary values to tell it from.
    private mutating func noteText() {
        guard !formats.isEmpty else { return }
        lengths.append(0)
        formats.append(0)
    }

    /// The most bytes `value` can take in `storage`: its text and NUL, or its bytes.
    private static func largestSize(of value: DatabaseValue) -> Int {
        switch value {
        case .null: 0
        case .bool: 2
        case .integer: 21  // "-9223372036854775808" and NUL
        case .double: 32  // "-2.2250738585072014e-308" and NUL, with room to spare
        case .text(let text): text.utf8.count + 1
        case .blob(let bytes): bytes.count
        }
    }

    private static func text(for double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double > 0 ? "Infinity" : "-Infinity" }
        return "\(double)"
    }

    /// The number of values.
    var count: Int { offsets.count }

    /// Calls `body` with the argument arrays of `PQexecPrepared`, valid only during the call; the
    /// lengths and formats are null when every value is a text.
    func withUnsafeArguments<R>(
        _ body: (
            UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?
        ) -> R
    ) -> R {
        storage.withUnsafeBytes { bytes in
            let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
            return withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: offsets.count) { values in
                for (index, offset) in offsets.enumerated() {
                    values[index] = offset.flatMap { offset in base.map { $0 + offset } }
                }
                guard !formats.isEmpty else { return body(UnsafePointer(values.baseAddress), nil, nil) }
                return lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(UnsafePointer(values.baseAddress), lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }
}
