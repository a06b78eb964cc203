import Foundation
import Testing

/// The checks the compiler, not the macros, makes of macro-generated code: user code is type-checked
/// against the built TernAPI module, as a user's package would be.
@Suite("Compile-time checks of generated code", .timeLimit(.minutes(2)))
struct CompileTimeCheckTests {
    private static let router = """
        import TernAPI

        @Input
        struct ByID {
            @Path var id: Int
        }

        @APIRouter
        struct Things {
            @GET("ROUTE")
            func thing(_ input: ByID) -> Int { input.id }
        }
        """

    @Test("a route whose {placeholders} are its input's @Path names compiles")
    func matchingPath() async throws {
        #expect(try await typeCheck(Self.router.replacingOccurrences(of: "ROUTE", with: "/things/{id}")) == [])
    }

    @Test("a route whose {placeholders} differ from its input's @Path names does not, in either direction")
    func mismatchedPath() async throws {
        for route in ["/things/{thing_id}", "/things", "/things/{id}/parts/{part}"] {
            let errors = try await typeCheck(Self.router.replacingOccurrences(of: "ROUTE", with: route))
            #expect(errors.contains { $0.contains("ByID.PathParameterNames.Type") }, "\(route): \(errors)")
        }
    }

    /// The files or folders named `name` at most `depth` levels under `root`.
    private static func find(_ name: String, under root: URL, depth: Int) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var found: [URL] = []
        while let url = enumerator.nextObject() as? URL {
            if url.lastPathComponent == name { found.append(url) }
            if enumerator.level >= depth { enumerator.skipDescendants() }
        }
        return found
    }

    /// What a command prints on its standard output and error, once it has exited.
    private static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    /// The errors `swiftc -typecheck` reports for `source`, compiled against this build's modules.
    private func typeCheck(_ source: String) async throws -> [String] {
        let build = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tern-compile-check-\(UUID()).swift")
        try source.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var arguments = [
            "swiftc", "-typecheck", file.path, "-I", build.appendingPathComponent("Modules").path,
            "-load-plugin-executable", build.appendingPathComponent("TernAPIMacros-tool").path + "#TernAPIMacros",
        ]
        // The C modules the dependencies import, as SwiftPM describes them, and their headers.
        for map in Self.find("module.modulemap", under: build, depth: 3) where !map.path.contains("-tool.build") {
            arguments += ["-Xcc", "-fmodule-map-file=" + map.path]
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        // The package's own system-library targets (CMalloc, under TernPrimitives), whose maps stay in Sources.
        for map in Self.find("module.modulemap", under: packageRoot.appendingPathComponent("Sources"), depth: 2) {
            arguments += ["-Xcc", "-fmodule-map-file=" + map.path]
        }
        for folder in ["Sources", ".build/checkouts"] {
            for include in Self.find("include", under: packageRoot.appendingPathComponent(folder), depth: 4) {
                arguments += ["-Xcc", "-I" + include.path]
            }
        }
        // On a thread of its own: a type check takes seconds (minutes on a loaded machine), and
        // waiting for it on the test run's cooperative threads, as few as the cores, stalled every
        // other test of the run.
        let text = try await withCheckedThrowingContinuation { continuation in
            Thread { [arguments] in continuation.resume(with: Result { try Self.run(arguments) }) }.start()
        }
        return text.split(separator: "\n").filter { $0.contains("error:") }.map(String.init)
    }
}
