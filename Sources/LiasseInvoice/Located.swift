import LiasseXML

/// Where a value came from in its source document, so a finding can point at it.
///
/// A location read from a document keeps the element's number in the document's
/// `NodeLocator` and spells its path only when asked: a reader locates every value, and only
/// the few that end in a finding are ever printed.
public struct SourceLocation: Sendable, Hashable, Codable {
    private enum Origin: Sendable {
        case path(String)
        case element(NodeLocator, Int32)
    }

    private var origin: Origin
    /// The line of the element in the source document (1-based; 0 when unknown).
    public var line: Int

    /// An XPath to the element or attribute (`/Invoice/cac:InvoiceLine[2]/cbc:ID`).
    public var path: String {
        get {
            switch origin {
            case .path(let path): return path
            case .element(let locator, let node): return locator.path(of: node)
            }
        }
        set { origin = .path(newValue) }
    }

    public init(path: String, line: Int) {
        self.origin = .path(path)
        self.line = line
    }

    /// The location of element `node` of `locator`'s document.
    public init(element node: Int32, of locator: NodeLocator, line: Int) {
        self.origin = .element(locator, node)
        self.line = line
    }

    public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        guard lhs.line == rhs.line else { return false }
        if case .element(let a, let m) = lhs.origin, case .element(let b, let n) = rhs.origin, a === b {
            return m == n
        }
        return lhs.path == rhs.path
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(line)
    }

    private enum CodingKeys: String, CodingKey {
        case path, line
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(path: try container.decode(String.self, forKey: .path),
                  line: try container.decode(Int.self, forKey: .line))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
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
        // Most values are normalised already: returned as they are, nothing built.
        var clean = true
        var previousSpace = true
        for byte in utf8 {
            if byte == 0x20 {
                if previousSpace { clean = false; break }
                previousSpace = true
            } else if byte == 0x09 || byte == 0x0A || byte == 0x0D {
                clean = false
                break
            } else {
                previousSpace = false
            }
        }
        if clean && !(previousSpace && !isEmpty) { return self }
        // XML whitespace is ASCII: working on the UTF-8 bytes keeps every other character whole.
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var pendingSpace = false
        for byte in utf8 {
            if isXMLSpace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
