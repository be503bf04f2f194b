internal import CLibXML2

/// A parsed XML document, owned by one task at a time.
///
/// Parsing is hardened for hostile input: no network, no entity substitution, no DTD
/// loading, no XInclude, libxml2's default depth and size limits, and any DOCTYPE refused.
/// The handle is not thread-safe; the class frees it when the last reference goes.
public final class XMLDocument {
    let doc: xmlDocPtr

    /// The locator of every element asked for so far: each is its parent's plus one step,
    /// so locating every value of an invoice builds each step once.
    private var paths: [UnsafeMutableRawPointer: String] = [:]

    /// `/Invoice/cac:InvoiceLine[2]/cbc:ID`: the qualified name of each ancestor as written,
    /// with its position among same-named siblings when it has any.
    func path(of element: xmlNodePtr) -> String {
        let key = UnsafeMutableRawPointer(element)
        if let known = paths[key] { return known }
        var result = ""
        if let parent = element.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE {
            result = path(of: parent)
        }
        result += "/"
        if let prefix = element.pointee.ns?.pointee.prefix {
            result += String(cString: prefix)
            result += ":"
        }
        result += String(cString: element.pointee.name)
        let position = siblingPosition(of: element)
        if position.count > 1 {
            result += "["
            result += String(position.index)
            result += "]"
        }
        paths[key] = result
        return result
    }

    /// Position of each element among its same-named siblings, filled one parent at a time.
    private var positions: [UnsafeMutableRawPointer: (index: Int, count: Int)] = [:]

    init(doc: xmlDocPtr) {
        self.doc = doc
    }

    /// The 1-based position of `element` among the siblings with its name and namespace,
    /// and how many there are.
    func siblingPosition(of element: xmlNodePtr) -> (index: Int, count: Int) {
        if let known = positions[UnsafeMutableRawPointer(element)] { return known }
        guard let parent = element.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else {
            return (1, 1)
        }
        struct Key: Hashable {
            var name: UnsafeRawPointer?
            var namespace: UnsafeRawPointer?
        }
        // Names come from the document's dictionary: equal names share one pointer.
        var counts: [Key: Int] = [:]
        var assigned: [(xmlNodePtr, Key, Int)] = []
        var child = parent.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let key = Key(name: UnsafeRawPointer(current.pointee.name),
                              namespace: current.pointee.ns.map { UnsafeRawPointer($0.pointee.href) } ?? nil)
                let index = counts[key, default: 0] + 1
                counts[key] = index
                assigned.append((current, key, index))
            }
            child = current.pointee.next
        }
        for (node, key, index) in assigned {
            positions[UnsafeMutableRawPointer(node)] = (index, counts[key] ?? 1)
        }
        return positions[UnsafeMutableRawPointer(element)] ?? (1, 1)
    }

    deinit {
        xmlFreeDoc(doc)
    }

    /// Parses `bytes` as a standalone XML document.
    ///
    /// - Parameters:
    ///   - bytes: the document, in any encoding it declares.
    ///   - name: a name for messages (the entry path); never resolved.
    ///   - limits: the caps applied before and while parsing.
    /// - Throws: `XMLParseError` when the input is too large, not well-formed, or carries a DOCTYPE.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        name: String = "document.xml",
        limits: XMLLimits = .default
    ) throws(XMLParseError) -> XMLDocument {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= limits.maxDocumentBytes else {
            throw .tooLarge(bytes: bytes.count, limit: limits.maxDocumentBytes)
        }
        guard let ctxt = xmlNewParserCtxt() else { throw .resourceExhausted }
        defer { xmlFreeParserCtxt(ctxt) }

        let parsed: xmlDocPtr? = bytes.withContiguousStorageIfAvailable { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(ctxt, chars.baseAddress, Int32(chars.count), name, nil, XMLParsing.options)
            }
        } ?? Array(bytes).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(ctxt, chars.baseAddress, Int32(chars.count), name, nil, XMLParsing.options)
            }
        }
        guard let doc = parsed else {
            throw XMLParsing.lastError(of: ctxt)
        }
        if ctxt.pointee.wellFormed == 0 {
            let error = XMLParsing.lastError(of: ctxt)
            xmlFreeDoc(doc)
            throw error
        }
        if doc.pointee.intSubset != nil || doc.pointee.extSubset != nil {
            let line = doc.pointee.intSubset.map { Int(xmlGetLineNo(UnsafeMutableRawPointer($0).assumingMemoryBound(to: xmlNode.self))) } ?? 1
            xmlFreeDoc(doc)
            throw .doctypeForbidden(line: max(line, 1))
        }
        return XMLDocument(doc: doc)
    }

    /// The document element, if any.
    public var root: XMLElement? {
        guard let node = xmlDocGetRootElement(doc) else { return nil }
        return XMLElement(node: node, document: self)
    }
}

/// Caps applied to every XML document before libxml2 sees it.
public struct XMLLimits: Sendable, Equatable {
    /// The largest document accepted, in bytes (libxml2 takes an `Int32` length anyway).
    public var maxDocumentBytes: Int

    public init(maxDocumentBytes: Int) {
        self.maxDocumentBytes = min(maxDocumentBytes, Int(Int32.max))
    }

    /// 50 MB: far above any real invoice, far below what would hurt the service.
    public static let `default` = XMLLimits(maxDocumentBytes: 50 * 1024 * 1024)
}

/// Why a document could not be parsed.
public enum XMLParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLarge(bytes: Int, limit: Int)
    case notWellFormed(message: String, line: Int, column: Int)
    case doctypeForbidden(line: Int)
    case resourceExhausted

    public var description: String {
        switch self {
        case .empty:
            return "the document is empty"
        case .tooLarge(let bytes, let limit):
            return "the document is \(bytes) bytes, more than the \(limit) bytes allowed"
        case .notWellFormed(let message, let line, let column):
            return "not well-formed XML at line \(line), column \(column): \(message)"
        case .doctypeForbidden(let line):
            return "a DOCTYPE declaration (line \(line)) is not allowed in an invoice"
        case .resourceExhausted:
            return "the XML parser could not allocate memory"
        }
    }

    /// The line the problem was found on, when known.
    public var line: Int? {
        switch self {
        case .notWellFormed(_, let line, _), .doctypeForbidden(let line): return line
        default: return nil
        }
    }
}

enum XMLParsing {
    /// Hardened options: never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE, HUGE or RECOVER.
    static let options: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue
    )

    static func lastError(of ctxt: xmlParserCtxtPtr) -> XMLParseError {
        guard let error = xmlCtxtGetLastError(ctxt) else {
            return .notWellFormed(message: "unknown parser error", line: 0, column: 0)
        }
        let message = error.pointee.message.map { String(cString: $0) } ?? "parser error"
        if error.pointee.code == Int32(XML_ERR_NO_MEMORY.rawValue) {
            return .resourceExhausted
        }
        return .notWellFormed(
            message: message.trimmingTrailingNewlines(),
            line: Int(error.pointee.line),
            column: Int(error.pointee.int2)
        )
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline || last == " " { s.removeLast() }
        return String(s)
    }
}
