import Foundation

/// An XPath 2.0 regular expression (`matches`, `replace`, `tokenize`; no flags), run by ICU
/// (NSRegularExpression) after translating the places where the two dialects differ:
///
/// * `\s` is `[ \t\n\r]` in XPath, any Unicode space in ICU; `\S` its complement;
/// * `\w` is `[^\p{P}\p{Z}\p{C}]` in XPath; `\W` its complement;
/// * `.` matches anything but `\n` and `\r` in XPath (ICU also stops at U+0085, U+2028…);
/// * `$` matches at the very end only in XPath (ICU also before a final line break).
///
/// What XPath has and ICU reads otherwise (`\i`, `\c`, class subtraction `[a-z-[aeiou]]`,
/// `\s`/`\w` inside a class) is refused at compile time: the table fails loudly rather than
/// judging with a pattern that means something else.
final class SchRegex: @unchecked Sendable {
    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    let pattern: String
    /// Immutable after init; NSRegularExpression matching is thread-safe.
    private let regex: NSRegularExpression
    /// The pattern as Liasse matches it itself, when it is in the subset ``NativeRegex`` reads
    /// (all the patterns of the France tables): ICU through NSString costs several
    /// microseconds a call, most of the BR-FR decimal and date checks' time.
    private let native: NativeRegex?
    /// The pattern's text when it is a plain literal (`\.`, `#PMT#`): `replace` and `tokenize`
    /// are then string operations.
    private let literal: String?

    init(xpath pattern: String) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: try Self.translate(pattern))
        native = NativeRegex(pattern)
        literal = native?.literal
    }

    static func translate(_ pattern: String) throws -> String {
        var out = ""
        var inClass = false
        var chars = Array(pattern)
        var i = 0
        chars.append("\u{0}")
        while i < chars.count - 1 {
            let c = chars[i]
            if c == "\\" {
                let next = chars[i + 1]
                switch next {
                case "s": out += inClass ? #" \t\n\r"# : #"[ \t\n\r]"#
                case "S":
                    guard !inClass else { throw Unsupported(description: #"\S inside a character class"#) }
                    out += #"[^ \t\n\r]"#
                case "w":
                    guard !inClass else { throw Unsupported(description: #"\w inside a character class"#) }
                    out += #"[^\p{P}\p{Z}\p{C}]"#
                case "W":
                    guard !inClass else { throw Unsupported(description: #"\W inside a character class"#) }
                    out += #"[\p{P}\p{Z}\p{C}]"#
                case "i", "I", "c", "C":
                    throw Unsupported(description: "\\\(next) (XML name characters)")
                default:
                    out.append(c)
                    out.append(next)
                }
                i += 2
                continue
            }
            if inClass {
                if c == "-" && chars[i + 1] == "[" { throw Unsupported(description: "character class subtraction") }
                if c == "[" { out += "\\[" } else { out.append(c) }
                if c == "]" { inClass = false }
                i += 1
                continue
            }
            switch c {
            case "[":
                inClass = true
                out.append(c)
                // A leading ^ and a leading ] belong to the class.
                if chars[i + 1] == "^" { out.append("^"); i += 1 }
                if chars[i + 1] == "]" { out += "\\]"; i += 1 }
            case ".": out += #"[^\n\r]"#
            case "$": out += #"\z"#
            default: out.append(c)
            }
            i += 1
        }
        return out
    }

    /// Whether `text` contains a match (XPath `matches`: not anchored unless the pattern is).
    func matches(_ text: String) -> Bool {
        if let native { return native.matches(text) }
        let ns = text as NSString
        return regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) != nil
    }

    /// XPath `replace`: every non-overlapping match replaced; `$N` names a group.
    func replace(_ text: String, with replacement: String) -> String {
        if let literal, !literal.isEmpty, !replacement.contains("$"), !replacement.contains("\\") {
            return Self.split(text, on: literal).joined(separator: replacement)
        }
        let ns = text as NSString
        return regex.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: replacement)
    }

    /// `text` cut at each occurrence of `separator` (code point by code point, left to right,
    /// not overlapping), empty parts kept.
    static func split(_ text: String, on separator: String) -> [String] {
        // On the UTF-8 bytes: a code point sequence occurs exactly where its bytes do.
        var text = text
        var separator = separator
        return text.withUTF8 { bytes in
            separator.withUTF8 { pattern in
                var parts: [String] = []
                var start = 0
                var i = 0
                let n = pattern.count
                while i + n <= bytes.count {
                    if bytes[i] == pattern[0], memcmp(bytes.baseAddress! + i, pattern.baseAddress!, n) == 0 {
                        parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                        i += n
                        start = i
                    } else {
                        i += 1
                    }
                }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
                return parts
            }
        }
    }

    /// XPath `tokenize`: the parts between matches (an empty input gives no token).
    func tokenize(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        if let literal, !literal.isEmpty {
            return Self.split(text, on: literal)
        }
        let ns = text as NSString
        var parts: [String] = []
        var start = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            parts.append(ns.substring(with: NSRange(location: start, length: match.range.location - start)))
            start = match.range.location + match.range.length
        }
        parts.append(ns.substring(from: start))
        return parts
    }
}

/// A backtracking matcher for the subset of XPath regular expressions the official tables use:
/// literals and escapes, `.`, `\d` (any Unicode decimal digit), `\s` (`[ \t\n\r]`), `\S`,
/// `\w`, classes with ranges and negation, groups with alternatives, `? * + {n} {n,} {n,m}`,
/// and `^`/`$` as anchors. Anything else (back-references, `\p{…}`, class subtraction) makes
/// the initialiser fail, and ICU runs the pattern.
struct NativeRegex: Sendable {
    indirect enum Node: Sendable {
        case scalar(Unicode.Scalar)
        case any
        case set(CharacterSet, negated: Bool)
        case group([[Node]])
        case repeated(Node, min: Int, max: Int)
        case start
        case end
    }

    /// A class: single scalars, ranges and the `\d \s \w` kinds.
    struct CharacterSet: Sendable {
        var scalars: [Unicode.Scalar] = []
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var digit = false
        var space = false
        var word = false

        func contains(_ c: Unicode.Scalar) -> Bool {
            if scalars.contains(c) { return true }
            if ranges.contains(where: { $0.contains(c) }) { return true }
            if digit && NativeRegex.isDigit(c) { return true }
            if space && NativeRegex.isSpace(c) { return true }
            if word && NativeRegex.isWord(c) { return true }
            return false
        }
    }

    let nodes: [Node]

    /// The pattern's text when it is a plain literal.
    var literal: String? {
        var text = String.UnicodeScalarView()
        for node in nodes {
            guard case .scalar(let c) = node else { return nil }
            text.append(c)
        }
        return String(text)
    }

    init?(_ pattern: String) {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard let alternatives = parser.alternatives(), parser.position == parser.scalars.count else { return nil }
        nodes = alternatives.count == 1 ? alternatives[0] : [.group(alternatives)]
    }

    func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        if case .start? = nodes.first {
            return match(nodes, 0, scalars, 0) { _ in true }
        }
        for start in 0...scalars.count where match(nodes, 0, scalars, start, { _ in true }) {
            return true
        }
        return false
    }

    private func match(_ nodes: [Node], _ index: Int, _ text: [Unicode.Scalar], _ position: Int,
                       _ rest: (Int) -> Bool) -> Bool {
        guard index < nodes.count else { return rest(position) }
        switch nodes[index] {
        case .start:
            return position == 0 && match(nodes, index + 1, text, position, rest)
        case .end:
            return position == text.count && match(nodes, index + 1, text, position, rest)
        case .group(let alternatives):
            for alternative in alternatives where match(alternative, 0, text, position, { match(nodes, index + 1, text, $0, rest) }) {
                return true
            }
            return false
        case .repeated(let node, let min, let max):
            if case .group = node {
                func attempt(_ count: Int, _ at: Int) -> Bool {
                    // Greedy: one more first, then stop when the minimum is reached.
                    if count < max, match(nodes, index, node, text, at, { next in next != at && attempt(count + 1, next) }) {
                        return true
                    }
                    return count >= min && match(nodes, index + 1, text, at, rest)
                }
                return attempt(0, position)
            }
            // One character a time: take the longest run, then give back one by one.
            var run = 0
            while run < max, position + run < text.count, Self.single(node, text[position + run]) { run += 1 }
            while run >= min {
                if match(nodes, index + 1, text, position + run, rest) { return true }
                run -= 1
            }
            return false
        default:
            guard position < text.count, Self.single(nodes[index], text[position]) else { return false }
            return match(nodes, index + 1, text, position + 1, rest)
        }
    }

    /// `node` (a group) once at `position`, then `rest`.
    private func match(_ nodes: [Node], _ index: Int, _ node: Node, _ text: [Unicode.Scalar], _ position: Int,
                       _ rest: (Int) -> Bool) -> Bool {
        guard case .group(let alternatives) = node else { return false }
        for alternative in alternatives where match(alternative, 0, text, position, rest) {
            return true
        }
        return false
    }

    private static func single(_ node: Node, _ c: Unicode.Scalar) -> Bool {
        switch node {
        case .scalar(let expected): return c == expected
        case .any: return c != "\n" && c != "\r"
        case .set(let set, let negated): return set.contains(c) != negated
        default: return false
        }
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(c) || (c.value >= 0x80 && c.properties.generalCategory == .decimalNumber)
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

    /// XPath `\w`: anything but punctuation, separators and other (P, Z, C).
    static func isWord(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .spaceSeparator, .lineSeparator, .paragraphSeparator,
             .control, .format, .surrogate, .privateUse, .unassigned:
            return false
        default:
            return true
        }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        mutating func alternatives() -> [[Node]]? {
            var result: [[Node]] = []
            while true {
                guard let sequence = sequence() else { return nil }
                result.append(sequence)
                guard peek == "|" else { return result }
                position += 1
            }
        }

        mutating func sequence() -> [Node]? {
            var nodes: [Node] = []
            while let c = peek, c != "|", c != ")" {
                guard var node = atom() else { return nil }
                if case .start = node {} else if case .end = node {} else {
                    guard let quantified = quantifier(node) else { return nil }
                    node = quantified
                }
                nodes.append(node)
            }
            return nodes
        }

        mutating func quantifier(_ node: Node) -> Node? {
            switch peek {
            case "?": position += 1; return .repeated(node, min: 0, max: 1)
            case "*": position += 1; return .repeated(node, min: 0, max: Int.max)
            case "+": position += 1; return .repeated(node, min: 1, max: Int.max)
            case "{":
                position += 1
                guard let min = number() else { return nil }
                var max = min
                if peek == "," {
                    position += 1
                    max = peek == "}" ? Int.max : (number() ?? -1)
                    guard max >= min else { return nil }
                }
                guard peek == "}" else { return nil }
                position += 1
                return .repeated(node, min: min, max: max)
            default:
                return node
            }
        }

        mutating func number() -> Int? {
            var value: Int?
            while let c = peek, ("0"..."9").contains(c) {
                value = (value ?? 0) * 10 + Int(c.value - 48)
                guard value! < 10_000 else { return nil }
                position += 1
            }
            return value
        }

        mutating func atom() -> Node? {
            guard let c = peek else { return nil }
            position += 1
            switch c {
            case "^": return position == 1 ? .start : nil
            case "$": return position == scalars.count ? .end : nil
            case ".": return .any
            case "(":
                if peek == "?" { return nil }
                guard let inner = alternatives(), peek == ")" else { return nil }
                position += 1
                return .group(inner)
            case "[": return characterClass()
            case "\\": return escape(inClass: false).map { $0.node }
            case "*", "+", "?", "{", "}", ")", "]": return nil
            default: return .scalar(c)
            }
        }

        /// An escape, as a node and (in a class) what it adds to the set.
        mutating func escape(inClass: Bool) -> (node: Node, set: CharacterSet)? {
            guard let c = peek else { return nil }
            position += 1
            var set = CharacterSet()
            switch c {
            case "d": set.digit = true; return (.set(set, negated: false), set)
            case "s": set.space = true; return (.set(set, negated: false), set)
            case "w": set.word = true; return (.set(set, negated: false), set)
            case "S", "D", "W":
                guard !inClass else { return nil }
                if c == "S" { set.space = true } else if c == "D" { set.digit = true } else { set.word = true }
                return (.set(set, negated: true), set)
            case "n": set.scalars = ["\n"]; return (.scalar("\n"), set)
            case "r": set.scalars = ["\r"]; return (.scalar("\r"), set)
            case "t": set.scalars = ["\t"]; return (.scalar("\t"), set)
            default:
                // Only escaped metacharacters are literals; `\p`, `\i`, back-references are not read here.
                guard "\\|.-^?*+{}()[]$#/_".unicodeScalars.contains(c) else { return nil }
                set.scalars = [c]
                return (.scalar(c), set)
            }
        }

        mutating func characterClass() -> Node? {
            var set = CharacterSet()
            var negated = false
            if peek == "^" { negated = true; position += 1 }
            var first = true
            while let c = peek, c != "]" || first {
                first = false
                position += 1
                var low: Unicode.Scalar
                if c == "\\" {
                    guard let escaped = escape(inClass: true) else { return nil }
                    guard case .scalar(let single) = escaped.node else {
                        set.digit = set.digit || escaped.set.digit
                        set.space = set.space || escaped.set.space
                        set.word = set.word || escaped.set.word
                        continue
                    }
                    low = single
                } else if c == "[" {
                    return nil
                } else {
                    low = c
                }
                if peek == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                    position += 1
                    guard var high = peek else { return nil }
                    position += 1
                    if high == "\\" {
                        guard let escaped = escape(inClass: true), case .scalar(let single) = escaped.node else { return nil }
                        high = single
                    } else if high == "[" {
                        return nil
                    }
                    guard low <= high else { return nil }
                    set.ranges.append(low...high)
                } else {
                    set.scalars.append(low)
                }
            }
            guard peek == "]" else { return nil }
            position += 1
            return .set(set, negated: negated)
        }
    }
}
