import LiasseInvoice

/// XPath string functions with XPath's semantics: code-point comparison (never Swift's canonical
/// equivalence), XML whitespace only (space, tab, CR, LF), lengths in code points.
enum XPathText {
    static func normalizeSpace(_ s: String) -> String {
        s.normalizedSpace
    }

    /// The byte offset of `needle` in `haystack` (UTF-8: a byte match is a code-point match).
    static func find(_ needle: String, in haystack: String) -> Int? {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { h in needle.withUTF8 { n in find(n, in: h) } }
    }

    private static func find(_ n: UnsafeBufferPointer<UInt8>, in h: UnsafeBufferPointer<UInt8>) -> Int? {
        if n.isEmpty { return 0 }
        guard n.count <= h.count else { return nil }
        let first = n[0]
        var i = 0
        let last = h.count - n.count
        while i <= last {
            if h[i] == first {
                var j = 1
                while j < n.count && h[i + j] == n[j] { j += 1 }
                if j == n.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        find(needle, in: haystack) != nil
    }

    /// XPath `ends-with`: code point by code point, which for UTF-8 is byte by byte.
    static func endsWith(_ s: String, _ suffix: String) -> Bool {
        let whole = s.utf8, end = suffix.utf8
        guard whole.count >= end.count else { return false }
        return whole.suffix(end.count).elementsEqual(end)
    }

    static func substringBefore(_ s: String, _ needle: String) -> String {
        guard let offset = find(needle, in: s) else { return "" }
        return String(decoding: Array(s.utf8)[..<offset], as: UTF8.self)
    }

    static func substringAfter(_ s: String, _ needle: String) -> String {
        guard let offset = find(needle, in: s) else { return "" }
        return String(decoding: Array(s.utf8)[(offset + needle.utf8.count)...], as: UTF8.self)
    }

    /// XPath `substring($s, $start, $length)`: code points at positions p (1-based) with
    /// round(start) <= p < round(start) + round(length).
    static func substring(_ s: String, _ start: Double, _ length: Double) -> String {
        let from = roundHalfUp(start)
        let to = from + roundHalfUp(length)
        guard !from.isNaN, !to.isNaN else { return "" }
        var out = String.UnicodeScalarView()
        for (offset, scalar) in s.unicodeScalars.enumerated() {
            let p = Double(offset + 1)
            if p >= from && p < to { out.append(scalar) }
        }
        return String(out)
    }

    private static func roundHalfUp(_ x: Double) -> Double {
        x.isInfinite || x.isNaN ? x : (x + 0.5).rounded(.down)
    }

    static func translate(_ s: String, _ from: String, _ to: String) -> String {
        let source = Array(from.unicodeScalars)
        let target = Array(to.unicodeScalars)
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if let i = source.firstIndex(of: scalar) {
                if i < target.count { out.append(target[i]) }
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `xs:double` from its lexical form (whitespace collapsed), as a cast of an untyped value.
    static func parseDouble(_ s: String) -> Double? {
        let t = normalizeSpace(s)
        switch t {
        case "INF", "+INF": return .infinity
        case "-INF": return -.infinity
        case "NaN": return .nan
        default: break
        }
        var sawDigit = false
        let bytes = Array(t.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        while i < bytes.count, (48...57).contains(bytes[i]) { i += 1; sawDigit = true }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, (48...57).contains(bytes[i]) { i += 1; sawDigit = true }
        }
        guard sawDigit else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            var exponentDigit = false
            while i < bytes.count, (48...57).contains(bytes[i]) { i += 1; exponentDigit = true }
            guard exponentDigit else { return nil }
        }
        guard i == bytes.count else { return nil }
        return Double(t)
    }

    /// A number as XPath prints it: integers without a fractional part.
    static func format(_ n: Double) -> String {
        if n.isNaN { return "NaN" }
        if n.isInfinite { return n > 0 ? "INF" : "-INF" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }
}

/// Membership in the generated code lists, with the semantics of the schematron's
/// `contains(' C1 C2 … ', value)`.
enum CodeListLookup {
    /// Whether `value` occurs in the padded literal of `list` (" C1 C2 … Cn ").
    ///
    /// With the literal kept by the generator (`CodeLists.paddedLiterals`) this is the plain
    /// substring test. Otherwise the value is `' ' + code + ' '` in every test that reaches here
    /// (all of them first require the normalized value to hold no space): the code, non-empty,
    /// without spaces and ASCII (a Swift `Set` compares by canonical equivalence, XPath by code
    /// point), must be one of the list.
    /// Whether `value`, unchanged, is one of the codes of `list` (code-point equality).
    static func isCode(_ value: String, of list: String) -> Bool {
        guard let codes = CodeLists.byName[list], value.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        return codes.contains(value)
    }

    /// Whether `value`, once normalized (XPath `normalize-space`), is one of the codes of `list`:
    /// `not(contains(normalize-space(V), ' ')) and contains(' C1 … ', concat(' ', normalize-space(V), ' '))`.
    static func containsNormalized(_ value: String, list: String) -> Bool {
        let normalized = XPathText.normalizeSpace(value)
        guard !normalized.isEmpty, normalized.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x20 }),
              let codes = CodeLists.byName[list] else { return false }
        return codes.contains(normalized)
    }

    static func contains(list: String, padded value: String) -> Bool {
        if let literal = CodeLists.paddedLiterals[list] {
            return XPathText.contains(literal, value)
        }
        guard let codes = CodeLists.byName[list] else { return false }
        let bytes = Array(value.utf8)
        guard bytes.count >= 3, bytes.first == 0x20, bytes.last == 0x20 else { return false }
        let inner = bytes[1..<(bytes.count - 1)]
        guard inner.allSatisfy({ $0 < 0x80 && $0 != 0x20 }) else { return false }
        return codes.contains(String(decoding: inner, as: UTF8.self))
    }
}

extension XPathText {
    /// `value` cast to `xs:date` (whitespace trimmed, `YYYY-MM-DD`, a real calendar day),
    /// without its time zone; nil when it is not one.
    static func isoDate(_ value: String) -> String? {
        let text = normalizeSpace(value)
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                n = n * 10 + Int(bytes[i] - 48)
            }
            return n
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month) else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return nil }
        let zone = text.dropFirst(10)
        let zoneBytes = Array(zone.utf8)
        let isOffset = zoneBytes.count == 6 && (zoneBytes[0] == UInt8(ascii: "+") || zoneBytes[0] == UInt8(ascii: "-"))
            && zoneBytes[3] == UInt8(ascii: ":") && [1, 2, 4, 5].allSatisfy { (48...57).contains(zoneBytes[$0]) }
        guard zone.isEmpty || zone == "Z" || isOffset else { return nil }
        return String(text.prefix(10))
    }
}
