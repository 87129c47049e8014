// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "BizOne",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bizone", targets: ["bizone"]),
        .executable(name: "bizone-bench", targets: ["BizOneBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        /// Pure value types shared by every module: resources, IDs, diagnostics, schemas, plans.
        .target(
            name: "BizOneModel",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        /// YAML files -> DesiredState, or every problem at once as file:line:col diagnostics.
        .target(
            name: "BizOneConfig",
            dependencies: ["BizOneModel", .product(name: "Yams", package: "Yams")]
        ),
        /// Pure planning: (desired, observed, inventory) -> Plan. No I/O, no clock.
        .target(name: "BizOnePlanner", dependencies: ["BizOneModel"]),
        /// SQLite state through GRDB; the only module that knows SQL.
        .target(
            name: "BizOneStore",
            dependencies: ["BizOneModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        /// Observe -> plan -> apply, wiring the planner to the store.
        .target(
            name: "BizOneEngine",
            dependencies: [
                "BizOneModel", "BizOneConfig", "BizOnePlanner", "BizOneStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The commands and the composition root.
        .target(
            name: "BizOneCLI",
            dependencies: [
                "BizOneModel", "BizOneConfig", "BizOnePlanner", "BizOneStore", "BizOneEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "bizone", dependencies: ["BizOneCLI"]),
        /// `make bench`: prints load/validate/plan timings and peak memory; asserts nothing.
        .executableTarget(
            name: "BizOneBench",
            dependencies: [
                "BizOneModel", "BizOneConfig", "BizOnePlanner", "BizOneStore", "BizOneEngine",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "BizOneModelTests", dependencies: ["BizOneModel"]),
        .testTarget(
            name: "BizOneConfigTests",
            dependencies: ["BizOneConfig", "BizOneModel"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "BizOnePlannerTests", dependencies: ["BizOnePlanner", "BizOneModel"]),
        .testTarget(name: "BizOneStoreTests", dependencies: ["BizOneStore", "BizOneModel"]),
        .testTarget(
            name: "BizOneCLITests",
            dependencies: ["BizOneCLI", "BizOneConfig", "BizOneStore", "BizOneModel"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
