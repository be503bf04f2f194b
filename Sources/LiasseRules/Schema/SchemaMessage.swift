import Foundation
import LiasseXML

/// One libxml2 schema error message, read: the element (and attribute) it is about, and what
/// kind of error it is with its particulars. The shapes are libxml2's (xmlschemas.c):
///
/// - `Element '{ns}X': This element is not expected. Expected is one of ( {ns}A, {ns}B ).`
/// - `Element '{ns}X': Missing child element(s). Expected is ( {ns}A ).`
/// - `Element '{ns}X': 'v' is not a valid value of the atomic type 'xs:decimal'.` (or `…of the local atomic type.`)
/// - `Element '{ns}X', attribute 'a': [facet 'enumeration'] The value 'v' is not an element of the set {'A', 'B'}.`
/// - `[facet 'maxLength'] The value 'v' has a length of '4'; this exceeds the allowed maximum length of '3'.`
/// - `Element '{ns}X', attribute 'a': The attribute 'a' is not allowed.`
/// - `Element '{ns}X': The attribute 'a' is required but missing.`
struct SchemaMessage {
    var element: XMLIssue.Name?
    var attribute: String?
    var kind: Kind

    enum Kind: Equatable {
        case notExpected([XMLIssue.Name])
        case missingChild([XMLIssue.Name])
        /// The value and the type named (nil for libxml2's "local atomic type").
        case invalidValue(String, type: String?)
        case notInSet(String, allowed: [String])
        case length(String, limit: Int, LengthBound)
        case pattern(String, pattern: String)
        case attributeNotAllowed(String)
        case attributeMissing(String)
        case textNotAllowed
        case elementsNotAllowed
        case other
    }

    enum LengthBound: Equatable {
        case minimum, maximum, exact
    }

    init(_ text: String) {
        var rest = Substring(text)
        element = nil
        attribute = nil
        kind = .other
        guard rest.hasPrefix("Element '") else { return }
        rest = rest.dropFirst("Element '".count)
        guard let close = rest.firstIndex(of: "'") else { return }
        element = Self.name(rest[..<close])
        rest = rest[rest.index(after: close)...]
        if rest.hasPrefix(", attribute '") {
            rest = rest.dropFirst(", attribute '".count)
            guard let end = rest.firstIndex(of: "'") else { return }
            attribute = String(rest[..<end])
            rest = rest[rest.index(after: end)...]
        }
        guard rest.hasPrefix(": ") else { return }
        kind = Self.kind(of: rest.dropFirst(2))
    }

    private static func kind(of body: Substring) -> Kind {
        if body.hasPrefix("This element is not expected.") {
            return .notExpected(expectedNames(in: body))
        }
        if body.hasPrefix("Missing child element(s).") {
            return .missingChild(expectedNames(in: body))
        }
        if body.hasPrefix("Character content other than whitespace is not allowed") {
            return .textNotAllowed
        }
        if body.hasPrefix("Element content is not allowed") {
            return .elementsNotAllowed
        }
        if body.hasPrefix("The attribute '"), let name = quoted(body.dropFirst("The attribute ".count)) {
            if body.hasSuffix("is not allowed.") { return .attributeNotAllowed(name) }
            if body.hasSuffix("is required but missing.") { return .attributeMissing(name) }
        }
        if body.hasPrefix("[facet '") {
            return facet(body)
        }
        // `'v' is not a valid value of the atomic type 'xs:decimal'.`
        if body.hasPrefix("'"), let marker = body.range(of: "' is not a valid value of the ", options: .backwards) {
            let value = String(body[body.index(after: body.startIndex)..<marker.lowerBound])
            let tail = body[marker.upperBound...]
            var type: String?
            if let open = tail.firstIndex(of: "'") {
                type = quoted(tail[open...])
            }
            return .invalidValue(value, type: type)
        }
        return .other
    }

    private static func facet(_ body: Substring) -> Kind {
        guard let facetName = quoted(body.dropFirst("[facet ".count)),
              let valueStart = body.range(of: "The value '") else { return .other }
        let afterValue = body[valueStart.upperBound...]
        switch facetName {
        case "enumeration":
            guard let end = afterValue.range(of: "' is not an element of the set {") else { return .other }
            let value = String(afterValue[..<end.lowerBound])
            let set = afterValue[end.upperBound...].prefix { $0 != "}" }
            let allowed = set.split(separator: ",").map { $0.trimmingCharacters(in: Self.spaceAndQuote) }
            return .notInSet(value, allowed: allowed)
        case "maxLength", "minLength", "length":
            guard let end = afterValue.range(of: "' has a length of '") else { return .other }
            let value = String(afterValue[..<end.lowerBound])
            let limitText = afterValue.split(separator: "'").dropLast().last ?? ""
            let bound: LengthBound = facetName == "maxLength" ? .maximum : facetName == "minLength" ? .minimum : .exact
            return .length(value, limit: Int(limitText) ?? 0, bound)
        case "pattern":
            guard let end = afterValue.range(of: "' is not accepted by the pattern '") else { return .other }
            let value = String(afterValue[..<end.lowerBound])
            let pattern = afterValue[end.upperBound...]
            return .pattern(value, pattern: String(pattern.hasSuffix("'.") ? pattern.dropLast(2) : pattern))
        default:
            return .other
        }
    }

    /// The names listed after "Expected is" (`( {ns}A, {ns}B )`).
    private static func expectedNames(in body: Substring) -> [XMLIssue.Name] {
        guard let open = body.range(of: "Expected is"), let start = body[open.upperBound...].firstIndex(of: "("),
              let end = body.lastIndex(of: ")"), start < end else { return [] }
        return body[body.index(after: start)..<end].split(separator: ",").compactMap { item in
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            // libxml2 also lists wildcards (`##other{…}*`): they name no element.
            guard !trimmed.isEmpty, !trimmed.hasPrefix("##") else { return nil }
            return name(Substring(trimmed))
        }
    }

    /// `{ns}local` or `local`.
    static func name(_ text: Substring) -> XMLIssue.Name {
        if text.hasPrefix("{"), let close = text.firstIndex(of: "}") {
            return XMLIssue.Name(namespace: String(text[text.index(after: text.startIndex)..<close]),
                                 local: String(text[text.index(after: close)...]))
        }
        return XMLIssue.Name(namespace: nil, local: String(text))
    }

    private static let spaceAndQuote = CharacterSet(charactersIn: " '")

    /// The text between the first pair of single quotes.
    private static func quoted(_ text: Substring) -> String? {
        guard let open = text.firstIndex(of: "'") else { return nil }
        let after = text[text.index(after: open)...]
        guard let close = after.firstIndex(of: "'") else { return nil }
        return String(after[..<close])
    }
}
