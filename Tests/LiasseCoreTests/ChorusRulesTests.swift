import LiasseInvoice
@testable import LiasseRules
import Testing
@testable import LiasseCore

@Suite struct ChorusRulesTests {
    let rules = ChorusRules()

    func check(_ builder: InvoiceBuilder, rules: ChorusRules = ChorusRules()) throws -> ChorusRules.Outcome {
        try rules.check(builder.invoice, directory: Fixtures.directory)
    }

    /// The one finding a broken invoice gets: its rule and reason code.
    func only(_ builder: InvoiceBuilder) throws -> (rule: String, code: ReasonCode, finding: Finding)? {
        let findings = try check(builder).findings
        #expect(findings.count == 1, "expected one finding, got \(findings.map(\.rule))")
        return findings.first.map { ($0.rule, $0.code, $0) }
    }

    @Test func aGoodInvoicePasses() throws {
        let outcome = try check(InvoiceBuilder())
        #expect(outcome.findings.isEmpty)
        #expect(outcome.facts.cadre?.code == "A1")
        #expect(outcome.facts.recipient?.name == "Commune de Saint-Aubin-des-Prés")
        #expect(outcome.facts.service?.code == "SERVICES-TECHNIQUES")
    }

    @Test func cadreMissingIsRefusedUnlessTheInboxHasADefault() throws {
        var builder = InvoiceBuilder()
        builder.cadre = nil
        let refused = try only(builder)
        #expect(refused?.rule == "LIASSE-CPP-01")
        #expect(refused?.code == .coherence)
        let defaulted = try check(builder, rules: ChorusRules(defaultCadre: .a1))
        #expect(defaulted.findings.isEmpty)
        #expect(defaulted.facts.cadre == .a1 && defaulted.facts.cadreDefaulted)
    }

    @Test(arguments: ["A11", "B1", "S3", "M4", "A26", "a1", "X"])
    func cadresThatAreNotAccepted(_ code: String) throws {
        var builder = InvoiceBuilder()
        builder.cadre = code
        let refused = try only(builder)
        #expect(refused?.rule == "LIASSE-CPP-02")
        #expect(refused?.finding.bt == "BT-23")
        if code == "A11" { #expect(refused?.finding.messageEn.contains("there is no A11") == true) }
        if code == "B1" { #expect(refused?.finding.messageEn.contains("reform") == true) }
    }

    @Test func everyAcceptedCadrePasses() throws {
        for number in (1...25).filter({ $0 != 11 }) {
            var builder = InvoiceBuilder()
            builder.cadre = "A\(number)"
            if number == 2 { builder.due = "0.00" }
            #expect(try check(builder).findings.isEmpty, "A\(number)")
        }
    }

    @Test func alreadyPaidNeedsAZeroAmountDue() throws {
        var builder = InvoiceBuilder()
        builder.cadre = "A2"
        let refused = try only(builder)
        #expect(refused?.rule == "LIASSE-CPP-03")
        #expect(refused?.finding.bt == "BT-115")
        builder.due = "0.00"
        #expect(try check(builder).findings.isEmpty)
    }

    @Test(arguments: ["F2026-000000000000001", "F2026#01", "FACTURE-É1", "F2026.01"])
    func invoiceNumberFormat(_ number: String) throws {
        var builder = InvoiceBuilder()
        builder.number = number
        #expect(try only(builder)?.rule == "LIASSE-CPP-04")
    }

    @Test func invoiceNumberAllowedCharacters() throws {
        var builder = InvoiceBuilder()
        builder.number = "AB 12+3_4/5-6"
        #expect(try check(builder).findings.isEmpty)
    }

    @Test func supplierSIRETIsChecked() throws {
        var builder = InvoiceBuilder()
        builder.sellerSIRET = "83241795000018"
        let refused = try only(builder)
        #expect(refused?.rule == "LIASSE-CPP-05")
        #expect(refused?.code == .coherence)
        #expect(refused?.finding.message.contains("Luhn") == true)
        builder.sellerSIRET = "832417950"
        builder.sellerScheme = nil
        #expect(try only(builder)?.finding.messageEn.contains("is a SIREN") == true)
        builder.sellerScheme = "0002"
        #expect(try only(builder)?.rule == "LIASSE-CPP-05")
    }

    @Test func chorusSchemeOneCarriesASIRET() throws {
        var builder = InvoiceBuilder()
        builder.sellerScheme = "1"
        builder.buyerScheme = "1"
        #expect(try check(builder).findings.isEmpty)
    }

    @Test func aForeignSupplierIsIdentifiedByItsVATNumber() throws {
        var builder = InvoiceBuilder()
        builder.sellerSIRET = nil
        builder.sellerVAT = "DE123456789"
        builder.sellerCountry = "DE"
        #expect(try check(builder).findings.isEmpty)
        builder.sellerVAT = "FR17832417950"
        builder.sellerCountry = "FR"
        #expect(try only(builder)?.rule == "LIASSE-CPP-05")
    }

    @Test func recipientSIRETIsChecked() throws {
        var builder = InvoiceBuilder()
        builder.buyerSIRET = "21730412000018"
        let refused = try only(builder)
        #expect(refused?.rule == "LIASSE-CPP-06")
        #expect(refused?.code == .addressing)
        builder.buyerSIRET = nil
        #expect(try only(builder)?.rule == "LIASSE-CPP-06")
    }

    @Test func recipientMustBeKnownAndActive() throws {
        var builder = InvoiceBuilder()
        builder.buyerSIRET = "35600000000048"
        let unknown = try only(builder)
        #expect(unknown?.rule == "LIASSE-CPP-07")
        #expect(unknown?.code == .addressing)
        builder.buyerSIRET = "11000201100044"
        builder.buyerReference = nil
        let inactive = try only(builder)
        #expect(inactive?.rule == "LIASSE-CPP-08")
        #expect(inactive?.code == .addressing)
    }

    @Test func serviceCodeRequiredKnownAndActive() throws {
        var builder = InvoiceBuilder()
        builder.buyerReference = nil
        let missing = try only(builder)
        #expect(missing?.rule == "LIASSE-CPP-09")
        #expect(missing?.finding.message.contains("SERVICES-TECHNIQUES") == true)
        builder.buyerReference = "VOIRIE"
        #expect(try only(builder)?.rule == "LIASSE-CPP-10")
        builder.buyerReference = "CCAS"
        let inactive = try only(builder)
        #expect(inactive?.rule == "LIASSE-CPP-11")
        #expect(inactive?.finding.bt == "BT-10")
    }

    @Test func engagementNumberRequiredByTheServiceOrTheStructure() throws {
        var builder = InvoiceBuilder()
        builder.buyerReference = "ECOLES"
        builder.orderReference = nil
        let service = try only(builder)
        #expect(service?.rule == "LIASSE-CPP-12")
        #expect(service?.code == .b2g)
        #expect(service?.finding.bt == "BT-13")
        builder.buyerSIRET = "26690158600013"
        builder.buyerReference = "DIR-ACHATS"
        #expect(try only(builder)?.rule == "LIASSE-CPP-12")
        builder.orderReference = "BC-2026-11873"
        #expect(try check(builder).findings.isEmpty)
        builder.orderReference = String(repeating: "9", count: 51)
        #expect(try only(builder)?.rule == "LIASSE-CPP-13")
    }

    @Test func serviceOrEngagement() throws {
        var builder = InvoiceBuilder()
        builder.buyerSIRET = "44306184100047"
        builder.buyerReference = nil
        builder.orderReference = nil
        #expect(try only(builder)?.rule == "LIASSE-CPP-14")
        builder.orderReference = "EJ-1"
        #expect(try check(builder).findings.isEmpty)
    }

    @Test func aStructureWithoutRequirementsNeedsNeither() throws {
        var builder = InvoiceBuilder()
        builder.buyerSIRET = "73282932000074"
        builder.buyerReference = nil
        builder.orderReference = nil
        #expect(try check(builder).findings.isEmpty)
    }

    @Test func currencyMustBeEuro() throws {
        var builder = InvoiceBuilder()
        builder.currency = "USD"
        let refused = try only(builder)
        #expect(refused?.rule == "LIASSE-CPP-15")
        #expect(refused?.finding.bt == "BT-5")
        builder.vatAccountingCurrency = "EUR"
        #expect(try check(builder).findings.isEmpty)
    }

    @Test func paymentMeans() throws {
        var builder = InvoiceBuilder()
        builder.paymentMeans = nil
        #expect(try only(builder)?.rule == "LIASSE-CPP-16")
        builder.paymentMeans = "57"
        #expect(try only(builder)?.rule == "LIASSE-CPP-17")
        builder.paymentMeans = "30"
        builder.iban = nil
        #expect(try only(builder)?.rule == "LIASSE-CPP-18")
        builder.iban = "FR7630006000011234567890188"
        let bad = try only(builder)
        #expect(bad?.rule == "LIASSE-CPP-18")
        #expect(bad?.finding.bt == "BT-84")
        builder.paymentMeans = "49"
        builder.iban = nil
        #expect(try check(builder).findings.isEmpty)
        builder.paymentMeans = "01"
        #expect(try check(builder).findings.isEmpty)
    }

    @Test func aCreditNoteCarriesNoPaymentMeans() throws {
        var builder = InvoiceBuilder()
        builder.typeCode = "381"
        let refused = try only(builder)
        #expect(refused?.rule == "LIASSE-CPP-19")
        builder.paymentMeans = nil
        #expect(try check(builder).findings.isEmpty)
        builder.syntax = .ublCreditNote
        builder.paymentMeans = "30"
        #expect(try only(builder)?.rule == "LIASSE-CPP-19")
    }

    @Test func vatRegimeFromBT8() throws {
        var builder = InvoiceBuilder()
        for (code, regime) in [("5", VATRegime.debits), ("72", .encaissements), ("29", .livraison), ("3", .debits), ("432", .encaissements)] {
            builder.vatPointCode = code
            let outcome = try check(builder)
            #expect(outcome.findings.isEmpty)
            #expect(outcome.facts.vatRegime == regime)
        }
        builder.vatPointCode = "99"
        let refused = try only(builder)
        #expect(refused?.rule == "LIASSE-CPP-20")
        #expect(refused?.code == .coherence)
    }

    @Test func everyFindingIsFatalBilingualAndNamesABT() throws {
        var builder = InvoiceBuilder()
        builder.cadre = "A11"
        builder.number = "F#1"
        builder.currency = "USD"
        builder.paymentMeans = "57"
        builder.buyerReference = "VOIRIE"
        builder.vatPointCode = "1"
        let findings = try check(builder).findings
        #expect(findings.count == 6)
        for finding in findings {
            #expect(finding.severity == .fatal)
            #expect(finding.bt?.hasPrefix("BT-") == true)
            #expect(!finding.message.isEmpty && !finding.messageEn.isEmpty && finding.message != finding.messageEn)
        }
    }
}
