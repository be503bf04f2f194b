import LiasseFindings

/// What reading a PDF as a Factur-X gave.
public enum FacturXReading: Sendable {
    /// The invoice XML was taken out. The container may still carry fatal findings (no
    /// `/AF`, no PDF/A-3 declaration…): the XML is returned so that the report is complete.
    case facturX(FacturXContainer)
    /// A readable PDF with no invoice XML in it: not a Factur-X (`names` lists whatever
    /// files it embeds).
    case plainPDF(attachments: [String])
    /// The PDF cannot or must not be read on (encrypted, damaged, ambiguous, a bomb…).
    case refused([Finding])
}

/// A Factur-X PDF, opened: the invoice XML and what the container says about it.
public struct FacturXContainer: Sendable {
    /// The invoice XML, inflated under ``FacturXLimits/maxEmbeddedXMLBytes``.
    public var xml: [UInt8]
    /// The embedded file's name (`/UF`, else `/F`).
    public var embeddedName: String
    /// Its `/AFRelationship`, nil when absent.
    public var relationship: String?
    /// Listed in the catalog's `/AF` array.
    public var inCatalogAF: Bool
    /// Listed in the `/Names /EmbeddedFiles` name tree.
    public var inNameTree: Bool
    /// The XMP metadata, nil when absent or unreadable (see ``xmpProblem``).
    public var xmp: XMPFacts?
    /// Why the XMP metadata could not be used, when it could not.
    public var xmpProblem: String?
    /// The PDF header version (`1.7`).
    public var pdfVersion: String
    /// The names of the other embedded files.
    public var otherAttachments: [String]
    /// Warnings qpdf gave while reading (structure problems it could live with).
    public var readerWarnings: [String]
    /// The container findings that do not depend on the XML's profile.
    public var findings: [Finding]
}

/// Takes the invoice XML out of a Factur-X PDF, safely, and checks the container.
///
/// - Encrypted PDFs are refused, whatever the password (owner-only ones open silently).
/// - The invoice is found through the catalog's `/AF` and the `/EmbeddedFiles` name tree,
///   scanned linearly with a cycle guard; exactly one file with an accepted name must be there.
/// - Its stream is read raw and inflated with zlib under a byte cap; only `/FlateDecode`
///   (or no filter) is accepted.
/// - Damaged cross-reference tables are not rebuilt: the PDF is refused (docs/FACTURX.md).
public enum FacturXReader {
    /// File names of the invoice XML the specification accepts (BR-HYBRID-13).
    public static let invoiceFileNames: Set<String> = ["factur-x.xml", "xrechnung.xml"]
    /// Legacy ZUGFeRD 2.x names: recognised, accepted with a warning.
    public static let legacyFileNames: Set<String> = ["zugferd-invoice.xml"]

    /// Reads `bytes` as a Factur-X PDF.
    public static func read(_ bytes: [UInt8], limits: FacturXLimits = .default) -> FacturXReading {
        do {
            return try readChecked(bytes, limits: limits)
        } catch {
            return .refused([ContainerMessages.readError(error)])
        }
    }

    private static func readChecked(_ bytes: [UInt8], limits: FacturXLimits) throws(PDFReadError) -> FacturXReading {
        // A PDF starts with %PDF- within its first 1024 bytes; anything else is not one, and
        // saying so beats qpdf's "damaged file" verdict on it.
        guard bytes.prefix(1024).firstRange(of: Array("%PDF-".utf8)) != nil else {
            throw .unreadable("no %PDF- header")
        }
        let pdf = try PDFFile(bytes: bytes)
        let discovery = try EmbeddedFileFinder.discover(in: pdf, limits: limits)

        let xmlFiles = discovery.files.filter(isXML)
        let accepted = xmlFiles.filter { isAcceptedName($0.name) }
        if accepted.count > 1 {
            return .refused([ContainerMessages.ambiguous(accepted.map(\.name))])
        }
        guard let invoice = accepted.first else {
            if !xmlFiles.isEmpty {
                return .refused([ContainerMessages.wrongName(xmlFiles.map(\.name))])
            }
            return .plainPDF(attachments: discovery.files.map(\.name))
        }

        let xml: [UInt8]
        switch try decode(invoice.stream, in: pdf, limit: limits.maxEmbeddedXMLBytes) {
        case .success(let decoded):
            xml = decoded
        case .failure(let failure):
            return .refused([ContainerMessages.streamFailure(failure, name: invoice.name)])
        }

        var xmp: XMPFacts?
        var xmpProblem: String?
        let root = try pdf.root()
        if let metadata = try pdf.value(root, "/Metadata"), try pdf.isStream(metadata) {
            switch try decode(metadata, in: pdf, limit: limits.maxMetadataBytes) {
            case .success(let packet):
                switch XMPReader.read(packet, limit: limits.maxMetadataBytes) {
                case .success(let facts): xmp = facts
                case .failure(.malformed(let why)): xmpProblem = "the XMP metadata is not well-formed XML (\(why))"
                }
            case .failure(let failure):
                xmpProblem = "the XMP metadata stream cannot be decoded (\(failure))"
            }
        } else {
            xmpProblem = "the catalog has no /Metadata stream"
        }

        var container = FacturXContainer(
            xml: xml, embeddedName: invoice.name, relationship: invoice.relationship,
            inCatalogAF: invoice.inCatalogAF, inNameTree: invoice.inNameTree,
            xmp: xmp, xmpProblem: xmpProblem, pdfVersion: pdf.version,
            otherAttachments: discovery.files.filter { $0.key != invoice.key }.map(\.name),
            readerWarnings: pdf.drainWarnings(), findings: [])
        container.findings = ContainerChecks.general(container, discovery: discovery)
        return .facturX(container)
    }

    /// Whether an embedded file is XML, by name or by declared MIME type.
    static func isXML(_ file: EmbeddedFileSpec) -> Bool {
        let subtype = file.subtype?.lowercased()
        return file.name.lowercased().hasSuffix(".xml") || subtype == "text/xml" || subtype == "application/xml"
    }

    static func isAcceptedName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return invoiceFileNames.contains(lower) || legacyFileNames.contains(lower)
    }

    /// Why a stream could not be decoded.
    enum StreamFailure: Error, Equatable, CustomStringConvertible {
        case unsupportedFilter(String)
        case tooLarge(limit: Int)
        case corrupt(String)

        var description: String {
            switch self {
            case .unsupportedFilter(let filter): return "unsupported filter \(filter)"
            case .tooLarge(let limit): return "larger than \(limit) bytes once inflated"
            case .corrupt(let why): return "corrupt compressed data: \(why)"
            }
        }
    }

    /// A stream's data decoded under `limit`: no filter or `/FlateDecode` without predictor.
    static func decode(_ stream: PDFObject, in pdf: PDFFile, limit: Int) throws(PDFReadError) -> Result<[UInt8], StreamFailure> {
        var filters: [String] = []
        if let filter = try pdf.value(stream, "/Filter") {
            if let single = try pdf.name(filter) {
                filters = [single]
            } else if try pdf.isArray(filter) {
                for item in try pdf.items(filter) {
                    guard let name = try pdf.name(item) else { return .failure(.unsupportedFilter("(not a name)")) }
                    filters.append(name)
                }
            } else {
                return .failure(.unsupportedFilter("(not a name)"))
            }
        }
        guard filters.count <= 1, filters.allSatisfy({ $0 == "FlateDecode" }) else {
            return .failure(.unsupportedFilter(filters.map { "/" + $0 }.joined(separator: " ")))
        }
        if let parameters = try pdf.value(stream, "/DecodeParms") {
            var dictionary = parameters
            if try pdf.isArray(parameters), let first = try pdf.items(parameters).first { dictionary = first }
            if let predictor = try pdf.value(dictionary, "/Predictor"), let value = try pdf.integer(predictor), value > 1 {
                return .failure(.unsupportedFilter("/FlateDecode with /Predictor \(value)"))
            }
        }
        let raw = try pdf.rawStreamData(stream)
        if filters.isEmpty {
            return raw.count > limit ? .failure(.tooLarge(limit: limit)) : .success(raw)
        }
        switch CappedInflater.inflate(raw, limit: limit) {
        case .success(let bytes): return .success(bytes)
        case .failure(.tooLarge(let limit)): return .failure(.tooLarge(limit: limit))
        case .failure(.corrupt(let why)): return .failure(.corrupt(why))
        }
    }
}
