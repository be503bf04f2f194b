import Foundation
import LiasseInvoice

/// The deposit rules of Chorus Pro (docs/RULE-PACKS.md, pack `chorus`), run by the core on an invoice that the
/// selected rule sets found valid: billing framework, invoice number, SIRETs, addressing
/// against the recipient directory, currency, payment means and VAT regime.
///
/// Every check speaks BT numbers and returns findings with a reason code (`REJ_COH`,
/// `REJ_ADR`, `REJ_CONT_B2G`) and a message that says what to change.
public struct ChorusRules: Sendable {
    /// The cadre used when BT-23 is absent; nil refuses an invoice without one.
    public var defaultCadre: CadreDeFacturation?

    public init(defaultCadre: CadreDeFacturation? = nil) {
        self.defaultCadre = defaultCadre
    }

    /// What the rules established about an invoice, for its certificate.
    public struct Facts: Sendable, Equatable {
        public var cadre: CadreDeFacturation?
        /// True when the cadre is the inbox's default (BT-23 absent).
        public var cadreDefaulted = false
        public var recipient: Recipient?
        public var service: RecipientService?
        public var vatRegime: VATRegime?

        public init() {}
    }

    /// The verdict of the rules.
    public struct Outcome: Sendable {
        public var findings: [Finding]
        public var facts: Facts
    }

    /// Payment means codes (BT-81) Chorus Pro accepts.
    public static let paymentMeansCodes: Set<String> = ["1", "10", "20", "30", "31", "42", "48", "49", "58", "59", "97"]
    /// Payment means that pay into an account: BT-84 must hold its IBAN.
    public static let creditTransferCodes: Set<String> = ["30", "31", "42", "58"]
    /// Longest invoice number (BT-1).
    public static let maxInvoiceNumberLength = 20
    /// Longest engagement number (BT-13).
    public static let maxEngagementLength = 50
    /// Document type codes (BT-3) of credit notes.
    public static let creditNoteTypes: Set<String> = ["381", "261", "262", "296", "308", "396", "420", "458", "532"]

    /// What the outputs of an invoice these rules judged say of them.
    public static let stamp = RulePackStamp(.chorus, mode: .fatal, artefact: nil)

    /// Runs every rule on `invoice`, looking recipients up in `directory`.
    public func check(_ invoice: Invoice, directory: any RecipientLookup) throws -> Outcome {
        var findings: [Finding] = []
        var facts = Facts()
        checkCadre(invoice, &findings, &facts)
        checkNumber(invoice, &findings)
        checkSupplier(invoice, &findings)
        try checkRecipient(invoice, directory: directory, &findings, &facts)
        checkCurrency(invoice, &findings)
        checkPaymentMeans(invoice, &findings)
        checkVATRegime(invoice, &findings, &facts)
        return Outcome(findings: findings, facts: facts)
    }

    /// Whether the invoice is a credit note (BT-3, or a UBL CreditNote).
    public static func isCreditNote(_ invoice: Invoice) -> Bool {
        invoice.syntax == .ublCreditNote || creditNoteTypes.contains(invoice.typeCode?.value ?? "")
    }

    func checkCadre(_ invoice: Invoice, _ findings: inout [Finding], _ facts: inout Facts) {
        guard let text = invoice.businessProcess, !text.isEmpty else {
            if let defaultCadre {
                facts.cadre = defaultCadre
                facts.cadreDefaulted = true
            } else {
                findings.append(ChorusFindings.cadreMissing())
            }
            return
        }
        guard let cadre = CadreDeFacturation(text.value) else {
            findings.append(ChorusFindings.cadreNotAccepted(text))
            return
        }
        facts.cadre = cadre
        if cadre == .a2, let due = invoice.totals.due, let value = due.value, !value.isZero {
            findings.append(ChorusFindings.alreadyPaidWithAmountDue(due))
        }
    }

    func checkNumber(_ invoice: Invoice, _ findings: inout [Finding]) {
        guard let number = invoice.number, !number.isEmpty else { return }
        let value = number.value
        let allowed = value.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", " ", "+", "_", "/", "-": return true
            default: return false
            }
        }
        if value.count > Self.maxInvoiceNumberLength || !allowed {
            findings.append(ChorusFindings.invoiceNumberFormat(number, tooLong: value.count > Self.maxInvoiceNumberLength))
        }
    }

    func checkSupplier(_ invoice: Invoice, _ findings: inout [Finding]) {
        guard let seller = invoice.seller else { return }
        if let id = PartyIdentification.siret(of: seller, isBuyer: false) {
            if id.kind == .siren {
                findings.append(ChorusFindings.sirenInsteadOfSIRET(id, party: .supplier))
            } else if let problem = SIRET.problem(id.value) {
                findings.append(ChorusFindings.badSIRET(id, problem: problem, party: .supplier))
            }
            return
        }
        // A foreign supplier is identified by its intra-EU VAT number; a French one needs its SIRET.
        let vat = seller.vatIdentifier?.value ?? ""
        let country = seller.address?.countryCode?.value ?? ""
        if !vat.isEmpty && !vat.uppercased().hasPrefix("FR") && country != "FR" { return }
        findings.append(ChorusFindings.siretMissing(party: .supplier, location: seller.location))
    }

    func checkRecipient(_ invoice: Invoice, directory: any RecipientLookup, _ findings: inout [Finding], _ facts: inout Facts) throws {
        guard let buyer = invoice.buyer else {
            findings.append(ChorusFindings.siretMissing(party: .recipient, location: nil))
            return
        }
        guard let id = PartyIdentification.siret(of: buyer, isBuyer: true) else {
            findings.append(ChorusFindings.siretMissing(party: .recipient, location: buyer.location))
            return
        }
        if id.kind == .siren {
            findings.append(ChorusFindings.sirenInsteadOfSIRET(id, party: .recipient))
            return
        }
        if let problem = SIRET.problem(id.value) {
            findings.append(ChorusFindings.badSIRET(id, problem: problem, party: .recipient))
            return
        }
        guard let recipient = try directory.recipient(siret: id.value) else {
            findings.append(ChorusFindings.recipientUnknown(id))
            return
        }
        facts.recipient = recipient
        guard recipient.active else {
            findings.append(ChorusFindings.recipientInactive(recipient, id))
            return
        }
        let serviceCode = invoice.buyerReference.flatMap { $0.isEmpty ? nil : $0 }
        let engagement = invoice.purchaseOrderReference.flatMap { $0.isEmpty ? nil : $0 }
        if let engagement, engagement.value.count > Self.maxEngagementLength {
            findings.append(ChorusFindings.engagementTooLong(engagement))
        }
        if let serviceCode {
            if let service = recipient.service(serviceCode.value) {
                facts.service = service
                if !service.active {
                    findings.append(ChorusFindings.serviceInactive(service, recipient: recipient, text: serviceCode))
                } else if service.engagementRequired && engagement == nil {
                    findings.append(ChorusFindings.engagementMissing(recipient: recipient, service: service))
                }
            } else {
                findings.append(ChorusFindings.serviceUnknown(serviceCode, recipient: recipient))
            }
        } else if recipient.requires.requiresService {
            findings.append(ChorusFindings.serviceMissing(recipient: recipient))
        }
        if recipient.requires.requiresEngagement && engagement == nil && facts.service?.engagementRequired != true {
            findings.append(ChorusFindings.engagementMissing(recipient: recipient, service: nil))
        }
        if recipient.requires == .serviceOrEngagement && serviceCode == nil && engagement == nil {
            findings.append(ChorusFindings.serviceOrEngagementMissing(recipient: recipient))
        }
    }

    func checkCurrency(_ invoice: Invoice, _ findings: inout [Finding]) {
        let currency = invoice.currency?.value ?? ""
        let accounting = invoice.vatAccountingCurrency?.value
        guard currency != "EUR" && accounting != "EUR" else { return }
        findings.append(ChorusFindings.currency(invoice.currency))
    }

    func checkPaymentMeans(_ invoice: Invoice, _ findings: inout [Finding]) {
        let instructions = invoice.paymentInstructions
        if Self.isCreditNote(invoice) {
            if let first = instructions.first(where: { $0.meansCode.map { !$0.isEmpty } ?? false }) {
                findings.append(ChorusFindings.paymentMeansOnCreditNote(first))
            }
            return
        }
        let coded = instructions.compactMap { instruction in instruction.meansCode.flatMap { $0.isEmpty ? nil : (instruction, $0) } }
        guard !coded.isEmpty else {
            findings.append(ChorusFindings.paymentMeansMissing(instructions.first?.location))
            return
        }
        for (instruction, code) in coded {
            let normalized = code.value.count == 2 && code.value.hasPrefix("0") ? String(code.value.dropFirst()) : code.value
            guard Self.paymentMeansCodes.contains(normalized) else {
                findings.append(ChorusFindings.paymentMeansNotAccepted(code))
                continue
            }
            guard Self.creditTransferCodes.contains(normalized) else { continue }
            let accounts = instruction.creditTransfers.compactMap(\.accountIdentifier).filter { !$0.isEmpty }
            if accounts.isEmpty {
                findings.append(ChorusFindings.ibanMissing(code: code, location: instruction.location))
            } else if let bad = accounts.first(where: { !IBAN.isValid($0.value) }) {
                findings.append(ChorusFindings.ibanInvalid(bad))
            }
        }
    }

    func checkVATRegime(_ invoice: Invoice, _ findings: inout [Finding], _ facts: inout Facts) {
        guard let code = invoice.taxPointDateCode, !code.isEmpty else { return }
        guard let regime = VATRegime(code: code.value) else {
            findings.append(ChorusFindings.vatRegimeUnknown(code, syntax: invoice.syntax))
            return
        }
        facts.vatRegime = regime
    }
}

/// The VAT regime an invoice declares through BT-8 (the code of the date VAT becomes due).
public enum VATRegime: String, Sendable, Codable, Equatable {
    /// « TVA sur les débits »: VAT due at invoicing (CII 5, UBL 3).
    case debits
    /// « TVA sur les encaissements »: VAT due when paid (CII 72, UBL 432).
    case encaissements
    /// VAT due at delivery (CII 29, UBL 35).
    case livraison

    /// Reads a BT-8 code, in CII's (UNTDID 2475) or UBL's (UNTDID 2005) list.
    public init?(code: String) {
        switch code {
        case "5", "3": self = .debits
        case "72", "432": self = .encaissements
        case "29", "35": self = .livraison
        default: return nil
        }
    }

    /// The French name the portal shows.
    public var label: String {
        switch self {
        case .debits: return "TVA sur les débits"
        case .encaissements: return "TVA sur les encaissements"
        case .livraison: return "TVA exigible à la livraison"
        }
    }
}
