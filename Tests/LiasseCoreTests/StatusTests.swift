import Foundation
import Testing
@testable import LiasseCore

@Suite struct StatusTests {
    @Test func theStatusModel() {
        #expect(InvoiceStatus.deposee.allows(.miseADisposition))
        #expect(InvoiceStatus.miseADisposition.allows(.mandatee))
        #expect(InvoiceStatus.mandatee.allows(.miseEnPaiement))
        #expect(InvoiceStatus.suspendue.allows(.miseADisposition))
        #expect(!InvoiceStatus.deposee.allows(.mandatee))
        #expect(!InvoiceStatus.deposee.allows(.deposee))
        for final in [InvoiceStatus.aRecycler, .rejetee, .miseEnPaiement] { #expect(final.next.isEmpty) }
        // Every status but DEPOSEE can be reached.
        let reachable = Set(InvoiceStatus.allCases.flatMap(\.next))
        #expect(reachable == Set(InvoiceStatus.allCases).subtracting([.deposee]))
    }

    @Test func statusChangesAreRecordedAndRefusedWhenTheModelForbidsThem() throws {
        let fixture = try CoreFixture()
        let certificate = try #require(try fixture.core().deposit(InvoiceBuilder().invoice, from: CoreFixture.source("s")).certificate)
        let ledger = fixture.ledger
        #expect(throws: StatusChangeError.notAllowed(from: .deposee, to: .mandatee)) {
            try ledger.setStatus(fingerprint: certificate.fingerprint, to: .mandatee, effectiveAt: "2026-12-01", note: nil, recordedAt: fixture.clock.now())
        }
        let available = try ledger.setStatus(fingerprint: certificate.fingerprint, to: .miseADisposition, effectiveAt: "2026-12-01", note: nil, recordedAt: fixture.clock.now())
        #expect(available.status == .miseADisposition && available.statusAt == "2026-12-01")
        #expect(throws: StatusChangeError.dateBeforeCurrent(date: "2026-11-30", current: "2026-12-01")) {
            try ledger.setStatus(fingerprint: certificate.fingerprint, to: .suspendue, effectiveAt: "2026-11-30", note: nil, recordedAt: fixture.clock.now())
        }
        #expect(throws: StatusChangeError.badDate("01/12/2026")) {
            try ledger.setStatus(fingerprint: certificate.fingerprint, to: .suspendue, effectiveAt: "01/12/2026", note: nil, recordedAt: fixture.clock.now())
        }
        #expect(throws: StatusChangeError.unknownCertificate("nope")) {
            try ledger.setStatus(fingerprint: "nope", to: .suspendue, effectiveAt: "2026-12-02", note: nil, recordedAt: fixture.clock.now())
        }
        _ = try ledger.setStatus(fingerprint: certificate.fingerprint, to: .suspendue, effectiveAt: "2026-12-02T10:00:00Z", note: "pièce manquante", recordedAt: fixture.clock.now())
        let history = try ledger.statusHistory(fingerprint: certificate.fingerprint)
        #expect(history.map(\.status) == [.deposee, .miseADisposition, .suspendue])
        #expect(history.last?.note == "pièce manquante")
        // The certificate itself never changes: it is the proof of the deposit.
        #expect(try ledger.certificate(fingerprint: certificate.fingerprint) == certificate)
    }

    @Test func searchFilters() throws {
        let fixture = try CoreFixture()
        var day = 1
        let core = fixture.core()
        func deposit(_ number: String, buyer: String = "21730412000017", service: String? = "SERVICES-TECHNIQUES", order: String? = "EJ-1") throws -> Certificate {
            var builder = InvoiceBuilder()
            builder.number = number
            builder.buyerSIRET = buyer
            builder.buyerReference = service
            builder.orderReference = order
            var dated = core
            let date = ISO8601DateFormatter().date(from: String(format: "2026-11-%02dT10:00:00Z", day))!
            dated.clock = .fixed(date)
            day += 1
            return try #require(try dated.deposit(builder.invoice, from: CoreFixture.source(number)).certificate)
        }
        _ = try deposit("F-1")
        let second = try deposit("F-2", buyer: "26690158600013", service: "DIR-ACHATS", order: "BC-2026-1")
        _ = try deposit("AV-3")
        let ledger = fixture.ledger
        #expect(try ledger.search(DepositQuery()).map(\.invoiceNumber) == ["AV-3", "F-2", "F-1"])
        #expect(try ledger.search(DepositQuery(recipient: "26690158600013")).map(\.invoiceNumber) == ["F-2"])
        #expect(try ledger.search(DepositQuery(recipient: "hospitalier")).map(\.invoiceNumber) == ["F-2"])
        #expect(try ledger.search(DepositQuery(supplier: "83241795000017")).count == 3)
        #expect(try ledger.search(DepositQuery(supplier: "73282932000074")).isEmpty)
        #expect(try ledger.search(DepositQuery(number: "F-")).map(\.invoiceNumber) == ["F-2", "F-1"])
        #expect(try ledger.search(DepositQuery(number: "_")).isEmpty)
        #expect(try ledger.search(DepositQuery(from: "2026-11-02", to: "2026-11-02")).map(\.invoiceNumber) == ["F-2"])
        #expect(try ledger.search(DepositQuery(from: "2026-11-02")).count == 2)
        _ = try ledger.setStatus(fingerprint: second.fingerprint, to: .rejetee, effectiveAt: "2026-11-20", note: nil, recordedAt: fixture.clock.now())
        #expect(try ledger.search(DepositQuery(status: .rejetee)).map(\.certificate) == [second.fingerprint])
        #expect(try ledger.search(DepositQuery(limit: 1)).count == 1)
    }
}
