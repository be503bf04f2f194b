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
    /// How the table's expressions read.
    var dialect: Dialect = .cen
    /// The functions of the stylesheet (`xsl:function`), which tests call by name.
    var functions: [SchematronFunction] = []

    enum Dialect: Sendable, Equatable {
        /// The CEN syntax tables: XPath 1.0 untyped, BR-CL tests from the generated code lists.
        case cen
        /// A Factur-X profile table (`FacturX/Generated/FacturXRuleTables.swift`): typed XPath
        /// 2.0, codedb lookups in that profile's lists.
        case facturX(FacturXCodeLists.Profile)
        /// A France RFE table (`France/Generated/FranceRuleTables.swift`): typed XPath 2.0 with
        /// the stylesheet's functions and the rules' variables.
        case france
    }

    /// The Factur-X profile of a Factur-X table.
    var profile: FacturXCodeLists.Profile? {
        if case .facturX(let profile) = dialect { return profile }
        return nil
    }

    var typed: Bool { dialect != .cen }

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
    /// The rule's variables (`xsl:variable` of the rule template), by name and select, in
    /// order: evaluated at each context node before the asserts, which read them as `$name`.
    var variables: [(String, String)] = []
}

/// A function of the stylesheet (`xsl:function`): its parameters, and its body with the
/// function's own variables written inline by the generator.
struct SchematronFunction: Sendable {
    let name: String
    let parameters: [String]
    let body: String
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
    /// The official text (English for the Factur-X tables, French for BR-FR; the CEN tables
    /// keep theirs in the catalogues), with `{{expr}}` where it quotes the document.
    var text: String? = nil
    /// The flag of the official `_WARNING` variant (BR-FR).
    var warningFlag: Flag? = nil
    /// Liasse's English for an official French text (BR-FR), same `{{expr}}`.
    var english: String? = nil

    struct Codedb: Sendable {
        let list: Int
        let value: String
    }
}

extension SchematronAssert {
    /// The parts of an official text written as an XSLT attribute value template: `{expr}` is a
    /// value of the document (an `xsl:value-of`), `{{` and `}}` are literal braces.
    enum TextPart: Equatable {
        case literal(String)
        case value(String)
    }

    static func parts(of text: String) -> [TextPart] {
        var parts: [TextPart] = []
        var literal = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if (c == "{" || c == "}"), next < text.endIndex, text[next] == c {
                literal.append(c)
                i = text.index(after: next)
            } else if c == "{", let close = text[next...].firstIndex(of: "}") {
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                parts.append(.value(String(text[next..<close])))
                i = text.index(after: close)
            } else {
                literal.append(c)
                i = next
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return parts
    }

    /// The expressions an official text quotes, in order.
    static func quotedExpressions(in text: String) -> [String] {
        parts(of: text).compactMap { if case .value(let expression) = $0 { return expression } else { return nil } }
    }

    /// `text` with each quoted expression replaced by its value, found in `values` by the
    /// expression (an English text may quote them in another order than the French).
    static func filling(_ text: String, values: [String: String]) -> String {
        parts(of: text).map { part in
            switch part {
            case .literal(let literal): return literal
            case .value(let expression): return values[expression] ?? ""
            }
        }.joined()
    }
}
