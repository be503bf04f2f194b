/// One thing the container checks found in a Factur-X PDF or a mixed XML's attachments, as a
/// plain value: the daemon and the validator turn it into a `Finding` of the rules module.
public struct ContainerFinding: Sendable, Equatable {
    /// How serious, in the specification's vocabulary.
    public enum Severity: String, Sendable {
        case fatal
        case warning
        case information
    }

    /// The reason code a refusal carries (Chorus Pro / reform vocabulary).
    public enum Reason: String, Sendable {
        case fileType = "IRR_TYPE_F"
        case fileSize = "IRR_TAILLE_F"
        case syntax = "IRR_SYNTAX"
        case attachmentSize = "IRR_TAILLE_PJ"
        case attachmentName = "IRR_NOM_PJ"
        case attachmentExtension = "IRR_EXT_DOC"
    }

    /// `BR-HYBRID-nn` for the specification's container rules, `LIASSE-FX-nn` and
    /// `LIASSE-PJ-nn` for the project's own (catalogue in docs/FACTURX.md).
    public var rule: String
    public var severity: Severity
    public var reason: Reason
    /// What is wrong and what to do, in French.
    public var message: String
    /// The same in English.
    public var messageEn: String

    public init(rule: String, severity: Severity, reason: Reason, message: String, messageEn: String) {
        self.rule = rule
        self.severity = severity
        self.reason = reason
        self.message = message
        self.messageEn = messageEn
    }
}

extension Array where Element == ContainerFinding {
    /// Whether any finding is fatal.
    public var hasFatal: Bool { contains { $0.severity == .fatal } }
}

/// A Factur-X conformance level, as the XMP's `fx:ConformanceLevel` writes it.
public enum FacturXLevel: String, Sendable, CaseIterable {
    case minimum = "MINIMUM"
    case basicWL = "BASIC WL"
    case basic = "BASIC"
    case en16931 = "EN 16931"
    case extended = "EXTENDED"
    case xrechnung = "XRECHNUNG"

    /// The `AFRelationship` values the specification allows for the invoice XML in France:
    /// `Data` only for MINIMUM and BASIC WL (they are not invoices), else also `Alternative`
    /// and `Source`.
    public var allowedRelationships: Set<String> {
        switch self {
        case .minimum, .basicWL: return ["Data"]
        default: return ["Alternative", "Source", "Data"]
        }
    }

    /// The embedded file name this level uses.
    public var embeddedFileName: String {
        self == .xrechnung ? "xrechnung.xml" : "factur-x.xml"
    }
}

/// The caps and policies applied while reading a Factur-X PDF. Every size is enforced on
/// bytes actually produced, never on sizes a PDF announces.
public struct FacturXLimits: Sendable, Equatable {
    /// Largest invoice XML once inflated (the rest is refused as a bomb).
    public var maxEmbeddedXMLBytes: Int
    /// Largest XMP metadata packet once inflated.
    public var maxMetadataBytes: Int
    /// Most name-tree nodes and `/AF` entries walked.
    public var maxNameTreeNodes: Int
    /// Deepest `/Kids` level followed.
    public var maxNameTreeDepth: Int

    public init(maxEmbeddedXMLBytes: Int, maxMetadataBytes: Int = 4 * 1024 * 1024,
                maxNameTreeNodes: Int = 10_000, maxNameTreeDepth: Int = 32) {
        self.maxEmbeddedXMLBytes = maxEmbeddedXMLBytes
        self.maxMetadataBytes = maxMetadataBytes
        self.maxNameTreeNodes = maxNameTreeNodes
        self.maxNameTreeDepth = maxNameTreeDepth
    }

    /// 50 MB of XML (the XML layer's own default cap), 4 MB of XMP, 10,000 tree nodes, 32 levels.
    public static let `default` = FacturXLimits(maxEmbeddedXMLBytes: 50 * 1024 * 1024)
}
