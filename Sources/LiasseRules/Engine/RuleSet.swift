import LiasseInvoice
import LiasseXML

/// What a rule set looks at: the invoice model (business rules) and, for the syntax
/// rules only, the document it was read from.
public struct RuleContext {
    public let invoice: Invoice
    public let document: XMLDocument

    public init(invoice: Invoice, document: XMLDocument) {
        self.invoice = invoice
        self.document = document
    }
}

/// A named set of rules (`en16931`, `facturx`, `chorus`…) that judges a schema-valid invoice.
///
/// A rule set reports every finding it has, in a stable order; it never throws on bad input.
/// An internal failure (a broken rule table) is reported as a fatal `LIASSE-INTERNAL`
/// finding: an invoice is never called valid after an internal error.
public protocol RuleSet: Sendable {
    /// The name `--rules` and the configuration use.
    var name: String { get }
    /// Appends this set's findings on `context` to `findings`.
    func check(_ context: RuleContext, into findings: inout [Finding])
}

/// One rule of a catalogue: its official id and severity, the business term it concerns,
/// and what to tell the user, in French and English.
public struct RuleDefinition: Sendable {
    public var id: String
    public var severity: Severity
    public var code: ReasonCode
    public var bt: String?
    /// What is wrong and what to do, in French.
    public var french: String
    /// The same in English.
    public var english: String

    public init(id: String, severity: Severity, code: ReasonCode = .semantic, bt: String? = nil, french: String, english: String) {
        self.id = id
        self.severity = severity
        self.code = code
        self.bt = bt
        self.french = french
        self.english = english
    }

    /// A finding of this rule at `location`.
    public func finding(at location: SourceLocation?) -> Finding {
        Finding(rule: id, severity: severity, code: code, message: french, messageEn: english,
                bt: bt, path: location?.path, line: location?.line)
    }
}

extension Finding {
    /// The finding that stands for an internal error of a rule set: fatal, so an invoice is
    /// never accepted on a check that did not run.
    public static func internalError(_ ruleSet: String, _ error: any Error) -> Finding {
        Finding(rule: "LIASSE-INTERNAL", severity: .fatal, code: .semantic,
                message: "Erreur interne de Liasse dans les règles \(ruleSet) : \(error). La facture n'a pas pu être jugée ; signalez-le à l'exploitant.",
                messageEn: "Internal error of Liasse in the \(ruleSet) rules: \(error). The invoice could not be judged; report it to the operator.")
    }
}

/// The rule sets behind the packs Liasse runs itself (the deposit core runs `chorus`).
public enum RuleSets {
    /// What one pack found on a document, and the artefact whose rules ran.
    public struct Judged {
        public var findings: [Finding]
        public var artefact: String?
    }

    /// Runs pack `id` in `mode` on `context`.
    public static func judge(_ context: RuleContext, pack id: RulePack.ID, mode: RulePack.Mode, kind: DocumentKind) -> Judged {
        var findings: [Finding] = []
        let artefact: String?
        switch id {
        case .en16931:
            EN16931RuleSet().check(context, into: &findings)
            artefact = context.invoice.syntax == .cii ? "EN16931-CII-validation.xslt" : "EN16931-UBL-validation.xslt"
        case .facturx:
            let ruleSet = FacturXRuleSet()
            ruleSet.check(context, into: &findings)
            artefact = FacturXProfile(kind.profile).map { RulePack.facturx.artefacts[$0.artefactIndex].name }
        case .brFR:
            let ruleSet = FranceRuleSet.brFR(syntax: context.invoice.syntax, facturX: kind.facturXProfile != nil, mode: mode)
            ruleSet.check(context, into: &findings)
            artefact = ruleSet.artefact
        case .extendedCTCFR:
            let ruleSet = FranceRuleSet.extendedCTCFR(syntax: context.invoice.syntax)
            ruleSet.check(context, into: &findings)
            artefact = ruleSet.artefact
        case .chorus:
            artefact = nil
        }
        return Judged(findings: findings, artefact: artefact)
    }
}

extension FacturXProfile {
    /// The place of the profile's schematron in `RulePack.facturx.artefacts`.
    var artefactIndex: Int {
        switch self {
        case .minimum: return 0
        case .basicWL: return 1
        case .basic: return 2
        case .en16931: return 3
        case .extended: return 4
        }
    }
}
