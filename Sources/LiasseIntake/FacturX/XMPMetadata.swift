import LiasseXML

/// What the XMP metadata packet of a PDF says about PDF/A and Factur-X.
///
/// Properties are read whether they are written as elements or as attributes of
/// `rdf:Description` (both are legal RDF/XML). Values are trimmed.
public struct XMPFacts: Sendable, Equatable {
    /// `pdfaid:part` (`3` for PDF/A-3).
    public var pdfaPart: String?
    /// `pdfaid:conformance` (`B`, `U`, `A`; `F` or `E` for PDF/A-4).
    public var pdfaConformance: String?
    /// `fx:DocumentType` (`INVOICE`).
    public var documentType: String?
    /// `fx:DocumentFileName` (`factur-x.xml`).
    public var documentFileName: String?
    /// `fx:Version` (`1.0`).
    public var version: String?
    /// `fx:ConformanceLevel` (`EN 16931`).
    public var conformanceLevel: String?
    /// Whether any property in the Factur-X namespace was found.
    public var hasFacturXProperties: Bool
    /// The namespace of `ConformanceLevel`/`DocumentType` properties found outside the
    /// Factur-X namespace (a ZUGFeRD namespace, a typo), when the Factur-X one has none.
    public var foreignNamespace: String?
    /// The PDF/A extension schemas declared (`pdfaExtension:schemas`): namespace URI and prefix.
    public var extensionSchemas: [ExtensionSchema]

    /// One `pdfaSchema` declaration of the XMP packet.
    public struct ExtensionSchema: Sendable, Equatable {
        public var namespaceURI: String
        public var prefix: String

        public init(namespaceURI: String, prefix: String) {
            self.namespaceURI = namespaceURI
            self.prefix = prefix
        }
    }

    public init(pdfaPart: String? = nil, pdfaConformance: String? = nil, documentType: String? = nil,
                documentFileName: String? = nil, version: String? = nil, conformanceLevel: String? = nil,
                hasFacturXProperties: Bool = false, foreignNamespace: String? = nil,
                extensionSchemas: [ExtensionSchema] = []) {
        self.pdfaPart = pdfaPart
        self.pdfaConformance = pdfaConformance
        self.documentType = documentType
        self.documentFileName = documentFileName
        self.version = version
        self.conformanceLevel = conformanceLevel
        self.hasFacturXProperties = hasFacturXProperties
        self.foreignNamespace = foreignNamespace
        self.extensionSchemas = extensionSchemas
    }
}

/// Reads an XMP packet with the hardened XML parser.
enum XMPReader {
    static let facturXNamespace = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"

    private static let namespaces = [
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
        "fx": facturXNamespace,
        "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
        "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    ]

    /// Why a packet could not be read.
    enum Failure: Error, Equatable {
        case malformed(String)
    }

    static func read(_ bytes: [UInt8], limit: Int) -> Result<XMPFacts, Failure> {
        let document: XMLDocument
        do {
            document = try XMLDocument.parse(bytes, name: "XMP metadata", limits: XMLLimits(maxDocumentBytes: limit))
        } catch {
            return .failure(.malformed(error.description))
        }
        let xpath = XPathEvaluator(document: document, namespaces: namespaces)
        do {
            func property(_ prefix: String, _ name: String) throws(XPathError) -> String? {
                let value = try xpath.string("string((//rdf:Description/\(prefix):\(name) | //rdf:Description/@\(prefix):\(name))[1])")
                let trimmed = value.trimmingXMLSpace
                return trimmed.isEmpty ? nil : trimmed
            }
            var facts = XMPFacts()
            facts.pdfaPart = try property("pdfaid", "part")
            facts.pdfaConformance = try property("pdfaid", "conformance")
            facts.documentType = try property("fx", "DocumentType")
            facts.documentFileName = try property("fx", "DocumentFileName")
            facts.version = try property("fx", "Version")
            facts.conformanceLevel = try property("fx", "ConformanceLevel")
            facts.hasFacturXProperties = try xpath.boolean("//rdf:Description/fx:* | //rdf:Description/@fx:*")
            if !facts.hasFacturXProperties {
                let foreign = try xpath.string(
                    "string(namespace-uri((//rdf:Description/*[local-name()='ConformanceLevel' or local-name()='DocumentType']"
                        + " | //rdf:Description/@*[local-name()='ConformanceLevel' or local-name()='DocumentType'])[1]))")
                facts.foreignNamespace = foreign.isEmpty ? nil : foreign
            }
            for schema in try xpath.elements("//pdfaExtension:schemas//*[pdfaSchema:namespaceURI or @pdfaSchema:namespaceURI]") {
                let uri = try xpath.string("string((pdfaSchema:namespaceURI | @pdfaSchema:namespaceURI)[1])", at: schema)
                let prefix = try xpath.string("string((pdfaSchema:prefix | @pdfaSchema:prefix)[1])", at: schema)
                facts.extensionSchemas.append(.init(namespaceURI: uri.trimmingXMLSpace, prefix: prefix.trimmingXMLSpace))
            }
            return .success(facts)
        } catch {
            return .failure(.malformed(error.description))
        }
    }
}

extension String {
    /// The string without leading and trailing XML whitespace (space, tab, CR, LF).
    var trimmingXMLSpace: String {
        let space: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]
        guard let first = firstIndex(where: { !space.contains($0) }),
              let last = lastIndex(where: { !space.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
