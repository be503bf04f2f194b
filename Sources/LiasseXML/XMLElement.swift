internal import CLibXML2
import Glibc

/// An element of a parsed document: a light view that keeps its document alive.
public struct XMLElement {
    let node: xmlNodePtr
    /// The document this element belongs to.
    public let document: XMLDocument

    init(node: xmlNodePtr, document: XMLDocument) {
        self.node = node
        self.document = document
    }

    /// The element's local name, without prefix.
    public var localName: String {
        String(cString: node.pointee.name)
    }

    /// The element's namespace URI, or nil when it has none.
    public var namespaceURI: String? {
        node.pointee.ns.flatMap { $0.pointee.href }.map { String(cString: $0) }
    }

    /// The line the element starts on in the source document (1-based).
    public var line: Int {
        Int(xmlGetLineNo(node))
    }

    /// The concatenated text content of the element and its descendants, untrimmed.
    public var text: String {
        // The common case, one text child, read in place: no copy by libxml2 to free after.
        if let child = node.pointee.children, child.pointee.next == nil,
           child.pointee.type == XML_TEXT_NODE, let content = child.pointee.content {
            return String(cString: content)
        }
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { cxml_free(content) }
        return String(cString: content)
    }

    /// An XPath-like locator of this element (`/Invoice/cac:InvoiceLine[2]/cbc:ID`): each
    /// step is the element's qualified name as written, with its position among same-named
    /// siblings when it has any. Cost is linear in depth (the document's elements are
    /// numbered once, see `NodeLocator`), so locating every element of a 100,000-line invoice
    /// stays linear.
    public var path: String {
        document.locator.path(of: number)
    }

    /// The parent element, nil for the document element.
    public var parent: XMLElement? {
        guard let parent = node.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return XMLElement(node: parent, document: document)
    }

    /// The element children, in document order.
    public var children: [XMLElement] {
        var result: [XMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                result.append(XMLElement(node: current, document: document))
            }
            child = current.pointee.next
        }
        return result
    }

    /// Calls `body` for each element child, in document order, without building an array.
    public func forEachChild(_ body: (XMLElement) throws -> Void) rethrows {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                try body(XMLElement(node: current, document: document))
            }
            child = current.pointee.next
        }
    }

    /// The first element child named `localName` in `namespace` (both known at compile time),
    /// found without making a view of the children it passes.
    public func firstChild(_ localName: StaticString, in namespace: StaticString) -> XMLElement? {
        Self.next(from: node.pointee.children, localName, namespace).map { XMLElement(node: $0, document: document) }
    }

    /// The next element sibling named `localName` in `namespace`.
    public func nextSibling(_ localName: StaticString, in namespace: StaticString) -> XMLElement? {
        Self.next(from: node.pointee.next, localName, namespace).map { XMLElement(node: $0, document: document) }
    }

    private static func next(from start: xmlNodePtr?, _ localName: StaticString, _ namespace: StaticString) -> xmlNodePtr? {
        let local = UnsafeRawPointer(localName.utf8Start).assumingMemoryBound(to: CChar.self)
        let uri = UnsafeRawPointer(namespace.utf8Start).assumingMemoryBound(to: CChar.self)
        var current = start
        while let candidate = current {
            if candidate.pointee.type == XML_ELEMENT_NODE, Self.isNamed(candidate, local, uri) { return candidate }
            current = candidate.pointee.next
        }
        return nil
    }

    /// Whether this element has `localName` in `namespace`, both known at compile time: the
    /// names are compared as C strings (`strcmp`), the cheapest test the model reader makes
    /// thousands of times per invoice.
    @inline(__always)
    public func isNamed(_ localName: StaticString, in namespace: StaticString) -> Bool {
        Self.isNamed(node, UnsafeRawPointer(localName.utf8Start).assumingMemoryBound(to: CChar.self),
                     UnsafeRawPointer(namespace.utf8Start).assumingMemoryBound(to: CChar.self))
    }

    @inline(__always)
    private static func isNamed(_ node: xmlNodePtr, _ local: UnsafePointer<CChar>, _ uri: UnsafePointer<CChar>) -> Bool {
        guard strcmp(UnsafeRawPointer(node.pointee.name).assumingMemoryBound(to: CChar.self), local) == 0,
              let href = node.pointee.ns?.pointee.href else { return false }
        return strcmp(UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self), uri) == 0
    }

    /// Whether this element has `localName` in `namespace`.
    public func isNamed(_ localName: String, in namespace: String) -> Bool {
        guard Self.equal(node.pointee.name, localName) else { return false }
        guard let ns = node.pointee.ns, let href = ns.pointee.href else { return false }
        return Self.equal(href, namespace)
    }

    /// Compares a C string with a Swift string byte by byte, without converting either
    /// (passing a String where libxml2 wants `xmlChar *` would copy it on every call).
    @inline(__always)
    static func equal(_ cString: UnsafePointer<xmlChar>, _ string: String) -> Bool {
        var pointer = cString
        for byte in string.utf8 {
            guard pointer.pointee == byte else { return false }
            pointer += 1
        }
        return pointer.pointee == 0
    }

    /// The element children named `localName` in `namespace`.
    public func children(_ localName: String, in namespace: String) -> [XMLElement] {
        var result: [XMLElement] = []
        forEachChild { if $0.isNamed(localName, in: namespace) { result.append($0) } }
        return result
    }

    /// The first element child named `localName` in `namespace`.
    public func firstChild(_ localName: String, in namespace: String) -> XMLElement? {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let element = XMLElement(node: current, document: document)
                if element.isNamed(localName, in: namespace) { return element }
            }
            child = current.pointee.next
        }
        return nil
    }

    /// Every descendant element named `localName` in `namespace`, in document order.
    public func descendants(named localName: String, in namespace: String) -> [XMLElement] {
        collect(named: localName, in: namespace, fromDepth: 1)
    }

    /// The same, below this element's children only (its grandchildren and deeper).
    public func deeperDescendants(named localName: String, in namespace: String) -> [XMLElement] {
        collect(named: localName, in: namespace, fromDepth: 2)
    }

    /// One walk of the subtree; names are compared by the parser's dictionary pointer, so a
    /// document where the name appears nowhere costs one lookup, and one where it does a walk
    /// without a string comparison per element.
    private func collect(named localName: String, in namespace: String, fromDepth minimum: Int) -> [XMLElement] {
        var interned: UnsafePointer<xmlChar>?
        if let dict = node.pointee.doc?.pointee.dict {
            guard let found = xmlDictExists(dict, localName, -1) else { return [] }
            interned = found
        }
        var result: [XMLElement] = []
        func visit(_ parent: xmlNodePtr, depth: Int) {
            var child = parent.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    if depth >= minimum,
                       interned.map({ current.pointee.name == $0 }) ?? Self.equal(current.pointee.name, localName),
                       let href = current.pointee.ns?.pointee.href, Self.equal(href, namespace) {
                        result.append(XMLElement(node: current, document: document))
                    }
                    visit(current, depth: depth + 1)
                }
                child = current.pointee.next
            }
        }
        visit(node, depth: 1)
        return result
    }

    /// The value of the attribute `name` (no namespace), or nil when absent.
    public func attribute(_ name: String) -> String? {
        // A walk of the element's own attributes: no copy of `name` for libxml2, and no
        // work at all for the many elements that have none.
        var property = node.pointee.properties
        while let attribute = property {
            if attribute.pointee.ns == nil, Self.equal(attribute.pointee.name, name) {
                guard let value = xmlNodeListGetString(node.pointee.doc, attribute.pointee.children, 1) else { return "" }
                defer { cxml_free(value) }
                return String(cString: value)
            }
            property = attribute.pointee.next
        }
        return nil
    }

    /// The line and path of an attribute, for findings that point at it.
    public func attributePath(_ name: String) -> String {
        path + "/@" + name
    }
}
