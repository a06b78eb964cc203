/// The values of a ``QueryResult``, row-major, with its text kept as the bytes the database sent.
///
/// Most of a row's text is ids and timestamps, which the decoder parses into a `UUID` or a `Date`:
/// made into a `String` first, each would cost an allocation and a UTF-8 check only to be thrown
/// away. So the text of the whole result is copied into one buffer, and a `String` is made only for
/// a value read as one (``subscript(_:)``, or a `String` field) or by a type that reads itself from
/// a `String` (the default ``DatabaseValueConvertible/init(databaseText:)``).
struct ResultValues: Sendable {
    private enum Cell: Sendable {
        case value(DatabaseValue)
        /// Text at `start` in ``text``, `count` bytes of UTF-8.
        case text(start: Int, count: Int)
    }

    private var cells: [Cell] = []
    private var text: [UInt8] = []

    init() {}

    init(_ values: [DatabaseValue]) {
        cells = values.map(Cell.value)
    }

    /// Room for `count` values, and for `textBytes` bytes of their text.
    mutating func reserveCapacity(_ count: Int, textBytes: Int) {
        cells.reserveCapacity(count)
        text.reserveCapacity(textBytes)
    }

    mutating func append(_ value: DatabaseValue) {
        cells.append(.value(value))
    }

    /// Appends a text value, from its UTF-8 bytes.
    mutating func appendText(_ bytes: UnsafeRawBufferPointer) {
        cells.append(.text(start: text.count, count: bytes.count))
        text.append(contentsOf: bytes)
    }

    var count: Int { cells.count }

    /// The value at `index`; text is made into a `String` here.
    subscript(index: Int) -> DatabaseValue {
        switch cells[index] {
        case .value(let value): value
        case .text(let start, let count): .text(withText(start: start, count: count) { String(decoding: $0, as: UTF8.self) })
        }
    }

    func isNull(at index: Int) -> Bool {
        guard case .value(let value) = cells[index] else { return false }
        return value.isNull
    }

    /// The value at `index` as `T`, or `nil` when it cannot be one. Text is read from its bytes
    /// (``DatabaseValueConvertible/init(databaseText:)``); any other value converts from its
    /// ``DatabaseValue``.
    func convert<T: DatabaseValueConvertible>(at index: Int, to type: T.Type) -> T? {
        guard case .text(let start, let count) = cells[index] else { return T(databaseValue: self[index]) }
        return withText(start: start, count: count, T.init(databaseText:))
    }

    private func withText<R>(start: Int, count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        text.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[start..<start + count])) }
    }
}
