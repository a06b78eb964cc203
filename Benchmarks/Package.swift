// swift-tools-version: 6.2
import Foundation
import PackageDescription

// Benchmarks live in a package of their own so that the template itself does not depend on
// PostgresNIO, the peer they compare against. The root package is referenced by path; its identity
// is the name of the folder it was cloned into.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "tern-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "DatabaseBenchmark",
            dependencies: [
                .product(name: "TernDatabase", package: root),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "JobsBenchmark",
            dependencies: [
                .product(name: "TernJobs", package: root),
                .product(name: "TernJobsRedis", package: root),
                .product(name: "TernRedis", package: root),
                .product(name: "TernDatabase", package: root),
                .product(name: "TernMigrations", package: root),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "HummingbirdPeer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
    ]
)
