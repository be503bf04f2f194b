internal import CLibXML2
import Glibc

/// A parsed XML document, owned by one task at a time.
///
/// Parsing is hardened for hostile input: no network, no entity substitution, no DTD
/// loading, no XInclude, libxml2's default depth and size limits, and any DOCTYPE refused.
/// The handle is not thread-safe; the class frees it when the last reference goes.
public final class XMLDocument {
    let doc: xmlDocPtr

    /// The element numbering behind locations (`locator`), built on first use.
    var numbering: NodeLocator?
    /// The tables of `nodeIndex()`, built on first use.
    var index: NodeIndexTables?

    init(doc: xmlDocPtr) {
        self.doc = doc
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
        if let offset = nulByte(in: bytes) { throw .nulByte(offset: offset) }
        let structure: XMLParseError? = bytes.withContiguousStorageIfAvailable { XMLStructureScan.check($0, limits: limits) }
            ?? Array(bytes).withUnsafeBufferPointer { XMLStructureScan.check($0, limits: limits) }
        if let structure { throw structure }
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

    /// The offset of the first NUL byte of a document in an encoding where XML never has one
    /// (UTF-8 and every other ASCII-compatible encoding), nil otherwise. libxml2 stops at a NUL
    /// after the root element and calls the document well-formed: the bytes after it, which a
    /// certificate would attest, would never have been judged.
    static func nulByte(in bytes: some Collection<UInt8>) -> Int? {
        guard isASCIICompatible(bytes) else { return nil }
        return bytes.withContiguousStorageIfAvailable { buffer -> Int? in
            guard let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        } ?? Array(bytes).firstIndex(of: 0)
    }

    /// Whether a document starting with `head` is in UTF-8 or another ASCII-compatible
    /// encoding: not UTF-16 or UTF-32, which (with or without a byte-order mark) hold NUL bytes
    /// by nature and whose bytes are not XML's characters.
    static func isASCIICompatible(_ bytes: some Collection<UInt8>) -> Bool {
        var head = bytes.makeIterator()
        guard let a = head.next(), let b = head.next() else { return true }
        if (a == 0xFE && b == 0xFF) || (a == 0xFF && b == 0xFE) { return false }
        return a != 0 && b != 0
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
    /// Checked on the bytes before parsing (XMLStructureScan), each refused as LIASSE-XML-08:
    /// attributes on one element (an invoice has a handful; libxml2's duplicate check is
    /// quadratic in them).
    public var maxAttributesPerElement = 256
    /// Namespace declarations on one element.
    public var maxNamespaceDeclarations = 64
    /// An element or attribute name.
    public var maxNameBytes = 1_024
    /// An attribute value.
    public var maxAttributeValueBytes = 1024 * 1024
    /// A text node or CDATA section: room for an embedded attachment (10 MB of binary in base64).
    public var maxTextBytes = 16 * 1024 * 1024
    /// Nesting of elements (an invoice goes about 10 deep).
    public var maxDepth = 256

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
    /// A NUL byte, which no XML document holds (in UTF-8 and the other ASCII-compatible encodings).
    case nulByte(offset: Int)
    /// A shape refused before parsing (XMLLimits): what was found, the limit, where.
    case structureLimit(what: String, limit: String, line: Int)

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
        case .nulByte(let offset):
            return "a NUL byte at offset \(offset), which XML never allows"
        case .structureLimit(let what, let limit, let line):
            return "\(what) at line \(line), above the limit of \(limit)"
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
    /// COMPACT keeps short texts (most invoice values) inside their node instead of a
    /// separate allocation; Liasse never modifies a parsed tree, which COMPACT forbids.
    static let options: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
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
