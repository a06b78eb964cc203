import Foundation

/// How Python's `json.loads` reads bytes, which FastAPI hands it: UTF-8, UTF-16 or UTF-32, told
/// apart by a byte-order mark or by where the zero bytes fall.
enum PythonJSONText {
    /// The body as UTF-8 without a byte-order mark, whatever Unicode encoding it came in; `nil` when
    /// it is not valid text. Detects the encoding as Python's `json.loads` does for bytes.
    static func utf8(_ bytes: [UInt8]) -> [UInt8]? {
        let encoding: String.Encoding
        var payload = bytes[...]
        switch bytes.count {
        case _ where bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]):
            encoding = .utf32
        case _ where bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]):
            encoding = .utf16
        case _ where bytes.starts(with: [0xEF, 0xBB, 0xBF]):
            payload = payload.dropFirst(3)
            encoding = .utf8
        case 4... where bytes[0] == 0:
            encoding = bytes[1] != 0 ? .utf16BigEndian : .utf32BigEndian
        case 4... where bytes[1] == 0:
            encoding = bytes[2] != 0 || bytes[3] != 0 ? .utf16LittleEndian : .utf32LittleEndian
        case 2 where bytes[0] == 0:
            encoding = .utf16BigEndian
        case 2 where bytes[1] == 0:
            encoding = .utf16LittleEndian
        default:
            encoding = .utf8
        }
        if encoding == .utf8 {
            guard String(validating: payload, as: UTF8.self) != nil else { return nil }
            return payload.count == bytes.count ? bytes : Array(payload)
        }
        guard let text = String(data: Data(payload), encoding: encoding) else { return nil }
        var utf8 = Array(text.utf8)
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        return utf8
    }
}
