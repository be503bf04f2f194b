import LiasseInvoice
import LiasseXML

/// BR-01…BR-65, BR-CO-*, BR-DEC-* and the VAT-category families, over the model.
enum ModelRules {
    static func check(_ context: RuleContext, into findings: inout [Finding]) {}
}
