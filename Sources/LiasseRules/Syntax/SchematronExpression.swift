import Foundation
import LiasseInvoice
import LiasseXML

/// A compiled XPath expression of the schematron tables: the subset of XPath 2.0 the CEN
/// artefacts use in their syntax and code-list rules, with XPath 2.0 semantics where they differ
/// from XPath 1.0 (general comparisons with booleans, function steps such as
/// `cac:TaxScheme/upper-case(cbc:ID)`, `exists`, `distinct-values`, `ends-with`, `upper-case`).
indirect enum SchExpr: Sendable {
    case string(String)
    case number(Double)
    /// A code list named in a test (`{iso4217}`), only valid as `contains`'s first argument.
    case codeList(String)
    case path(SchPath)
    case union([SchExpr])
    case or(SchExpr, SchExpr)
    case and(SchExpr, SchExpr)
    case compare(SchCompare, SchExpr, SchExpr)
    case subtract(SchExpr, SchExpr)
    case add(SchExpr, SchExpr)
    case negate(SchExpr)
    case call(SchFunction, [SchExpr])
    /// A primary expression filtered by predicates (`(//ram:TypeCode)[1]`).
    case filter(SchExpr, [SchExpr])
    /// `ends-with(name(), 'X')` at the context node, cached per distinct name (slot).
    case nameEndsWith(String, slot: Int)

    // Typed XPath 2.0 (the Factur-X tables only: `SchNameTable.typed`).

    /// An `xs:integer` or `xs:decimal` literal.
    case decimal(Decimal)
    /// `$name`, by variable slot.
    case variable(Int)
    /// `for $a in E1, $b in E2 return E`.
    case forExpr([SchBinding], SchExpr)
    /// `some|every $a in E1, … satisfies E`.
    case quantified(every: Bool, [SchBinding], SchExpr)
    /// `+ - * div mod` with XPath 2.0 numeric typing (decimal stays decimal, untyped is double).
    case arithmetic(SchArithmetic, SchExpr, SchExpr)
    /// `eq ne lt le gt ge`: value comparison of single items.
    case valueCompare(SchCompare, SchExpr, SchExpr)
    /// `E cast as xs:boolean`.
    case castBoolean(SchExpr)
    /// `-E` with XPath 2.0 numeric typing.
    case typedNegate(SchExpr)
    /// `(E1, E2, …)`: the items of each, in order.
    case sequence([SchExpr])

    // The France RFE tables (XSLT 2.0 stylesheets with functions and variables).

    /// `if (C) then A else B`.
    case conditional(SchExpr, SchExpr, SchExpr)
    /// `current()`: the node the rule's context matched, whatever the predicate it is read in.
    case current
    /// `()`.
    case emptySequence
    /// A call of a function of the stylesheet, by its index in the program's functions.
    case userCall(Int, [SchExpr])
    /// A call whose arguments do not depend on the context (`custom:isSpecialContract(/rsm:…)`):
    /// its value is the same everywhere in a document, computed once (cache slot).
    case documentCall(Int, [SchExpr], slot: Int)
    /// `matches(E, 'pattern')` with an XPath regular expression.
    case regexMatch(SchExpr, SchRegex)
    /// `replace(E, 'pattern', 'replacement')`.
    case regexReplace(SchExpr, SchRegex, String)
    /// `tokenize(E, 'pattern')` with a pattern other than whitespace.
    case regexTokenize(SchExpr, SchRegex)
    /// A sequence of literals (`('S', 'E', 'AE')`, `tokenize('B1 S1 M1', '\s+')`), built once.
    case constant([SchAtom])
}

extension SchExpr {
    /// Whether the value is the same wherever in the document it is evaluated: literals and
    /// absolute paths that read no variable.
    var isDocumentConstant: Bool {
        switch self {
        case .string, .number, .decimal, .constant: return true
        case .path(let path):
            guard case .root = path.start, !path.readsVariables else { return false }
            return path.steps.allSatisfy { step in
                if case .expression = step.test { return false }
                return step.predicates.isEmpty
            }
        case .union(let alternatives): return alternatives.allSatisfy(\.isDocumentConstant)
        default: return false
        }
    }

    /// `.sequence(items)`, or the constant it is when every item is a literal.
    static func folded(_ items: [SchExpr]) -> SchExpr {
        var atoms: [SchAtom] = []
        for item in items {
            switch item {
            case .string(let value): atoms.append(.string(value))
            case .decimal(let value): atoms.append(.decimal(value))
            default: return .sequence(items)
            }
        }
        return .constant(atoms)
    }
}

/// A variable binding of a `for` or quantified expression.
struct SchBinding: Sendable {
    let slot: Int
    let sequence: SchExpr
}

enum SchArithmetic: Sendable {
    case add, subtract, multiply, divide, modulo
}

enum SchCompare: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

enum SchFunction: String, Sendable {
    case not, count, contains, concat, exists, empty, matches, name, number, string, boolean, substring, translate
    case normalizeSpace = "normalize-space"
    case upperCase = "upper-case"
    case lowerCase = "lower-case"
    case substringAfter = "substring-after"
    case substringBefore = "substring-before"
    case stringLength = "string-length"
    case localName = "local-name"
    case trueValue = "true"
    case falseValue = "false"
    case distinctValues = "distinct-values"
    case endsWith = "ends-with"
    case startsWith = "starts-with"
    /// `contains({list}, value)`: value found in the code list's padded literal.
    case inCodeList = "liasse:in-code-list"
    /// `normalize-space(value)` is one of the codes of the list (the plain membership test of
    /// the code-list rules, compiled from `CodeLists.Binding.isPlainMembership`).
    case normalizedInCodeList = "liasse:normalized-in-code-list"
    /// `value = {list}`: some item of value equals (code point by code point) a code of the list.
    case equalsCodeList = "liasse:equals-code-list"
    /// `matches(value, 'pattern')` for a pattern Liasse implements natively (argument 1: the id).
    case nativeMatch = "liasse:native-match"
    // Typed XPath 2.0 (Factur-X tables).
    case xsDecimal = "xs:decimal"
    case round, abs, sum, tokenize
    case stringJoin = "string-join"
    /// The codedb test of the Factur-X tables: `string-length($v) = 0 or $v` is a code of the
    /// list (argument 0: the list name in ``FacturXCodeLists/byName``; argument 1: the value).
    case codedb = "liasse:codedb"
    // The France tables.
    /// `string-join(E, sep)` over any sequence (the string values of its items).
    case stringJoinItems = "liasse:string-join-items"
    /// `xs:date(E)`: the date as an `xs:string` atom `YYYY-MM-DD` (dates without a time zone
    /// compare as such strings), empty when E is not a date.
    case xsDate = "xs:date"
}

/// A location path: where it starts and its steps. A class: evaluation reads it many times per
/// document, and a reference costs one retain where a struct costs one per field.
final class SchPath: Sendable {
    enum Start: Sendable {
        /// Relative to the context node.
        case context
        /// `/…`: the document node.
        case root
        /// A primary expression (`(a|b)/c`).
        case expression(SchExpr)
    }

    let start: Start
    let steps: [SchStep]
    /// Program names (elements and attributes) every step with a name test needs: when one is
    /// absent from the document the path is empty (checked before any work, the common case of
    /// the syntax rules).
    let requiredNames: [Int32]
    /// Whether the path's truth can be decided by a depth-first search: no positional
    /// predicate, no function step.
    let existenceSearchable: Bool

    /// Whether a predicate reads a variable: the path's value then depends on more than the
    /// context node, and an absolute path must not be cached.
    let readsVariables: Bool

    init(start: Start, steps: [SchStep], requiredNames: [Int32], readsVariables: Bool = false) {
        self.start = start
        self.steps = steps
        self.requiredNames = requiredNames
        self.readsVariables = readsVariables
        existenceSearchable = steps.allSatisfy { step in
            if step.positional { return false }
            if case .expression = step.test { return false }
            return true
        }
        forwardSimple = existenceSearchable && steps.allSatisfy { [.child, .attribute, .selfAxis].contains($0.axis) }
        if case .context = start, steps.count == 1, steps[0].axis == .selfAxis, case .anyNode = steps[0].test, steps[0].predicates.isEmpty {
            isContextItem = true
        } else {
            isContextItem = false
        }
    }

    /// `.`: the context item, which a filter of atomic values (`string-join(…)[contains(., 'x')]`)
    /// sets to an atom rather than a node.
    let isContextItem: Bool

    /// Whether a depth-first walk visits the selected nodes once each, in document order (child,
    /// attribute and self steps only): then strings, counts and comparisons need no node set.
    let forwardSimple: Bool
}

final class SchStep: Sendable {
    enum Axis: Sendable {
        case child, attribute, selfAxis, parent, ancestor, ancestorOrSelf, descendant, descendantOrSelf, preceding
    }

    enum Test: Sendable {
        /// An element name, by program name id.
        case element(Int32)
        /// `*`.
        case anyElement
        /// `prefix:*`.
        case namespace(String)
        /// `@name` (no namespace) or `@prefix:name`, by program name id.
        case attribute(Int32)
        /// `@*`.
        case anyAttribute
        /// `node()`.
        case anyNode
        /// `text()`: only as the last step of `P//text()` inside `string-join`, where the text
        /// nodes' concatenation is the string value of the nodes P selects.
        case text
        /// An XPath 2.0 step that is an expression (`upper-case(cbc:ID)`), evaluated per node.
        case expression(SchExpr)
    }

    let axis: Axis
    let test: Test
    let predicates: [SchExpr]
    /// Whether a predicate is a number (a position): steps without one are evaluated over all
    /// context nodes at once.
    let positional: Bool
    /// For a wildcard element test (`*`, `ram:*`): a filter on the element's name alone (its
    /// namespace, and the suffix of a leading `ends-with(name(), 'X')` predicate), computed once
    /// per document and distinct name in `slot`.
    let nameFilter: NameFilter?

    /// A number literal as a predicate is a position (`[1]`), in both dialects.
    static func isPositional(_ predicate: SchExpr) -> Bool {
        switch predicate {
        case .number, .decimal: return true
        default: return false
        }
    }

    struct NameFilter: Sendable {
        let namespace: String?
        let suffix: String?
        let slot: Int
    }

    init(axis: Axis, test: Test, predicates: [SchExpr], nameFilterSlot: () -> Int = { -1 }) {
        self.axis = axis
        self.test = test
        self.predicates = predicates
        positional = predicates.contains(where: SchStep.isPositional)
        func leadingSuffix(_ predicate: SchExpr) -> String? {
            switch predicate {
            case .nameEndsWith(let suffix, _): return suffix
            case .and(let left, _): return leadingSuffix(left)
            default: return nil
            }
        }
        let suffix = positional ? nil : predicates.first.flatMap(leadingSuffix)
        switch test {
        case .anyElement where suffix != nil:
            let slot = nameFilterSlot()
            nameFilter = slot >= 0 ? NameFilter(namespace: nil, suffix: suffix, slot: slot) : nil
        case .namespace(let uri):
            let slot = nameFilterSlot()
            nameFilter = slot >= 0 ? NameFilter(namespace: uri, suffix: suffix, slot: slot) : nil
        default:
            nameFilter = nil
        }
    }
}

/// A problem in a rule table expression: a bug of the table or of the evaluator, never a
/// verdict on an invoice.
struct SchematronCompileError: Error, CustomStringConvertible {
    let expression: String
    let reason: String
    var description: String { "cannot compile \(expression): \(reason)" }
}

/// Names and slots shared by the expressions of one compiled program.
final class SchNameTable {
    private(set) var names: [XMLNodeIndex.Name] = []
    private var index: [XMLNodeIndex.Name: Int32] = [:]
    private(set) var slots = 0
    let namespaces: [String: String]
    /// Typed XPath 2.0 (decimal literals, arithmetic, `for`, `some`, `every`, value
    /// comparisons, `$variables`): the Factur-X tables. The CEN tables keep the untyped dialect.
    let typed: Bool
    let dialect: SchematronTable.Dialect
    private var variableSlots: [String: Int] = [:]
    /// The stylesheet's functions by name: their index in the program and their arity.
    var functions: [String: (index: Int, arity: Int)] = [:]
    /// Calls of those functions whose value is one per document (`SchExpr.documentCall`).
    private(set) var documentCalls = 0

    func nextDocumentCall() -> Int {
        documentCalls += 1
        return documentCalls - 1
    }

    init(namespaces: [String: String], typed: Bool = false, dialect: SchematronTable.Dialect = .cen) {
        self.namespaces = namespaces
        self.typed = typed
        self.dialect = dialect
    }

    /// The slot of a variable name (one per name and program; bindings save and restore it).
    func variable(_ name: String) -> Int {
        if let known = variableSlots[name] { return known }
        let slot = variableSlots.count
        variableSlots[name] = slot
        return slot
    }

    var variableCount: Int { variableSlots.count }

    func id(_ name: XMLNodeIndex.Name) -> Int32 {
        if let known = index[name] { return known }
        let id = Int32(names.count)
        names.append(name)
        index[name] = id
        return id
    }

    func nextSlot() -> Int {
        slots += 1
        return slots - 1
    }

    /// Program name id by process-wide name number (`XMLNameCatalog`), -1 for names the
    /// program never tests: how an evaluator maps a document's names without hashing them.
    var byCatalogNumber: [Int32] {
        var table: [Int32] = []
        for (name, id) in index {
            let number = Int(XMLNameCatalog.shared.number(of: name))
            if number >= table.count { table += [Int32](repeating: -1, count: number + 1 - table.count) }
            table[number] = id
        }
        return table
    }
}

/// Parses the XPath 2.0 subset into `SchExpr`.
struct SchParser {
    private enum Token: Equatable {
        case name(String)          // NCName or prefix:local, prefix:*, *
        case string(String)
        case number(Double)
        case symbol(String)        // ( ) [ ] , | / // @ . .. :: = != < <= > >= + - { }
        case variable(String)      // $name
        case end
    }

    private let source: String
    private var tokens: [Token] = []
    private var position = 0
    private let names: SchNameTable
    /// Variable references read so far (a path whose predicates read one is not cached).
    private var variableReads = 0

    init(_ source: String, names: SchNameTable) throws(SchematronCompileError) {
        self.source = source
        self.names = names
        tokens = try Self.tokenize(source)
    }

    static func parse(_ source: String, names: SchNameTable) throws(SchematronCompileError) -> SchExpr {
        var parser = try SchParser(source, names: names)
        let expression = try parser.parseExpr()
        guard parser.peek == .end else { throw parser.error("unexpected \(parser.peek)") }
        return expression
    }

    private func error(_ reason: String) -> SchematronCompileError {
        SchematronCompileError(expression: source, reason: reason)
    }

    private static func tokenize(_ source: String) throws(SchematronCompileError) -> [Token] {
        let chars = Array(source.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" }
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || c.properties.numericType != nil || c == "_" || c == "-" || c == "."
        }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c == "$" {
                var j = i + 1
                var text = ""
                while j < chars.count, isNameChar(chars[j]) { text.unicodeScalars.append(chars[j]); j += 1 }
                guard !text.isEmpty else { throw SchematronCompileError(expression: source, reason: "empty variable name") }
                tokens.append(.variable(text))
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                var value = String.UnicodeScalarView()
                while j < chars.count, chars[j] != c { value.append(chars[j]); j += 1 }
                guard j < chars.count else { throw SchematronCompileError(expression: source, reason: "unterminated string") }
                tokens.append(.string(String(value)))
                i = j + 1
                continue
            }
            if c.properties.numericType != nil && ("0"..."9").contains(c) || (c == "." && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])) {
                var j = i
                var text = ""
                while j < chars.count, ("0"..."9").contains(chars[j]) || chars[j] == "." { text.unicodeScalars.append(chars[j]); j += 1 }
                guard let value = Double(text) else { throw SchematronCompileError(expression: source, reason: "bad number \(text)") }
                tokens.append(.number(value))
                i = j
                continue
            }
            if isNameStart(c) {
                var j = i
                var text = ""
                while j < chars.count, isNameChar(chars[j]) { text.unicodeScalars.append(chars[j]); j += 1 }
                // prefix:local or prefix:* (but not the axis separator ::)
                if j + 1 < chars.count, chars[j] == ":", chars[j + 1] != ":" {
                    if chars[j + 1] == "*" {
                        text += ":*"
                        j += 2
                    } else if isNameStart(chars[j + 1]) {
                        text += ":"
                        j += 1
                        while j < chars.count, isNameChar(chars[j]) { text.unicodeScalars.append(chars[j]); j += 1 }
                    }
                }
                // A trailing '.' belongs to the next token only in '..'; names here never end with '.'.
                tokens.append(.name(text))
                i = j
                continue
            }
            let two = i + 1 < chars.count ? String(String.UnicodeScalarView([c, chars[i + 1]])) : ""
            if ["//", "..", "::", "!=", "<=", ">="].contains(two) {
                tokens.append(.symbol(two))
                i += 2
                continue
            }
            if "()[],|/@.=<>+-{}*".unicodeScalars.contains(c) {
                if c == "*" {
                    tokens.append(.name("*"))
                } else {
                    tokens.append(.symbol(String(c)))
                }
                i += 1
                continue
            }
            throw SchematronCompileError(expression: source, reason: "unexpected character \(c)")
        }
        tokens.append(.end)
        return tokens
    }

    private var peek: Token { tokens[position] }
    private func peek(_ offset: Int) -> Token { position + offset < tokens.count ? tokens[position + offset] : .end }

    private mutating func advance() -> Token {
        let token = tokens[position]
        position += 1
        return token
    }

    private mutating func expect(_ symbol: String) throws(SchematronCompileError) {
        guard advance() == .symbol(symbol) else { throw error("expected \(symbol)") }
    }

    private mutating func parseExpr() throws(SchematronCompileError) -> SchExpr {
        if names.typed, case .name(let keyword) = peek, case .variable = peek(1),
           keyword == "for" || keyword == "some" || keyword == "every" {
            _ = advance()
            var bindings: [SchBinding] = []
            while true {
                guard case .variable(let name) = advance() else { throw error("expected a variable after \(keyword)") }
                guard advance() == .name("in") else { throw error("expected in") }
                let sequence = try parseExpr()
                bindings.append(SchBinding(slot: names.variable(name), sequence: sequence))
                if peek == .symbol(",") { _ = advance(); continue }
                break
            }
            let closing = keyword == "for" ? "return" : "satisfies"
            guard advance() == .name(closing) else { throw error("expected \(closing)") }
            let body = try parseExpr()
            return keyword == "for" ? .forExpr(bindings, body) : .quantified(every: keyword == "every", bindings, body)
        }
        if names.typed, peek == .name("if"), peek(1) == .symbol("(") {
            _ = advance()
            _ = advance()
            let condition = try parseExprSequence()
            try expect(")")
            guard advance() == .name("then") else { throw error("expected then") }
            let then = try parseExpr()
            guard advance() == .name("else") else { throw error("expected else") }
            return .conditional(condition, then, try parseExpr())
        }
        var left = try parseAnd()
        while peek == .name("or") {
            _ = advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    /// `E1, E2, …` inside parentheses: one expression, or a sequence.
    private mutating func parseExprSequence() throws(SchematronCompileError) -> SchExpr {
        let first = try parseExpr()
        guard names.typed, peek == .symbol(",") else { return first }
        var items = [first]
        while peek == .symbol(",") {
            _ = advance()
            items.append(try parseExpr())
        }
        return names.dialect == .france ? .folded(items) : .sequence(items)
    }

    private mutating func parseAnd() throws(SchematronCompileError) -> SchExpr {
        var left = try parseComparison()
        while peek == .name("and") {
            _ = advance()
            left = .and(left, try parseComparison())
        }
        return left
    }

    private mutating func parseComparison() throws(SchematronCompileError) -> SchExpr {
        let left = try parseAdditive()
        let operators: [String: SchCompare] = ["=": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual,
                                               ">": .greater, ">=": .greaterOrEqual]
        let valueOperators: [String: SchCompare] = ["eq": .equal, "ne": .notEqual, "lt": .less, "le": .lessOrEqual,
                                                    "gt": .greater, "ge": .greaterOrEqual]
        if names.typed, case .name(let word) = peek, let op = valueOperators[word] {
            _ = advance()
            return .valueCompare(op, left, try parseAdditive())
        }
        if case .symbol(let symbol) = peek, let op = operators[symbol] {
            _ = advance()
            let right = try parseAdditive()
            // `value = {list}` stands for `value = 'C1' or value = 'C2' or …` in the artefact.
            if op == .equal, case .codeList(let list) = right {
                return .call(.equalsCodeList, [.string(list), left])
            }
            return .compare(op, left, right)
        }
        return left
    }

    private mutating func parseAdditive() throws(SchematronCompileError) -> SchExpr {
        if names.typed {
            var left = try parseMultiplicative()
            while true {
                if peek == .symbol("-") {
                    _ = advance()
                    left = .arithmetic(.subtract, left, try parseMultiplicative())
                } else if peek == .symbol("+") {
                    _ = advance()
                    left = .arithmetic(.add, left, try parseMultiplicative())
                } else {
                    return left
                }
            }
        }
        var left = try parseUnary()
        while true {
            if peek == .symbol("-") {
                _ = advance()
                left = .subtract(left, try parseUnary())
            } else if peek == .symbol("+") {
                _ = advance()
                left = .add(left, try parseUnary())
            } else {
                return left
            }
        }
    }

    /// `a * b`, `a div b`, `a mod b` (typed dialect).
    private mutating func parseMultiplicative() throws(SchematronCompileError) -> SchExpr {
        var left = try parseUnary()
        while true {
            if peek == .name("*") {
                _ = advance()
                left = .arithmetic(.multiply, left, try parseUnary())
            } else if peek == .name("div") {
                _ = advance()
                left = .arithmetic(.divide, left, try parseUnary())
            } else if peek == .name("mod") {
                _ = advance()
                left = .arithmetic(.modulo, left, try parseUnary())
            } else {
                return left
            }
        }
    }

    private mutating func parseUnary() throws(SchematronCompileError) -> SchExpr {
        if peek == .symbol("-") {
            _ = advance()
            let operand = try parseUnary()
            return names.typed ? .typedNegate(operand) : .negate(operand)
        }
        if peek == .symbol("+"), names.typed {
            _ = advance()
            return try parseUnary()
        }
        let operand = try parseUnion()
        if names.typed, peek == .name("cast"), peek(1) == .name("as") {
            _ = advance()
            _ = advance()
            guard advance() == .name("xs:boolean") else { throw error("only cast as xs:boolean is supported") }
            return .castBoolean(operand)
        }
        return operand
    }

    private mutating func parseUnion() throws(SchematronCompileError) -> SchExpr {
        var alternatives = [try parsePathExpr()]
        while peek == .symbol("|") {
            _ = advance()
            alternatives.append(try parsePathExpr())
        }
        return alternatives.count == 1 ? alternatives[0] : .union(alternatives)
    }

    /// Whether the current token starts a step (rather than a primary expression).
    private var atStep: Bool {
        switch peek {
        case .symbol("@"), .symbol("."), .symbol(".."): return true
        case .name(let name):
            if peek(1) == .symbol("::") { return true }
            if peek(1) == .symbol("(") { return name == "node" || name == "text" }
            return true
        default: return false
        }
    }

    private mutating func parsePathExpr() throws(SchematronCompileError) -> SchExpr {
        let reads = variableReads
        if peek == .symbol("/") {
            _ = advance()
            var steps: [SchStep] = []
            if atStepStart {
                steps = try parseRelativeSteps(first: try parseStep())
            }
            return .path(makePath(start: .root, steps: steps, readsSince: reads))
        }
        if peek == .symbol("//") {
            _ = advance()
            let steps = try parseRelativeSteps(first: nil, leadingDescendant: true)
            return .path(makePath(start: .root, steps: steps, readsSince: reads))
        }
        if atStep {
            let first = try parseStep()
            let steps = try parseRelativeSteps(first: first)
            return .path(makePath(start: .context, steps: steps, readsSince: reads))
        }
        var primary = try parsePrimary()
        var predicates: [SchExpr] = []
        while peek == .symbol("[") { predicates.append(try parsePredicate()) }
        if !predicates.isEmpty { primary = .filter(primary, predicates) }
        if peek == .symbol("/") || peek == .symbol("//") {
            let steps = try parseRelativeSteps(first: nil)
            return .path(makePath(start: .expression(primary), steps: steps, readsSince: reads))
        }
        return primary
    }

    private var atStepStart: Bool {
        switch peek {
        case .symbol("@"), .symbol("."), .symbol(".."), .name: return true
        default: return false
        }
    }

    /// Parses `step (('/' | '//') step)*`; with `first` nil the first separator is read here.
    private mutating func parseRelativeSteps(first: SchStep?, leadingDescendant: Bool = false) throws(SchematronCompileError) -> [SchStep] {
        var steps: [SchStep] = []
        var descendantNext = leadingDescendant
        if let first { steps.append(first) } else if !leadingDescendant {
            // A separator must follow.
        }
        if first == nil && leadingDescendant {
            steps.append(contentsOf: descendant(try parseStep()))
            descendantNext = false
        }
        while true {
            if peek == .symbol("/") {
                _ = advance()
                steps.append(try parseStep())
            } else if peek == .symbol("//") {
                _ = advance()
                steps.append(contentsOf: descendant(try parseStep()))
            } else {
                break
            }
        }
        _ = descendantNext
        return steps
    }

    /// `//step`: `descendant::x` when that is equivalent (a child element step without a
    /// positional predicate), else `descendant-or-self::node()/step`.
    private func descendant(_ step: SchStep) -> [SchStep] {
        let positional = step.predicates.contains(where: SchStep.isPositional)
        if step.axis == .child, !positional {
            switch step.test {
            case .element, .anyElement, .namespace:
                return [SchStep(axis: .descendant, test: step.test, predicates: step.predicates, nameFilterSlot: names.nextSlot)]
            default: break
            }
        }
        return [SchStep(axis: .descendantOrSelf, test: .anyNode, predicates: []), step]
    }

    private mutating func parsePredicate() throws(SchematronCompileError) -> SchExpr {
        try expect("[")
        let expression = try parseExpr()
        try expect("]")
        return expression
    }

    private mutating func parseStep() throws(SchematronCompileError) -> SchStep {
        if peek == .symbol(".") {
            _ = advance()
            var predicates: [SchExpr] = []
            // `.[P]`: an XPath 2.0 filter of the context item (typed dialect).
            while names.typed, peek == .symbol("[") { predicates.append(try parsePredicate()) }
            return SchStep(axis: .selfAxis, test: .anyNode, predicates: predicates)
        }
        if peek == .symbol("..") {
            _ = advance()
            return SchStep(axis: .parent, test: .anyNode, predicates: [])
        }
        var axis = SchStep.Axis.child
        if peek == .symbol("@") {
            _ = advance()
            axis = .attribute
        } else if case .name(let name) = peek, peek(1) == .symbol("::") {
            _ = advance()
            _ = advance()
            switch name {
            case "child": axis = .child
            case "self": axis = .selfAxis
            case "parent": axis = .parent
            case "ancestor": axis = .ancestor
            case "ancestor-or-self": axis = .ancestorOrSelf
            case "descendant": axis = .descendant
            case "descendant-or-self": axis = .descendantOrSelf
            case "preceding": axis = .preceding
            case "attribute": axis = .attribute
            default: throw error("axis \(name) not supported")
            }
        }
        if names.typed, peek == .symbol("("), axis == .child {
            // `a/(b | c)`, `a/(normalize-space(b) = 'X')`: an XPath 2.0 expression step.
            let expression = try parsePrimary()
            var predicates: [SchExpr] = []
            while peek == .symbol("[") { predicates.append(try parsePredicate()) }
            return SchStep(axis: .child, test: .expression(expression), predicates: predicates, nameFilterSlot: names.nextSlot)
        }
        guard case .name(let name) = advance() else { throw error("expected a name test") }
        var test: SchStep.Test
        if peek == .symbol("(") {
            if name == "node" || name == "text" {
                _ = advance()
                try expect(")")
                if name == "text" {
                    guard names.typed else { throw error("text() not supported") }
                    test = .text
                } else {
                    test = .anyNode
                }
            } else {
                // An XPath 2.0 function step.
                position -= 1
                test = .expression(try parsePrimary())
            }
        } else if axis == .attribute {
            if name == "*" {
                test = .anyAttribute
            } else {
                test = .attribute(names.id(try expanded(name, attribute: true)))
            }
        } else if name == "*" {
            test = .anyElement
        } else if name.hasSuffix(":*") {
            let prefix = String(name.dropLast(2))
            guard let uri = names.namespaces[prefix] else { throw error("unknown prefix \(prefix)") }
            test = .namespace(uri)
        } else {
            test = .element(names.id(try expanded(name, attribute: false)))
        }
        var predicates: [SchExpr] = []
        while peek == .symbol("[") { predicates.append(try parsePredicate()) }
        return SchStep(axis: axis, test: test, predicates: predicates, nameFilterSlot: names.nextSlot)
    }

    private func expanded(_ name: String, attribute: Bool) throws(SchematronCompileError) -> XMLNodeIndex.Name {
        if let colon = name.firstIndex(of: ":") {
            let prefix = String(name[..<colon])
            guard let uri = names.namespaces[prefix] else { throw error("unknown prefix \(prefix)") }
            return XMLNodeIndex.Name(namespace: uri, local: String(name[name.index(after: colon)...]))
        }
        // Unprefixed element names are in no namespace (XPath 2.0 default without a default
        // element namespace, as the schematron declares none); attributes likewise.
        return XMLNodeIndex.Name(namespace: "", local: name)
    }

    private mutating func parsePrimary() throws(SchematronCompileError) -> SchExpr {
        switch advance() {
        case .string(let value): return .string(value)
        case .number(let value):
            if names.typed {
                // An integer or decimal literal is xs:integer / xs:decimal, not a double.
                let text = XPathText.format(value)
                guard let exact = ExactDecimal(parsing: text) else { throw error("bad number \(value)") }
                return .decimal(exact.value)
            }
            return .number(value)
        case .variable(let name):
            guard names.typed else { throw error("variables not supported") }
            variableReads += 1
            return .variable(names.variable(name))
        case .symbol("("):
            if peek == .symbol(")") {
                guard names.dialect == .france else { throw error("empty sequence () not supported") }
                _ = advance()
                return .emptySequence
            }
            let inner = try parseExpr()
            if names.typed, peek == .symbol(",") {
                var items = [inner]
                while peek == .symbol(",") {
                    _ = advance()
                    items.append(try parseExpr())
                }
                try expect(")")
                return names.dialect == .france ? .folded(items) : .sequence(items)
            }
            try expect(")")
            return inner
        case .symbol("{"):
            guard case .name(let list) = advance() else { throw error("expected a list name") }
            try expect("}")
            return .codeList(list)
        case .name(let name):
            guard peek == .symbol("(") else { throw error("unexpected name \(name)") }
            _ = advance()
            var arguments: [SchExpr] = []
            if peek != .symbol(")") {
                arguments.append(try parseExpr())
                while peek == .symbol(",") {
                    _ = advance()
                    arguments.append(try parseExpr())
                }
            }
            try expect(")")
            return try call(name, arguments)
        default:
            throw error("unexpected token")
        }
    }

    private func call(_ name: String, _ arguments: [SchExpr]) throws(SchematronCompileError) -> SchExpr {
        if let function = names.functions[name] {
            guard function.arity == arguments.count else { throw error("\(name)() takes \(function.arity) arguments") }
            if arguments.allSatisfy(\.isDocumentConstant) {
                return .documentCall(function.index, arguments, slot: names.nextDocumentCall())
            }
            return .userCall(function.index, arguments)
        }
        if names.dialect == .france {
            switch (name, arguments.count) {
            case ("current", 0):
                return .current
            case ("matches", 2):
                guard case .string(let pattern) = arguments[1] else { throw error("matches() with a computed pattern") }
                return .regexMatch(arguments[0], try regex(pattern))
            case ("replace", 3):
                guard case .string(let pattern) = arguments[1], case .string(let replacement) = arguments[2] else {
                    throw error("replace() with a computed pattern")
                }
                return .regexReplace(arguments[0], try regex(pattern), replacement)
            case ("tokenize", 2):
                guard case .string(let pattern) = arguments[1] else { throw error("tokenize() with a computed pattern") }
                if pattern != #"\s"# && pattern != #"\s+"# { return .regexTokenize(arguments[0], try regex(pattern)) }
                if case .string(let list) = arguments[0] {
                    // A list written in the stylesheet: tokenized once.
                    let normalized = XPathText.normalizeSpace(list)
                    return .constant(normalized.isEmpty ? [] : normalized.split(separator: " ").map { .string(String($0)) })
                }
            case ("string-join", 2):
                return .call(.stringJoinItems, arguments)
            case ("xs:date", 1):
                return .call(.xsDate, arguments)
            default:
                break
            }
        }
        guard let function = SchFunction(rawValue: name), !name.hasPrefix("liasse:") else {
            throw error("function \(name)() not supported")
        }
        switch function {
        case .xsDecimal, .round, .abs, .sum, .tokenize, .stringJoin, .codedb:
            guard names.typed, function != .codedb else { throw error("function \(name)() not supported here") }
            if function == .stringJoin {
                // string-join(P//text(), ''): the text nodes under P, concatenated, are the string
                // values of the nodes P selects (P never selects a node inside another here).
                guard arguments.count == 2, case .string("") = arguments[1], case .path(let path) = arguments[0],
                      path.steps.count >= 2, case .text = path.steps[path.steps.count - 1].test,
                      path.steps[path.steps.count - 2].axis == .descendantOrSelf else {
                    throw error("string-join() supported only as string-join(P//text(), '')")
                }
                let inner = SchPath(start: path.start, steps: Array(path.steps.dropLast(2)),
                                    requiredNames: path.requiredNames, readsVariables: path.readsVariables)
                return .call(.stringJoin, [.path(inner), .string("")])
            }
            if function == .tokenize {
                guard arguments.count == 2, case .string(let pattern) = arguments[1], pattern == #"\s"# || pattern == #"\s+"# else {
                    throw error("tokenize() supported only on whitespace")
                }
            }
        case .contains:
            if case .codeList(let list)? = arguments.first, arguments.count == 2 {
                return .call(.inCodeList, [.string(list), arguments[1]])
            }
        case .endsWith:
            if arguments.count == 2, case .call(let inner, let innerArguments) = arguments[0],
               inner == .name || inner == .localName, innerArguments.isEmpty,
               case .string(let suffix) = arguments[1], !suffix.contains(":") {
                return .nameEndsWith(suffix, slot: names.nextSlot())
            }
        case .matches:
            guard arguments.count == 2, case .string(let pattern) = arguments[1],
                  let native = NativePatterns.id(of: pattern) else {
                throw error("matches() with a pattern Liasse does not implement natively")
            }
            return .call(.nativeMatch, [arguments[0], .number(Double(native))])
        default:
            break
        }
        if arguments.contains(where: { if case .codeList = $0 { return true } else { return false } }) {
            throw error("a code list may only be contains()'s first argument")
        }
        for argument in arguments {
            if case .path(let path) = argument, path.steps.contains(where: { if case .text = $0.test { return true } else { return false } }) {
                throw error("text() supported only in string-join(P//text(), '')")
            }
        }
        return .call(function, arguments)
    }

    private func regex(_ pattern: String) throws(SchematronCompileError) -> SchRegex {
        do {
            return try SchRegex(xpath: pattern)
        } catch {
            throw self.error("regular expression \(pattern): \(error)")
        }
    }

    private func makePath(start: SchPath.Start, steps: [SchStep], readsSince: Int) -> SchPath {
        var required: [Int32] = []
        for step in steps {
            if case .element(let id) = step.test, step.axis == .child || step.axis == .descendant {
                required.append(id)
            }
            if case .attribute(let id) = step.test, step.axis == .attribute {
                required.append(id)
            }
        }
        return SchPath(start: start, steps: steps, requiredNames: required, readsVariables: variableReads > readsSince)
    }
}

/// The `matches()` patterns of the tables, implemented natively (XPath regular expressions are
/// not available in libxml2 nor in the standard library).
enum NativePatterns {
    /// CII-DT-097: `^\s*(\d{4})(1[0-2]|0[1-9]){1}(3[01]|[12][0-9]|0[1-9]){1}\s*$`.
    static let date102 = #"^\s*(\d{4})(1[0-2]|0[1-9]){1}(3[01]|[12][0-9]|0[1-9]){1}\s*$"#

    /// BR-FXEXT-CII-DT-097a (format 203): `^\s*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])([01][0-9]|2[0-3])[0-5][0-9]\s*$`.
    static let dateTime203 = #"^\s*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])([01][0-9]|2[0-3])[0-5][0-9]\s*$"#

    static func id(of pattern: String) -> Int? {
        switch pattern {
        case date102: return 0
        case dateTime203: return 1
        default: return nil
        }
    }

    static func matches(_ id: Int, _ value: String) -> Bool {
        switch id {
        case 0: return matchesDate102(value)
        case 1: return matchesDateTime203(value)
        default: return false
        }
    }

    /// YYYYMMDDHHMM: a date as in format 102, then an hour 00-23 and minutes 00-59 (ASCII).
    private static func matchesDateTime203(_ value: String) -> Bool {
        var scalars = Array(value.unicodeScalars)
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        guard scalars.count == 12 else { return false }
        guard matchesDate102(String(String.UnicodeScalarView(scalars[0..<8]))) else { return false }
        let time = scalars[8..<12]
        guard time.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        let digits = time.map { Int($0.value) - 48 }
        let hour = digits[0] * 10 + digits[1]
        return hour <= 23 && digits[2] <= 5
    }

    /// XPath `\s` is [ \t\n\r]; `\d` is any Unicode decimal digit (category Nd); `$` matches at
    /// the very end only (no multi-line flag).
    private static func matchesDate102(_ value: String) -> Bool {
        // The usual case, ASCII: checked on the bytes, no string built.
        var text = value
        let ascii: Bool? = text.withUTF8 { bytes in
            var start = 0
            var end = bytes.count
            while start < end, isXMLSpace(bytes[start]) { start += 1 }
            while end > start, isXMLSpace(bytes[end - 1]) { end -= 1 }
            guard !bytes[start..<end].contains(where: { $0 >= 0x80 }) else { return nil }
            guard end - start == 8 else { return false }
            func digit(_ i: Int) -> Int? {
                let byte = bytes[start + i]
                return byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
            }
            for i in 0..<4 where digit(i) == nil { return false }
            guard let m1 = digit(4), let m2 = digit(5), let d1 = digit(6), let d2 = digit(7) else { return false }
            let month = m1 * 10 + m2
            guard month >= 1 && month <= 12 else { return false }
            // (3[01]|[12][0-9]|0[1-9])
            return (d1 == 3 && d2 <= 1) || d1 == 1 || d1 == 2 || (d1 == 0 && d2 != 0)
        }
        if let ascii { return ascii }
        var scalars = Array(value.unicodeScalars)
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        guard scalars.count == 8 else { return false }
        for c in scalars[0..<4] where c.properties.generalCategory != .decimalNumber { return false }
        let month = String(String.UnicodeScalarView(scalars[4..<6]))
        let day = String(String.UnicodeScalarView(scalars[6..<8]))
        let months: Set<String> = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]
        guard months.contains(month) else { return false }
        guard day.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        return (day.unicodeScalars.first! == "3" && (day.unicodeScalars.last! == "0" || day.unicodeScalars.last! == "1"))
            || day.unicodeScalars.first! == "1" || day.unicodeScalars.first! == "2"
            || (day.unicodeScalars.first! == "0" && day.unicodeScalars.last! != "0")
    }
}
