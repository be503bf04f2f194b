internal import CLibXML2

/// A flat, read-only view of a document's elements and attributes, in document order, for
/// evaluators that visit the same document many times (the table-driven schematron rules).
///
/// Node 0 is the document node; elements are numbered 1… in document order (pre-order), so the
/// descendants of node `n` are exactly the nodes `n + 1 ..< end[n]` and its children are found
/// by hopping from `n + 1` to `end[child]`. Attributes are numbered separately, the attributes
/// of node `n` being `attributeStart[n] ..< attributeStart[n + 1]`.
///
/// Built in one pass; element string values are read lazily and cached. Like the document, an
/// index belongs to one task at a time.
public final class XMLNodeIndex {
    /// An expanded name: namespace URI (empty for none) and local name.
    public struct Name: Hashable, Sendable {
        public let namespace: String
        public let local: String

        public init(namespace: String, local: String) {
            self.namespace = namespace
            self.local = local
        }
    }

    /// The document the index was built from (kept alive by the index).
    public let document: XMLDocument
    /// Number of nodes, the document node included.
    public let count: Int
    /// Parent of each node (-1 for the document node).
    public let parent: [Int32]
    /// One past the last descendant of each node.
    public let end: [Int32]
    /// Index in `names` of each node's name (-1 for the document node).
    public let name: [Int32]
    /// The distinct element names of the document.
    public let names: [Name]
    /// The qualified name (`prefix:local`, as written) of each node, by index in `qualifiedNames`.
    public let qualifiedName: [Int32]
    public let qualifiedNames: [String]
    /// First attribute of each node; `count + 1` entries.
    public let attributeStart: [Int32]
    public let attributeNames: [Name]
    public let attributeValues: [String]

    private let nodes: [xmlNodePtr?]
    private var stringValues: [String?]

    init(document: XMLDocument) {
        self.document = document
        var parent: [Int32] = [-1]
        var end: [Int32] = [0]
        var name: [Int32] = [-1]
        var qualifiedName: [Int32] = [-1]
        var nodes: [xmlNodePtr?] = [nil]
        var attributeStart: [Int32] = [0]
        var attributeNames: [Name] = []
        var attributeValues: [String] = []
        var names: [Name] = []
        var nameIndex: [Name: Int32] = [:]
        var qualifiedNames: [String] = []
        var qualifiedIndex: [String: Int32] = [:]
        struct PointerKey: Hashable {
            let name: UnsafeRawPointer
            let ns: UnsafeRawPointer?
        }
        var byPointer: [PointerKey: (Int32, Int32)] = [:]

        func intern(_ node: xmlNodePtr) -> (Int32, Int32) {
            let key = PointerKey(name: UnsafeRawPointer(node.pointee.name), ns: node.pointee.ns.map { UnsafeRawPointer($0) })
            if let known = byPointer[key] { return known }
            let local = String(cString: node.pointee.name)
            let namespace = node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) } ?? ""
            let prefix = node.pointee.ns.flatMap { $0.pointee.prefix }.map { String(cString: $0) }
            let expanded = Name(namespace: namespace, local: local)
            let n: Int32
            if let existing = nameIndex[expanded] {
                n = existing
            } else {
                n = Int32(names.count)
                names.append(expanded)
                nameIndex[expanded] = n
            }
            let qualified = prefix.map { $0 + ":" + local } ?? local
            let q: Int32
            if let existing = qualifiedIndex[qualified] {
                q = existing
            } else {
                q = Int32(qualifiedNames.count)
                qualifiedNames.append(qualified)
                qualifiedIndex[qualified] = q
            }
            byPointer[key] = (n, q)
            return (n, q)
        }

        // Iterative pre-order walk; `stack` holds the index of each open element.
        var stack: [Int32] = [0]
        var current = xmlDocGetRootElement(document.doc)
        var openNodes: [xmlNodePtr] = []
        while true {
            if let node = current {
                if node.pointee.type == XML_ELEMENT_NODE {
                    let index = Int32(nodes.count)
                    parent.append(stack.last!)
                    end.append(0)
                    let (n, q) = intern(node)
                    name.append(n)
                    qualifiedName.append(q)
                    nodes.append(node)
                    attributeStart.append(Int32(attributeNames.count))
                    var attribute = node.pointee.properties
                    while let a = attribute {
                        let local = String(cString: a.pointee.name)
                        let namespace = a.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) } ?? ""
                        attributeNames.append(Name(namespace: namespace, local: local))
                        let raw = UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self)
                        if let value = xmlNodeGetContent(raw) {
                            attributeValues.append(String(cString: value))
                            cxml_free(value)
                        } else {
                            attributeValues.append("")
                        }
                        attribute = a.pointee.next
                    }
                    if let child = node.pointee.children {
                        stack.append(index)
                        openNodes.append(node)
                        current = child
                        continue
                    }
                    end[Int(index)] = index + 1
                }
                current = node.pointee.next
                continue
            }
            // No more siblings: close the innermost open element.
            guard let closing = openNodes.popLast() else { break }
            let index = stack.removeLast()
            end[Int(index)] = Int32(nodes.count)
            current = closing.pointee.next
        }
        end[0] = Int32(nodes.count)
        attributeStart.append(Int32(attributeNames.count))
        self.count = nodes.count
        self.parent = parent
        self.end = end
        self.name = name
        self.names = names
        self.qualifiedName = qualifiedName
        self.qualifiedNames = qualifiedNames
        self.attributeStart = attributeStart
        self.attributeNames = attributeNames
        self.attributeValues = attributeValues
        self.nodes = nodes
        self.stringValues = Array(repeating: nil, count: nodes.count)
    }

    /// The XPath string value of element `node`: its text and that of its descendants.
    public func stringValue(_ node: Int) -> String {
        if let cached = stringValues[node] { return cached }
        var value = ""
        if node > 0, let pointer = nodes[node], let content = xmlNodeGetContent(pointer) {
            value = String(cString: content)
            cxml_free(content)
        } else if node == 0, let root = xmlDocGetRootElement(document.doc), let content = xmlNodeGetContent(root) {
            value = String(cString: content)
            cxml_free(content)
        }
        stringValues[node] = value
        return value
    }

    /// The element at `node` (nil for the document node).
    public func element(_ node: Int) -> XMLElement? {
        guard node > 0, let pointer = nodes[node] else { return nil }
        return XMLElement(node: pointer, document: document)
    }

    /// The source line of element `node` (0 for the document node).
    public func line(_ node: Int) -> Int {
        guard node > 0, let pointer = nodes[node] else { return 0 }
        return Int(xmlGetLineNo(pointer))
    }
}

extension XMLDocument {
    /// Builds a flat index of the document's elements and attributes.
    public func nodeIndex() -> XMLNodeIndex {
        XMLNodeIndex(document: self)
    }
}
