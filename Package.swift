// swift-tools-version:6.1
import PackageDescription

/// `FUZZ=1 swift build --product bizone-fuzz` (what `make fuzz` runs, in its own scratch path)
/// instruments the modules that parse outside input for libFuzzer and links it.
let fuzzing = Context.environment["FUZZ"] == "1"
let fuzzSwift: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer"])] : []
let fuzzLink: [LinkerSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])] : []

let package = Package(
    name: "BizOne",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bizone", targets: ["bizone"]),
        .executable(name: "bizone-bench", targets: ["BizOneBench"]),
        .executable(name: "bizone-fuzz", targets: ["bizone-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // traits: [] keeps SwiftPM from passing default traits in a random order, which
        // otherwise rebuilds Hummingbird now and then (see swift-build-notes).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already in the graph through Hummingbird; BizOneServer builds its HTTP/1 pipeline with its codec.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // bcrypt for passwords (and TOTP for 2FA) as Hummingbird's own packages ship them.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    ],
    targets: [
        /// Pure value types and rules shared by every module: resources, IDs, diagnostics, schemas,
        /// plans, campaign and event values, JSON, time, phone and template rules.
        .target(
            name: "BizOneModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: fuzzSwift
        ),
        /// YAML files -> DesiredState, or every problem at once as file:line:col diagnostics.
        .target(
            name: "BizOneConfig",
            dependencies: ["BizOneModel", .product(name: "Yams", package: "Yams")],
            swiftSettings: fuzzSwift
        ),
        /// Pure planning: (desired, observed, templates at Meta, options) -> Plan. No I/O, no clock.
        .target(name: "BizOnePlanner", dependencies: ["BizOneModel"]),
        /// SQLite state through GRDB; the only module that knows SQL.
        .target(
            name: "BizOneStore",
            dependencies: ["BizOneModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        /// Meta's Graph API: wire types, typed errors, the client protocol, the live client, send
        /// shaping and template mapping.
        .target(
            name: "MetaGraph",
            dependencies: [
                "BizOneModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: fuzzSwift
        ),
        /// A faithful local Meta: template review, sends, signed webhooks, rate limits.
        .target(
            name: "MetaEmulator",
            dependencies: [
                "MetaGraph", "BizOneModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        /// Observe -> plan -> apply; template sync; campaigns (scheduler, dispatcher, one sender per
        /// phone number); webhook processing, routes and forwards.
        .target(
            name: "BizOneEngine",
            dependencies: [
                "BizOneModel", "BizOneConfig", "BizOnePlanner", "BizOneStore", "MetaGraph",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: fuzzSwift
        ),
        /// `bizone serve`: webhook receiver (group commit), sign-in and the route guard, health,
        /// metrics, services.
        .target(
            name: "BizOneServer",
            dependencies: [
                "BizOneModel", "BizOneStore", "BizOneEngine", "MetaGraph", "CSMTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
            ]
        ),
        /// libcurl's SMTP behind one C function (security e-mails from `serve`).
        .target(name: "CSMTP", linkerSettings: [.linkedLibrary("curl")]),
        /// The commands and the composition root.
        .target(
            name: "BizOneCLI",
            dependencies: [
                "BizOneModel", "BizOneConfig", "BizOnePlanner", "BizOneStore", "BizOneEngine",
                "MetaGraph", "MetaEmulator", "BizOneServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "bizone", dependencies: ["BizOneCLI"]),
        /// The parsers of outside input as fuzz targets (JSON, webhook, YAML, CSV), shared by the
        /// libFuzzer driver and the regression tests that replay every kept input.
        .target(
            name: "BizOneFuzzing",
            dependencies: ["BizOneModel", "BizOneConfig", "BizOneEngine", "MetaGraph"],
            swiftSettings: fuzzSwift
        ),
        /// libFuzzer's `LLVMFuzzerRunDriver`, with a weak replay-only fallback for normal builds.
        .target(name: "CFuzzDriver"),
        /// `make fuzz`: `BIZONE_FUZZ_TARGET=json bizone-fuzz -runs=1000000 corpus/`.
        .executableTarget(
            name: "bizone-fuzz",
            dependencies: ["BizOneFuzzing", "CFuzzDriver"],
            swiftSettings: fuzzSwift,
            linkerSettings: fuzzLink
        ),
        /// `make bench`: load/validate/plan, Meta client, templates, webhooks and campaign dispatch
        /// figures, with peak memory; asserts nothing.
        .executableTarget(
            name: "BizOneBench",
            dependencies: [
                "BizOneModel", "BizOneConfig", "BizOnePlanner", "BizOneStore", "BizOneEngine", "MetaGraph", "MetaEmulator",
                "BizOneServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        /// What every test target shares: waiting for events with a generous ceiling, a manual
        /// clock, log capture, temporary folders, seeded randomness, child-process output, the
        /// build products directory, and Meta's payload fixtures (once, as resource files).
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "BizOneModelTests", dependencies: ["BizOneModel", "TestSupport"]),
        /// Every input kept under Fuzz/ (seeds and past findings) replayed through its target.
        .testTarget(name: "BizOneFuzzingTests", dependencies: ["BizOneFuzzing", "TestSupport"]),
        .testTarget(
            name: "BizOneConfigTests",
            dependencies: ["BizOneConfig", "BizOneModel", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "BizOnePlannerTests", dependencies: ["BizOnePlanner", "BizOneModel", "TestSupport"]),
        .testTarget(name: "BizOneStoreTests", dependencies: ["BizOneStore", "BizOneModel", "TestSupport"]),
        .testTarget(
            name: "MetaGraphTests",
            dependencies: ["MetaGraph", "BizOneModel", "TestSupport"]
        ),
        .testTarget(
            name: "MetaEmulatorTests",
            dependencies: [
                "MetaEmulator", "MetaGraph", "BizOneModel", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "BizOneEngineTests",
            dependencies: ["BizOneEngine", "BizOneStore", "BizOneModel", "MetaGraph", "TestSupport",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "BizOneServerTests",
            dependencies: [
                "BizOneServer", "BizOneEngine", "BizOneStore", "BizOneModel", "MetaGraph", "MetaEmulator", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        /// The live client against the emulator over real loopback HTTP.
        .testTarget(
            name: "MetaIntegrationTests",
            dependencies: [
                "MetaEmulator", "MetaGraph", "BizOneModel", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Runs the real `bizone` executable; depending on it makes every test build (re)build it
        /// first, and the tests find it in the build products directory.
        .testTarget(
            name: "BizOneCLITests",
            dependencies: ["bizone", "BizOneCLI", "BizOneConfig", "BizOneStore", "BizOneModel", "MetaEmulator", "MetaGraph",
                           "TestSupport",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
