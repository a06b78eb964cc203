// swift-tools-version: 6.2
import PackageDescription

// A typed Swift client for the API, generated at build time by Apple's swift-openapi-generator from
// the OpenAPI document the server prints (`api openapi`, copied into Sources/TernClient/openapi.json:
// scripts/check-openapi fails when the copy is out of date and prints the command that refreshes it).
// A package of its own, so that an app depends on the client without the server's dependencies.
let package = Package(
    name: "TernClient",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [.library(name: "TernClient", targets: ["TernClient"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession.git", from: "1.4.0"),
    ],
    targets: [
        .target(
            name: "TernClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .testTarget(
            name: "TernClientTests",
            dependencies: [
                "TernClient",
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
            ]
        ),
    ]
)
