import LiasseInvoice
import LiasseXML

/// The Factur-X 1.09.2 profile rules: the official schematron of the profile the invoice
/// declares in BT-24 (MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED), every assert and report
/// with its official id (`FX-SCH-A-*`, and the `BR-*`, `BR-CO-*`, `BR-DEC-*`, `BR-FXEXT-*`,
/// `CII-SR-*`, `PEPPOL-*` rules the profile schematron carries), evaluated natively from the
/// tables `scripts/gen-facturx-rules.py` generates.
///
/// A CII invoice whose BT-24 is none of the five profiles, and any UBL invoice, gets no finding
/// from this set. With `en16931` selected too, the same finding (rule, severity, path, line)
/// is reported once (``Validator``).
public struct FacturXRuleSet: RuleSet {
    public let name = "facturx"

    public init() {}

    public func check(_ context: RuleContext, into findings: inout [Finding]) {
        guard context.invoice.syntax == .cii, let profile = FacturXProfile(of: context.invoice) else { return }
        check(context, profile: profile, index: context.document.nodeIndex(), into: &findings)
    }

    /// The rules of `profile` over an index of `context.document` already built.
    func check(_ context: RuleContext, profile: FacturXProfile, index: XMLNodeIndex, into findings: inout [Finding]) {
        switch FacturXPrograms.program(profile) {
        case .failure(let error):
            findings.append(.internalError("facturx (\(profile.rawValue))", error))
        case .success(let program):
            for failure in program.run(on: index) {
                let definition = FacturXCatalogue.definition(for: failure.assert, profile: profile)
                findings.append(definition.finding(at: failure.location(in: index)))
            }
        }
    }
}

extension FacturXProfile {
    /// The profile's name in the generated code lists.
    var codeListProfile: FacturXCodeLists.Profile {
        switch self {
        case .minimum: return .minimum
        case .basicWL: return .basicWL
        case .basic: return .basic
        case .en16931: return .en16931
        case .extended: return .extended
        }
    }

    /// The records of the profile's generated rule table.
    var ruleRecords: String {
        switch self {
        case .minimum: return SchematronTable.facturXMinimumRecords
        case .basicWL: return SchematronTable.facturXBasicWLRecords
        case .basic: return SchematronTable.facturXBasicRecords
        case .en16931: return SchematronTable.facturXEn16931Records
        case .extended: return SchematronTable.facturXExtendedRecords
        }
    }

    /// The profile's generated rule table.
    func ruleTable() throws(SchematronCompileError) -> SchematronTable {
        try SchematronTable(facturXRecords: ruleRecords, profile: codeListProfile)
    }
}

/// The compiled profile programs, built on first use and shared by every task.
enum FacturXPrograms {
    private static func compile(_ profile: FacturXProfile) -> Result<SchematronProgram, SchematronCompileError> {
        Result { () throws(SchematronCompileError) in
            try SchematronProgram(table: try profile.ruleTable())
        }
    }

    static let minimum = compile(.minimum)
    static let basicWL = compile(.basicWL)
    static let basic = compile(.basic)
    static let en16931 = compile(.en16931)
    static let extended = compile(.extended)

    static func program(_ profile: FacturXProfile) -> Result<SchematronProgram, SchematronCompileError> {
        switch profile {
        case .minimum: return minimum
        case .basicWL: return basicWL
        case .basic: return basic
        case .en16931: return en16931
        case .extended: return extended
        }
    }
}
