import LiasseInvoice
import LiasseXML

/// BR-CL-*: the code-list rules of the CEN artefacts, evaluated like the official schematron
/// (same contexts, same rule precedence within a pattern, same tests) with the generated code
/// lists (`CodeLists`) in place of the literal lists of the XSLT.
///
/// They read the document rather than the model: the exact official semantics depend on
/// details the model does not keep (attribute presence in contexts, elements outside EN 16931,
/// the raw text of a `cbc:Note`).
enum CodeListRules {
    static func check(_ context: RuleContext, into findings: inout [Finding]) {
        check(context, index: context.document.nodeIndex(), into: &findings)
    }

    /// The same, over an index of `context.document` already built.
    static func check(_ context: RuleContext, index: XMLNodeIndex, into findings: inout [Finding]) {
        let binding = SchematronTable.Binding(context.invoice.syntax)
        switch SchematronPrograms.codeLists(binding) {
        case .failure(let error):
            findings.append(.internalError("en16931 (code lists)", error))
        case .success(let program):
            for failure in program.run(on: index) {
                let definition = CodeListCatalogue.definition(for: failure.assert.id, binding: binding)
                findings.append(definition.finding(at: failure.location(in: index)))
            }
        }
    }
}
