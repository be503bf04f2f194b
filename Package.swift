// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Liasse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "liasse", targets: ["liasse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries from Debian, and the few shims Swift cannot import directly.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CQPDF", pkgConfig: "libqpdf", providers: [.apt(["libqpdf-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // libharu has no pkg-config file on Debian: the module map links it by name.
        .systemLibrary(name: "CHaru", providers: [.apt(["libhpdf-dev"])]),
        .target(name: "CShims"),

        .target(name: "LiasseXML", dependencies: ["CLibXML2"], swiftSettings: strict),
        // What every layer reports: Finding, its severity and reason code.
        .target(name: "LiasseFindings", swiftSettings: strict),
        .target(name: "LiasseInvoice", dependencies: ["LiasseXML"], swiftSettings: strict),
        .target(name: "LiasseRules", dependencies: ["LiasseFindings", "LiasseInvoice", "LiasseXML"], swiftSettings: strict),
        .target(name: "LiasseIntake", dependencies: ["CArchive", "CQPDF", "CZlib", "LiasseFindings", "LiasseXML"], swiftSettings: strict),
        // Judging one file: container, schema, the rule packs the matrix picks. The one call
        // between the daemon and the rules (Judge.judge(entry:name:inLot:)).
        .target(name: "LiasseJudge", dependencies: ["LiasseIntake", "LiasseInvoice", "LiasseRules", "LiasseXML"], swiftSettings: strict),
        .target(
            name: "LiasseCore",
            dependencies: [
                "LiasseInvoice", "LiasseRules", "CHaru",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The configuration file: inboxes, their rule packs, limits. Read by the daemon and by the
        // commands that judge files without it.
        .target(
            name: "LiasseConfiguration",
            dependencies: [
                "LiasseXML", "LiasseRules", "LiasseIntake", "LiasseCore",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "LiasseDaemon",
            dependencies: [
                "LiasseXML", "LiasseInvoice", "LiasseRules", "LiasseIntake", "LiasseJudge", "LiasseCore", "LiasseConfiguration", "CShims",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "liasse",
            dependencies: [
                "LiasseDaemon", "LiasseConfiguration", "LiasseJudge", "LiasseCore", "LiasseRules", "LiasseInvoice", "LiasseXML", "LiasseIntake",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "LiasseXMLTests", dependencies: ["LiasseXML"]),
        .testTarget(name: "LiasseInvoiceTests", dependencies: ["LiasseInvoice", "LiasseXML"]),
        .testTarget(name: "LiasseRulesTests", dependencies: ["LiasseRules", "LiasseInvoice", "LiasseXML"]),
        .testTarget(name: "LiasseIntakeTests", dependencies: ["LiasseIntake", "LiasseFindings"]),
        .testTarget(name: "LiasseCoreTests", dependencies: ["LiasseCore", "LiasseRules", "LiasseInvoice", "LiasseXML"]),
        .testTarget(name: "LiasseJudgeTests", dependencies: ["LiasseJudge", "LiasseRules", "LiasseInvoice", "LiasseXML"]),
        .testTarget(name: "LiasseDaemonTests", dependencies: ["LiasseDaemon", "LiasseConfiguration", "LiasseJudge", "LiasseCore", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "EndToEndTests", dependencies: []),
    ],
    swiftLanguageModes: [.v6]
)
