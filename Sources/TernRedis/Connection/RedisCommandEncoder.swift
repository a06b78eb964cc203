import NIOCore

/// Writes commands as RESP arrays of bulk strings (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`).
///
/// hiredis has `redisFormatCommandArgv` for this, but it mallocs a C string that would then be copied
/// into the channel's buffer and freed; writing straight into the buffer is as short and saves both.
enum RedisCommandEncoder {
    static func encode(_ arguments: [RedisArgument], into buffer: inout ByteBuffer) {
        writeHeader("*", arguments.count, into: &buffer)
        for argument in arguments {
            switch argument {
            case .string(let text):
                writeHeader("$", text.utf8.count, into: &buffer)
                buffer.writeString(text)
            case .bytes(let bytes):
                writeHeader("$", bytes.count, into: &buffer)
                buffer.writeBytes(bytes)
            case .integer(let value):
                let text = String(value)
                writeHeader("$", text.utf8.count, into: &buffer)
                buffer.writeString(text)
            }
            buffer.writeStaticString("\r\n")
        }
    }

    private static func writeHeader(_ marker: StaticString, _ count: Int, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(marker)
        buffer.writeString(String(count))
        buffer.writeStaticString("\r\n")
    }
}
