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
/// Elements are numbered as in the document's `XMLNodeIndex`, from which the locator is
/// derived: 1… in document order, 0 being the document node. The tables hold no pointer into
/// the document, so a locator is immutable, `Sendable`, and outlives the document.
public final class NodeLocator: Sendable {
    /// Parent of each element (-1 for the document node 0, which has no path of its own).
    let parent: [Int32]
    /// Index in `steps` of each element's qualified name as written (`cac:InvoiceLine`).
    let step: [Int32]
    /// 1-based position among the siblings of the same expanded name, 0 when it is the only one.
    let position: [Int32]
    let steps: [String]

    /// The locator of the elements of `index`, numbered as there (the document node is 0).
    init(index: NodeIndexTables) {
        let parent = index.parent
        let expanded = index.name
        // Positions, one parent at a time, with a count per expanded name: two passes over
        // each element's children, hopping from a child to the end of its subtree.
        var position = [Int32](repeating: 0, count: parent.count)
        var seen = [Int32](repeating: 0, count: index.names.count)
        let end = index.end
        for p in 0..<parent.count where end[p] > Int32(p) + 1 {
            let stop = end[p]
            var child = Int32(p) + 1
            while child < stop {
                let n = Int(expanded[Int(child)])
                seen[n] += 1
                position[Int(child)] = seen[n]
                child = end[Int(child)]
            }
            child = Int32(p) + 1
            while child < stop {
                let n = Int(expanded[Int(child)])
                if seen[n] == 1 { position[Int(child)] = 0 }
                child = end[Int(child)]
            }
            child = Int32(p) + 1
            while child < stop {
                seen[Int(expanded[Int(child)])] = 0
                child = end[Int(child)]
            }
        }
        self.parent = parent
        self.step = index.qualifiedName
        self.position = position
        self.steps = index.qualifiedNames
    }

    /// Number of elements, the document node included.
    public var count: Int { parent.count }

    /// The locator of element `node`: each ancestor's qualified name as written, with its
    /// position among same-named siblings when it has any.
    public func path(of node: Int32) -> String {
        guard node > 0, Int(node) < parent.count else { return "/" }
        var chain: [Int32] = []
        var current = node
        while current > 0 {
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
    /// The document's element numbering (built on first use, with the node index, then kept).
    public var locator: NodeLocator {
        if let known = numbering { return known }
        let built = NodeLocator(index: indexTables)
        numbering = built
        return built
    }
}

extension XMLElement {
    /// This element's number in `document.locator` and `document.nodeIndex()` (1 for the root).
    public var number: Int32 {
        let locator = document.locator
        let stored = Int(bitPattern: node.pointee._private)
        guard stored > 1, stored <= locator.count else { return -1 }
        return Int32(stored - 1)
    }
}
