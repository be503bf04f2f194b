import Foundation
import LiasseInvoice
import LiasseRules

/// What an inbox's deposits are held to: whose inbox it is, and whether Chorus Pro's
/// deposit rules apply (the `chorus` rule set) or only the EN 16931 ones.
public struct DepositPolicy: Sendable, Equatable {
    /// Supplier identifiers (SIRET, or VAT number for a foreign supplier) the inbox
    /// belongs to; empty means any supplier.
    public var owners: Set<String>
    /// The Chorus Pro deposit rules, or nil for plain EN 16931 deposits.
    public var chorus: ChorusRules?

    public init(owners: Set<String>, chorus: ChorusRules? = nil) {
        self.owners = owners
        self.chorus = chorus
    }
}

extension ChorusRules: Equatable {
    public static func == (a: ChorusRules, b: ChorusRules) -> Bool { a.defaultCadre == b.defaultCadre }
}

/// Decides whether a valid invoice may be deposited, records it, and gives its certificate.
///
/// The core knows nothing of folders: it takes an invoice and where it came from, and
/// returns a verdict.
public struct DepositCore: Sendable {
    public let ledger: any Ledger
    public let signer: CertificateSigner
    public let policy: DepositPolicy
    /// Where recipients are looked up; the ledger's directory by default.
    public let directory: any RecipientLookup
    /// What deposits are stamped with: the system clock, a fixed or stepping one in tests.
    public var clock: WallClock

    public init(ledger: any Ledger, signer: CertificateSigner, policy: DepositPolicy, directory: (any RecipientLookup)? = nil,
                clock: WallClock = .system) {
        self.ledger = ledger
        self.signer = signer
        self.policy = policy
        self.directory = directory ?? ledger
        self.clock = clock
    }

    /// Where an invoice came from.
    public struct Source: Sendable {
        public var lot: String
        public var entry: String
        public var sha256: String
        public var syntaxCode: ChorusSyntaxCode
        /// The rule packs that judged the invoice before it reached the core.
        public var rulePacks: [RulePackStamp]

        public init(lot: String, entry: String, sha256: String, syntaxCode: ChorusSyntaxCode, rulePacks: [RulePackStamp] = []) {
            self.lot = lot
            self.entry = entry
            self.sha256 = sha256
            self.syntaxCode = syntaxCode
            self.rulePacks = rulePacks
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
        try depositAll([(invoice, source)])[0]
    }

    /// Deposits several invoices, in order, with one ledger transaction for all of them (one
    /// disk flush instead of one per invoice). Each gets the verdict `deposit` would give it
    /// alone after the ones before it: the same number twice in a batch is one deposit and
    /// one duplicate. Nothing is recorded if it throws.
    public func depositAll(_ items: [(invoice: Invoice, source: Source)]) throws -> [Verdict] {
        var verdicts: [Verdict?] = []
        var drafts: [DepositDraft] = []
        var pending: [(index: Int, number: String, year: Int, location: SourceLocation?)] = []
        for (invoice, source) in items {
            switch try prepare(invoice, from: source) {
            case .decided(let verdict):
                verdicts.append(verdict)
            case .ready(let draft):
                pending.append((verdicts.count, draft.invoiceNumber, draft.issueYear, invoice.number?.location))
                drafts.append(draft)
                verdicts.append(nil)
            }
        }
        let outcomes = try ledger.recordAll(drafts, signer: signer)
        for (item, outcome) in zip(pending, outcomes) {
            switch outcome {
            case .recorded(let certificate):
                verdicts[item.index] = .deposited(certificate)
            case .resent(let certificate):
                verdicts[item.index] = .resent(certificate)
            case .duplicate(let holder):
                verdicts[item.index] = .refused([DepositFindings.duplicate(number: item.number, year: item.year, holder: holder,
                                                                           location: item.location)])
            }
        }
        return verdicts.map { $0! }
    }

    /// What the checks before the ledger say of one invoice.
    enum Preparation {
        /// Known without the ledger's transaction: a re-send, or refused.
        case decided(Verdict)
        /// To be recorded.
        case ready(DepositDraft)
    }

    /// Every deposit rule that does not need the ledger's transaction, and the draft.
    func prepare(_ invoice: Invoice, from source: Source) throws -> Preparation {
        if let previous = try ledger.deposit(forSource: source.sha256) {
            return .decided(.resent(previous))
        }
        var findings: [Finding] = []
        let number = invoice.number?.value ?? ""
        if number.isEmpty {
            findings.append(DepositFindings.missing("BT-1", "le numéro de facture", "the invoice number", invoice.number?.location))
        }
        let issueDate = invoice.issueDate?.date
        if issueDate == nil {
            findings.append(DepositFindings.missing("BT-2", "une date d'émission valide", "a valid issue date",
                                                    invoice.issueDate?.text.location))
        }
        let supplier = invoice.seller.flatMap(PartyIdentification.supplier)
        if let supplier {
            if !policy.owners.isEmpty && !policy.owners.contains(supplier.value) {
                findings.append(DepositFindings.notOwner(supplier: supplier, owners: policy.owners))
            }
        } else if policy.chorus == nil {
            // The Chorus Pro rules say more precisely what is missing.
            findings.append(DepositFindings.missing("BT-30", "l'identifiant du fournisseur (SIRET, schéma 0009)",
                                                    "the supplier identifier (SIRET, scheme 0009)", invoice.seller?.location))
        } else if !policy.owners.isEmpty {
            findings.append(DepositFindings.notOwner(supplier: nil, owners: policy.owners))
        }
        var facts = ChorusRules.Facts()
        if let chorus = policy.chorus {
            let outcome = try chorus.check(invoice, directory: directory)
            findings += outcome.findings
            facts = outcome.facts
        }
        guard !findings.hasFatal, let issueDate, let supplier else { return .decided(.refused(findings)) }

        let buyer = invoice.buyer
        let recipientSIRET = buyer.flatMap { PartyIdentification.siret(of: $0, isBuyer: true) }?.value
            ?? buyer.flatMap(PartyIdentification.supplier)?.value ?? ""
        let body = CertificateBody(
            lot: source.lot, entry: source.entry,
            depositedAt: clock.timestamp(),
            invoiceNumber: number, issueDate: issueDate.description,
            typeCode: invoice.typeCode?.value ?? "",
            syntaxCode: source.syntaxCode.rawValue, profile: invoice.profile.name,
            cadreDeFacturation: facts.cadre?.code,
            cadreDefaulted: facts.cadreDefaulted ? true : nil,
            supplier: PartyReference(siret: supplier.value, name: invoice.seller?.name?.value ?? ""),
            recipient: RecipientReference(siret: recipientSIRET,
                                          name: facts.recipient?.name ?? buyer?.name?.value ?? "",
                                          service: invoice.buyerReference.flatMap { $0.isEmpty ? nil : $0.value },
                                          serviceName: facts.service?.name),
            engagementNumber: invoice.purchaseOrderReference.flatMap { $0.isEmpty ? nil : $0.value },
            contractReference: invoice.contractReference.flatMap { $0.isEmpty ? nil : $0.value },
            vatRegime: facts.vatRegime?.rawValue,
            amounts: CertificateAmounts(
                ht: invoice.totals.taxExclusive?.text.value ?? "",
                tva: invoice.totals.vatTotal(in: invoice.currency?.value)?.text.value ?? "0.00",
                ttc: invoice.totals.taxInclusive?.text.value ?? "",
                due: invoice.totals.due?.text.value ?? "",
                currency: invoice.currency?.value ?? ""),
            sourceSha256: source.sha256,
            rulePacks: source.rulePacks + (policy.chorus != nil ? [ChorusRules.stamp] : []))
        return .ready(DepositDraft(supplierKey: supplier.value, invoiceNumber: number, issueYear: issueDate.year,
                                   recipientKey: recipientSIRET.isEmpty ? nil : recipientSIRET, body: body))
    }
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

    static func notOwner(supplier: PartyIdentification?, owners: Set<String>) -> Finding {
        let list = owners.sorted().joined(separator: ", ")
        let who = supplier.map { "Le fournisseur \($0.value)" } ?? "Le fournisseur, qui n'est pas identifié,"
        let whoEn = supplier.map { "Supplier \($0.value)" } ?? "The supplier, which is not identified,"
        return Finding(rule: "LIASSE-DEP-02", severity: .fatal, code: .coherence,
                       message: "\(who) n'est pas la structure de ce dépôt (\(list)) : personne ne dépose au nom d'un autre. Déposez la facture dans le dossier de son fournisseur.",
                       messageEn: "\(whoEn) is not the structure this inbox belongs to (\(list)): nobody deposits in someone else's name. Drop the invoice in its supplier's inbox.",
                       bt: supplier?.bt ?? "BT-30", path: supplier?.location.path, line: supplier?.location.line)
    }

    static func duplicate(number: String, year: Int, holder: Certificate?, location: SourceLocation?) -> Finding {
        let previous = holder.map { " (certificat \($0.fingerprint), déposée le \($0.body.depositedAt))" } ?? ""
        let previousEn = holder.map { " (certificate \($0.fingerprint), deposited \($0.body.depositedAt))" } ?? ""
        return Finding(rule: "LIASSE-DEP-UNI", severity: .fatal, code: .duplicate,
                       message: "Vous avez déjà déposé une demande de paiement avec ce numéro de facture pour cette structure : \(number), année \(year)\(previous). Une facture acceptée ne peut pas être redéposée ; si c'est une nouvelle facture, donnez-lui un nouveau numéro.",
                       messageEn: "You have already deposited a payment request with this invoice number for this structure: \(number), year \(year)\(previousEn). An accepted invoice cannot be deposited again; give a new invoice a new number.",
                       bt: "BT-1", path: location?.path, line: location?.line)
    }
}
