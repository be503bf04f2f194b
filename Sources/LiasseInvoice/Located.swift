/// Where a value came from in its source document, so a finding can point at it.
public struct SourceLocation: Sendable, Hashable, Codable {
    /// An XPath to the element or attribute (`/Invoice/cac:InvoiceLine[2]/cbc:ID`).
    public var path: String
    /// The line of the element in the source document (1-based; 0 when unknown).
    public var line: Int

    public init(path: String, line: Int) {
        self.path = path
        self.line = line
    }
}

/// A value read from the document, with its location.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// A text value exactly as written (untrimmed), with its location and, for identifiers
/// and codes, its scheme or list attribute.
public struct Text: Sendable, Hashable {
    /// The text as written in the document, untrimmed.
    public var raw: String
    /// The identification scheme (`schemeID`) or list attribute, when the syntax has one.
    public var scheme: String?
    public var location: SourceLocation

    public init(raw: String, scheme: String? = nil, location: SourceLocation) {
        self.raw = raw
        self.scheme = scheme
        self.location = location
    }

    /// The value with XML whitespace normalised (what the official rules compare).
    public var value: String { raw.normalizedSpace }

    /// Whether the element carries no text at all once normalised.
    public var isEmpty: Bool { value.isEmpty }
}

extension String {
    /// XPath `normalize-space`: trims and collapses runs of XML whitespace to one space.
    public var normalizedSpace: String {
        var result = ""
        result.reserveCapacity(utf8.count)
        var pendingSpace = false
        for scalar in unicodeScalars {
            switch scalar {
            case " ", "\t", "\n", "\r":
                pendingSpace = !result.isEmpty
            default:
                if pendingSpace { result.append(" "); pendingSpace = false }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
