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

        /// Hashes the local name and the namespace URI's length only. URIs are long (70
        /// characters for UBL's) and a document has a handful; hashing them whole was most
        /// of the cost of indexing names. Equality still compares both in full.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(local)
            hasher.combine(namespace.utf8.count)
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
    /// The process-wide number (`XMLNameCatalog`) of each of `names`; -1 when the catalog,
    /// full, does not know it.
    public let nameNumbers: [Int32]
    /// The qualified name (`prefix:local`, as written) of each node, by index in `qualifiedNames`.
    public let qualifiedName: [Int32]
    public let qualifiedNames: [String]
    /// First attribute of each node; `count + 1` entries.
    public let attributeStart: [Int32]
    /// Index in `attributeNames` of each attribute's name.
    public let attributeName: [Int32]
    /// The distinct attribute names of the document.
    public let attributeNames: [Name]
    /// The process-wide number of each of `attributeNames` (-1 as for `nameNumbers`).
    public let attributeNameNumbers: [Int32]

    /// The tables, shared with the document, which keeps them (not this index: the index
    /// keeps the document alive, so the document cannot keep the index).
    let tables: NodeIndexTables

    init(document: XMLDocument, tables: NodeIndexTables) {
        self.document = document
        self.tables = tables
        count = tables.count
        parent = tables.parent
        end = tables.end
        name = tables.name
        names = tables.names
        nameNumbers = tables.nameNumbers
        qualifiedName = tables.qualifiedName
        qualifiedNames = tables.qualifiedNames
        attributeStart = tables.attributeStart
        attributeName = tables.attributeName
        attributeNames = tables.attributeNames
        attributeNameNumbers = tables.attributeNameNumbers
    }

    /// A new index of `document`. Prefer `document.nodeIndex()`, which builds the tables
    /// once and keeps them.
    public convenience init(document: XMLDocument) {
        self.init(document: document, tables: NodeIndexTables(document.doc))
    }

    /// The XPath string value of element `node`: its text and that of its descendants.
    public func stringValue(_ node: Int) -> String {
        tables.stringValue(node, of: document.doc)
    }

    /// Number of attributes in the document.
    public var attributeCount: Int { tables.attributes.count }

    /// The value of attribute `attribute` (read on first use).
    public func attributeValue(_ attribute: Int) -> String {
        tables.attributeValue(attribute)
    }

    /// The element at `node` (nil for the document node).
    public func element(_ node: Int) -> XMLElement? {
        guard node > 0, let pointer = tables.nodes[node] else { return nil }
        return XMLElement(node: pointer, document: document)
    }

    /// The source line of element `node` (0 for the document node).
    public func line(_ node: Int) -> Int {
        guard node > 0, let pointer = tables.nodes[node] else { return 0 }
        return Int(xmlGetLineNo(pointer))
    }
}

/// What an `XMLNodeIndex` holds, built once per document and kept by it (see
/// `XMLNodeIndex` for the numbering), with the string values read so far.
final class NodeIndexTables {
    let count: Int
    let parent: [Int32]
    let end: [Int32]
    let name: [Int32]
    let names: [XMLNodeIndex.Name]
    let nameNumbers: [Int32]
    let qualifiedName: [Int32]
    let qualifiedNames: [String]
    let attributeStart: [Int32]
    let attributeName: [Int32]
    let attributeNames: [XMLNodeIndex.Name]
    let attributeNameNumbers: [Int32]
    let nodes: [xmlNodePtr?]
    let attributes: [xmlAttrPtr]
    private var stringValues: [String?]
    private var attributeValues: [String?]

    /// Indexes `doc` and numbers its elements in their `_private` field (node number + 1;
    /// libxml2 leaves the field to applications) for `XMLElement.number`.
    init(_ doc: xmlDocPtr, catalog: XMLNameCatalog = .shared) {
        var parent: [Int32] = [-1]
        var end: [Int32] = [0]
        var name: [Int32] = [-1]
        var qualifiedName: [Int32] = [-1]
        var nodes: [xmlNodePtr?] = [nil]
        var attributeStart: [Int32] = [0]
        var attributeName: [Int32] = []
        var attributes: [xmlAttrPtr] = []
        var elementNames = DocumentNames()
        var attributeNames = DocumentNames()
        var qualifiedNames: [String] = []
        var byPointer = SmallTable<PointerKey, (Int32, Int32)>()
        var attributeByPointer = SmallTable<PointerKey, (Int32, Int32)>()

        // A document has a handful of namespace declarations: each URI is looked up once.
        var namespaces: [(declaration: xmlNsPtr, number: Int32)] = []
        func spelling(_ local: UnsafePointer<xmlChar>, _ ns: xmlNsPtr?) -> XMLNameCatalog.Spelling {
            var namespace = XMLNameCatalog.Namespaces.none
            if let ns {
                if let known = namespaces.first(where: { $0.declaration == ns }) {
                    namespace = known.number
                } else {
                    namespace = ns.pointee.href.map { catalog.namespace($0) } ?? XMLNameCatalog.Namespaces.none
                    namespaces.append((ns, namespace))
                }
            }
            return catalog.spelling(local: local, namespace: namespace, href: ns?.pointee.href, prefix: ns?.pointee.prefix)
        }

        func intern(_ attribute: xmlAttrPtr) -> Int32 {
            let key = PointerKey(name: UnsafeRawPointer(attribute.pointee.name), ns: attribute.pointee.ns.map { UnsafeRawPointer($0) })
            if let known = attributeByPointer.find(key) { return known.0 }
            let n = attributeNames.id(spelling(attribute.pointee.name, attribute.pointee.ns))
            attributeByPointer.insert(key, (n, -1))
            return n
        }

        func intern(_ node: xmlNodePtr) -> (Int32, Int32) {
            let key = PointerKey(name: UnsafeRawPointer(node.pointee.name), ns: node.pointee.ns.map { UnsafeRawPointer($0) })
            if let known = byPointer.find(key) { return known }
            let written = spelling(node.pointee.name, node.pointee.ns)
            let n = elementNames.id(written)
            // One qualified name per pointer pair: the same spelling under two declarations
            // of its prefix is listed twice, which no reader of the list minds.
            let q = Int32(qualifiedNames.count)
            qualifiedNames.append(written.qualified)
            byPointer.insert(key, (n, q))
            return (n, q)
        }

        // Iterative pre-order walk; `stack` holds the index of each open element.
        var stack: [Int32] = [0]
        var current = xmlDocGetRootElement(doc)
        var openNodes: [xmlNodePtr] = []
        while true {
            if let node = current {
                if node.pointee.type == XML_ELEMENT_NODE {
                    let index = Int32(nodes.count)
                    node.pointee._private = UnsafeMutableRawPointer(bitPattern: Int(index) + 1)
                    parent.append(stack.last!)
                    end.append(0)
                    let (n, q) = intern(node)
                    name.append(n)
                    qualifiedName.append(q)
                    nodes.append(node)
                    attributeStart.append(Int32(attributes.count))
                    var attribute = node.pointee.properties
                    while let a = attribute {
                        attributeName.append(intern(a))
                        attributes.append(a)
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
        attributeStart.append(Int32(attributes.count))
        self.count = nodes.count
        self.parent = parent
        self.end = end
        self.name = name
        self.names = elementNames.names
        self.nameNumbers = elementNames.numbers
        self.qualifiedName = qualifiedName
        self.qualifiedNames = qualifiedNames
        self.attributeStart = attributeStart
        self.attributeName = attributeName
        self.attributeNames = attributeNames.names
        self.attributeNameNumbers = attributeNames.numbers
        self.nodes = nodes
        self.attributes = attributes
        self.stringValues = Array(repeating: nil, count: nodes.count)
        self.attributeValues = Array(repeating: nil, count: attributes.count)
    }

    func stringValue(_ node: Int, of doc: xmlDocPtr) -> String {
        if let cached = stringValues[node] { return cached }
        var value = ""
        if node > 0, let pointer = nodes[node], let content = xmlNodeGetContent(pointer) {
            value = String(cString: content)
            cxml_free(content)
        } else if node == 0, let root = xmlDocGetRootElement(doc), let content = xmlNodeGetContent(root) {
            value = String(cString: content)
            cxml_free(content)
        }
        stringValues[node] = value
        return value
    }

    func attributeValue(_ attribute: Int) -> String {
        if let cached = attributeValues[attribute] { return cached }
        var value = ""
        let raw = UnsafeMutableRawPointer(attributes[attribute]).assumingMemoryBound(to: xmlNode.self)
        if let content = xmlNodeGetContent(raw) {
            value = String(cString: content)
            cxml_free(content)
        }
        attributeValues[attribute] = value
        return value
    }
}

/// The distinct expanded names of one document, numbered in order of first appearance.
private struct DocumentNames {
    private(set) var names: [XMLNodeIndex.Name] = []
    private(set) var numbers: [Int32] = []
    /// Catalog number → document number; names the catalog could not number go by name.
    private var byNumber = SmallTable<Int32, Int32>()
    private var unnumbered: [XMLNodeIndex.Name: Int32] = [:]

    mutating func id(_ spelling: XMLNameCatalog.Spelling) -> Int32 {
        if spelling.number >= 0, let known = byNumber.find(spelling.number) { return known }
        // A name the full catalog could not number, or numbered since by a program compiled
        // meanwhile (the number then joins the document's earlier entry).
        if !unnumbered.isEmpty, let known = unnumbered[spelling.name] {
            if spelling.number >= 0 { byNumber.insert(spelling.number, known) }
            return known
        }
        let id = Int32(names.count)
        names.append(spelling.name)
        numbers.append(spelling.number)
        if spelling.number >= 0 { byNumber.insert(spelling.number, id) } else { unnumbered[spelling.name] = id }
        return id
    }
}

/// A name as libxml2 holds it: the interned name string and the namespace declaration.
struct PointerKey: Equatable {
    let name: UnsafeRawPointer
    let ns: UnsafeRawPointer?
}

/// A key of `SmallTable`: compared for equality, hashed cheaply.
protocol SmallTableKey: Equatable {
    var tableHash: UInt { get }
}

extension PointerKey: SmallTableKey {
    var tableHash: UInt {
        ((UInt(bitPattern: name) >> 3) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt(bitPattern: ns) >> 3)
    }
}

extension Int32: SmallTableKey {
    var tableHash: UInt { UInt(UInt32(bitPattern: self) &* 0x9E37_79B1) }
}

/// A small open-addressing table for the few distinct keys of one document (name pointers,
/// catalog numbers): the parser interns names, so a document has a hundred or so, and
/// `Hasher` would cost more than the probe.
struct SmallTable<Key: SmallTableKey, Value> {
    private var keys: [Key?] = Array(repeating: nil, count: 64)
    private var values: [Value?] = Array(repeating: nil, count: 64)
    private var used = 0

    private func slot(_ key: Key) -> Int {
        Int(truncatingIfNeeded: key.tableHash) & (keys.count - 1)
    }

    func find(_ key: Key) -> Value? {
        var i = slot(key)
        while let candidate = keys[i] {
            if candidate == key { return values[i] }
            i = (i + 1) & (keys.count - 1)
        }
        return nil
    }

    mutating func insert(_ key: Key, _ value: Value) {
        if (used + 1) * 2 > keys.count {
            let old = zip(keys, values).compactMap { key, value in key.map { ($0, value!) } }
            keys = Array(repeating: nil, count: keys.count * 2)
            values = Array(repeating: nil, count: keys.count)
            used = 0
            for (k, v) in old { insert(k, v) }
        }
        var i = slot(key)
        while keys[i] != nil { i = (i + 1) & (keys.count - 1) }
        keys[i] = key
        values[i] = value
        used += 1
    }
}

extension XMLDocument {
    /// The flat index of the document's elements and attributes, built on first use (by
    /// the first location a reader asks for, or the first table rule) and then kept.
    public func nodeIndex() -> XMLNodeIndex {
        XMLNodeIndex(document: self, tables: indexTables)
    }

    var indexTables: NodeIndexTables {
        if let known = index { return known }
        let built = NodeIndexTables(doc)
        index = built
        return built
    }
}
