import Foundation
import Synchronization
import LiasseInvoice
import LiasseXML

/// The value of an expression. Node references are element indexes of the `XMLNodeIndex`
/// (0 is the document node) or, when negative, attribute `-(a + 1)`.
enum SchValue {
    case nodes([Int32])
    case string(String)
    case number(Double)
    case bool(Bool)
    /// A sequence of atomic strings (XPath 2.0 function steps, `distinct-values`).
    case strings([String])
    /// A sequence of typed atomic items (the typed dialect: decimals, doubles, `for` results).
    case atoms([SchAtom])
}

/// An atomized item: untyped (from a node) or typed.
enum SchAtom {
    case untyped(String)
    case string(String)
    /// `xs:double`.
    case number(Double)
    /// `xs:decimal` (and `xs:integer`, its subtype: no rule here tells them apart).
    case decimal(Decimal)
    case bool(Bool)
}

/// The name tests of one program (`ends-with(name(), 'Amount')`, by slot) on every name met so
/// far, by process-wide name number: each document then costs a lookup per name and slot
/// instead of a string comparison. Shared by the program's evaluators, hence the lock, taken
/// once per document and slot.
final class SchNameTestCache: Sendable {
    /// Per slot, per name number: 0 not yet decided, 1 fails, 2 passes.
    private let decided: Mutex<[[UInt8]]>

    init(slots: Int) {
        decided = Mutex(Array(repeating: [], count: slots))
    }

    /// Writes into `flags` whether each of `names` (with their catalog `numbers`) passes the
    /// test of `slot`, deciding with `test` those not decided before.
    func fill(slot: Int, names: [XMLNodeIndex.Name], numbers: [Int32], into flags: UnsafeMutableBufferPointer<Bool>,
              _ test: (XMLNodeIndex.Name) -> Bool) {
        decided.withLock { decided in
            for (name, number) in numbers.enumerated() {
                let n = Int(number)
                if n >= 0, n < decided[slot].count, decided[slot][n] != 0 {
                    flags[name] = decided[slot][n] == 2
                    continue
                }
                let passes = test(names[name])
                flags[name] = passes
                guard n >= 0 else { continue }
                if n >= decided[slot].count { decided[slot] += [UInt8](repeating: 0, count: n + 1 - decided[slot].count) }
                decided[slot][n] = passes ? 2 : 1
            }
        }
    }
}

/// Evaluates compiled expressions over one document, with XPath 2.0 semantics for the subset
/// the schematron tables use. One evaluator per document and per task.
/// A function of the stylesheet, compiled: its parameters' variable slots and its body.
struct SchCompiledFunction: Sendable {
    let slots: [Int]
    let body: SchExpr
    /// A native implementation of the body (NativeFunctions), run on the arguments' strings.
    var native: NativeFunctions.Implementation? = nil
}

final class SchEvaluator {
    let index: XMLNodeIndex
    private let nameCount: Int
    /// Program name id → document name index (-1 when the document has no such element).
    private let programToDocument: [Int32]
    /// Elements by document name, in document order: `nodesByName[start[n] ..< start[n + 1]]`.
    private let nameStart: [Int32]
    private let nodesByName: [Int32]
    /// Name tests by slot (`ends-with(name(), 'X')`, `ram:*[ends-with(…)]`): whether each
    /// document name passes, `flags[slotOffset[slot] + name]`, filled a slot at a time from
    /// the program's cache (`nameTests`) on the slot's first use.
    private var flags: [Bool] = []
    /// Where each slot's flags start in `flags`, -1 until the slot is first used: most slots
    /// of a program never are on a given document, and a table of slots × names for each
    /// document cost more than the rules (the France tables have thousands of slots).
    private var slotOffset: [Int32]
    private let nameTests: SchNameTestCache
    /// Document attribute name index → program name id (-1 when the tables never name it).
    private let attributeToProgram: [Int32]
    /// Program name id → whether the document has an element or attribute of that name.
    private let programPresent: [Bool]
    private var attributeOwners: [Int32]?
    /// The typed XPath 2.0 dialect (Factur-X tables): `count()` is an integer, not a double.
    private let typed: Bool
    /// Values of the variables in scope, by slot.
    private var variables: [SchValue?]
    /// The stylesheet's functions (France tables): parameter slots and body.
    private let functions: [SchCompiledFunction]
    /// The node the rule's context matched, for `current()`.
    private var currentNode: Int32 = 0
    /// The values of the document's context-free function calls, by slot, once computed.
    private var documentCalls: [SchValue?]
    /// The context item when a filter runs over atomic values (France tables), else nil.
    private var contextAtom: SchAtom?
    /// The rules' variables not yet read at the current context node: expression and node, by
    /// slot. A variable is evaluated on its first read: most are read by asserts that pass
    /// on their first operand (`not($isSpecialContract) or …`).
    private var pending: [(SchExpr, Int32)?]

    /// - Parameter names: the program's name ids by process-wide name number
    ///   (`SchNameTable.byCatalogNumber`).
    init(index: XMLNodeIndex, names: [Int32], programNameCount: Int, slots: Int,
         typed: Bool = false, variableCount: Int = 0, nameTests: SchNameTestCache? = nil,
         functions: [SchCompiledFunction] = [], documentCallCount: Int = 0) {
        self.index = index
        self.functions = functions
        self.nameTests = nameTests ?? SchNameTestCache(slots: slots)
        slotOffset = Array(repeating: -1, count: slots)
        self.typed = typed
        variables = Array(repeating: nil, count: variableCount)
        pending = Array(repeating: nil, count: variableCount)
        documentCalls = Array(repeating: nil, count: documentCallCount)
        nameCount = index.names.count
        func program(_ number: Int32) -> Int32 {
            number >= 0 && Int(number) < names.count ? names[Int(number)] : -1
        }
        var programToDocument = [Int32](repeating: -1, count: programNameCount)
        for (documentName, number) in index.nameNumbers.enumerated() {
            let id = program(number)
            if id >= 0 { programToDocument[Int(id)] = Int32(documentName) }
        }
        self.programToDocument = programToDocument
        attributeToProgram = index.attributeNameNumbers.map(program)
        var present = programToDocument.map { $0 >= 0 }
        for id in attributeToProgram where id >= 0 { present[Int(id)] = true }
        programPresent = present
        var start = [Int32](repeating: 0, count: index.names.count + 1)
        for node in 1..<max(index.count, 1) { start[Int(index.name[node]) + 1] += 1 }
        for n in 0..<index.names.count { start[n + 1] += start[n] }
        var fill = start
        var nodes = [Int32](repeating: 0, count: max(index.count - 1, 0))
        for node in 1..<max(index.count, 1) {
            let n = Int(index.name[node])
            nodes[Int(fill[n])] = Int32(node)
            fill[n] += 1
        }
        nameStart = start
        nodesByName = nodes
    }

    // MARK: Entry points

    /// The effective boolean value of `expression` at `node`.
    func test(_ expression: SchExpr, at node: Int32) -> Bool {
        currentNode = node
        return truth(expression, node)
    }

    /// Binds the variable of `slot` to the value of `expression` at `node` (a rule's variable,
    /// before its asserts).
    func assign(_ slot: Int, _ expression: SchExpr, at node: Int32) {
        variables[slot] = nil
        pending[slot] = (expression, node)
    }

    /// The effective boolean value of `expression` with the variables of `slots` bound to
    /// `values` (a test compares a native function with its interpreted body).
    func test(_ expression: SchExpr, binding slots: [Int], to values: [String]) -> Bool {
        for (slot, value) in zip(slots, values) { variables[slot] = .atoms([.string(value)]) }
        defer { for slot in slots { variables[slot] = nil } }
        return truth(expression, 0)
    }

    /// The string value of `expression` at `node`, the context of a failed assert (the values
    /// an official message quotes).
    func messageValue(_ expression: SchExpr, at node: Int32) -> String {
        currentNode = node
        return string(evaluate(expression, node, 1, 1))
    }

    /// The effective boolean value of `expression` at `node`, deciding paths by a depth-first
    /// search that stops at the first node found instead of building node sets.
    private func truth(_ expression: SchExpr, _ node: Int32) -> Bool {
        switch expression {
        case .path(let path) where contextAtom != nil && path.isContextItem:
            return effectiveBoolean(evaluate(expression, node, 1, 1))
        case .path(let path):
            if case .context = path.start, path.existenceSearchable {
                for id in path.requiredNames where !programPresent[Int(id)] { return false }
                return exists(path.steps, 0, node)
            }
            return effectiveBoolean(evaluate(expression, node, 1, 1))
        case .call(.not, let arguments) where arguments.count == 1:
            return !truth(arguments[0], node)
        case .call(.exists, let arguments) where arguments.count == 1:
            if case .path = arguments[0] { return truth(arguments[0], node) }
            return effectiveBoolean(evaluate(expression, node, 1, 1))
        case .call(.boolean, let arguments) where arguments.count == 1:
            return truth(arguments[0], node)
        case .and(let left, let right):
            return truth(left, node) && truth(right, node)
        case .or(let left, let right):
            return truth(left, node) || truth(right, node)
        case .nameEndsWith(let suffix, let slot):
            return node > 0 && nameEndsWith(suffix, slot: slot, node: node)
        default:
            return effectiveBoolean(evaluate(expression, node, 1, 1))
        }
    }

    /// The string value of the first item of `expression` at `node` (`""` when empty): a
    /// native function's argument, found without building node sets where the path allows.
    private func firstString(of expression: SchExpr, _ node: Int32, _ position: Int, _ size: Int) -> String {
        if case .path(let path) = expression, contextAtom == nil, path.forwardSimple, case .context = path.start {
            if path.steps.count == 1, let value = firstString(path.steps[0], node) { return value }
            return firstNode(path, node).map(stringValue(of:)) ?? ""
        }
        switch evaluate(expression, node, position, size) {
        case .nodes(let nodes): return nodes.first.map(stringValue(of:)) ?? ""
        case .string(let value): return value
        case .strings(let values): return values.first ?? ""
        case let other: return atomize(other).first.map(string(of:)) ?? ""
        }
    }

    /// The string value of the first node one step without predicates selects from `node`
    /// (`.`, `@currencyID`, `cbc:ID`: most function arguments), found directly; nil for the
    /// steps this does not cover.
    private func firstString(_ step: SchStep, _ node: Int32) -> String? {
        guard step.predicates.isEmpty else { return nil }
        switch (step.axis, step.test) {
        case (.selfAxis, .anyNode):
            return stringValue(of: node)
        case (.attribute, .attribute(let id)):
            guard node >= 0 else { return "" }
            let n = Int(node)
            for a in Int(index.attributeStart[n])..<Int(index.attributeStart[n + 1])
            where attributeToProgram[Int(index.attributeName[a])] == id {
                return index.attributeValue(a)
            }
            return ""
        case (.child, .element(let id)):
            guard node >= 0 else { return "" }
            let name = programToDocument[Int(id)]
            guard name >= 0 else { return "" }
            let n = Int(node)
            var child = node + 1
            while child < index.end[n] {
                if index.name[Int(child)] == name { return index.stringValue(Int(child)) }
                child = index.end[Int(child)]
            }
            return ""
        default:
            return nil
        }
    }

    /// The first node (in document order) a forward simple relative path selects from `node`.
    private func firstNode(_ path: SchPath, _ node: Int32) -> Int32? {
        var first: Int32?
        forEachNode(path, node) { candidate in
            first = candidate
            return true
        }
        return first
    }

    /// Calls `body` on each node a relative path selects from `node`, depth first, until it
    /// returns true. Document order and no duplicates when `path.forwardSimple`.
    private func forEachNode(_ path: SchPath, _ node: Int32, _ body: (Int32) -> Bool) {
        for id in path.requiredNames where !programPresent[Int(id)] { return }
        _ = walk(path.steps, 0, node, body)
    }

    private func walk(_ steps: [SchStep], _ depth: Int, _ node: Int32, _ body: (Int32) -> Bool) -> Bool {
        if depth == steps.count { return body(node) }
        let step = steps[depth]
        var stop = false
        forEachSelected(step, from: node) { candidate in
            for predicate in step.predicates where !truth(predicate, candidate) { return false }
            stop = walk(steps, depth + 1, candidate, body)
            return stop
        }
        return stop
    }

    /// Whether `steps[depth...]` select at least one node from `node`.
    private func exists(_ steps: [SchStep], _ depth: Int, _ node: Int32) -> Bool {
        if depth == steps.count { return true }
        let step = steps[depth]
        var found = false
        forEachSelected(step, from: node) { candidate in
            for predicate in step.predicates where !truth(predicate, candidate) { return false }
            if exists(steps, depth + 1, candidate) {
                found = true
                return true
            }
            return false
        }
        return found
    }

    /// Calls `body` on the nodes `step`'s axis and node test select from `node` (document order
    /// for forward axes), until it returns true.
    private func forEachSelected(_ step: SchStep, from node: Int32, _ body: (Int32) -> Bool) {
        if node >= 0, step.axis == .child, case .element(let id) = step.test {
            let candidates = named(id)
            let n = Int(node)
            if candidates.count <= 8 || index.end[n] - node > 64 {
                for candidate in candidates where index.parent[Int(candidate)] == node {
                    if body(candidate) { return }
                }
                return
            }
        }
        if step.axis == .selfAxis {
            // One node at most: no node set to build.
            let selected: Bool
            if node >= 0 {
                selected = matches(step.test, element: node)
            } else if case .anyNode = step.test {
                selected = true
            } else {
                selected = false
            }
            if selected { _ = body(node) }
            return
        }
        if node >= 0, step.axis == .attribute {
            let n = Int(node)
            for a in Int(index.attributeStart[n])..<Int(index.attributeStart[n + 1]) {
                let selected: Bool
                switch step.test {
                case .attribute(let id): selected = attributeToProgram[Int(index.attributeName[a])] == id
                case .anyAttribute, .anyNode: selected = true
                default: selected = false
                }
                if selected, body(Int32(-a - 1)) { return }
            }
            return
        }
        var selected: [Int32] = []
        gather(step, from: node, into: &selected)
        for candidate in selected where body(candidate) { return }
    }

    /// Whether the document has an element or attribute of this program name.
    @inline(__always)
    func isPresent(_ name: Int32) -> Bool {
        programPresent[Int(name)]
    }

    /// Whether the document has an element of every one of these program names.
    func allPresent(_ names: [Int32]) -> Bool {
        for id in names where !programPresent[Int(id)] { return false }
        return true
    }

    /// `count(steps) op value` for a plain child path from `node`, counting no further than needed.
    func countChildPath(_ steps: [Int32], from node: Int32, compare op: SchCompare, with value: Int) -> Bool {
        for id in steps where programToDocument[Int(id)] < 0 {
            return compareCount(0, op, value)
        }
        let limit = value + 1
        let count = countPath(steps, 0, node, limit)
        return compareCount(count, op, value)
    }

    private func compareCount(_ count: Int, _ op: SchCompare, _ value: Int) -> Bool {
        switch op {
        case .equal: return count == value
        case .notEqual: return count != value
        case .less: return count < value
        case .lessOrEqual: return count <= value
        case .greater: return count > value
        case .greaterOrEqual: return count >= value
        }
    }

    /// Number of nodes reached by `steps[depth...]` from `node`, stopping at `limit`.
    private func countPath(_ steps: [Int32], _ depth: Int, _ node: Int32, _ limit: Int) -> Int {
        let documentName = programToDocument[Int(steps[depth])]
        let n = Int(node)
        var total = 0
        let last = depth == steps.count - 1
        let start = Int(nameStart[Int(documentName)])
        let stop = Int(nameStart[Int(documentName) + 1])
        if stop - start <= 8 || index.end[n] - node > 64 {
            for i in start..<stop {
                let candidate = nodesByName[i]
                guard index.parent[Int(candidate)] == node else { continue }
                total += last ? 1 : countPath(steps, depth + 1, candidate, limit - total)
                if total >= limit { return total }
            }
        } else {
            var child = node + 1
            while child < index.end[n] {
                if index.name[Int(child)] == documentName {
                    total += last ? 1 : countPath(steps, depth + 1, child, limit - total)
                    if total >= limit { return total }
                }
                child = index.end[Int(child)]
            }
        }
        return total
    }

    /// The nodes `expression` selects from the document (for context patterns).
    func select(_ expression: SchExpr) -> [Int32] {
        if case .nodes(let nodes) = evaluate(expression, 0, 1, 1) { return nodes }
        return []
    }

    /// The nodes a rule context selects: by its element chains when it has them (computed
    /// once, when the program is compiled), else by evaluating it.
    func select(_ expression: SchExpr, chains: [[Int32]]?) -> [Int32] {
        guard let chains else { return select(expression) }
        if chains.count == 1 { return matching(chains[0]) }
        return documentOrder(chains.flatMap(matching))
    }

    /// The element chains of a context: `//a/b/c`, or a union of such paths; nil otherwise.
    static func elementChains(_ expression: SchExpr) -> [[Int32]]? {
        if case .path(let path) = expression { return elementChain(path).map { [$0] } }
        guard case .union(let alternatives) = expression else { return nil }
        var chains: [[Int32]] = []
        for alternative in alternatives {
            guard case .path(let path) = alternative, let chain = elementChain(path) else { return nil }
            chains.append(chain)
        }
        return chains
    }

    /// The element names of a context `//a/b/c` (a descendant step, then child steps, all
    /// element names without predicates): the most common rule context of the tables.
    private static func elementChain(_ path: SchPath) -> [Int32]? {
        guard case .root = path.start, let first = path.steps.first, first.axis == .descendant else { return nil }
        var names: [Int32] = []
        for (offset, step) in path.steps.enumerated() {
            guard step.predicates.isEmpty, case .element(let id) = step.test,
                  offset == 0 || step.axis == .child else { return nil }
            names.append(id)
        }
        return names
    }

    /// The elements `//a/b/c` selects, found from the `c` elements up, in document order: no
    /// node set built per step.
    private func matching(_ chain: [Int32]) -> [Int32] {
        for id in chain where !programPresent[Int(id)] { return [] }
        let candidates = named(chain[chain.count - 1])
        if chain.count == 1 { return Array(candidates) }
        var result: [Int32] = []
        candidates: for node in candidates {
            var current = node
            for depth in stride(from: chain.count - 2, through: 0, by: -1) {
                current = index.parent[Int(current)]
                guard current > 0, index.name[Int(current)] == programToDocument[Int(chain[depth])] else { continue candidates }
            }
            result.append(node)
        }
        return result
    }

    /// The string value of `expression` at `node` (for tests of the evaluator).
    func stringValue(_ expression: SchExpr, at node: Int32) -> String {
        string(evaluate(expression, node, 1, 1))
    }

    // MARK: Evaluation

    private func evaluate(_ expression: SchExpr, _ node: Int32, _ position: Int, _ size: Int) -> SchValue {
        switch expression {
        case .string(let value): return .string(value)
        case .number(let value): return .number(value)
        case .codeList: return .string("")
        case .path(let path):
            if let atom = contextAtom, path.isContextItem { return .atoms([atom]) }
            return evaluatePath(path, node)
        case .union(let alternatives):
            var all: [Int32] = []
            for alternative in alternatives {
                if case .nodes(let nodes) = evaluate(alternative, node, position, size) { all += nodes }
            }
            return .nodes(documentOrder(all))
        case .or(let left, let right):
            return .bool(effectiveBoolean(evaluate(left, node, position, size))
                         || effectiveBoolean(evaluate(right, node, position, size)))
        case .and(let left, let right):
            return .bool(effectiveBoolean(evaluate(left, node, position, size))
                         && effectiveBoolean(evaluate(right, node, position, size)))
        case .compare(let op, let left, let right):
            if case .path(let path) = left, path.forwardSimple, case .context = path.start, case .string(let literal) = right {
                // `path = 'x'` / `path != 'x'`: compare node by node, stopping at the first match.
                var found = false
                forEachNode(path, node) { candidate in
                    found = compareStrings(op, stringValue(of: candidate), literal)
                    return found
                }
                return .bool(found)
            }
            return .bool(compare(op, evaluate(left, node, position, size), evaluate(right, node, position, size)))
        case .subtract(let left, let right):
            return .number(number(evaluate(left, node, position, size)) - number(evaluate(right, node, position, size)))
        case .add(let left, let right):
            return .number(number(evaluate(left, node, position, size)) + number(evaluate(right, node, position, size)))
        case .negate(let operand):
            return .number(-number(evaluate(operand, node, position, size)))
        case .call(let function, let arguments):
            return call(function, arguments, node, position, size)
        case .filter(let primary, let predicates):
            let value = evaluate(primary, node, position, size)
            guard case .nodes(var nodes) = value else {
                // A filter of atomic values: `.` in the predicates is each atom in turn.
                var atoms = atomize(value)
                let saved = contextAtom
                defer { contextAtom = saved }
                for predicate in predicates {
                    atoms = atoms.filter { atom in
                        contextAtom = atom
                        return truth(predicate, node)
                    }
                }
                return .atoms(atoms)
            }
            for predicate in predicates { nodes = filter(nodes, by: predicate) }
            return .nodes(nodes)
        case .nameEndsWith(let suffix, let slot):
            guard node > 0 else { return .bool(false) }
            return .bool(nameEndsWith(suffix, slot: slot, node: node))
        case .decimal(let value):
            return .atoms([.decimal(value)])
        case .variable(let slot):
            if let value = variables[slot] { return value }
            guard let (expression, at) = pending[slot] else { return .atoms([]) }
            pending[slot] = nil
            let saved = currentNode
            currentNode = at
            let value = evaluate(expression, at, 1, 1)
            currentNode = saved
            variables[slot] = value
            return value
        case .forExpr(let bindings, let body):
            var nodes: [Int32] = []
            var atoms: [SchAtom] = []
            var allNodes = true
            bind(bindings, node) {
                let value = evaluate(body, node, position, size)
                if case .nodes(let selected) = value, allNodes {
                    nodes += selected
                } else {
                    if allNodes { atoms = nodes.map { .untyped(stringValue(of: $0)) }; allNodes = false }
                    atoms += atomize(value)
                }
                return false
            }
            return allNodes ? .nodes(documentOrder(nodes)) : .atoms(atoms)
        case .quantified(let every, let bindings, let body):
            var result = every
            bind(bindings, node) {
                let holds = truth(body, node)
                if every != holds { result = holds; return true }
                return false
            }
            return .bool(result)
        case .arithmetic(let op, let left, let right):
            let lefts = atomize(evaluate(left, node, position, size))
            let rights = atomize(evaluate(right, node, position, size))
            guard lefts.count == 1, rights.count == 1, let result = arithmetic(op, lefts[0], rights[0]) else { return .atoms([]) }
            return .atoms([result])
        case .typedNegate(let operand):
            let items = atomize(evaluate(operand, node, position, size))
            guard items.count == 1, let value = numeric(items[0], untypedAs: .double) else { return .atoms([]) }
            switch value {
            case .decimal(let d): return .atoms([.decimal(-d)])
            case .number(let n): return .atoms([.number(-n)])
            default: return .atoms([])
            }
        case .valueCompare(let op, let left, let right):
            let lefts = atomize(evaluate(left, node, position, size))
            let rights = atomize(evaluate(right, node, position, size))
            guard lefts.count == 1, rights.count == 1 else { return .atoms([]) }
            // A value comparison casts an untyped operand to xs:string.
            func valueAtom(_ atom: SchAtom) -> SchAtom {
                if case .untyped(let s) = atom { return .string(s) }
                return atom
            }
            return .bool(comparePair(op, valueAtom(lefts[0]), valueAtom(rights[0])))
        case .sequence(let items):
            let values = items.map { evaluate($0, node, position, size) }
            if values.allSatisfy({ if case .nodes = $0 { return true } else { return false } }) {
                return .nodes(values.flatMap { if case .nodes(let n) = $0 { return n } else { return [] } })
            }
            return .atoms(values.flatMap(atomize))
        case .constant(let atoms):
            return .atoms(atoms)
        case .conditional(let condition, let then, let otherwise):
            return truth(condition, node) ? evaluate(then, node, position, size) : evaluate(otherwise, node, position, size)
        case .current:
            return .nodes([currentNode])
        case .emptySequence:
            return .atoms([])
        case .documentCall(let index, let arguments, let slot):
            if let known = documentCalls[slot] { return known }
            let value = evaluate(.userCall(index, arguments), 0, 1, 1)
            documentCalls[slot] = value
            return value
        case .userCall(let index, let arguments):
            let function = functions[index]
            if let native = function.native {
                return .bool(native(arguments.map { firstString(of: $0, node, position, size) }))
            }
            if arguments.count == 1 {
                let value = evaluate(arguments[0], node, position, size)
                let slot = function.slots[0]
                let saved = variables[slot]
                variables[slot] = value
                defer { variables[slot] = saved }
                return evaluate(function.body, node, 1, 1)
            }
            let values = arguments.map { evaluate($0, node, position, size) }
            let saved = function.slots.map { variables[$0] }
            for (slot, value) in zip(function.slots, values) { variables[slot] = value }
            defer { for (slot, value) in zip(function.slots, saved) { variables[slot] = value } }
            return evaluate(function.body, node, 1, 1)
        case .regexMatch(let operand, let regex):
            return .bool(regex.matches(string(evaluate(operand, node, position, size))))
        case .regexReplace(let operand, let regex, let replacement):
            return .atoms([.string(regex.replace(string(evaluate(operand, node, position, size)), with: replacement))])
        case .regexTokenize(let operand, let regex):
            return .strings(regex.tokenize(string(evaluate(operand, node, position, size))))
        case .castBoolean(let operand):
            let items = atomize(evaluate(operand, node, position, size))
            guard items.count == 1 else { return .atoms([]) }
            switch items[0] {
            case .untyped(let s), .string(let s):
                switch XPathText.normalizeSpace(s) {
                case "true", "1": return .bool(true)
                case "false", "0": return .bool(false)
                default: return .atoms([])
                }
            case .bool(let b): return .bool(b)
            case .number(let n): return .bool(n != 0 && !n.isNaN)
            case .decimal(let d): return .bool(!d.isZero)
            }
        }
    }

    /// Calls `body` once per combination of the bindings' items (nested, in order: a later
    /// sequence is evaluated with the earlier variables bound), until it returns true.
    /// Variables are restored afterwards.
    private func bind(_ bindings: [SchBinding], _ node: Int32, _ body: () -> Bool) {
        var stop = false
        bind(bindings, 0, node, body, stop: &stop)
    }

    private func bind(_ bindings: [SchBinding], _ depth: Int, _ node: Int32, _ body: () -> Bool, stop: inout Bool) {
        if depth == bindings.count {
            stop = body()
            return
        }
        let binding = bindings[depth]
        let saved = variables[binding.slot]
        defer { variables[binding.slot] = saved }
        let items: [SchValue]
        switch evaluate(binding.sequence, node, 1, 1) {
        case .nodes(let nodes): items = nodes.map { .nodes([$0]) }
        case let other: items = atomize(other).map { .atoms([$0]) }
        }
        for item in items {
            variables[binding.slot] = item
            bind(bindings, depth + 1, node, body, stop: &stop)
            if stop { return }
        }
    }

    private enum UntypedCast { case double, decimal }

    /// A numeric atom: decimals and doubles as they are, an untyped value cast to xs:double
    /// (as arithmetic and sum() do), nil for strings and booleans (a type error in Saxon).
    private func numeric(_ atom: SchAtom, untypedAs cast: UntypedCast) -> SchAtom? {
        switch atom {
        case .number, .decimal: return atom
        case .untyped(let s):
            switch cast {
            case .double: return .number(XPathText.parseDouble(s) ?? .nan)
            case .decimal: return ExactDecimal(parsing: s).map { .decimal($0.value) }
            }
        case .string, .bool: return nil
        }
    }

    private func arithmetic(_ op: SchArithmetic, _ left: SchAtom, _ right: SchAtom) -> SchAtom? {
        guard let a = numeric(left, untypedAs: .double), let b = numeric(right, untypedAs: .double) else { return nil }
        if case .decimal(let x) = a, case .decimal(let y) = b {
            switch op {
            case .add: return .decimal(x + y)
            case .subtract: return .decimal(x - y)
            case .multiply: return .decimal(x * y)
            case .divide: return y.isZero ? nil : .decimal(x / y)
            case .modulo:
                guard !y.isZero else { return nil }
                var quotient = x / y
                var truncated = Decimal()
                NSDecimalRound(&truncated, &quotient, 0, quotient < 0 ? .up : .down)
                return .decimal(x - truncated * y)
            }
        }
        let x = double(of: a), y = double(of: b)
        switch op {
        case .add: return .number(x + y)
        case .subtract: return .number(x - y)
        case .multiply: return .number(x * y)
        case .divide: return .number(x / y)
        case .modulo: return .number(x.truncatingRemainder(dividingBy: y))
        }
    }

    private func double(of atom: SchAtom) -> Double {
        switch atom {
        case .number(let n): return n
        case .decimal(let d): return XPathMath.double(d)
        case .untyped(let s), .string(let s): return XPathText.parseDouble(s) ?? .nan
        case .bool(let b): return b ? 1 : 0
        }
    }

    /// `xs:decimal()` of an item; nil when the cast fails (a dynamic error in Saxon).
    private func decimalCast(_ atom: SchAtom) -> Decimal? {
        switch atom {
        case .decimal(let d): return d
        case .number(let n):
            guard n.isFinite else { return nil }
            return Decimal(string: "\(n)", locale: Locale(identifier: "en_US_POSIX"))
        case .untyped(let s), .string(let s): return ExactDecimal(parsing: s)?.value
        case .bool(let b): return b ? 1 : 0
        }
    }

    /// Prepares `slot`'s flags for this document's names, `test` deciding the names the
    /// program's cache does not know yet.
    private func prepare(_ slot: Int, _ test: (XMLNodeIndex.Name) -> Bool) {
        let offset = flags.count
        slotOffset[slot] = Int32(offset)
        flags += repeatElement(false, count: nameCount)
        flags.withUnsafeMutableBufferPointer { flags in
            nameTests.fill(slot: slot, names: index.names, numbers: index.nameNumbers,
                           into: UnsafeMutableBufferPointer(rebasing: flags[offset ..< offset + nameCount]), test)
        }
    }

    /// Whether document name `name` passes a step's name filter.
    @inline(__always)
    private func passes(_ filter: SchStep.NameFilter, _ name: Int32) -> Bool {
        if slotOffset[filter.slot] < 0 {
            prepare(filter.slot) { name in
                (filter.namespace.map { name.namespace == $0 } ?? true)
                    && (filter.suffix.map { XPathText.endsWith(name.local, $0) } ?? true)
            }
        }
        return flags[Int(slotOffset[filter.slot]) + Int(name)]
    }

    private func nameEndsWith(_ suffix: String, slot: Int, node: Int32) -> Bool {
        if slotOffset[slot] < 0 {
            prepare(slot) { XPathText.endsWith($0.local, suffix) }
        }
        return flags[Int(slotOffset[slot]) + Int(index.name[Int(node)])]
    }

    // MARK: Paths

    /// Results of absolute paths, which do not depend on the context node.
    private var absolutePaths: [ObjectIdentifier: SchValue] = [:]

    private func evaluatePath(_ path: SchPath, _ node: Int32) -> SchValue {
        for id in path.requiredNames where !programPresent[Int(id)] { return .nodes([]) }
        if case .root = path.start, !path.readsVariables {
            let key = ObjectIdentifier(path)
            if let known = absolutePaths[key] { return known }
            let value = evaluateSteps(path, node)
            absolutePaths[key] = value
            return value
        }
        return evaluateSteps(path, node)
    }

    private func evaluateSteps(_ path: SchPath, _ node: Int32) -> SchValue {
        var current: [Int32]
        switch path.start {
        case .context: current = [node]
        case .root: current = [0]
        case .expression(let expression):
            guard case .nodes(let nodes) = evaluate(expression, node, 1, 1) else { return .nodes([]) }
            current = nodes
        }
        for (offset, step) in path.steps.enumerated() {
            if current.isEmpty { return .nodes([]) }
            if case .expression(let expression) = step.test {
                // An XPath 2.0 expression step: a parenthesised path (`(a | b)`) selects nodes
                // and the path goes on; a function step (`normalize-space(…)`) gives one atomic
                // result per node and is the last step.
                let values = current.map { evaluate(expression, $0, 1, 1) }
                let selected = values.compactMap { value -> [Int32]? in if case .nodes(let n) = value { return n } else { return nil } }
                if selected.count == values.count, typed {
                    current = documentOrder(Array(selected.joined()))
                    for predicate in step.predicates { current = filter(current, by: predicate) }
                    continue
                }
                guard offset == path.steps.count - 1 else { return .nodes([]) }
                if typed {
                    return .atoms(values.flatMap(atomize))
                }
                return .strings(values.map(string))
            }
            current = apply(step, to: current)
        }
        return .nodes(current)
    }

    private func apply(_ step: SchStep, to context: [Int32]) -> [Int32] {
        var result: [Int32] = []
        if context.count == 1 || !step.positional {
            // Fast path: gather over all context nodes, then filter (no per-node positions needed).
            for node in context { gather(step, from: node, into: &result) }
            if context.count > 1 { result = documentOrder(result) }
            for predicate in step.predicates { result = filter(result, by: predicate) }
            return result
        }
        for node in context {
            var selected: [Int32] = []
            gather(step, from: node, into: &selected)
            for predicate in step.predicates { selected = filter(selected, by: predicate) }
            result += selected
        }
        return documentOrder(result)
    }

    /// The leftmost conjunct of a predicate when it is a name test (`ends-with(name(), 'X')`).
    private func leadingNameTest(_ predicate: SchExpr) -> (String, Int)? {
        switch predicate {
        case .nameEndsWith(let suffix, let slot): return (suffix, slot)
        case .and(let left, _): return leadingNameTest(left)
        default: return nil
        }
    }

    private func filter(_ nodes: [Int32], by predicate: SchExpr) -> [Int32] {
        var kept: [Int32] = []
        var nodes = nodes
        if let (suffix, slot) = leadingNameTest(predicate) {
            // Cheap pre-filter by name before evaluating the whole predicate (not positional).
            nodes = nodes.filter { $0 > 0 && nameEndsWith(suffix, slot: slot, node: $0) }
        }
        if Self.isBoolean(predicate) {
            // Never a position: decided with short cuts (a path stops at its first node).
            for candidate in nodes where truth(predicate, candidate) { kept.append(candidate) }
            return kept
        }
        for (offset, candidate) in nodes.enumerated() {
            let value = evaluate(predicate, candidate, offset + 1, nodes.count)
            if case .number(let n) = value {
                if Double(offset + 1) == n { kept.append(candidate) }
            } else if case .atoms(let atoms) = value, atoms.count == 1, case .decimal(let d) = atoms[0] {
                if Decimal(offset + 1) == d { kept.append(candidate) }
            } else if case .atoms(let atoms) = value, atoms.count == 1, case .number(let n) = atoms[0] {
                if Double(offset + 1) == n { kept.append(candidate) }
            } else if effectiveBoolean(value) {
                kept.append(candidate)
            }
        }
        return kept
    }

    /// Whether a predicate's value is a boolean whatever the node (so never a position, and
    /// `truth` gives its effective boolean value).
    private static func isBoolean(_ predicate: SchExpr) -> Bool {
        switch predicate {
        case .and, .or, .compare, .valueCompare, .nameEndsWith:
            return true
        case .path(let path):
            return path.existenceSearchable
        case .call(let function, _):
            switch function {
            case .not, .exists, .empty, .boolean, .trueValue, .falseValue, .contains, .startsWith, .endsWith,
                 .inCodeList, .normalizedInCodeList, .equalsCodeList, .nativeMatch, .matches, .codedb:
                return true
            default:
                return false
            }
        case .regexMatch:
            return true
        default:
            return false
        }
    }

    private func matches(_ test: SchStep.Test, element node: Int32) -> Bool {
        switch test {
        case .element(let id):
            return node > 0 && index.name[Int(node)] == programToDocument[Int(id)]
        case .anyElement: return node > 0
        case .namespace(let uri): return node > 0 && index.names[Int(index.name[Int(node)])].namespace == uri
        case .anyNode: return true
        case .attribute, .anyAttribute, .expression, .text: return false
        }
    }

    private func named(_ id: Int32) -> ArraySlice<Int32> {
        let n = programToDocument[Int(id)]
        guard n >= 0 else { return [] }
        return nodesByName[Int(nameStart[Int(n)])..<Int(nameStart[Int(n) + 1])]
    }

    /// Appends the nodes `step`'s axis and node test select from `node`, in document order
    /// (reverse axes too: predicates here are never positional on reverse axes).
    private func gather(_ step: SchStep, from node: Int32, into result: inout [Int32]) {
        guard node >= 0 else {
            // Attribute context: only self and parent/ancestor make sense.
            let owner = attributeOwner(-node - 1)
            switch step.axis {
            case .selfAxis: if case .anyNode = step.test { result.append(node) }
            case .parent: if matches(step.test, element: owner) { result.append(owner) }
            case .ancestor, .ancestorOrSelf:
                var chain: [Int32] = []
                var current = owner
                while current >= 0 {
                    if matches(step.test, element: current) { chain.append(current) }
                    current = index.parent[Int(current)]
                }
                result += chain.reversed()
            default: break
            }
            return
        }
        let n = Int(node)
        switch step.axis {
        case .child:
            if case .element(let id) = step.test {
                let candidates = named(id)
                if candidates.count <= 8 || index.end[n] - node > 64 {
                    for candidate in candidates where index.parent[Int(candidate)] == node { result.append(candidate) }
                    return
                }
            }
            var child = node + 1
            while child < index.end[n] {
                if matches(step.test, element: child) { result.append(child) }
                child = index.end[Int(child)]
            }
        case .descendant, .descendantOrSelf:
            if step.axis == .descendantOrSelf, matches(step.test, element: node) { result.append(node) }
            if case .element(let id) = step.test {
                for candidate in named(id) where candidate > node && candidate < index.end[n] { result.append(candidate) }
                return
            }
            if let filter = step.nameFilter {
                var current = node + 1
                while current < index.end[n] {
                    if passes(filter, index.name[Int(current)]) { result.append(current) }
                    current += 1
                }
                return
            }
            var current = node + 1
            while current < index.end[n] {
                if matches(step.test, element: current) { result.append(current) }
                current += 1
            }
        case .attribute:
            for a in Int(index.attributeStart[n])..<Int(index.attributeStart[n + 1]) {
                switch step.test {
                case .attribute(let id):
                    if attributeToProgram[Int(index.attributeName[a])] == id { result.append(Int32(-a - 1)) }
                case .anyAttribute, .anyNode:
                    result.append(Int32(-a - 1))
                default: break
                }
            }
        case .selfAxis:
            if matches(step.test, element: node) { result.append(node) }
        case .parent:
            let parent = index.parent[n]
            if parent >= 0, matches(step.test, element: parent) { result.append(parent) }
        case .ancestor, .ancestorOrSelf:
            var chain: [Int32] = []
            var current = step.axis == .ancestor ? index.parent[n] : node
            while current >= 0 {
                if matches(step.test, element: current) { chain.append(current) }
                current = index.parent[Int(current)]
            }
            result += chain.reversed()
        case .preceding:
            // Nodes before `node` in document order that are not its ancestors.
            if case .element(let id) = step.test {
                for candidate in named(id) where candidate < node && index.end[Int(candidate)] <= node {
                    result.append(candidate)
                }
                return
            }
            var current: Int32 = 1
            while current < node {
                if index.end[Int(current)] <= node, matches(step.test, element: current) { result.append(current) }
                current += 1
            }
        }
    }

    private func attributeOwner(_ attribute: Int32) -> Int32 {
        if attributeOwners == nil {
            var owners = [Int32](repeating: 0, count: index.attributeCount)
            for node in 1..<max(index.count, 1) {
                for a in Int(index.attributeStart[node])..<Int(index.attributeStart[node + 1]) { owners[a] = Int32(node) }
            }
            attributeOwners = owners
        }
        return attributeOwners![Int(attribute)]
    }

    private func orderKey(_ node: Int32) -> Int64 {
        node >= 0 ? Int64(node) << 32 : (Int64(attributeOwner(-node - 1)) << 32) + Int64(-node)
    }

    private func documentOrder(_ nodes: [Int32]) -> [Int32] {
        guard nodes.count > 1 else { return nodes }
        var sorted = nodes.sorted { orderKey($0) < orderKey($1) }
        var write = 1
        for read in 1..<sorted.count where sorted[read] != sorted[write - 1] {
            sorted[write] = sorted[read]
            write += 1
        }
        sorted.removeLast(sorted.count - write)
        return sorted
    }

    // MARK: Values

    private func stringValue(of node: Int32) -> String {
        node >= 0 ? index.stringValue(Int(node)) : index.attributeValue(Int(-node - 1))
    }

    private func effectiveBoolean(_ value: SchValue) -> Bool {
        switch value {
        case .nodes(let nodes): return !nodes.isEmpty
        case .string(let s): return !s.isEmpty
        case .number(let n): return n != 0 && !n.isNaN
        case .bool(let b): return b
        case .strings(let values): return values.count == 1 && !values[0].isEmpty
        case .atoms(let atoms):
            // XPath 2.0: empty is false; one atom by its own value; more is a type error.
            guard atoms.count == 1 else { return false }
            switch atoms[0] {
            case .untyped(let s), .string(let s): return !s.isEmpty
            case .number(let n): return n != 0 && !n.isNaN
            case .decimal(let d): return !d.isZero
            case .bool(let b): return b
            }
        }
    }

    private func string(_ value: SchValue) -> String {
        switch value {
        case .nodes(let nodes): return nodes.first.map(stringValue(of:)) ?? ""
        case .string(let s): return s
        case .number(let n): return XPathText.format(n)
        case .bool(let b): return b ? "true" : "false"
        case .strings(let values): return values.first ?? ""
        case .atoms(let atoms): return atoms.first.map(string(of:)) ?? ""
        }
    }

    private func string(of atom: SchAtom) -> String {
        switch atom {
        case .untyped(let s), .string(let s): return s
        case .number(let n): return XPathText.format(n)
        case .decimal(let d): return d.plainString
        case .bool(let b): return b ? "true" : "false"
        }
    }

    private func number(_ value: SchValue) -> Double {
        switch value {
        case .number(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .atoms(let atoms): return atoms.first.map(double(of:)) ?? .nan
        default: return XPathText.parseDouble(string(value)) ?? .nan
        }
    }

    private typealias Atom = SchAtom

    private func atomize(_ value: SchValue) -> [Atom] {
        switch value {
        case .nodes(let nodes): return nodes.map { .untyped(stringValue(of: $0)) }
        case .string(let s): return [.string(s)]
        case .number(let n): return [.number(n)]
        case .bool(let b): return [.bool(b)]
        case .strings(let values): return values.map { .string($0) }
        case .atoms(let atoms): return atoms
        }
    }

    /// The atomized value when it is exactly one item (what `atomize` would return alone).
    private func singleAtom(_ value: SchValue) -> Atom? {
        switch value {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .nodes(let nodes): return nodes.count == 1 ? .untyped(stringValue(of: nodes[0])) : nil
        case .strings(let values): return values.count == 1 ? .string(values[0]) : nil
        case .atoms(let atoms): return atoms.count == 1 ? atoms[0] : nil
        }
    }

    /// XPath 2.0 general comparison: true when some pair of atomized items compares true.
    /// A pair whose cast fails (a dynamic error in Saxon) compares false.
    private func compare(_ op: SchCompare, _ left: SchValue, _ right: SchValue) -> Bool {
        // One item each side, the usual case: compared without building sequences.
        if let a = singleAtom(left), let b = singleAtom(right) { return comparePair(op, a, b) }
        let lefts = atomize(left)
        let rights = atomize(right)
        for a in lefts {
            for b in rights where comparePair(op, a, b) { return true }
        }
        return false
    }

    private func comparePair(_ op: SchCompare, _ a: Atom, _ b: Atom) -> Bool {
        switch (a, b) {
        case (.bool(let x), _):
            guard let y = boolean(b) else { return false }
            return compareOrdered(op, x ? 1 : 0, y ? 1 : 0)
        case (_, .bool(let y)):
            guard let x = boolean(a) else { return false }
            return compareOrdered(op, x ? 1 : 0, y ? 1 : 0)
        case (.decimal(let x), .decimal(let y)):
            return compareOrdered(op, x < y ? -1 : (x == y ? 0 : 1), 0)
        // A decimal met by a double (or an untyped value, cast to double) is promoted to the
        // double nearest to it, as Saxon does here (`52.20` = 52.2 in decimal holds).
        case (.decimal(let x), _):
            guard let y = numeric(b) else { return false }
            return compareOrdered(op, XPathMath.double(x), y)
        case (_, .decimal(let y)):
            guard let x = numeric(a) else { return false }
            return compareOrdered(op, x, XPathMath.double(y))
        case (.number(let x), _):
            guard let y = numeric(b) else { return false }
            return compareOrdered(op, x, y)
        case (_, .number(let y)):
            guard let x = numeric(a) else { return false }
            return compareOrdered(op, x, y)
        case (.untyped(let x), .untyped(let y)), (.untyped(let x), .string(let y)),
             (.string(let x), .untyped(let y)), (.string(let x), .string(let y)):
            return compareStrings(op, x, y)
        }
    }

    private func boolean(_ atom: Atom) -> Bool? {
        switch atom {
        case .bool(let b): return b
        case .untyped(let s):
            switch XPathText.normalizeSpace(s) {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        case .string, .number, .decimal: return nil
        }
    }

    private func numeric(_ atom: Atom) -> Double? {
        switch atom {
        case .number(let n): return n
        case .untyped(let s): return XPathText.parseDouble(s)
        case .decimal(let d): return XPathMath.double(d)
        case .string, .bool: return nil
        }
    }

    private func compareOrdered(_ op: SchCompare, _ x: Double, _ y: Double) -> Bool {
        switch op {
        case .equal: return x == y
        case .notEqual: return x != y
        case .less: return x < y
        case .lessOrEqual: return x <= y
        case .greater: return x > y
        case .greaterOrEqual: return x >= y
        }
    }

    /// Strings compare by code point (the default collation), never by canonical equivalence.
    private func compareStrings(_ op: SchCompare, _ x: String, _ y: String) -> Bool {
        switch op {
        case .equal: return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case .notEqual: return !x.unicodeScalars.elementsEqual(y.unicodeScalars)
        default:
            let order: Int
            if x.unicodeScalars.elementsEqual(y.unicodeScalars) {
                order = 0
            } else {
                order = x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) { $0.value < $1.value } ? -1 : 1
            }
            switch op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }

    // MARK: Functions

    private func call(_ function: SchFunction, _ arguments: [SchExpr], _ node: Int32, _ position: Int, _ size: Int) -> SchValue {
        func argument(_ i: Int) -> SchValue { evaluate(arguments[i], node, position, size) }
        func text(_ i: Int) -> String {
            guard i < arguments.count else { return stringValue(of: node) }
            if let atom = contextAtom, case .path(let path) = arguments[i], path.isContextItem { return string(of: atom) }
            if case .path(let path) = arguments[i], path.forwardSimple, case .context = path.start {
                if path.steps.count == 1, let value = firstString(path.steps[0], node) { return value }
                return firstNode(path, node).map(stringValue(of:)) ?? ""
            }
            return string(argument(i))
        }
        switch function {
        case .not: return .bool(!effectiveBoolean(argument(0)))
        case .boolean: return .bool(effectiveBoolean(argument(0)))
        case .trueValue: return .bool(true)
        case .falseValue: return .bool(false)
        case .count:
            if case .path(let path) = arguments[0], path.forwardSimple, case .context = path.start {
                var total = 0
                forEachNode(path, node) { _ in total += 1; return false }
                return typed ? .atoms([.decimal(Decimal(total))]) : .number(Double(total))
            }
            let total: Int
            switch argument(0) {
            case .nodes(let nodes): total = nodes.count
            case .strings(let values): total = values.count
            case .atoms(let atoms): total = atoms.count
            default: total = 1
            }
            return typed ? .atoms([.decimal(Decimal(total))]) : .number(Double(total))
        case .xsDecimal:
            let items = atomize(argument(0))
            guard items.count == 1, let value = decimalCast(items[0]) else { return .atoms([]) }
            return .atoms([.decimal(value)])
        case .round, .abs:
            let items = atomize(argument(0))
            guard items.count == 1, let value = numeric(items[0], untypedAs: .double) else { return .atoms([]) }
            switch value {
            case .decimal(let d): return .atoms([.decimal(function == .round ? XPathMath.round(d) : (d < 0 ? -d : d))])
            case .number(let n): return .atoms([.number(function == .round ? XPathMath.round(n) : Swift.abs(n))])
            default: return .atoms([])
            }
        case .sum:
            // Untyped items are cast to xs:double; decimals stay decimal unless a double joins.
            var values: [SchAtom] = []
            for item in atomize(argument(0)) {
                guard let value = numeric(item, untypedAs: .double) else { return .atoms([]) }
                values.append(value)
            }
            if values.contains(where: { if case .number = $0 { return true } else { return false } }) {
                var total = 0.0
                for value in values { total += double(of: value) }
                return .atoms([.number(total)])
            }
            var total = Decimal(0)
            for case .decimal(let d) in values { total += d }
            return .atoms([.decimal(total)])
        case .tokenize:
            let text = XPathText.normalizeSpace(text(0))
            return .strings(text.isEmpty ? [] : text.split(separator: " ").map(String.init))
        case .stringJoin:
            guard case .nodes(let nodes) = argument(0) else { return .string(string(argument(0))) }
            return .string(nodes.map(stringValue(of:)).joined())
        case .codedb:
            // string-length($v) = 0 or codedb/cl[@id=N]/enumeration[@value = $v]
            guard case .string(let list) = arguments[0] else { return .bool(false) }
            let items = atomize(argument(1))
            guard let first = items.first else { return .bool(true) }
            let value = string(of: first)
            if items.count == 1 && value.isEmpty { return .bool(true) }
            return .bool(items.contains { FacturXCodeLists.byName[list]?.contains(string(of: $0)) ?? false })
        case .exists, .empty:
            let present: Bool
            switch argument(0) {
            case .nodes(let nodes): present = !nodes.isEmpty
            case .strings(let values): present = !values.isEmpty
            default: present = true
            }
            return .bool(function == .exists ? present : !present)
        case .distinctValues:
            var seen: [String] = []
            switch argument(0) {
            case .nodes(let nodes):
                for node in nodes {
                    let value = stringValue(of: node)
                    if !seen.contains(where: { $0.unicodeScalars.elementsEqual(value.unicodeScalars) }) { seen.append(value) }
                }
            case .strings(let values):
                for value in values where !seen.contains(where: { $0.unicodeScalars.elementsEqual(value.unicodeScalars) }) {
                    seen.append(value)
                }
            case let other:
                seen = [string(other)]
            }
            return .strings(seen)
        case .string: return .string(text(0))
        case .number: return .number(arguments.isEmpty ? XPathText.parseDouble(text(0)) ?? .nan : number(argument(0)))
        case .normalizeSpace: return .string(XPathText.normalizeSpace(text(0)))
        case .upperCase: return .string(text(0).uppercased())
        case .lowerCase: return .string(text(0).lowercased())
        case .stringLength: return .number(Double(text(0).unicodeScalars.count))
        case .concat: return .string(arguments.indices.map { text($0) }.joined())
        case .contains: return .bool(XPathText.contains(text(0), text(1)))
        case .startsWith: return .bool(text(0).utf8.starts(with: text(1).utf8))
        case .endsWith: return .bool(XPathText.endsWith(text(0), text(1)))
        case .substringAfter: return .string(XPathText.substringAfter(text(0), text(1)))
        case .substringBefore: return .string(XPathText.substringBefore(text(0), text(1)))
        case .substring:
            let start = number(argument(1))
            let length = arguments.count > 2 ? number(argument(2)) : .infinity
            return .string(XPathText.substring(text(0), start, length))
        case .translate:
            return .string(XPathText.translate(text(0), text(1), text(2)))
        case .name, .localName:
            let target: Int32?
            if arguments.isEmpty {
                target = node
            } else if case .nodes(let nodes) = argument(0) {
                target = nodes.first
            } else {
                target = nil
            }
            guard let target else { return .string("") }
            if target > 0 {
                let n = Int(target)
                return .string(function == .name ? index.qualifiedNames[Int(index.qualifiedName[n])] : index.names[Int(index.name[n])].local)
            } else if target < 0 {
                return .string(index.attributeNames[Int(index.attributeName[Int(-target - 1)])].local)
            }
            return .string("")
        case .inCodeList:
            guard case .string(let list) = arguments[0] else { return .bool(false) }
            return .bool(CodeListLookup.contains(list: list, padded: text(1)))
        case .normalizedInCodeList:
            guard case .string(let list) = arguments[0] else { return .bool(false) }
            return .bool(CodeListLookup.containsNormalized(text(1), list: list))
        case .equalsCodeList:
            guard case .string(let list) = arguments[0] else { return .bool(false) }
            let values: [String]
            switch argument(1) {
            case .nodes(let nodes): values = nodes.map(stringValue(of:))
            case .strings(let strings): values = strings
            case let other: values = [string(other)]
            }
            return .bool(values.contains { CodeListLookup.isCode($0, of: list) })
        case .stringJoinItems:
            let items: [String]
            switch argument(0) {
            case .nodes(let nodes): items = nodes.map(stringValue(of:))
            case .strings(let strings): items = strings
            case let other: items = atomize(other).map(string(of:))
            }
            return .atoms([.string(items.joined(separator: text(1)))])
        case .xsDate:
            let items = atomize(argument(0))
            guard items.count == 1, let date = XPathText.isoDate(string(of: items[0])) else { return .atoms([]) }
            return .atoms([.string(date)])
        case .nativeMatch:
            guard case .number(let id) = arguments[1] else { return .bool(false) }
            return .bool(NativePatterns.matches(Int(id), text(0)))
        case .matches:
            return .bool(false)
        }
    }
}
