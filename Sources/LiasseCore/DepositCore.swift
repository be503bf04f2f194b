import Foundation
import LiasseInvoice
import LiasseRules

/// Decides whether a valid invoice may be deposited, records it, and gives its certificate.
///
/// The core knows nothing of folders: it takes an invoice and where it came from, and
/// returns a verdict.
public struct DepositCore: Sendable {
    public let ledger: any Ledger
    public let signer: CertificateSigner
    /// Supplier SIRETs the inbox belongs to; empty means any supplier.
    public let owners: Set<String>
    /// The clock, replaceable in tests.
    public var now: @Sendable () -> Date = { Date() }

    public init(ledger: any Ledger, signer: CertificateSigner, owners: Set<String>) {
        self.ledger = ledger
        self.signer = signer
        self.owners = owners
    }

    /// Where an invoice came from.
    public struct Source: Sendable {
        public var lot: String
        public var entry: String
        public var sha256: String
        public var syntaxCode: ChorusSyntaxCode

        public init(lot: String, entry: String, sha256: String, syntaxCode: ChorusSyntaxCode) {
            self.lot = lot
            self.entry = entry
            self.sha256 = sha256
            self.syntaxCode = syntaxCode
        }
    }

    /// The core's verdict on one invoice.
    public enum Verdict: Sendable {
        case deposited(Certificate)
        /// These exact bytes were deposited before: the same certificate answers.
        case resent(Certificate)
        case refused([Finding])
    }

    /// Deposits `invoice` (already valid for the selected rules) unless a deposit rule refuses it.
    public func deposit(_ invoice: Invoice, from source: Source) throws -> Verdict {
        if let previous = try ledger.deposit(forSource: source.sha256) {
            return .resent(previous)
        }
        var findings: [Finding] = []
        let number = invoice.number?.value ?? ""
        if number.isEmpty {
            findings.append(DepositFindings.missing("BT-1", "le numéro de facture", "the invoice number", invoice.number?.location))
        }
        guard let issueDate = invoice.issueDate?.date else {
            findings.append(DepositFindings.missing("BT-2", "une date d'émission valide", "a valid issue date",
                                                    invoice.issueDate?.text.location))
            return .refused(findings)
        }
        guard let supplier = invoice.seller.flatMap(Self.supplierKey) else {
            findings.append(DepositFindings.missing("BT-30", "l'identifiant du fournisseur (SIRET, schéma 0009)",
                                                    "the supplier identifier (SIRET, scheme 0009)", invoice.seller?.location))
            return .refused(findings)
        }
        if !owners.isEmpty && !owners.contains(supplier.value) {
            findings.append(DepositFindings.notOwner(supplier: supplier, owners: owners))
        }
        guard findings.isEmpty else { return .refused(findings) }

        let buyer = invoice.buyer
        let body = CertificateBody(
            certificateVersion: 1, sequence: 0, previousFingerprint: nil,
            lot: source.lot, entry: source.entry,
            depositedAt: now().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false)),
            invoiceNumber: number, issueDate: issueDate.description,
            typeCode: invoice.typeCode?.value ?? "",
            syntaxCode: source.syntaxCode.rawValue, profile: invoice.profile.name,
            supplier: PartyReference(siret: supplier.value, name: invoice.seller?.name?.value ?? ""),
            recipient: RecipientReference(siret: buyer.flatMap(Self.supplierKey)?.value ?? "",
                                          name: buyer?.name?.value ?? "",
                                          service: invoice.buyerReference?.value),
            engagementNumber: invoice.purchaseOrderReference?.value,
            amounts: CertificateAmounts(
                ht: invoice.totals.taxExclusive?.text.value ?? "",
                tva: invoice.totals.vatTotal(in: invoice.currency?.value)?.text.value ?? "0.00",
                ttc: invoice.totals.taxInclusive?.text.value ?? "",
                due: invoice.totals.due?.text.value ?? "",
                currency: invoice.currency?.value ?? ""),
            status: InvoiceStatus.deposee.rawValue,
            sourceSha256: source.sha256)
        let draft = DepositDraft(supplierKey: supplier.value, invoiceNumber: number, issueYear: issueDate.year,
                                 recipientKey: body.recipient.siret.isEmpty ? nil : body.recipient.siret, body: body)
        switch try ledger.record(draft, signer: signer) {
        case .recorded(let certificate):
            return .deposited(certificate)
        case .resent(let certificate):
            return .resent(certificate)
        case .duplicate(let holder):
            return .refused([DepositFindings.duplicate(number: number, year: issueDate.year, holder: holder,
                                                       location: invoice.number?.location)])
        }
    }

    /// The identifier a party is known by in the ledger: its SIRET, else its VAT identifier,
    /// else its legal registration or first identifier.
    static func supplierKey(_ party: Party) -> Text? {
        let candidates = [party.siret, party.vatIdentifier, party.legalRegistration, party.identifiers.first]
        return candidates.lazy.compactMap { $0 }.first { !$0.isEmpty }
    }
}

/// Invoice statuses of Chorus Pro.
public enum InvoiceStatus: String, Sendable, Codable, CaseIterable {
    case deposee = "DEPOSEE"
    case enCoursAcheminement = "EN_COURS_ACHEMINEMENT"
    case miseADisposition = "MISE_A_DISPOSITION"
    case aRecycler = "A_RECYCLER"
    case suspendue = "SUSPENDUE"
    case rejetee = "REJETEE"
    case mandatee = "MANDATEE"
    case miseEnPaiement = "MISE_EN_PAIEMENT"
    case comptabilisee = "COMPTABILISEE"
}

extension DocumentTotals {
    /// BT-110: the total VAT in the invoice currency (UBL and CII may also carry BT-111,
    /// the total in the accounting currency, beside it).
    public func vatTotal(in currency: String?) -> Amount? {
        vatTotals.first { $0.unit == nil || $0.unit == currency } ?? vatTotals.first
    }
}

enum DepositFindings {
    static func missing(_ bt: String, _ fr: String, _ en: String, _ location: SourceLocation?) -> Finding {
        Finding(rule: "LIASSE-DEP-01", severity: .fatal, code: .coherence,
                message: "Dépôt impossible : la facture ne porte pas \(fr) (\(bt)). Renseignez-le.",
                messageEn: "Cannot deposit: the invoice lacks \(en) (\(bt)). Fill it in.",
                bt: bt, path: location?.path, line: location?.line)
    }

    static func notOwner(supplier: Text, owners: Set<String>) -> Finding {
        let list = owners.sorted().joined(separator: ", ")
        return Finding(rule: "LIASSE-DEP-02", severity: .fatal, code: .coherence,
                       message: "Le fournisseur \(supplier.value) n'est pas la structure de ce dépôt (\(list)) : personne ne dépose au nom d'un autre. Déposez la facture dans le dossier de son fournisseur.",
                       messageEn: "Supplier \(supplier.value) is not the structure this inbox belongs to (\(list)): nobody deposits in someone else's name. Drop the invoice in its supplier's inbox.",
                       bt: "BT-30", path: supplier.location.path, line: supplier.location.line)
    }

    static func duplicate(number: String, year: Int, holder: Certificate?, location: SourceLocation?) -> Finding {
        let previous = holder.map { " (certificat \($0.fingerprint), déposée le \($0.body.depositedAt))" } ?? ""
        let previousEn = holder.map { " (certificate \($0.fingerprint), deposited \($0.body.depositedAt))" } ?? ""
        return Finding(rule: "LIASSE-DEP-UNI", severity: .fatal, code: .duplicate,
                       message: "Vous avez déjà déposé une demande de paiement avec ce numéro de facture pour cette structure : \(number), année \(year)\(previous). Une facture acceptée ne peut pas être redéposée ; si c'est une nouvelle facture, donnez-lui un nouveau numéro.",
                       messageEn: "An invoice numbered \(number) for year \(year) was already deposited for this supplier\(previousEn). An accepted invoice cannot be deposited again; give a new invoice a new number.",
                       bt: "BT-1", path: location?.path, line: location?.line)
    }
}
