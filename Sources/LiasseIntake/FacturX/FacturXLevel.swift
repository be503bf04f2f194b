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
