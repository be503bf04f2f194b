import LiasseXML

/// The patterns of a schematron table, compiled once per process, evaluated the way the
/// compiled schematron (XSLT) does: pattern after pattern, each element of the document judged
/// by the highest-priority rule of the pattern whose context matches it, every assert of that
/// rule tested at that element.
final class SchematronProgram: Sendable {
    struct CompiledAssert: Sendable {
        let source: SchematronAssert
        let test: SchExpr
    }

    struct CompiledRule: Sendable {
        let context: SchExpr
        let asserts: [CompiledAssert]
    }

    struct CompiledPattern: Sendable {
        let name: String
        let rules: [CompiledRule]
    }

    /// An assert that failed, at an element of the document.
    struct Failure {
        let assert: SchematronAssert
        let node: Int32
    }

    let binding: SchematronTable.Binding
    let patterns: [CompiledPattern]
    private let names: [XMLNodeIndex.Name: Int32]
    private let nameCount: Int
    private let slots: Int

    /// Compiles the patterns of `table` that hold an assert `include` accepts (with all their
    /// rules, which all take part in deciding which rule judges an element), keeping only the
    /// accepted asserts. BR-CL tests come from the generated code lists.
    init(table: SchematronTable, include: (SchematronAssert) -> Bool) throws(SchematronCompileError) {
        let nameTable = SchNameTable(namespaces: Dictionary(table.namespaces, uniquingKeysWith: { first, _ in first }))
        var patterns: [CompiledPattern] = []
        for pattern in table.patterns where pattern.rules.contains(where: { $0.asserts.contains(where: include) }) {
            var rules: [CompiledRule] = []
            for rule in pattern.rules {
                let context = try Self.compileContext(rule.context, names: nameTable)
                var asserts: [CompiledAssert] = []
                for assert in rule.asserts where include(assert) {
                    let source = try Self.testSource(of: assert, binding: table.binding, context: rule.context)
                    asserts.append(CompiledAssert(source: assert, test: try SchParser.parse(source, names: nameTable)))
                }
                rules.append(CompiledRule(context: context, asserts: asserts))
            }
            patterns.append(CompiledPattern(name: pattern.name, rules: rules))
        }
        binding = table.binding
        self.patterns = patterns
        names = nameTable.lookup
        nameCount = nameTable.names.count
        slots = nameTable.slots
    }

    /// The test of an assert: its own, or for BR-CL the generated code lists' (whose context
    /// must be the table's: both come from the same artefact).
    static func testSource(of assert: SchematronAssert, binding: SchematronTable.Binding, context: String) throws(SchematronCompileError) -> String {
        if let test = assert.test { return test }
        let syntax: CodeLists.Syntax = binding == .ubl ? .ubl : .cii
        guard let codeListBinding = CodeLists.byRule[assert.id]?.binding(syntax) else {
            throw SchematronCompileError(expression: assert.id, reason: "no code-list binding for \(syntax.rawValue)")
        }
        guard normalized(codeListBinding.context) == normalized(context) else {
            throw SchematronCompileError(expression: assert.id, reason: "code-list context \(codeListBinding.context) differs from \(context)")
        }
        return codeListBinding.test
    }

    private static func normalized(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    /// An XSLT match pattern as the expression that selects, from the document, the nodes it
    /// matches: relative alternatives (`a/b`) become `//a/b`.
    static func compileContext(_ pattern: String, names: SchNameTable) throws(SchematronCompileError) -> SchExpr {
        let parsed = try SchParser.parse(pattern, names: names)
        func anchored(_ alternative: SchExpr) throws(SchematronCompileError) -> SchExpr {
            guard case .path(var path) = alternative else {
                throw SchematronCompileError(expression: pattern, reason: "not a path pattern")
            }
            switch path.start {
            case .root:
                return alternative
            case .context:
                guard var first = path.steps.first, first.axis == .child else {
                    throw SchematronCompileError(expression: pattern, reason: "pattern step not supported")
                }
                first.axis = .descendant
                path.steps[0] = first
                path.start = .root
                return .path(path)
            case .expression:
                throw SchematronCompileError(expression: pattern, reason: "pattern not supported")
            }
        }
        if case .union(let alternatives) = parsed {
            var anchoredAlternatives: [SchExpr] = []
            for alternative in alternatives { anchoredAlternatives.append(try anchored(alternative)) }
            return .union(anchoredAlternatives)
        }
        return try anchored(parsed)
    }

    /// Runs every pattern over the document indexed by `index`.
    func run(on index: XMLNodeIndex) -> [Failure] {
        let evaluator = SchEvaluator(index: index, names: names, programNameCount: nameCount, slots: slots)
        var failures: [Failure] = []
        var claimed = [Bool](repeating: false, count: index.count)
        for (offset, pattern) in patterns.enumerated() {
            if offset > 0 { for i in claimed.indices { claimed[i] = false } }
            for rule in pattern.rules {
                for node in evaluator.select(rule.context) where node > 0 && !claimed[Int(node)] {
                    claimed[Int(node)] = true
                    for assert in rule.asserts where !evaluator.test(assert.test, at: node) {
                        failures.append(Failure(assert: assert.source, node: node))
                    }
                }
            }
        }
        return failures
    }
}

/// The compiled programs, built on first use and shared by every task.
enum SchematronPrograms {
    static func isCodeList(_ assert: SchematronAssert) -> Bool { assert.id.hasPrefix("BR-CL-") }

    static let ublSyntax = Result { () throws(SchematronCompileError) in
        try SchematronProgram(table: .ubl, include: { !isCodeList($0) })
    }
    static let ciiSyntax = Result { () throws(SchematronCompileError) in
        try SchematronProgram(table: .cii, include: { !isCodeList($0) })
    }
    static let ublCodeLists = Result { () throws(SchematronCompileError) in
        try SchematronProgram(table: .ubl, include: isCodeList)
    }
    static let ciiCodeLists = Result { () throws(SchematronCompileError) in
        try SchematronProgram(table: .cii, include: isCodeList)
    }

    static func syntax(_ binding: SchematronTable.Binding) -> Result<SchematronProgram, SchematronCompileError> {
        binding == .ubl ? ublSyntax : ciiSyntax
    }

    static func codeLists(_ binding: SchematronTable.Binding) -> Result<SchematronProgram, SchematronCompileError> {
        binding == .ubl ? ublCodeLists : ciiCodeLists
    }
}
