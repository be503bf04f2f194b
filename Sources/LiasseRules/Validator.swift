import LiasseInvoice
import LiasseXML

/// Which layers of checks to run on a document.
public struct RuleSelection: Sendable, Equatable {
    /// Run the XSD layer (off for rule fragments that are not schema-valid).
    public var xsd: Bool
    /// The rule packs enabled, with their modes (`chorus` is the deposit core's).
    public var packs: RulePackSelection
    /// Whether the official matrix picks, among the enabled packs, those that judge each
    /// document (``RulePackSelection/packs(for:)``): the daemon's way, and `liasse validate`'s
    /// without `--rules`. Off, every enabled pack judges every document it can read: the
    /// EN 16931, BR-FR and EXTENDED-CTC-FR rules any UBL or CII invoice, the Factur-X profile
    /// rules a CII whose BT-24 names a Factur-X profile, bare or in a PDF (for checking a
    /// `factur-x.xml` before embedding it, and for the conformance harness).
    public var matrix: Bool

    public init(xsd: Bool = true, packs: RulePackSelection = RulePackSelection(enabling: [.en16931]), matrix: Bool = true) {
        self.xsd = xsd
        self.packs = packs
        self.matrix = matrix
    }

    /// The packs that judge a document of `kind`, in running order.
    public func packs(for kind: DocumentKind) -> [RulePack.ID] {
        if matrix { return packs.packs(for: kind) }
        return packs.enabled.filter { id in
            switch id {
            case .facturx: return kind.syntax == .cii && FacturXProfile(kind.profile) != nil
            case .chorus: return false
            case .en16931, .brFR, .extendedCTCFR: return true
            }
        }
    }
}

/// What validating one XML document gave.
public struct ValidationResult: Sendable {
    /// The syntax, when the document is an invoice Liasse reads.
    public var syntax: InvoiceSyntax?
    /// The model, when the document could be read as an invoice.
    public var invoice: Invoice?
    /// Every finding, in layer order.
    public var findings: [Finding]
    /// The rule packs that judged the document (none when it was refused before its rules).
    public var rulePacks: [RulePackStamp] = []

    /// True exactly when no finding is fatal.
    public var isValid: Bool { !findings.hasFatal }

    public init(syntax: InvoiceSyntax?, invoice: Invoice?, findings: [Finding]) {
        self.syntax = syntax
        self.invoice = invoice
        self.findings = findings
    }
}

/// Runs the validation layers over one XML document: well-formedness, kind, XSD, then
/// the selected rule sets. A layer that fails fatally stops the later ones, as on the
/// platform: rules run on schema-valid documents only.
public struct Validator: Sendable {
    public let schemas: SchemaCatalog?
    public let limits: XMLLimits

    public init(schemas: SchemaCatalog?, limits: XMLLimits = .default) {
        self.schemas = schemas
        self.limits = limits
    }

    /// Validates one XML document. `facturX` says it came out of a Factur-X PDF: its
    /// profile's Factur-X XSD then judges it (FacturXProfile), and the packs that run follow
    /// the selection (``RuleSelection/packs(for:)``).
    public func validate(xml bytes: [UInt8], name: String, selection: RuleSelection, facturX: Bool = false) -> ValidationResult {
        let document: XMLDocument
        do {
            document = try XMLDocument.parse(bytes, name: name, limits: limits)
        } catch {
            return ValidationResult(syntax: nil, invoice: nil, findings: [Self.parseFinding(error)])
        }
        return validate(document: document, selection: selection, facturX: facturX)
    }

    public func validate(document: XMLDocument, selection: RuleSelection, facturX: Bool = false) -> ValidationResult {
        let outcome = InvoiceReader.read(document)
        let invoice: Invoice
        switch outcome {
        case .invoice(let read):
            invoice = read
        case .unsupportedVersion(let what):
            return ValidationResult(syntax: nil, invoice: nil, findings: [Finding(
                rule: "LIASSE-XML-02", severity: .fatal, code: .syntax,
                message: "Version non prise en charge : \(what).",
                messageEn: "Unsupported version: \(what).", path: "/", line: document.root?.line)])
        case .notAnInvoice(let what):
            return ValidationResult(syntax: nil, invoice: nil, findings: [Finding(
                rule: "LIASSE-XML-03", severity: .fatal, code: .syntax,
                message: "Ce fichier n'est pas une facture : c'est \(what.french). Déposez une facture UBL 2.1, CII ou Factur-X.",
                messageEn: "This file is not an invoice: it is \(what.english). Send a UBL 2.1, CII or Factur-X invoice.",
                path: "/", line: document.root?.line)])
        }
        var findings: [Finding] = []
        let profile = facturX && invoice.syntax == .cii ? FacturXProfile(of: invoice) : nil
        if selection.xsd, let schemas {
            let issues = (profile.map(schemas.schema(for:)) ?? schemas.schema(for: invoice.syntax)).validate(document)
            let schemaName = profile?.schemaName ?? SchemaCatalog.name(for: invoice.syntax)
            let explainer = SchemaExplainer(syntax: invoice.syntax, schemaName: schemaName)
            findings += issues.map(explainer.finding(for:))
            if findings.hasFatal {
                return ValidationResult(syntax: invoice.syntax, invoice: invoice, findings: findings)
            }
        }
        let context = RuleContext(invoice: invoice, document: document)
        let kind = DocumentKind(syntax: invoice.syntax, profile: InvoiceProfile(specificationIdentifier: invoice.specification?.value),
                                inFacturX: facturX)
        // The Factur-X schematron carries EN 16931 rules: a finding a later pack reports again
        // (same rule, severity and place as one of an earlier pack) is reported once, the first
        // pack's (en16931 runs before facturx) when both are asked for by name.
        var earlier: Set<FindingKey> = []
        var stamps: [RulePackStamp] = []
        for id in selection.packs(for: kind) {
            let mode = selection.packs.mode(id)
            let judged = RuleSets.judge(context, pack: id, mode: mode, kind: kind)
            findings += judged.findings.filter { !earlier.contains(FindingKey($0)) }
            earlier.formUnion(judged.findings.map(FindingKey.init))
            stamps.append(RulePackStamp(RulePack.named(id), mode: mode, artefact: judged.artefact))
        }
        var result = ValidationResult(syntax: invoice.syntax, invoice: invoice, findings: findings)
        result.rulePacks = stamps
        return result
    }

    static func parseFinding(_ error: XMLParseError) -> Finding {
        switch error {
        case .empty:
            return Finding(rule: "LIASSE-XML-00", severity: .fatal, code: .emptyFile,
                           message: "Le fichier est vide. Déposez la facture complète.",
                           messageEn: "The file is empty. Send the complete invoice.")
        case .tooLarge(let bytes, let limit):
            return Finding(rule: "LIASSE-XML-04", severity: .fatal, code: .fileSize,
                           message: "Le document XML fait \(bytes) octets, au-delà de la limite de \(limit) octets.",
                           messageEn: "The XML document is \(bytes) bytes, above the \(limit)-byte limit.")
        case .doctypeForbidden(let line):
            return Finding(rule: "LIASSE-XML-05", severity: .fatal, code: .syntax,
                           message: "Le document contient une déclaration DOCTYPE (ligne \(line)), interdite dans une facture. Retirez-la.",
                           messageEn: "The document holds a DOCTYPE declaration (line \(line)), which an invoice must not carry. Remove it.",
                           line: line)
        case .notWellFormed(let message, let line, let column):
            return Finding(rule: "LIASSE-XML-01", severity: .fatal, code: .syntax,
                           message: "XML mal formé ligne \(line), colonne \(column) : \(message). Le fichier doit être un XML bien formé.",
                           messageEn: "Malformed XML at line \(line), column \(column): \(message). The file must be well-formed XML.",
                           line: line)
        case .nulByte(let offset):
            return Finding(rule: "LIASSE-XML-07", severity: .fatal, code: .syntax,
                           message: "Le fichier contient un octet nul (position \(offset)), interdit en XML : les octets qui le suivent ne seraient pas jugés. Renvoyez la facture telle que votre logiciel l'a produite, sans ajout.",
                           messageEn: "The file holds a NUL byte (offset \(offset)), which XML never allows: the bytes after it would not be judged. Send the invoice as your software produced it, with nothing added.")
        case .structureLimit(let what, let limit, let line):
            return Finding(rule: "LIASSE-XML-08", severity: .fatal, code: .syntax,
                           message: "Le document a une forme qu'aucune facture n'a (\(what), ligne \(line) ; limite : \(limit)) : il est refusé sans être lu. Renvoyez la facture telle que votre logiciel l'a produite.",
                           messageEn: "The document has a shape no invoice has (\(what), line \(line); limit: \(limit)): it is refused without being read. Send the invoice as your software produced it.",
                           line: line)
        case .resourceExhausted:
            return Finding(rule: "LIASSE-XML-06", severity: .fatal, code: .syntax,
                           message: "Le document XML est trop complexe pour être lu (mémoire du lecteur épuisée).",
                           messageEn: "The XML document is too complex to read (the parser ran out of memory).")
        }
    }
}

/// What makes two findings of different rule sets the same finding.
private struct FindingKey: Hashable {
    let rule: String
    let severity: Severity
    let path: String?
    let line: Int?

    init(_ finding: Finding) {
        rule = finding.rule
        severity = finding.severity
        path = finding.path
        line = finding.line
    }
}
