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

    init(start: Start, steps: [SchStep], requiredNames: [Int32]) {
        self.start = start
        self.steps = steps
        self.requiredNames = requiredNames
        existenceSearchable = steps.allSatisfy { step in
            if step.positional { return false }
            if case .expression = step.test { return false }
            return true
        }
        forwardSimple = existenceSearchable && steps.allSatisfy { [.child, .attribute, .selfAxis].contains($0.axis) }
    }

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

    struct NameFilter: Sendable {
        let namespace: String?
        let suffix: String?
        let slot: Int
    }

    init(axis: Axis, test: Test, predicates: [SchExpr], nameFilterSlot: () -> Int = { -1 }) {
        self.axis = axis
        self.test = test
        self.predicates = predicates
        positional = predicates.contains { if case .number = $0 { return true } else { return false } }
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

    init(namespaces: [String: String]) {
        self.namespaces = namespaces
    }

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

    var lookup: [XMLNodeIndex.Name: Int32] { index }
}

/// Parses the XPath 2.0 subset into `SchExpr`.
struct SchParser {
    private enum Token: Equatable {
        case name(String)          // NCName or prefix:local, prefix:*, *
        case string(String)
        case number(Double)
        case symbol(String)        // ( ) [ ] , | / // @ . .. :: = != < <= > >= + - { }
        case end
    }

    private let source: String
    private var tokens: [Token] = []
    private var position = 0
    private let names: SchNameTable

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
        var left = try parseAnd()
        while peek == .name("or") {
            _ = advance()
            left = .or(left, try parseAnd())
        }
        return left
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

    private mutating func parseUnary() throws(SchematronCompileError) -> SchExpr {
        if peek == .symbol("-") {
            _ = advance()
            return .negate(try parseUnary())
        }
        return try parseUnion()
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
        if peek == .symbol("/") {
            _ = advance()
            var steps: [SchStep] = []
            if atStepStart {
                steps = try parseRelativeSteps(first: try parseStep())
            }
            return .path(makePath(start: .root, steps: steps))
        }
        if peek == .symbol("//") {
            _ = advance()
            let steps = try parseRelativeSteps(first: nil, leadingDescendant: true)
            return .path(makePath(start: .root, steps: steps))
        }
        if atStep {
            let first = try parseStep()
            return .path(makePath(start: .context, steps: try parseRelativeSteps(first: first)))
        }
        var primary = try parsePrimary()
        var predicates: [SchExpr] = []
        while peek == .symbol("[") { predicates.append(try parsePredicate()) }
        if !predicates.isEmpty { primary = .filter(primary, predicates) }
        if peek == .symbol("/") || peek == .symbol("//") {
            let steps = try parseRelativeSteps(first: nil)
            return .path(makePath(start: .expression(primary), steps: steps))
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
        let positional = step.predicates.contains { if case .number = $0 { return true } else { return false } }
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
            return SchStep(axis: .selfAxis, test: .anyNode, predicates: [])
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
        guard case .name(let name) = advance() else { throw error("expected a name test") }
        var test: SchStep.Test
        if peek == .symbol("(") {
            if name == "node" || name == "text" {
                _ = advance()
                try expect(")")
                guard name == "node" else { throw error("text() not supported") }
                test = .anyNode
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
        case .number(let value): return .number(value)
        case .symbol("("):
            if peek == .symbol(")") { throw error("empty sequence () not supported") }
            let inner = try parseExpr()
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
        guard let function = SchFunction(rawValue: name), !name.hasPrefix("liasse:") else {
            throw error("function \(name)() not supported")
        }
        switch function {
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
        return .call(function, arguments)
    }

    private func makePath(start: SchPath.Start, steps: [SchStep]) -> SchPath {
        var required: [Int32] = []
        for step in steps {
            if case .element(let id) = step.test, step.axis == .child || step.axis == .descendant {
                required.append(id)
            }
            if case .attribute(let id) = step.test, step.axis == .attribute {
                required.append(id)
            }
        }
        return SchPath(start: start, steps: steps, requiredNames: required)
    }
}

/// The `matches()` patterns of the tables, implemented natively (XPath regular expressions are
/// not available in libxml2 nor in the standard library).
enum NativePatterns {
    /// CII-DT-097: `^\s*(\d{4})(1[0-2]|0[1-9]){1}(3[01]|[12][0-9]|0[1-9]){1}\s*$`.
    static let date102 = #"^\s*(\d{4})(1[0-2]|0[1-9]){1}(3[01]|[12][0-9]|0[1-9]){1}\s*$"#

    static func id(of pattern: String) -> Int? {
        pattern == date102 ? 0 : nil
    }

    static func matches(_ id: Int, _ value: String) -> Bool {
        switch id {
        case 0: return matchesDate102(value)
        default: return false
        }
    }

    /// XPath `\s` is [ \t\n\r]; `\d` is any Unicode decimal digit (category Nd); `$` matches at
    /// the very end only (no multi-line flag).
    private static func matchesDate102(_ value: String) -> Bool {
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
