import LiasseInvoice
import LiasseXML

/// UBL-SR/DT/CR and CII-SR/DT, table-driven over the document.
enum SyntaxRules {
    static func check(_ context: RuleContext, into findings: inout [Finding]) {}
}
