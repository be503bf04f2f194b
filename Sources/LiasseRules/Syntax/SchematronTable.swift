/// The asserts of the official compiled schematron that Liasse evaluates from a table, for one
/// syntax binding: the syntax rules (UBL-SR/DT/CR, CII-SR/DT) and the code-list rules (BR-CL).
///
/// The tables themselves are generated from the CEN artefacts by `scripts/gen-syntax-rules.py`
/// (`Generated/SchematronTables.swift`); this file only declares their shape.
struct SchematronTable: Sendable {
    enum Binding: String, Sendable {
        case ubl
        case cii
    }

    let binding: Binding
    /// Namespace prefixes the XPath expressions use, as declared by the schematron.
    let namespaces: [(String, String)]
    /// Patterns in the order the schematron applies them.
    let patterns: [SchematronPattern]
    /// The Factur-X profile of a Factur-X table (`Generated/FacturXRuleTables.swift`): its
    /// tests are typed XPath 2.0 and its codedb lookups read that profile's lists. Nil for the
    /// CEN tables.
    var profile: FacturXCodeLists.Profile? = nil

    /// The table of the binding an invoice syntax belongs to.
    static func table(for binding: Binding) -> SchematronTable {
        switch binding {
        case .ubl: return ubl
        case .cii: return cii
        }
    }
}

/// A schematron pattern: each element of the document is judged by the first rule (in
/// priority order) whose context matches it, and by no other rule of the pattern.
struct SchematronPattern: Sendable {
    let name: String
    let rules: [SchematronRule]
}

/// A schematron rule: a context pattern (XSLT match pattern, XPath 2.0) and its asserts.
struct SchematronRule: Sendable {
    let context: String
    let asserts: [SchematronAssert]
}

/// One assert: official id and flag, its test (XPath 2.0, evaluated at each context node), the
/// shape of the test the message catalogue words its text from, and the business terms the
/// official text names.
struct SchematronAssert: Sendable {
    enum Flag: String, Sendable {
        case fatal
        case warning
    }

    /// What the test asks, when it is one of the common forms; `path` as written in the test.
    enum Shape: Sendable, Equatable {
        /// `not(path)`: the element or attribute must not be there.
        case forbidden(String)
        /// `count(path) <= 1`.
        case atMostOnce(String)
        /// `count(path) = 1`.
        case exactlyOne(String)
        /// `path` or `exists(path)`: it must be there.
        case required(String)
        /// Anything else: the catalogue has a hand-written message.
        case custom
    }

    let id: String
    let flag: Flag
    /// The test; nil for BR-CL asserts, whose test comes from the generated code lists.
    let test: String?
    let shape: Shape
    /// Business terms and groups named by the official message (`BT-83`, `BG-20`).
    let terms: [String]
    /// A successful-report (the finding is raised when the test is true) rather than an assert.
    var report = false
    /// For a Factur-X codedb test: the list (`cl/@id` in the profile's codedb) and the value
    /// (the select of the rule's variable) that `string-length($v) = 0 or …` looks up.
    var codedb: Codedb? = nil
    /// The official English text (Factur-X tables; the CEN tables keep theirs in the catalogues).
    var text: String? = nil

    struct Codedb: Sendable {
        let list: Int
        let value: String
    }
}
