import Foundation
import LiasseXML

/// The patterns of a schematron table, compiled once per process, evaluated the way the
/// compiled schematron (XSLT) does: pattern after pattern, each element of the document judged
/// by the highest-priority rule of the pattern whose context matches it, every assert of that
/// rule tested at that element.
final class SchematronProgram: Sendable {
    final class CompiledAssert: Sendable {
        init(source: SchematronAssert, test: SchExpr, passesWithout: [Int32], childPathCount: ChildPathCount?,
             messageValues: [SchExpr] = []) {
            self.source = source
            self.test = test
            self.passesWithout = passesWithout
            self.childPathCount = childPathCount
            self.messageValues = messageValues
        }

        let source: SchematronAssert
        /// The values the official message quotes (`{{expr}}` in its text, `xsl:value-of`),
        /// evaluated at the failing node.
        let messageValues: [SchExpr]
        let test: SchExpr
        /// Element names whose absence from the document makes the test true, whatever the
        /// context (`not(a/b)` passes when there is no `b` at all): checked before evaluating.
        let passesWithout: [Int32]
        /// The test as a count of a plain child path compared with a number, when it is one
        /// (`not(a/b)`, `count(a/b) <= 1`): evaluated without building node sets.
        let childPathCount: ChildPathCount?
    }

    /// `count(step1/step2/…) op n` over child element steps without predicates.
    struct ChildPathCount: Sendable {
        let steps: [Int32]
        let op: SchCompare
        let value: Int

        /// Recognises `not(P)`, `P`, `exists(P)`, `count(P) op n` with P a plain relative child path.
        init?(_ test: SchExpr) {
            func plain(_ expression: SchExpr) -> [Int32]? {
                guard case .path(let path) = expression, case .context = path.start, !path.steps.isEmpty else { return nil }
                var names: [Int32] = []
                for step in path.steps {
                    guard step.axis == .child, step.predicates.isEmpty, case .element(let id) = step.test else { return nil }
                    names.append(id)
                }
                return names
            }
            switch test {
            case .call(.not, let arguments) where arguments.count == 1:
                guard let steps = plain(arguments[0]) else { return nil }
                self.steps = steps; op = .equal; value = 0
            case .call(.exists, let arguments) where arguments.count == 1:
                guard let steps = plain(arguments[0]) else { return nil }
                self.steps = steps; op = .greaterOrEqual; value = 1
            case .compare(let op, .call(.count, let arguments), .number(let n)) where arguments.count == 1 && n == n.rounded() && n >= 0 && n < 100:
                guard let steps = plain(arguments[0]) else { return nil }
                self.steps = steps; self.op = op; value = Int(n)
            case .compare(let op, .call(.count, let arguments), .decimal(let d)) where arguments.count == 1 && d >= 0 && d < 100
                && d == XPathMath.round(d):
                guard let steps = plain(arguments[0]) else { return nil }
                self.steps = steps; self.op = op; value = NSDecimalNumber(decimal: d).intValue
            default:
                guard let steps = plain(test) else { return nil }
                self.steps = steps; op = .greaterOrEqual; value = 1
            }
        }
    }

    final class CompiledRule: Sendable {
        /// The context pattern as written in the table.
        let source: String
        let context: SchExpr
        let asserts: [CompiledAssert]
        /// The rule's variables, bound at each context node before its asserts.
        let variables: [(slot: Int, value: SchExpr)]
        /// The context as element chains (`//a/b/c`), when it is one: selected without
        /// evaluating it.
        let chains: [[Int32]]?
        /// The asserts that may fail in any document (no `passesWithout`), by index.
        let alwaysLive: [Int32]
        /// The other asserts, grouped by one of their `passesWithout` names (`keys[k]`, the
        /// asserts `keyed[keyStart[k] ..< keyStart[k + 1]]`): a document lacking the name
        /// skips the group at once. The root rules have hundreds of `not(…)` asserts about
        /// elements an invoice seldom has.
        let keys: [Int32]
        let keyStart: [Int32]
        let keyed: [Int32]

        init(source: String, context: SchExpr, asserts: [CompiledAssert], variables: [(slot: Int, value: SchExpr)] = []) {
            self.source = source
            self.context = context
            self.asserts = asserts
            self.variables = variables
            chains = SchEvaluator.elementChains(context)
            var alwaysLive: [Int32] = []
            var groups: [Int32: [Int32]] = [:]
            var order: [Int32] = []
            for (index, assert) in asserts.enumerated() {
                guard let key = assert.passesWithout.last else { alwaysLive.append(Int32(index)); continue }
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(Int32(index))
            }
            self.alwaysLive = alwaysLive
            keys = order
            var start: [Int32] = [0]
            var keyed: [Int32] = []
            for key in order {
                keyed += groups[key]!
                start.append(Int32(keyed.count))
            }
            keyStart = start
            self.keyed = keyed
        }

        /// Indexes, in table order, of the asserts that can fail in the document `evaluator`
        /// reads (written into `live`, whose storage is reused from rule to rule).
        func liveAsserts(_ evaluator: SchEvaluator, into live: inout [Int32]) {
            live.removeAll(keepingCapacity: true)
            live += alwaysLive
            let before = live.count
            for (k, key) in keys.enumerated() where evaluator.isPresent(key) {
                for i in keyStart[k]..<keyStart[k + 1] where evaluator.allPresent(asserts[Int(keyed[Int(i)])].passesWithout) {
                    live.append(keyed[Int(i)])
                }
            }
            if live.count > before { live.sort() }
        }
    }

    struct CompiledPattern: Sendable {
        let name: String
        let rules: [CompiledRule]
    }

    /// An assert that failed, at an element of the document.
    struct Failure {
        let assert: SchematronAssert
        let node: Int32
        /// The values the official message quotes, in order (France tables).
        var values: [String] = []
    }

    let binding: SchematronTable.Binding
    let patterns: [CompiledPattern]
    /// Program name id by process-wide name number (see `SchNameTable.byCatalogNumber`).
    let names: [Int32]
    let nameCount: Int
    let slots: Int
    let typed: Bool
    let variableCount: Int
    /// The name tests' results on the names met so far, shared by this program's runs.
    let nameTests: SchNameTestCache
    /// The stylesheet's functions (France tables).
    let functions: [SchCompiledFunction]
    /// How many calls of them have one value per document.
    let documentCallCount: Int

    /// Compiles the patterns of `table` that hold an assert, with all their rules (which all
    /// take part in deciding which rule judges an element). BR-CL tests come from the
    /// generated code lists.
    init(table: SchematronTable, nativeFunctions: Bool = true) throws(SchematronCompileError) {
        let nameTable = SchNameTable(namespaces: Dictionary(table.namespaces, uniquingKeysWith: { first, _ in first }),
                                     typed: table.typed, dialect: table.dialect)
        // Every function is named before any body or test is read: calls resolve by name.
        for (index, function) in table.functions.enumerated() {
            nameTable.functions[function.name] = (index, function.parameters.count)
        }
        var functions: [SchCompiledFunction] = []
        for function in table.functions {
            let slots = function.parameters.map(nameTable.variable)
            functions.append(SchCompiledFunction(slots: slots, body: try SchParser.parse(function.body, names: nameTable),
                                                 native: nativeFunctions ? NativeFunctions.implementation(name: function.name, body: function.body) : nil))
        }
        var patterns: [CompiledPattern] = []
        for pattern in table.patterns where pattern.rules.contains(where: { !$0.asserts.isEmpty }) {
            var rules: [CompiledRule] = []
            for rule in pattern.rules {
                let context = try Self.compileContext(rule.context, names: nameTable)
                var variables: [(slot: Int, value: SchExpr)] = []
                for (name, select) in rule.variables {
                    variables.append((nameTable.variable(name), try SchParser.parse(select, names: nameTable)))
                }
                var asserts: [CompiledAssert] = []
                for assert in rule.asserts {
                    let test: SchExpr
                    var messageValues: [SchExpr] = []
                    if table.dialect == .france {
                        guard let source = assert.test else {
                            throw SchematronCompileError(expression: assert.id, reason: "France assert without a test")
                        }
                        test = try SchParser.parse(source, names: nameTable)
                        for quoted in SchematronAssert.quotedExpressions(in: assert.text ?? "") {
                            messageValues.append(try SchParser.parse(quoted, names: nameTable))
                        }
                    } else if let profile = table.profile {
                        test = try Self.compileFacturXTest(assert, profile: profile, names: nameTable)
                    } else {
                        let source = try Self.testSource(of: assert, binding: table.binding, context: rule.context)
                        test = try Self.compileTest(assert, source: source, binding: table.binding, names: nameTable)
                    }
                    // A report fires when its test holds: "passes when absent" does not apply.
                    asserts.append(CompiledAssert(source: assert, test: test,
                                                  passesWithout: assert.report ? [] : Self.namesThatMakeItPass(test),
                                                  childPathCount: ChildPathCount(test),
                                                  messageValues: messageValues))
                }
                rules.append(CompiledRule(source: rule.context, context: context, asserts: asserts, variables: variables))
            }
            patterns.append(CompiledPattern(name: pattern.name, rules: rules))
        }
        binding = table.binding
        self.patterns = patterns
        names = nameTable.byCatalogNumber
        nameCount = nameTable.names.count
        slots = nameTable.slots
        typed = nameTable.typed
        variableCount = nameTable.variableCount
        nameTests = SchNameTestCache(slots: nameTable.slots)
        self.functions = functions
        documentCallCount = nameTable.documentCalls
    }

    /// A test of a Factur-X table: its own, or for a codedb test a lookup of the value in the
    /// profile's list, taken from the generated Factur-X code lists.
    static func compileFacturXTest(_ assert: SchematronAssert, profile: FacturXCodeLists.Profile,
                                   names: SchNameTable) throws(SchematronCompileError) -> SchExpr {
        guard let test = assert.test else {
            throw SchematronCompileError(expression: assert.id, reason: "Factur-X assert without a test")
        }
        if let codedb = assert.codedb {
            guard let list = FacturXCodeLists.codedb[profile]?[codedb.list], FacturXCodeLists.byName[list] != nil else {
                throw SchematronCompileError(expression: assert.id, reason: "no list for codedb cl \(codedb.list) of \(profile.rawValue)")
            }
            return .call(.codedb, [.string(list), try SchParser.parse(codedb.value, names: names)])
        }
        return try SchParser.parse(test, names: names)
    }

    /// A test, with the plain code-list membership test of a BR-CL rule compiled to one lookup
    /// of `normalize-space(value)` in the generated set.
    static func compileTest(_ assert: SchematronAssert, source: String, binding: SchematronTable.Binding,
                            names: SchNameTable) throws(SchematronCompileError) -> SchExpr {
        let syntax: CodeLists.Syntax = binding == .ubl ? .ubl : .cii
        if assert.test == nil, let codeList = CodeLists.byRule[assert.id]?.binding(syntax), codeList.isPlainMembership,
           codeList.lists.count == 1, codeList.lists[0].matching == .normalizedToken {
            let value = try SchParser.parse(codeList.lists[0].value, names: names)
            return .call(.normalizedInCodeList, [.string(codeList.lists[0].list), value])
        }
        return try SchParser.parse(source, names: names)
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

    /// Names any of which, when absent from the document, make `test` true: for `not(P)` the
    /// names P requires, for `A or B` those of A and those of B.
    static func namesThatMakeItPass(_ test: SchExpr) -> [Int32] {
        switch test {
        case .call(.not, let arguments):
            if case .path(let path)? = arguments.first { return path.requiredNames }
            return []
        case .or(let left, let right):
            return namesThatMakeItPass(left) + namesThatMakeItPass(right)
        default:
            return []
        }
    }

    /// An XSLT match pattern as the expression that selects, from the document, the nodes it
    /// matches: relative alternatives (`a/b`) become `//a/b`.
    static func compileContext(_ pattern: String, names: SchNameTable) throws(SchematronCompileError) -> SchExpr {
        let parsed = try SchParser.parse(pattern, names: names)
        // A relative alternative `a/b` matches what `//a/b` selects; a parenthesised start
        // (`(a | b)/c`, `(a)[p]/c`: XSLT 3.0 patterns, the France tables) is anchored inside.
        func anchored(_ alternative: SchExpr) throws(SchematronCompileError) -> SchExpr {
            switch alternative {
            case .union(let alternatives):
                var anchoredAlternatives: [SchExpr] = []
                for alternative in alternatives { anchoredAlternatives.append(try anchored(alternative)) }
                return .union(anchoredAlternatives)
            case .filter(let inner, let predicates):
                guard names.dialect == .france else { break }
                return .filter(try anchored(inner), predicates)
            case .path(let path):
                switch path.start {
                case .root:
                    return alternative
                case .context:
                    guard let first = path.steps.first, first.axis == .child else {
                        throw SchematronCompileError(expression: pattern, reason: "pattern step not supported")
                    }
                    let steps = [SchStep(axis: .descendant, test: first.test, predicates: first.predicates, nameFilterSlot: names.nextSlot)]
                        + path.steps.dropFirst()
                    return .path(SchPath(start: .root, steps: steps, requiredNames: path.requiredNames))
                case .expression(let start):
                    guard names.dialect == .france else { break }
                    return .path(SchPath(start: .expression(try anchored(start)), steps: path.steps, requiredNames: path.requiredNames,
                                         readsVariables: path.readsVariables))
                }
            default:
                break
            }
            throw SchematronCompileError(expression: pattern, reason: "pattern not supported")
        }
        return try anchored(parsed)
    }

    /// Runs every pattern over the document indexed by `index`.
    func run(on index: XMLNodeIndex) -> [Failure] {
        let evaluator = SchEvaluator(index: index, names: names, programNameCount: nameCount, slots: slots,
                                     typed: typed, variableCount: variableCount, nameTests: nameTests, functions: functions,
                                     documentCallCount: documentCallCount)
        var failures: [Failure] = []
        // The pattern (its offset + 1) whose rule judged each node: a node is judged by one rule
        // of each pattern.
        var claimed = [Int32](repeating: 0, count: index.count)
        var live: [Int32] = []
        for (offset, pattern) in patterns.enumerated() {
            let stamp = Int32(offset + 1)
            for rule in pattern.rules {
                let nodes = evaluator.select(rule.context, chains: rule.chains)
                if nodes.isEmpty { continue }
                // Asserts that pass whatever the context, by the names absent from the
                // document, are skipped.
                rule.liveAsserts(evaluator, into: &live)
                for node in nodes where node > 0 && claimed[Int(node)] != stamp {
                    claimed[Int(node)] = stamp
                    for variable in rule.variables { evaluator.assign(variable.slot, variable.value, at: node) }
                    for i in live {
                        let assert = rule.asserts[Int(i)]
                        let passed: Bool
                        if let count = assert.childPathCount {
                            passed = evaluator.countChildPath(count.steps, from: node, compare: count.op, with: count.value)
                        } else {
                            passed = evaluator.test(assert.test, at: node)
                        }
                        if passed == assert.source.report {
                            failures.append(Failure(assert: assert.source, node: node,
                                                    values: assert.messageValues.map { evaluator.messageValue($0, at: node) }))
                        }
                    }
                }
            }
        }
        return failures
    }
}

/// The compiled programs, built on first use and shared by every task.
///
/// The CEN tables' syntax rules (UBL-*, CII-*) and code-list rules (BR-CL-*) run as one
/// program per binding: many of their rules share contexts (a pattern holds both kinds), and
/// one run selects each context once. The findings are told apart by their identifiers.
enum SchematronPrograms {
    static func isCodeList(_ assert: SchematronAssert) -> Bool { assert.id.hasPrefix("BR-CL-") }

    static let ubl = Result { () throws(SchematronCompileError) in
        try SchematronProgram(table: .ubl)
    }
    static let cii = Result { () throws(SchematronCompileError) in
        try SchematronProgram(table: .cii)
    }

    /// The syntax and code-list rules of `binding`.
    static func cen(_ binding: SchematronTable.Binding) -> Result<SchematronProgram, SchematronCompileError> {
        binding == .ubl ? ubl : cii
    }
}
