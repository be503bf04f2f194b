internal import CLibXML2
import Synchronization
import Glibc

/// A compiled XML Schema, shared read-only by every task once compiled.
///
/// Compile schemas serially at start-up: libxml2's type initialisation is not thread-safe.
/// Validation creates its own context per call, so one compiled schema serves many tasks.
public final class XMLSchema: @unchecked Sendable {
    private let schema: xmlSchemaPtr
    /// The file the schema was compiled from.
    public let path: String

    /// Compiles the schema at `path`. Imports and includes are resolved only inside the
    /// folder given to `XMLSecurity.restrictEntityLoading(to:)`.
    public init(path: String) throws(XMLSchemaError) {
        self.path = path
        XMLSecurity.installOnce()
        guard let parserContext = xmlSchemaNewParserCtxt(path) else {
            throw .cannotLoad(path: path, reason: "cannot create a schema parser")
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        let collector = IssueCollector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        xmlSchemaSetParserStructuredErrors(parserContext, collectIssue, unmanaged.toOpaque())
        guard let compiled = xmlSchemaParse(parserContext) else {
            let reason = collector.issues.first.map { "\($0.message) (line \($0.line))" } ?? "unknown error"
            throw .cannotLoad(path: path, reason: reason)
        }
        schema = compiled
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// Validates `document` and returns every schema error with its line, in document order.
    public func validate(_ document: XMLDocument) -> [XMLIssue] {
        guard let context = xmlSchemaNewValidCtxt(schema) else {
            return [XMLIssue(message: "cannot create a schema validation context", line: 0, path: nil)]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        let collector = IssueCollector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        xmlSchemaSetValidStructuredErrors(context, collectIssue, unmanaged.toOpaque())
        let result = xmlSchemaValidateDoc(context, document.doc)
        if result < 0 && collector.issues.isEmpty {
            return [XMLIssue(message: "internal error of the schema validator (\(result))", line: 0, path: nil)]
        }
        return collector.issues
    }
}

/// A problem found by libxml2 in a document: a message, a line, and the element's path when known.
///
/// Schema errors also carry what is needed to explain them in the invoice's own terms: the
/// element concerned with its ancestors, and the names of the elements around it (an element
/// out of place or missing is told apart by its siblings).
public struct XMLIssue: Sendable, Equatable {
    public var message: String
    public var line: Int
    public var path: String?
    /// The element concerned and its ancestors, from the root down to it; empty when unknown.
    public var ancestry: [Name] = []
    /// The element siblings that follow it, in order (at most `Name.siblingCap`).
    public var followingSiblings: [Name] = []
    /// The element siblings that precede it, nearest first (at most `Name.siblingCap`).
    public var precedingSiblings: [Name] = []

    /// An element's expanded name.
    public struct Name: Sendable, Hashable {
        public var namespace: String?
        public var local: String

        public init(namespace: String?, local: String) {
            self.namespace = namespace
            self.local = local
        }

        /// Past this many, the names around an element (and its ancestors) are not kept: a
        /// hostile document could otherwise make each of its errors carry millions of names.
        public static let siblingCap = 256
    }

    public init(message: String, line: Int, path: String?) {
        self.message = message
        self.line = line
        self.path = path
    }
}

/// Why a schema could not be compiled.
public enum XMLSchemaError: Error, Equatable, CustomStringConvertible {
    case cannotLoad(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotLoad(let path, let reason): return "cannot compile schema \(path): \(reason)"
        }
    }
}

final class IssueCollector {
    var issues: [XMLIssue] = []
    /// Past this many, further errors of one document are dropped: a hostile document
    /// could otherwise produce millions of them.
    let cap = 200
}

private func collectIssue(userData: UnsafeMutableRawPointer?, error: UnsafeMutablePointer<xmlError>?) {
    guard let userData, let error else { return }
    let collector = Unmanaged<IssueCollector>.fromOpaque(userData).takeUnretainedValue()
    guard collector.issues.count < collector.cap else { return }
    let message = error.pointee.message.map { String(cString: $0) } ?? "schema error"
    var issue = XMLIssue(message: message.trimmingTrailingNewlines(), line: Int(error.pointee.line), path: nil)
    if let node = error.pointee.node {
        let nodePtr = node.assumingMemoryBound(to: xmlNode.self)
        if let raw = xmlGetNodePath(nodePtr) {
            issue.path = String(cString: raw)
            cxml_free(raw)
        }
        if nodePtr.pointee.type == XML_ELEMENT_NODE {
            var ancestry: [XMLIssue.Name] = []
            var current: xmlNodePtr? = nodePtr
            while let element = current, element.pointee.type == XML_ELEMENT_NODE, ancestry.count < XMLIssue.Name.siblingCap {
                ancestry.append(issueName(element))
                current = element.pointee.parent
            }
            issue.ancestry = ancestry.reversed()
            issue.followingSiblings = elementNames(from: nodePtr.pointee.next)
            issue.precedingSiblings = elementNames(from: nodePtr.pointee.prev, backwards: true)
        }
    }
    collector.issues.append(issue)
}

private func issueName(_ element: xmlNodePtr) -> XMLIssue.Name {
    XMLIssue.Name(namespace: element.pointee.ns?.pointee.href.map { String(cString: $0) },
                  local: element.pointee.name.map { String(cString: $0) } ?? "")
}

/// The names of the element nodes from `first` on, along its siblings.
private func elementNames(from first: xmlNodePtr?, backwards: Bool = false) -> [XMLIssue.Name] {
    var names: [XMLIssue.Name] = []
    var current = first
    while let node = current, names.count < XMLIssue.Name.siblingCap {
        if node.pointee.type == XML_ELEMENT_NODE { names.append(issueName(node)) }
        current = backwards ? node.pointee.prev : node.pointee.next
    }
    return names
}

/// Process-wide libxml2 settings: the external entity loader that confines schema
/// imports to the schema folder and refuses everything else.
public enum XMLSecurity {
    private static let allowedRoots = Mutex<[String]>([])
    private static let installed = Mutex<Bool>(false)

    /// Allows `xs:import` and `xs:include` to read files under `folder` (a real path).
    /// Everything else (instance `xsi:schemaLocation`, DTDs, network) stays refused.
    public static func restrictEntityLoading(to folder: String) {
        installOnce()
        let real = realPath(folder) ?? folder
        allowedRoots.withLock { roots in
            if !roots.contains(real) { roots.append(real) }
        }
    }

    static func installOnce() {
        installed.withLock { done in
            guard !done else { return }
            xmlInitParser()
            xmlSetExternalEntityLoader(confinedLoader)
            done = true
        }
    }

    static func isAllowed(_ url: String) -> Bool {
        var path = url
        if path.hasPrefix("file://") { path.removeFirst("file://".count) }
        guard path.hasPrefix("/"), let real = realPath(path) else { return false }
        return allowedRoots.withLock { roots in
            roots.contains { real == $0 || real.hasPrefix($0 + "/") }
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

private func confinedLoader(
    url: UnsafePointer<CChar>?, id: UnsafePointer<CChar>?, context: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
    guard let url, XMLSecurity.isAllowed(String(cString: url)) else { return nil }
    return xmlNewInputFromFile(context, url)
}
