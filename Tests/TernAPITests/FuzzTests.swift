import CoreFoundation  // timespec: the module that declares it first, for the compiler
import Foundation
import NIOPosix
import PropertyBased
import Testing

@testable import TernAPI

/// Hostile input never crashes the parser, the form decoder or the validators, and costs time in
/// proportion to its size. The corpus (`FuzzCorpus/`) seeds the mutation runs; each run is bounded by
/// `TERN_FUZZ_SECONDS` (default 5) per test, so the test command stays short and a longer run is one
/// variable away. The long loops run on a thread of their own: on Swift's cooperative threads (as
/// many as cores) they would hold up every other test running meanwhile.
@Suite("Fuzzing: hostile input never crashes", .timeLimit(.minutes(5)))
struct FuzzTests {
    @Test("arbitrary bytes parse into a value or a syntax error with a position inside the input")
    func arbitraryBytes() async {
        await propertyCheck(count: 3000, input: Gen<UInt8>.value().array(of: 0...300)) { bytes in
            let problem = parseProblem(bytes)
            #expect(problem == nil)
        }
    }

    @Test("any JSON value written and parsed again is the same value")
    func roundTrip() async throws {
        await propertyCheck(count: 500, input: Gen<UInt64>.value()) { seed in
            var random = SplitMix64(seed: seed)
            let value = JSONValue.random(using: &random)
            let parsed = try JSONParser.parse(value.jsonText)
            #expect(parsed == value, "seed \(seed)")
        }
    }

    @Test("mutations of the corpus never crash parsing or validation")
    func corpusMutations() async throws {
        let seeds = try Corpus.files(withExtension: "json")
        try #require(!seeds.isEmpty)
        let (runs, problems) = try await onOwnThread { () -> (Int, [String]) in
            var random = SplitMix64(seed: Fuzzing.seed)
            let deadline = ContinuousClock.now + Fuzzing.budget
            var runs = 0
            var problems: [String] = []
            while ContinuousClock.now < deadline {
                let input = Mutator.mutate(seeds[Int(random.next() % UInt64(seeds.count))], splicing: seeds, using: &random)
                if let problem = parseProblem(input) { problems.append("\(problem): \(Data(input).base64EncodedString())") }
                if case .success(let value) = Result(catching: { try JSONParser.parse(input) }) { checkValidates(value) }
                runs += 1
            }
            return (runs, problems)
        }
        #expect(problems.isEmpty, "seed \(Fuzzing.seed)")
        #expect(runs > 100, "seed \(Fuzzing.seed)")
    }

    @Test("forms and query strings decode whatever they hold: bad escapes, NULs, repeated and empty names")
    func urlEncoded() async throws {
        let seeds = try Corpus.files(withExtension: "txt")
        try #require(!seeds.isEmpty)
        let tooMany = try await onOwnThread { () -> Int in
            var random = SplitMix64(seed: Fuzzing.seed)
            let deadline = ContinuousClock.now + Fuzzing.budget
            var tooMany = 0
            while ContinuousClock.now < deadline {
                let input = Mutator.mutate(seeds[Int(random.next() % UInt64(seeds.count))], splicing: seeds, using: &random)
                let text = String(decoding: input, as: UTF8.self)
                let pairs = URLEncodedPairs(Substring(text))
                if pairs.pairs.count > text.utf8.count + 1 { tooMany += 1 }
                for (name, _) in pairs.pairs.prefix(3) {
                    var issues = ValidationIssues()
                    _ = IncomingRequest.validateRaw(pairs.values(name), as: Int.self, issues: &issues)
                    _ = IncomingRequest.validateRaw(pairs.values(name), as: [String].self, issues: &issues)
                    _ = RequestValidationError(issues.all).json.jsonText
                }
            }
            return tooMany
        }
        #expect(tooMany == 0, "seed \(Fuzzing.seed)")
    }

    @Test("any number, or none, as a datetime is a date or a 422, never a trap")
    func datetimesFromNumbers() async {
        let specials: [Double] = [
            .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 2e10, -2e10, 253_402_300_800,
        ]
        for special in specials { checkValidates(.double(special)) }
        await propertyCheck(count: 2000, input: Gen<Int64>.value()) { seconds in
            checkValidates(.integer(seconds))
            checkValidates(.double(Double(seconds) * 1.000_001))
        }
    }

    // A hang guard, not a speed check: in a debug build, on a loaded two-core machine, the parses
    // below take tens of seconds, and a CI run failed at a two-minute limit.
    @Test("multi-megabyte strings, arrays and objects parse in time linear in their size", .timeLimit(.minutes(5)))
    func linearTime() async throws {
        for shape in LinearShape.allCases {
            let (smallTime, largeTime) = try await onOwnThread {
                let small = shape.document(size: 512 << 10)
                let large = shape.document(size: 5 << 20)
                return (try measure { _ = try JSONParser.parse(small) }, try measure { _ = try JSONParser.parse(large) })
            }
            // Ten times the input: about ten times the time; quadratic work would be about a hundred.
            #expect(largeTime < smallTime * 30, "\(shape): 512 KB \(smallTime), 5 MB \(largeTime)")
        }
        // Nesting past the limit is refused at the limit, not after reading the rest.
        let deep = Array(repeating: UInt8(ascii: "["), count: 10 << 20)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }
}

// MARK: Checks

/// What is wrong with how `bytes` parse, if anything: parsing answers a value, or an error with a
/// message and a position inside the input.
private func parseProblem(_ bytes: [UInt8]) -> String? {
    do {
        _ = try JSONParser.parse(bytes).jsonText
        return nil
    } catch {
        if error.position < 0 || error.position > bytes.count { return "position \(error.position) in \(bytes.count) bytes" }
        return error.message.isEmpty ? "no message" : nil
    }
}

/// Runs CPU-bound work on a thread of its own, off Swift's cooperative threads.
private func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
}

/// Every kind of field accepts or refuses the value with issues that can be written as a 422.
private func checkValidates(_ value: JSONValue) {
    var issues = ValidationIssues()
    _ = String.validate(value, at: .body, options: FieldOptions(minLength: 1, maxLength: 5), issues: &issues)
    _ = String.validate(value, at: .body, options: FieldOptions(format: .email), issues: &issues)
    _ = String.validate(value, at: .body, options: FieldOptions(pattern: "^[A-Z]{3}$"), issues: &issues)
    _ = Int.validate(value, at: .body, options: FieldOptions(ge: 0, le: 100), issues: &issues)
    _ = Double.validate(value, at: .body, options: FieldOptions(gt: -1, lt: 1), issues: &issues)
    _ = Bool.validate(value, at: .body, options: .none, issues: &issues)
    _ = UUID.validate(value, at: .body, options: .none, issues: &issues)
    if let date = Date.validate(value, at: .body, options: .none, issues: &issues) {
        var writer = JSONWriter()
        date.writeJSON(to: &writer)
    }
    _ = [Int].validate(value, at: .body, options: FieldOptions(maxItems: 3), issues: &issues)
    _ = Thing.validate(value, at: .body, options: .none, issues: &issues)
    _ = UserCreate.validate(value, at: .body, options: .none, issues: &issues)
    _ = RequestValidationError(issues.all).json.jsonText
}

/// The CPU time this thread spends on `body`, the least of three runs: other work on a loaded machine
/// (a CI runner, the tests running meanwhile) stretches wall-clock time but not this thread's CPU time,
/// and the least of three leaves out a run slowed by page faults or a cold cache.
private func measure(_ body: () throws -> Void) throws -> Duration {
    var least = Duration.seconds(Int64.max)
    for _ in 0..<3 {
        let start = threadCPUTime()
        try body()
        least = min(least, threadCPUTime() - start)
    }
    return least
}

private func threadCPUTime() -> Duration {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
}

extension IncomingRequest {
    /// Validates raw parameter values as a query parameter of type `T` would be.
    fileprivate static func validateRaw<T: APIValue>(_ values: [String], as type: T.Type, issues: inout ValidationIssues) -> T? {
        guard let last = values.last else { return nil }
        let input: JSONValue = T.isList ? .array(values.map { .string($0) }) : .string(last)
        return T.validate(input, at: ["query", "fuzz"], options: .none, issues: &issues)
    }
}

// MARK: Inputs

/// How a run is seeded and how long it lasts: `TERN_FUZZ_SEED` repeats a run, `TERN_FUZZ_SECONDS`
/// lengthens it.
private enum Fuzzing {
    static let seed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["TERN_FUZZ_SEED"], let seed = UInt64(text) { return seed }
        let seed = UInt64.random(in: 0...UInt64.max)
        print("fuzzing with TERN_FUZZ_SEED=\(seed)")
        return seed
    }()

    static let budget: Duration = .seconds(Double(ProcessInfo.processInfo.environment["TERN_FUZZ_SECONDS"] ?? "") ?? 5)
}

/// The committed seeds.
private enum Corpus {
    static func files(withExtension suffix: String) throws -> [[UInt8]] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".\(suffix)") }.sorted()
            .map { Array(try Data(contentsOf: folder.appendingPathComponent($0))) }
    }
}

/// Byte-level mutations, as a coverage-blind fuzzer makes them.
private enum Mutator {
    static func mutate(_ seed: [UInt8], splicing others: [[UInt8]], using random: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        let interesting: [UInt8] = Array(#"{}[]",:"\/\u0000-+.eE0123456789tfn%&=@"#.utf8) + [0x00, 0x80, 0xC3, 0xE2, 0xF0, 0xFF]
        for _ in 0..<(1 + Int(random.next() % 8)) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
            switch random.next() % 5 {
            case 0 where position < bytes.count: bytes[position] = interesting[Int(random.next() % UInt64(interesting.count))]
            case 1: bytes.insert(interesting[Int(random.next() % UInt64(interesting.count))], at: position)
            case 2 where position < bytes.count: bytes.remove(at: position)
            case 3 where position < bytes.count: bytes[position] = UInt8(truncatingIfNeeded: random.next())
            default:
                let other = others[Int(random.next() % UInt64(others.count))]
                let start = other.isEmpty ? 0 : Int(random.next() % UInt64(other.count))
                bytes.insert(contentsOf: other[start..<min(other.count, start + Int(random.next() % 32))], at: position)
            }
        }
        return bytes
    }
}

/// Documents of about a given size, of the shapes that would be slowest if parsing were not linear.
private enum LinearShape: CaseIterable {
    case longString, escapedString, longArray, wideObject, duplicateKeys

    func document(size: Int) -> [UInt8] {
        Array(text(size: size).utf8)
    }

    private func text(size: Int) -> String {
        switch self {
        case .longString: "\"" + String(repeating: "a", count: size) + "\""
        case .escapedString: "\"" + String(repeating: #"\n\u00e9"#, count: size / 8) + "\""
        case .longArray: "[" + String(repeating: "0,", count: size / 2) + "0]"
        case .wideObject: "{" + (0..<size / 12).map { #""k\#($0)":1"# }.joined(separator: ",") + "}"
        case .duplicateKeys: "{" + String(repeating: #""k":1,"#, count: size / 6) + #""k":2}"#
        }
    }
}

/// A small, fast, seedable random number generator (SplitMix64), so that a failing run can be repeated.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension JSONValue {
    /// A random document: every kind of value, nested a few levels, with keys and strings that
    /// need escaping.
    static func random(using random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        let alphabet = Array("aZ09 \"\\/\n\t\u{0}\u{1F}é€😀\u{FFFD}")
        func string() -> String {
            String((0..<Int(random.next() % 12)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }
        switch random.next() % (depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2: return .integer(Int64(bitPattern: random.next()))
        case 3:
            let double = Double(bitPattern: random.next())
            return double.isFinite ? .double(double) : .double(Double(Int64(bitPattern: random.next() >> 12)) / 7)
        case 4: return .string(string())
        case 5: return .array((0..<Int(random.next() % 5)).map { _ in JSONValue.random(using: &random, depth: depth + 1) })
        default:
            return .object(
                JSONObject((0..<Int(random.next() % 5)).map { _ in (string(), JSONValue.random(using: &random, depth: depth + 1)) }))
        }
    }
}
