public import LiasseXML

/// The XML syntaxes Liasse reads invoices from.
public enum InvoiceSyntax: String, Sendable, Codable, CaseIterable {
    case ublInvoice = "ubl-invoice"
    case ublCreditNote = "ubl-creditnote"
    case cii = "cii"

    /// Whether the syntax is one of UBL's.
    public var isUBL: Bool { self != .cii }
}

/// XML namespaces of the syntaxes, as compile-time strings (the model reader compares
/// element names with these without converting them).
public enum NamespaceURI {
    public static let ublInvoice: StaticString = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    public static let ublCreditNote: StaticString = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    public static let cbc: StaticString = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    public static let cac: StaticString = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    public static let rsm: StaticString = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    public static let ram: StaticString = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    public static let udt: StaticString = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
    public static let qdt: StaticString = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
    public static let zugferd1: StaticString = "urn:ferd:CrossIndustryDocument:invoice:1p0"
}

/// XML namespaces of the syntaxes.
public enum Namespace {
    public static let ublInvoice = NamespaceURI.ublInvoice.description
    public static let ublCreditNote = NamespaceURI.ublCreditNote.description
    public static let cbc = NamespaceURI.cbc.description
    public static let cac = NamespaceURI.cac.description
    public static let rsm = NamespaceURI.rsm.description
    public static let ram = NamespaceURI.ram.description
    public static let udt = NamespaceURI.udt.description
    public static let qdt = NamespaceURI.qdt.description
    public static let zugferd1 = NamespaceURI.zugferd1.description
}

/// What a well-formed XML document turned out to be.
public enum DocumentKind: Sendable, Equatable {
    /// An invoice in a syntax Liasse reads.
    case invoice(InvoiceSyntax)
    /// An invoice in a version Liasse recognises but does not accept (ZUGFeRD 1.0, UBL 2.0…).
    case unsupportedVersion(String)
    /// Some other XML document (an order, a web page…).
    case notAnInvoice(OtherDocument)

    /// Detects the kind from the document element's name and namespace.
    public static func detect(_ root: XMLElement) -> DocumentKind {
        let name = root.localName
        let namespace = root.namespaceURI
        switch (namespace, name) {
        case (Namespace.ublInvoice?, "Invoice"), (Namespace.ublCreditNote?, "CreditNote"):
            let version = root.firstChild("UBLVersionID", in: Namespace.cbc)?.text.normalizedSpace
            if let version, version.hasPrefix("2.0") || version.hasPrefix("1.") {
                return .unsupportedVersion("UBL \(version) (only UBL 2.1 invoices and credit notes are accepted)")
            }
            return .invoice(name == "Invoice" ? .ublInvoice : .ublCreditNote)
        case (Namespace.rsm?, "CrossIndustryInvoice"):
            return .invoice(.cii)
        case (Namespace.zugferd1?, "CrossIndustryDocument"):
            return .unsupportedVersion("ZUGFeRD 1.0 (CrossIndustryDocument); send Factur-X 1.0 or later, or EN 16931 CII")
        case (Namespace.ublInvoice?, _):
            // The namespace of an invoice, but not its root: a misspelt root.
            return .notAnInvoice(.wrongRoot(found: name, expected: "Invoice (dans l'espace de noms \(Namespace.ublInvoice))",
                                            expectedEn: "Invoice (in the namespace \(Namespace.ublInvoice))"))
        case (Namespace.ublCreditNote?, _):
            return .notAnInvoice(.wrongRoot(found: name, expected: "CreditNote (dans l'espace de noms \(Namespace.ublCreditNote) ; une facture a pour racine Invoice dans l'espace de noms \(Namespace.ublInvoice))",
                                            expectedEn: "CreditNote (in the namespace \(Namespace.ublCreditNote); an invoice has the root Invoice in the namespace \(Namespace.ublInvoice))"))
        case (Namespace.rsm?, _):
            return .notAnInvoice(.wrongRoot(found: "rsm:" + name, expected: "rsm:CrossIndustryInvoice", expectedEn: "rsm:CrossIndustryInvoice"))
        case (let ns?, _) where ns.hasPrefix("urn:oasis:names:specification:ubl:schema:xsd:"):
            let document = ns.dropFirst("urn:oasis:names:specification:ubl:schema:xsd:".count)
            return .notAnInvoice(.ublDocument(String(document)))
        case (_, _) where name.lowercased() == "html":
            return .notAnInvoice(.html)
        default:
            return .notAnInvoice(.otherRoot(namespace.map { "{\($0)}\(name)" } ?? name))
        }
    }
}

/// A well-formed XML document that is not an invoice, named so the message says what it is.
public enum OtherDocument: Sendable, Equatable {
    /// A UBL document of another kind (`Order-2`, `DespatchAdvice-2`…).
    case ublDocument(String)
    /// A web page.
    case html
    /// Any other root element, qualified by its namespace.
    case otherRoot(String)
    /// A document without a root element.
    case noRoot
    /// The namespace of an invoice with another root element (`Facture`, `CrossIndustryInvoices`).
    case wrongRoot(found: String, expected: String, expectedEn: String)

    /// What the document is, in English.
    public var english: String {
        switch self {
        case .ublDocument(let kind): return "a UBL \(kind) document, not an invoice or credit note"
        case .html: return "an HTML page"
        case .otherRoot(let root): return "an XML document whose root element is \(root)"
        case .noRoot: return "a document without a root element"
        case .wrongRoot(let found, _, let expected):
            return "a document whose root element \(found) is unknown; the root must be \(expected)"
        }
    }

    /// What the document is, in French.
    public var french: String {
        switch self {
        case .ublDocument(let kind): return "un document UBL \(kind), qui n'est ni une facture ni un avoir"
        case .html: return "une page HTML"
        case .otherRoot(let root): return "un document XML dont l'élément racine est \(root)"
        case .noRoot: return "un document sans élément racine"
        case .wrongRoot(let found, let expected, _):
            return "un document dont l'élément racine \(found) est inconnu ; la racine doit être \(expected)"
        }
    }
}

/// The profile an invoice claims through BT-24, the specification identifier.
public enum InvoiceProfile: Sendable, Hashable {
    case facturXMinimum
    case facturXBasicWL
    case facturXBasic
    case en16931
    case facturXExtended
    case extendedCTCFR
    case xrechnung
    case peppolBIS
    /// A ZUGFeRD 2.0 identifier: recognised, not accepted.
    case zugferd2(String)
    /// Missing, or a value Liasse does not know.
    case unknown(String?)

    /// Maps a BT-24 value (spaces trimmed) to its profile.
    public init(specificationIdentifier raw: String?) {
        guard let raw else { self = .unknown(nil); return }
        let value = raw.normalizedSpace
        switch value {
        case "urn:factur-x.eu:1p0:minimum": self = .facturXMinimum
        case "urn:factur-x.eu:1p0:basicwl": self = .facturXBasicWL
        case "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": self = .facturXBasic
        case "urn:cen.eu:en16931:2017": self = .en16931
        case "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": self = .facturXExtended
        case "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr": self = .extendedCTCFR
        case "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0": self = .peppolBIS
        default:
            if value.hasPrefix("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung") {
                self = .xrechnung
            } else if value.hasPrefix("urn:zugferd.de:2p0:") {
                self = .zugferd2(value)
            } else {
                self = .unknown(value)
            }
        }
    }

    /// A short name for reports (`EN 16931`, `BASIC WL`…).
    public var name: String {
        switch self {
        case .facturXMinimum: return "MINIMUM"
        case .facturXBasicWL: return "BASIC WL"
        case .facturXBasic: return "BASIC"
        case .en16931: return "EN 16931"
        case .facturXExtended: return "EXTENDED"
        case .extendedCTCFR: return "EXTENDED-CTC-FR"
        case .xrechnung: return "XRECHNUNG"
        case .peppolBIS: return "PEPPOL BIS 3"
        case .zugferd2: return "ZUGFeRD 2.0"
        case .unknown(let value): return value.map { "unknown (\($0))" } ?? "unknown (no BT-24)"
        }
    }
}

/// The Chorus Pro syntax code of a deposit (the portal's `syntaxeFlux`).
public enum ChorusSyntaxCode: String, Sendable, Codable {
    case ublInvoice = "IN_DP_E1_UBL_INVOICE"
    case cii16B = "IN_DP_E1_CII_16B"
    case facturX = "IN_DP_E2_CII_FACTURX"
    case ublMixed = "IN_DP_E2_UBL_INVOICE_MIN"
    case ciiMixed = "IN_DP_E2_CII_MIN_16B"

    /// The code for an XML invoice of `syntax`, in a Factur-X container or not, with an
    /// embedded PDF image or not.
    public init(syntax: InvoiceSyntax, inFacturX: Bool, mixed: Bool) {
        switch (syntax, inFacturX, mixed) {
        case (.cii, true, _): self = .facturX
        case (.cii, false, true): self = .ciiMixed
        case (.cii, false, false): self = .cii16B
        case (_, _, true): self = .ublMixed
        default: self = .ublInvoice
        }
    }
}
