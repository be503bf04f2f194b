import LiasseInvoice
import LiasseXML

/// UBL-SR/DT/CR and CII-SR/DT, table-driven over the document: the generated tables of
/// `scripts/gen-syntax-rules.py`, evaluated by `SchematronProgram`.
enum SyntaxRules {
    static func check(_ context: RuleContext, into findings: inout [Finding]) {
        check(context, index: context.document.nodeIndex(), into: &findings)
    }

    /// The same, over an index of `context.document` already built.
    static func check(_ context: RuleContext, index: XMLNodeIndex, into findings: inout [Finding]) {
        let binding = SchematronTable.Binding(context.invoice.syntax)
        switch SchematronPrograms.syntax(binding) {
        case .failure(let error):
            findings.append(.internalError("en16931 (syntax)", error))
        case .success(let program):
            for failure in program.run(on: index) {
                let definition = SyntaxCatalogue.definition(for: failure.assert, binding: binding)
                findings.append(definition.finding(at: failure.location(in: index)))
            }
        }
    }
}

extension SchematronTable.Binding {
    init(_ syntax: InvoiceSyntax) {
        self = syntax.isUBL ? .ubl : .cii
    }
}

extension SchematronProgram.Failure {
    /// Where the failed assert's context element is.
    func location(in index: XMLNodeIndex) -> SourceLocation? {
        index.element(Int(node)).map { SourceLocation(path: $0.path, line: $0.line) }
    }
}

extension SchematronAssert.Flag {
    var severity: Severity {
        switch self {
        case .fatal: return .fatal
        case .warning: return .warning
        }
    }
}
