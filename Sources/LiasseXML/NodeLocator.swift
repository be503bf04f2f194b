internal import CLibXML2

/// Where every element of a document is, in a form that costs nothing until a path is asked
/// for: the elements' parents, the qualified name of each and its position among same-named
/// siblings, as numbers. `path(of:)` spells the locator (`/Invoice/cac:InvoiceLine[2]/cbc:ID`)
/// on demand.
///
/// A reader attaches a location to every value it reads, and almost none of them is ever
/// printed (only findings are). Building each path string eagerly was half the cost of reading
/// an invoice into the model; numbering the elements once is a fraction of it.
///
/// Elements are numbered 0… in document order (the root is 0). The tables hold no pointer
/// into the document, so a locator is immutable, `Sendable`, and outlives the document.
public final class NodeLocator: Sendable {
    /// Parent of each element (-1 for the root).
    let parent: [Int32]
    /// Index in `steps` of each element's qualified name as written (`cac:InvoiceLine`).
    let step: [Int32]
    /// 1-based position among the siblings of the same expanded name, 0 when it is the only one.
    let position: [Int32]
    let steps: [String]

    /// Numbers the elements of `doc` in document order and records each number in the node's
    /// `_private` field (libxml2 leaves it to applications), so `XMLElement` finds its own.
    init(numbering doc: xmlDocPtr) {
        var parent: [Int32] = []
        var step: [Int32] = []
        var steps: [String] = []
        var byPointer = PointerTable()
        // Expanded names without hashing strings: element names come from the parser's
        // dictionary (equal names, one pointer), and namespaces are few, so each distinct
        // namespace URI is found by comparing it with the handful already seen.
        var namespaces: [(declaration: UnsafeRawPointer, href: UnsafePointer<xmlChar>?)] = []
        var expandedNames = PointerTable()
        var expanded: [Int32] = []
        var expandedCount: Int32 = 0

        func canonicalNamespace(_ ns: xmlNsPtr?) -> UnsafeRawPointer? {
            guard let ns else { return nil }
            let declaration = UnsafeRawPointer(ns)
            if let known = namespaces.first(where: { $0.declaration == declaration }) {
                return known.declaration
            }
            let href = UnsafePointer(ns.pointee.href)
            if let same = namespaces.first(where: { xmlStrEqual($0.href, href) != 0 }) {
                namespaces.append((declaration, href))
                return same.declaration
            }
            namespaces.append((declaration, href))
            return declaration
        }

        // Iterative pre-order walk; `open` holds the number of each open element.
        var open: [Int32] = []
        var openNodes: [xmlNodePtr] = []
        var current = xmlDocGetRootElement(doc)
        while true {
            if let node = current {
                if node.pointee.type == XML_ELEMENT_NODE {
                    let number = Int32(parent.count)
                    node.pointee._private = UnsafeMutableRawPointer(bitPattern: Int(number) + 1)
                    parent.append(open.last ?? -1)
                    let key = PointerKey(name: UnsafeRawPointer(node.pointee.name), ns: node.pointee.ns.map { UnsafeRawPointer($0) })
                    let (name, qualified): (Int32, Int32)
                    if let known = byPointer.find(key) {
                        (name, qualified) = known
                    } else {
                        let expandedKey = PointerKey(name: UnsafeRawPointer(node.pointee.name), ns: canonicalNamespace(node.pointee.ns))
                        if let known = expandedNames.find(expandedKey) {
                            name = known.0
                        } else {
                            name = expandedCount
                            expandedCount += 1
                            expandedNames.insert(expandedKey, (name, 0))
                        }
                        let local = String(cString: node.pointee.name)
                        qualified = Int32(steps.count)
                        steps.append(node.pointee.ns.flatMap { $0.pointee.prefix }.map { String(cString: $0) + ":" + local } ?? local)
                        byPointer.insert(key, (name, qualified))
                    }
                    step.append(qualified)
                    expanded.append(name)
                    if let child = node.pointee.children {
                        open.append(number)
                        openNodes.append(node)
                        current = child
                        continue
                    }
                }
                current = node.pointee.next
                continue
            }
            guard let closing = openNodes.popLast() else { break }
            open.removeLast()
            current = closing.pointee.next
        }

        // Positions, one parent at a time, with a count per expanded name: two passes over
        // each element's children (children of a parent are contiguous in `parent` only for
        // leaves, so group by parent first).
        var position = [Int32](repeating: 0, count: parent.count)
        var firstChild = [Int32](repeating: -1, count: parent.count)
        var nextSibling = [Int32](repeating: -1, count: parent.count)
        var lastChild = [Int32](repeating: -1, count: parent.count)
        for node in 0..<parent.count where parent[node] >= 0 {
            let p = Int(parent[node])
            if lastChild[p] < 0 { firstChild[p] = Int32(node) } else { nextSibling[Int(lastChild[p])] = Int32(node) }
            lastChild[p] = Int32(node)
        }
        var seen = [Int32](repeating: 0, count: Int(expandedCount))
        for p in 0..<parent.count where firstChild[p] >= 0 {
            var child = firstChild[p]
            while child >= 0 {
                let n = Int(expanded[Int(child)])
                seen[n] += 1
                position[Int(child)] = seen[n]
                child = nextSibling[Int(child)]
            }
            child = firstChild[p]
            while child >= 0 {
                let n = Int(expanded[Int(child)])
                if seen[n] == 1 { position[Int(child)] = 0 }
                child = nextSibling[Int(child)]
            }
            child = firstChild[p]
            while child >= 0 {
                seen[Int(expanded[Int(child)])] = 0
                child = nextSibling[Int(child)]
            }
        }
        self.parent = parent
        self.step = step
        self.position = position
        self.steps = steps
    }

    /// Number of elements.
    public var count: Int { parent.count }

    /// The locator of element `node`: each ancestor's qualified name as written, with its
    /// position among same-named siblings when it has any.
    public func path(of node: Int32) -> String {
        guard node >= 0, Int(node) < parent.count else { return "/" }
        var chain: [Int32] = []
        var current = node
        while current >= 0 {
            chain.append(current)
            current = parent[Int(current)]
        }
        var result = ""
        for element in chain.reversed() {
            result += "/"
            result += steps[Int(step[Int(element)])]
            let index = position[Int(element)]
            if index > 0 {
                result += "["
                result += String(index)
                result += "]"
            }
        }
        return result
    }
}

extension XMLDocument {
    /// The document's element numbering (built on first use, then kept).
    public var locator: NodeLocator {
        if let known = numbering { return known }
        let built = NodeLocator(numbering: doc)
        numbering = built
        return built
    }
}

extension XMLElement {
    /// This element's number in `document.locator`.
    public var number: Int32 {
        let locator = document.locator
        let stored = Int(bitPattern: node.pointee._private)
        guard stored > 0, stored <= locator.count else { return -1 }
        return Int32(stored - 1)
    }
}
