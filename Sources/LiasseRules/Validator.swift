import LiasseInvoice
import LiasseXML

/// Which layers of checks to run on a document.
public struct RuleSelection: Sendable, Equatable {
    /// Run the XSD layer (off for rule fragments that are not schema-valid).
    public var xsd: Bool
    /// Rule sets by name: `en16931`, `facturx`, `chorus`.
    public var ruleSets: Set<String>
    /// Whether the `facturx` set also judges a bare CII XML whose BT-24 names a Factur-X
    /// profile. Off in the daemon: there the profile rules judge the XML taken out of a
    /// Factur-X PDF only, like the profile XSD, and a plain CII invoice (BT-24
    /// `urn:cen.eu:en16931:2017` is also the EN 16931 profile's) is judged by the CEN rules,
    /// which the official EN 16931 examples pass while the Factur-X profile refuses some of
    /// them. On in `liasse validate --rules facturx`, for checking a `factur-x.xml` before
    /// embedding it, and for the conformance harness.
    public var facturXOnBareXML: Bool

    public init(xsd: Bool = true, ruleSets: Set<String> = ["en16931"], facturXOnBareXML: Bool = false) {
        self.xsd = xsd
        self.ruleSets = ruleSets
        self.facturXOnBareXML = facturXOnBareXML
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
    /// profile's Factur-X XSD then judges it (FacturXProfile), and the CEN rules run only on
    /// the profiles that are EN 16931 invoices.
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
        var ruleSets = selection.ruleSets
        if let profile, !profile.isEN16931Invoice { ruleSets.remove("en16931") }
        if !facturX && !selection.facturXOnBareXML { ruleSets.remove("facturx") }
        // The Factur-X schematron carries EN 16931 rules: a finding a later set reports again
        // (same rule, severity and place as one of an earlier set) is reported once, the first
        // set's (en16931 runs before facturx).
        var earlier: Set<FindingKey> = []
        for ruleSet in RuleSets.named(ruleSets) {
            var own: [Finding] = []
            ruleSet.check(context, into: &own)
            findings += own.filter { !earlier.contains(FindingKey($0)) }
            earlier.formUnion(own.map(FindingKey.init))
        }
        return ValidationResult(syntax: invoice.syntax, invoice: invoice, findings: findings)
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
