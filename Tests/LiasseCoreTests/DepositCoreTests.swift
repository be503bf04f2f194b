import Foundation
import LiasseInvoice
import LiasseRules
import Testing
@testable import LiasseCore

@Suite struct DepositCoreTests {
    @Test func aValidInvoiceIsDepositedWithACertificate() throws {
        let fixture = try CoreFixture()
        let verdict = try fixture.core().deposit(InvoiceBuilder().invoice, from: CoreFixture.source("sha-1"))
        let certificate = try #require(verdict.certificate)
        #expect(verdict.isDeposited)
        #expect(certificate.fingerprint.count == 44)
        #expect(Data(base64Encoded: certificate.fingerprint)?.count == 32)
        let body = certificate.body
        #expect(body.status == "DEPOSEE")
        #expect(body.sequence == 1 && body.previousFingerprint == nil)
        #expect(body.supplier == PartyReference(siret: "83241795000017", name: "Imprimerie Delmas et Fils SAS"))
        #expect(body.recipient.siret == "21730412000017")
        #expect(body.recipient.service == "SERVICES-TECHNIQUES")
        #expect(body.recipient.serviceName == "Services techniques")
        #expect(body.amounts == CertificateAmounts(ht: "756.00", tva: "151.20", ttc: "907.20", due: "907.20", currency: "EUR"))
        #expect(body.cadreDeFacturation == "A1")
        #expect(try body.fingerprint() == certificate.fingerprint)
        #expect(try fixture.ledger.search(DepositQuery()).map(\.status) == [.deposee])
    }

    @Test func anotherSuppliersInvoiceIsRefusedWhateverItsQuality() throws {
        let fixture = try CoreFixture()
        var builder = InvoiceBuilder()
        builder.sellerSIRET = "73282932000074"
        let verdict = try fixture.core().deposit(builder.invoice, from: CoreFixture.source("sha-1"))
        #expect(verdict.rules == ["LIASSE-DEP-02"])
        // Also with the EN 16931 rules only.
        let plain = try fixture.core(chorus: nil).deposit(builder.invoice, from: CoreFixture.source("sha-1"))
        #expect(plain.rules == ["LIASSE-DEP-02"])
        #expect(try fixture.ledger.certificates().isEmpty)
    }

    @Test func anInboxWithoutTheChorusRuleSetDepositsPlainEN16931Invoices() throws {
        let fixture = try CoreFixture()
        var builder = InvoiceBuilder()
        builder.buyerSIRET = "35600000000048"   // not in the directory
        builder.cadre = nil
        builder.paymentMeans = nil
        #expect(try fixture.core().deposit(builder.invoice, from: CoreFixture.source("a")).rules.contains("LIASSE-CPP-07"))
        let plain = try fixture.core(chorus: nil).deposit(builder.invoice, from: CoreFixture.source("a"))
        #expect(plain.isDeposited)
        #expect(plain.certificate?.body.cadreDeFacturation == nil)
    }

    @Test func aLaterDuplicateIsRefusedWithThePortalsMessage() throws {
        let fixture = try CoreFixture()
        let core = fixture.core()
        let first = try core.deposit(InvoiceBuilder().invoice, from: CoreFixture.source("sha-1"))
        var builder = InvoiceBuilder()
        builder.due = "907.20"
        builder.buyerReference = "ECOLES"   // other content, same supplier, number and year
        let second = try core.deposit(builder.invoice, from: CoreFixture.source("sha-2"))
        guard case .refused(let findings) = second else { Issue.record("deposited twice"); return }
        #expect(findings.count == 1)
        #expect(findings[0].code == .duplicate)
        #expect(findings[0].code.rawValue == "REJ_UNI")
        #expect(findings[0].message.hasPrefix("Vous avez déjà déposé une demande de paiement avec ce numéro de facture pour cette structure"))
        #expect(findings[0].message.contains(first.certificate!.fingerprint))
        // Another year is another invoice.
        builder.issueDate = "2027-01-04"
        #expect(try core.deposit(builder.invoice, from: CoreFixture.source("sha-3")).isDeposited)
    }

    @Test func aRejectedInvoiceDoesNotReserveItsNumber() throws {
        let fixture = try CoreFixture()
        let core = fixture.core()
        var broken = InvoiceBuilder()
        broken.buyerReference = nil
        #expect(try core.deposit(broken.invoice, from: CoreFixture.source("broken")).rules == ["LIASSE-CPP-09"])
        let fixed = try core.deposit(InvoiceBuilder().invoice, from: CoreFixture.source("fixed"))
        #expect(fixed.isDeposited)
    }

    @Test func theSameBytesAgainAreAnsweredFromTheLedger() throws {
        let fixture = try CoreFixture()
        let core = fixture.core()
        let first = try core.deposit(InvoiceBuilder().invoice, from: CoreFixture.source("same"))
        let again = try core.deposit(InvoiceBuilder().invoice, from: CoreFixture.source("same", entry: "other-name.xml"))
        #expect(again.isResent)
        #expect(again.certificate == first.certificate)
        #expect(try fixture.ledger.certificates().count == 1)
    }

    @Test func aBatchInOneTransactionGivesEachInvoiceItsOwnVerdictInOrder() throws {
        let fixture = try CoreFixture()
        let core = fixture.core()
        var sameNumber = InvoiceBuilder()
        sameNumber.buyerReference = "ECOLES"
        var nextYear = InvoiceBuilder()
        nextYear.issueDate = "2027-01-04"
        var broken = InvoiceBuilder()
        broken.buyerReference = nil
        let verdicts = try core.depositAll([
            (InvoiceBuilder().invoice, CoreFixture.source("a")),
            (sameNumber.invoice, CoreFixture.source("b")),          // the number of the first: duplicate
            (InvoiceBuilder().invoice, CoreFixture.source("a", entry: "copy.xml")),   // the first's bytes: re-send
            (broken.invoice, CoreFixture.source("c")),              // refused before the ledger
            (nextYear.invoice, CoreFixture.source("d")),
        ])
        #expect(verdicts.map(\.isDeposited) == [true, false, false, false, true])
        #expect(verdicts[1].rules == ["LIASSE-DEP-UNI"])
        guard case .refused(let findings) = verdicts[1] else { Issue.record("deposited twice"); return }
        #expect(findings.map(\.code) == [.duplicate])
        #expect(verdicts[2].isResent)
        #expect(verdicts[2].certificate == verdicts[0].certificate)
        #expect(verdicts[3].rules == ["LIASSE-CPP-09"])
        // One chain, in batch order, with no gap.
        let chain = try fixture.ledger.certificates()
        #expect(chain.map(\.body.sequence) == [1, 2])
        #expect(chain[1].body.previousFingerprint == chain[0].fingerprint)
        #expect(chain.map(\.fingerprint) == [verdicts[0].certificate?.fingerprint, verdicts[4].certificate?.fingerprint])
        // And an empty batch touches nothing.
        #expect(try core.depositAll([]).isEmpty)
    }

    @Test func aRecycledInvoiceFreesItsNumber() throws {
        let fixture = try CoreFixture()
        let core = fixture.core()
        let first = try #require(try core.deposit(InvoiceBuilder().invoice, from: CoreFixture.source("v1")).certificate)
        #expect(!(try core.deposit(InvoiceBuilder().invoice, from: CoreFixture.source("v2")).isDeposited))
        _ = try fixture.ledger.setStatus(fingerprint: first.fingerprint, to: .aRecycler, effectiveAt: "2026-11-30", note: "mauvais service", recordedAt: fixture.clock.now())
        let second = try core.deposit(InvoiceBuilder().invoice, from: CoreFixture.source("v2"))
        #expect(second.isDeposited)
        // Even the very same bytes may be sent again once recycled.
        let fixture2 = try CoreFixture()
        let c1 = try #require(try fixture2.core().deposit(InvoiceBuilder().invoice, from: CoreFixture.source("x")).certificate)
        _ = try fixture2.ledger.setStatus(fingerprint: c1.fingerprint, to: .aRecycler, effectiveAt: "2026-11-30", note: nil, recordedAt: fixture2.clock.now())
        let resent = try fixture2.core().deposit(InvoiceBuilder().invoice, from: CoreFixture.source("x"))
        #expect(resent.isDeposited)
        #expect(resent.certificate?.fingerprint != c1.fingerprint)
    }

    @Test func missingNumberAndDateAreRefused() throws {
        let fixture = try CoreFixture()
        var invoice = InvoiceBuilder().invoice
        invoice.number = nil
        invoice.issueDate = nil
        let verdict = try fixture.core(chorus: nil).deposit(invoice, from: CoreFixture.source("x"))
        #expect(verdict.rules == ["LIASSE-DEP-01", "LIASSE-DEP-01"])
    }
}
