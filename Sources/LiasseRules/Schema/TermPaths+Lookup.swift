import LiasseInvoice

extension TermPaths {
    /// The canonical paths of the business terms of a syntax (`/Invoice/cbc:ID` → `BT-1`).
    static func table(for syntax: InvoiceSyntax) -> [String: String] {
        switch syntax {
        case .ublInvoice: return ublInvoice
        case .ublCreditNote: return ublCreditNote
        case .cii: return cii
        }
    }

    /// Every element path the invoice model reads in a syntax: the paths of its terms and all
    /// their ancestors. An element outside it is one the schema does not expect.
    static func knownElements(for syntax: InvoiceSyntax) -> Set<String> {
        known[syntax]!.paths
    }

    /// The qualified names of every element the model reads in a syntax (`cbc:IssueDate`),
    /// wherever it stands.
    static func knownNames(for syntax: InvoiceSyntax) -> Set<String> {
        known[syntax]!.names
    }

    private static let known: [InvoiceSyntax: (paths: Set<String>, names: Set<String>)] =
        Dictionary(uniqueKeysWithValues: InvoiceSyntax.allCases.map { syntax in
            let paths = elementPaths(of: table(for: syntax))
            return (syntax, (paths, Set(paths.compactMap { $0.split(separator: "/").last.map(String.init) })))
        })

    private static func elementPaths(of table: [String: String]) -> Set<String> {
        var paths: Set<String> = []
        for path in table.keys {
            var steps = path.split(separator: "/")
            if steps.last?.hasPrefix("@") == true { steps.removeLast() }
            var prefix = ""
            for step in steps {
                prefix += "/" + step
                paths.insert(prefix)
            }
        }
        return paths
    }
}
