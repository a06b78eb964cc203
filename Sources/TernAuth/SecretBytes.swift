/// The two things every secret here needs: random bytes to make it, and a comparison that takes
/// as long however early the inputs differ, to check it.
public enum SecretBytes {
    /// `count` bytes from the system's secure generator.
    public static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in generator.next() }
    }

    /// Whether two texts are equal, in time that depends on their length only.
    public static func equal(_ left: String, _ right: String) -> Bool {
        let (left, right) = (Array(left.utf8), Array(right.utf8))
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
