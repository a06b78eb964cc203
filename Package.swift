// swift-tools-version: 6.2
import CompilerPluginSupport
import PackageDescription

#if os(Linux)
import Glibc
#endif

/// Settings shared by every Swift target: Swift 6 language mode (strict concurrency checking) plus two
/// upcoming features that keep the code explicit about existentials and imports.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// How the two executables are linked on Linux: by lld (which the Swift toolchain ships) with packed
/// relative relocations. A position-independent executable carries a table of the pointers to fix as
/// it loads, and reads all of it: 2.4 MiB for `api` in glibc's format, 0.6 MiB packed, which left
/// `api serve` idle 2 MiB smaller (Benchmarks/README.md, "Memory"). lld also links in less than half of
/// gold's time. A packed table needs glibc 2.36 where the binary runs, so it is only asked for where
/// the build machine has that glibc (a binary built against a glibc does not run on an older one anyway).
let executableLinkerSettings: [LinkerSetting] =
    buildMachineGlibcVersion.lexicographicallyPrecedes([2, 36])
    ? [] : [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(platforms: [.linux]))]

/// How `api` is linked: as the other executable, and where lld links a release build, with the functions
/// it runs as it starts and answers requests placed first in its code (Sources/api/start-up.order names
/// those with a symbol, the linker script start-up.ld the compiler's private ones; both written by
/// Benchmarks/order-start-up). They then share a few pages, where they lay all over the file
/// and each page touched mapped the 64 KiB around it: the static build idles at 33-34 MiB instead of 47
/// (Benchmarks/README.md, "Memory"). It needs a build with a section per function, which
/// scripts/build-release makes; names the list has and the build does not are skipped, so an outdated
/// list costs memory, never correctness.
let apiLinkerSettings: [LinkerSetting] =
    executableLinkerSettings.isEmpty
    ? []
    : executableLinkerSettings + [
        .unsafeFlags(
            [
                "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/api/start-up.order",
                "-Xlinker", "--no-warn-symbol-ordering",
                "-Xlinker", "--script=\(Context.packageDirectory)/Sources/api/start-up.ld",
            ],
            .when(platforms: [.linux], configuration: .release)
        )
    ]

/// The glibc this manifest runs on, as `[major, minor]` (`confstr` answers "glibc 2.36"); empty elsewhere.
var buildMachineGlibcVersion: [Int] {
    #if os(Linux)
    var answer = [CChar](repeating: 0, count: 32)
    guard confstr(Int32(_CS_GNU_LIBC_VERSION), &answer, answer.count) > 0 else { return [] }
    let text = String(decoding: answer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let version = text.split(separator: " ").last ?? ""
    return version.split(separator: ".").compactMap { Int($0) }
    #else
    return []
    #endif
}

let package = Package(
    name: "tern",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "api", targets: ["api"]),
        .executable(name: "worker", targets: ["worker"]),
        .library(name: "TernPrimitives", targets: ["TernPrimitives"]),
        .library(name: "TernDatabase", targets: ["TernDatabase"]),
        .library(name: "TernMigrations", targets: ["TernMigrations"]),
        .library(name: "TernSettings", targets: ["TernSettings"]),
        .library(name: "TernAPI", targets: ["TernAPI"]),
        .library(name: "TernAPIDatabase", targets: ["TernAPIDatabase"]),
        .library(name: "TernGraphQL", targets: ["TernGraphQL"]),
        .library(name: "TernSentry", targets: ["TernSentry"]),
        .library(name: "TernAuth", targets: ["TernAuth"]),
        .library(name: "TernOIDC", targets: ["TernOIDC"]),
        .library(name: "TernRateLimit", targets: ["TernRateLimit"]),
        .library(name: "TernRedis", targets: ["TernRedis"]),
        .library(name: "TernCache", targets: ["TernCache"]),
        .library(name: "TernJobs", targets: ["TernJobs"]),
        .library(name: "TernJobsRedis", targets: ["TernJobsRedis"]),
        .library(name: "TernBroadcast", targets: ["TernBroadcast"]),
        .library(name: "TernMail", targets: ["TernMail"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/GraphQLSwift/Graphiti.git", from: "3.1.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL.git", from: "4.3.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the gRPC exporter would build gRPC Swift for nothing.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
        .package(url: "https://github.com/swiftlang/swift-syntax.git", "600.0.0"..<"604.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // `swift package generate-documentation` and `preview-documentation`: the building blocks' DocC
        // catalogs (scripts/check-docs builds them as the plugin does, in one SwiftPM run instead of
        // one per catalog, so that a broken symbol link fails the test run). A plugin only: nothing
        // is linked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: C libraries, through pkg-config and the Debian packages that provide them.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"]), .brew(["argon2"])]
        ),
        // glibc's malloc_trim (a header of the C library itself: nothing to install).
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // libcurl speaks SMTP (STARTTLS, implicit TLS, AUTH) for the mailer.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        // No pkgConfig: hiredis's .pc adds a define SwiftPM refuses (with a warning on every build), and
        // its headers are found as <hiredis/...> on the default include path.
        .systemLibrary(
            name: "CHiredis",
            providers: [.apt(["libhiredis-dev"]), .brew(["hiredis"])]
        ),

        // MARK: Building blocks: know nothing of the app, nor of each other but through the primitives and
        // the bridges; Redis serves the cache and the rate limits as their store.
        .target(
            name: "TernPrimitives",
            dependencies: [
                "CMalloc",
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernDatabase",
            dependencies: [
                "CLibPQ",
                "CSQLite",
                "TernPrimitives",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernMigrations",
            dependencies: [
                "TernDatabase",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernSettings",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernAPI",
            dependencies: [
                "TernAPIMacros",
                "TernCache",
                "TernPrimitives",
                "TernRateLimit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // HTTPS with HTTP/2 (ALPN), Hummingbird's server on swift-nio-ssl and swift-nio-http2.
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // WebSockets: Hummingbird's upgrade from HTTP/1.1, its router and frame handling.
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // runInThreadPool: NIO's thread pool.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                // multipart/form-data bodies, parsed as they arrive (its streaming parser only).
                .product(name: "MultipartKit", package: "multipart-kit"),
                // Endless answers (event streams) end when the server shuts down gracefully.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // gzip for answers, streamed ones included (zlib through NIO's ByteBuffers).
                .product(name: "CompressNIO", package: "compress-nio"),
                // Files are read off the event loops through NIO's file system, as Hummingbird's are.
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernRateLimit",
            dependencies: ["TernPrimitives"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernCache",
            dependencies: [
                "TernPrimitives",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernRedis",
            dependencies: [
                "CHiredis",
                "TernCache",
                "TernPrimitives",
                "TernRateLimit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Jobs: the queue, the worker, retries and schedules; the database backend (and the outbox the
        // Redis backend relays from) lives here, the Redis Streams backend in its bridge.
        .target(
            name: "TernJobs",
            dependencies: [
                "TernDatabase",
                "TernPrimitives",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernJobsRedis",
            dependencies: [
                "TernJobs",
                "TernRedis",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernBroadcast",
            dependencies: [
                "TernPrimitives",
                "TernRedis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernMail",
            dependencies: [
                "CCurl",
                "TernPrimitives",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The bridge between two building blocks: the database as a dependency, its errors as HTTP answers.
        .target(
            name: "TernAPIDatabase",
            dependencies: [
                "TernAPI",
                "TernDatabase",
            ],
            swiftSettings: swiftSettings
        ),
        // GraphQL over the typed API: a Graphiti schema served at one operation, with query limits.
        .target(
            name: "TernGraphQL",
            dependencies: [
                "TernAPI",
                .product(name: "Graphiti", package: "Graphiti"),
                .product(name: "GraphQL", package: "GraphQL"),
            ],
            swiftSettings: swiftSettings
        ),
        // Errors that answer 500, reported to Sentry's envelope endpoint.
        .target(
            name: "TernSentry",
            dependencies: [
                "TernAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TernAuth",
            dependencies: [
                "CArgon2",
                "TernDatabase",
                "TernPrimitives",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Sign-in with identity providers: its own block, so that the HTTP client it needs to talk to
        // them is not a dependency of everything that hashes a password or checks a token.
        .target(
            name: "TernOIDC",
            dependencies: [
                "TernAuth",
                "TernDatabase",
                "TernPrimitives",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The macros' expansions, a library of their own so that their tests depend on no macro
        // target: a test target that does is built for the host, and SwiftPM then builds every
        // dependency of the tests twice, once for the tests and once for the executables.
        .target(
            name: "TernAPIMacroExpansion",
            dependencies: [
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
            ],
            swiftSettings: swiftSettings
        ),
        // The compiler plugin that serves them.
        .macro(
            name: "TernAPIMacros",
            dependencies: [
                "TernAPIMacroExpansion",
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The sample application: settings, routers, services, repositories, schemas.
        .target(
            name: "App",
            dependencies: [
                "TernAPI",
                "TernBroadcast",
                "TernCache",
                "TernRateLimit",
                "TernRedis",
                "TernAPIDatabase",
                "TernGraphQL",
                "TernSentry",
                "TernPrimitives",
                "TernAuth",
                "TernDatabase",
                "TernJobs",
                "TernJobsRedis",
                "TernOIDC",
                "TernMail",
                "TernMigrations",
                "TernSettings",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Graphiti", package: "Graphiti"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // Compiled into the binary: no file to find at run time, in a container or a test.
            resources: [.embedInCode("Emails/Templates"), .embedInCode("Dashboard/Templates")],
            swiftSettings: swiftSettings
        ),

        // MARK: Executables: parse arguments, start things.
        .target(
            name: "AppCommandLine",
            dependencies: [
                "App",
                "TernDatabase",
                "TernPrimitives",
                "TernSettings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "api",
            dependencies: [
                "App",
                "AppCommandLine",
                "TernAPI",
                "TernDatabase",
                "TernMigrations",
                "TernSettings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["start-up.order", "start-up.ld"],
            swiftSettings: swiftSettings,
            linkerSettings: apiLinkerSettings
        ),

        .executableTarget(
            name: "worker",
            dependencies: [
                "App",
                "AppCommandLine",
                "TernJobs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: executableLinkerSettings
        ),

        // MARK: Examples
        // A whole service in one file, for readers who want the smallest start (Examples/Notes).
        .executableTarget(
            name: "NotesExample",
            dependencies: [
                "TernAPI",
                "TernAPIDatabase",
                "TernDatabase",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/Notes",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: [
                "TernAuth",
                "TernDatabase",
                "TernMigrations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernDatabaseTests",
            dependencies: ["TernDatabase", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernMigrationsTests",
            dependencies: ["TernMigrations", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernAuthTests",
            dependencies: ["TernAuth", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernRateLimitTests",
            dependencies: ["TernRateLimit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernCacheTests",
            dependencies: ["TernCache", "TernRedis", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernRedisTests",
            dependencies: [
                "TernBroadcast", "TernRateLimit", "TernRedis", "TestSupport", .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // A worker the jobs tests start, kill and stop as a process of its own (see its main.swift).
        .executableTarget(
            name: "JobsFixture",
            dependencies: [
                "TernDatabase",
                "TernJobs",
                "TernJobsRedis",
                "TernRedis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Tests/JobsFixture",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernJobsTests",
            // JobsFixture: built next to the test bundle, where the worker process tests find it.
            dependencies: ["JobsFixture", "TernJobs", "TernJobsRedis", "TernDatabase", "TernRedis", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernMailTests",
            dependencies: ["TernMail", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernSettingsTests",
            dependencies: ["TernSettings"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernAPITests",
            dependencies: [
                "TernAPI",
                "TernGraphQL",
                "TernPrimitives",
                "TernRateLimit",
                "TestSupport",
                .product(name: "Graphiti", package: "Graphiti"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // A client that reads a streamed answer piece by piece, over a live socket.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures", "FuzzCorpus"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TernAPIMacrosTests",
            dependencies: [
                "TernAPI",  // built first, with its macros' plugin: the compile-time check tests type-check code against it
                "TernAPIMacroExpansion",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacroExpansion", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CommandLineTests",
            // The executables the tests run, built next to the test bundle.
            dependencies: [
                "api",
                "worker",
                "TernMigrations",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // A stand-in OpenTelemetry collector.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                // curl, for HTTP/2 over TLS.
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            // A self-signed certificate for localhost, for the HTTPS test only.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "TernAPI",
                "TernAuth",
                "TernDatabase",
                "TernOIDC",
                "TernPrimitives",
                "TernRedis",
                "TernSentry",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
