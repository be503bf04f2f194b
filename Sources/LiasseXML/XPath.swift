internal import CLibXML2

/// XPath 1.0 over one parsed document, with the namespace prefixes of the invoice syntaxes
/// registered. For table-driven syntax rules; business rules read the invoice model instead.
///
/// One evaluator per document and per task: libxml2's XPath contexts are not thread-safe.
/// Compiled expressions are cached per evaluator.
public final class XPathEvaluator {
    private let document: XMLDocument
    private let context: xmlXPathContextPtr
    private var compiled: [String: xmlXPathCompExprPtr] = [:]

    /// Creates an evaluator for `document`, registering `namespaces` (prefix → URI).
    public init(document: XMLDocument, namespaces: [String: String]) {
        self.document = document
        context = xmlXPathNewContext(document.doc)
        // Expression errors are thrown as XPathError; libxml2 must not print them.
        context.pointee.error = { _, _ in }
        for (prefix, uri) in namespaces {
            xmlXPathRegisterNs(context, prefix, uri)
        }
    }

    deinit {
        for expression in compiled.values { xmlXPathFreeCompExpr(expression) }
        xmlXPathFreeContext(context)
    }

    private func compile(_ expression: String) throws(XPathError) -> xmlXPathCompExprPtr {
        if let cached = compiled[expression] { return cached }
        guard let expressionPointer = xmlXPathCtxtCompile(context, expression) else {
            throw .invalidExpression(expression)
        }
        compiled[expression] = expressionPointer
        return expressionPointer
    }

    private func evaluate(_ expression: String, at node: XMLElement?) throws(XPathError) -> xmlXPathObjectPtr {
        let compiledExpression = try compile(expression)
        context.pointee.node = node?.node ?? UnsafeMutableRawPointer(document.doc).assumingMemoryBound(to: xmlNode.self)
        guard let result = xmlXPathCompiledEval(compiledExpression, context) else {
            throw .evaluationFailed(expression)
        }
        return result
    }

    /// The elements selected by `expression` evaluated at `node` (the document when nil).
    /// Non-element nodes (attributes, text) are returned as their parent element.
    public func elements(_ expression: String, at node: XMLElement? = nil) throws(XPathError) -> [XMLElement] {
        let result = try evaluate(expression, at: node)
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
        var elements: [XMLElement] = []
        elements.reserveCapacity(Int(set.pointee.nodeNr))
        for index in 0..<Int(set.pointee.nodeNr) {
            guard let found = set.pointee.nodeTab[index] else { continue }
            if found.pointee.type == XML_ELEMENT_NODE {
                elements.append(XMLElement(node: found, document: document))
            } else if let parent = found.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE {
                elements.append(XMLElement(node: parent, document: document))
            }
        }
        return elements
    }

    /// `boolean(expression)` evaluated at `node`.
    public func boolean(_ expression: String, at node: XMLElement? = nil) throws(XPathError) -> Bool {
        let result = try evaluate(expression, at: node)
        defer { xmlXPathFreeObject(result) }
        return xmlXPathCastToBoolean(result) != 0
    }

    /// `string(expression)` evaluated at `node`.
    public func string(_ expression: String, at node: XMLElement? = nil) throws(XPathError) -> String {
        let result = try evaluate(expression, at: node)
        defer { xmlXPathFreeObject(result) }
        guard let value = xmlXPathCastToString(result) else { return "" }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// `number(expression)` evaluated at `node` (NaN when not a number).
    public func number(_ expression: String, at node: XMLElement? = nil) throws(XPathError) -> Double {
        let result = try evaluate(expression, at: node)
        defer { xmlXPathFreeObject(result) }
        return xmlXPathCastToNumber(result)
    }
}

/// A problem with an XPath expression: a bug in a rule table, never a verdict on input.
public enum XPathError: Error, Equatable, CustomStringConvertible {
    case invalidExpression(String)
    case evaluationFailed(String)

    public var description: String {
        switch self {
        case .invalidExpression(let expression): return "invalid XPath expression: \(expression)"
        case .evaluationFailed(let expression): return "XPath evaluation failed: \(expression)"
        }
    }
}
