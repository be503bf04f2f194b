import LiasseInvoice
import LiasseXML

/// BR-CL-*, over the model, with the generated code lists.
enum CodeListRules {
    static func check(_ context: RuleContext, into findings: inout [Finding]) {}
}
