import Foundation
import LiasseCore
import LiasseInvoice
import LiasseRules

/// Builds invoices in the model, valid for Chorus Pro by default, so a test can break one thing.
struct InvoiceBuilder {
    var number = "F2026-0001"
    var issueDate = "2026-11-02"
    var typeCode = "380"
    var syntax: InvoiceSyntax = .ublInvoice
    var cadre: String? = "A1"
    var sellerSIRET: String? = "83241795000017"
    var sellerScheme: String? = "0009"
    var sellerVAT: String? = "FR17832417950"
    var sellerCountry = "FR"
    var buyerSIRET: String? = "21730412000017"
    var buyerScheme: String? = "0009"
    var buyerReference: String? = "SERVICES-TECHNIQUES"
    var orderReference: String? = "EJ-2026-0451"
    var contract: String? = nil
    var currency = "EUR"
    var vatAccountingCurrency: String? = nil
    var paymentMeans: String? = "30"
    var iban: String? = "FR7630006000011234567890189"
    var due = "907.20"
    var vatPointCode: String? = nil

    static let here = SourceLocation(path: "/Invoice", line: 1)

    static func text(_ value: String, scheme: String? = nil, path: String = "/Invoice") -> Text {
        Text(raw: value, scheme: scheme, location: SourceLocation(path: path, line: 1))
    }

    static func amount(_ value: String) -> Amount { Amount(text: text(value), unit: "EUR") }

    var invoice: Invoice {
        var invoice = Invoice(syntax: syntax, profile: .en16931)
        invoice.number = Self.text(number, path: "/Invoice/cbc:ID")
        invoice.issueDate = DateValue(text: Self.text(issueDate), date: CalendarDate(iso: issueDate))
        invoice.typeCode = Self.text(typeCode)
        invoice.currency = Self.text(currency)
        invoice.vatAccountingCurrency = vatAccountingCurrency.map { Self.text($0) }
        invoice.businessProcess = cadre.map { Self.text($0, path: "/Invoice/cbc:ProfileID") }
        invoice.buyerReference = buyerReference.map { Self.text($0) }
        invoice.purchaseOrderReference = orderReference.map { Self.text($0) }
        invoice.contractReference = contract.map { Self.text($0) }
        invoice.taxPointDateCode = vatPointCode.map { Self.text($0) }
        var seller = Party(location: Self.here)
        seller.name = Self.text("Imprimerie Delmas et Fils SAS")
        seller.legalRegistration = sellerSIRET.map { Self.text($0, scheme: sellerScheme) }
        seller.vatIdentifier = sellerVAT.map { Self.text($0) }
        var address = PostalAddress(location: Self.here)
        address.countryCode = Self.text(sellerCountry)
        seller.address = address
        invoice.seller = seller
        var buyer = Party(location: Self.here)
        buyer.name = Self.text("Commune de Saint-Aubin-des-Prés")
        buyer.legalRegistration = buyerSIRET.map { Self.text($0, scheme: buyerScheme) }
        invoice.buyer = buyer
        if let paymentMeans {
            var instructions = PaymentInstructions(location: Self.here)
            instructions.meansCode = Self.text(paymentMeans)
            if let iban {
                var transfer = CreditTransfer(location: Self.here)
                transfer.accountIdentifier = Self.text(iban)
                instructions.creditTransfers = [transfer]
            }
            invoice.paymentInstructions = [instructions]
        }
        invoice.totals.taxExclusive = Self.amount("756.00")
        invoice.totals.vatTotals = [Self.amount("151.20")]
        invoice.totals.taxInclusive = Self.amount("907.20")
        invoice.totals.due = Self.amount(due)
        return invoice
    }
}

/// The example directory of the checkout (Config/annuaire.example.csv), and a small one.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var exampleDirectoryText: String {
        (try? String(contentsOf: root.appendingPathComponent("Config/annuaire.example.csv"), encoding: .utf8)) ?? ""
    }

    static var directory: RecipientDirectory {
        RecipientDirectory([
            Recipient(siret: "21730412000017", name: "Commune de Saint-Aubin-des-Prés", active: true, requires: .service, services: [
                RecipientService(code: "SERVICES-TECHNIQUES", name: "Services techniques", active: true, engagementRequired: false),
                RecipientService(code: "ECOLES", name: "Affaires scolaires", active: true, engagementRequired: true),
                RecipientService(code: "CCAS", name: "CCAS", active: false, engagementRequired: false),
            ]),
            Recipient(siret: "26690158600013", name: "Centre hospitalier des Trois Vallées", active: true, requires: .serviceAndEngagement, services: [
                RecipientService(code: "DIR-ACHATS", name: "Direction des achats", active: true, engagementRequired: true),
            ]),
            Recipient(siret: "73282932000074", name: "Structure sans exigence", active: true, requires: .none),
            Recipient(siret: "44306184100047", name: "Service ou engagement", active: true, requires: .serviceOrEngagement),
            Recipient(siret: "11000201100044", name: "Ancienne structure", active: false, requires: .none),
        ])
    }
}

/// A temporary folder, removed when the value goes.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A core over a fresh ledger in a temporary folder.
struct CoreFixture {
    let folder: TemporaryFolder
    let ledger: SQLiteLedger
    let signer: CertificateSigner
    /// Every fixture deposits on the same days, whatever the day the tests run: from
    /// 27 November 2026 at 10:00 UTC, a minute later at each reading.
    let clock = WallClock.stepping(from: CoreFixture.depositDay, by: 60)
    static let depositDay = Date(timeIntervalSince1970: 1_795_773_600) // 2026-11-27T10:00:00Z

    init() throws {
        folder = try TemporaryFolder()
        ledger = try SQLiteLedger(path: folder.path("state/ledger.sqlite"))
        signer = try CertificateSigner.loadOrCreate(at: folder.path("state/certificate-signing.key"))
        try ledger.importDirectory(Fixtures.directory, source: "test", sha256: "0", at: clock.now())
    }

    func core(owners: Set<String> = ["83241795000017"], chorus: ChorusRules? = ChorusRules()) -> DepositCore {
        DepositCore(ledger: ledger, signer: signer, policy: DepositPolicy(owners: owners, chorus: chorus), clock: clock)
    }

    static func source(_ sha: String, entry: String = "f.xml") -> DepositCore.Source {
        DepositCore.Source(lot: "LOT-TEST", entry: entry, sha256: sha, syntaxCode: .ublInvoice)
    }
}

extension DepositCore.Verdict {
    var certificate: Certificate? {
        switch self {
        case .deposited(let certificate), .resent(let certificate): return certificate
        case .refused: return nil
        }
    }

    var rules: [String] {
        if case .refused(let findings) = self { return findings.map(\.rule) }
        return []
    }

    var isDeposited: Bool { if case .deposited = self { return true } else { return false } }
    var isResent: Bool { if case .resent = self { return true } else { return false } }
}
