import LiasseInvoice
import LiasseXML

/// The EN 16931 rules of the CEN/TC 434 validation artefacts, release 1.3.16: the model
/// rules (BR-*, BR-CO-*, BR-DEC-*, VAT categories), the code-list rules (BR-CL-*) and the
/// syntax rules of the invoice's binding (UBL-SR/DT/CR or CII-SR/DT).
public struct EN16931RuleSet: RuleSet {
    public let name = "en16931"

    public init() {}

    public func check(_ context: RuleContext, into findings: inout [Finding]) {
        checkModel(context, into: &findings)
        checkTables(context, into: &findings)
    }

    /// The model rules (BR-*, BR-CO-*, BR-DEC-*, VAT categories) alone; `check` runs them first.
    public func checkModel(_ context: RuleContext, into findings: inout [Finding]) {
        ModelRules.check(context, into: &findings)
    }

    /// The rules that read the document (BR-CL-*, UBL-*/CII-*) alone, node index included.
    public func checkTables(_ context: RuleContext, into findings: inout [Finding]) {
        CENTableRules.check(context, index: context.document.nodeIndex(), into: &findings)
    }
}
