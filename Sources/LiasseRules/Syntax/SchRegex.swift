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

    init(xpath pattern: String) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: try Self.translate(pattern))
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
        let ns = text as NSString
        return regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) != nil
    }

    /// XPath `replace`: every non-overlapping match replaced; `$N` names a group.
    func replace(_ text: String, with replacement: String) -> String {
        let ns = text as NSString
        return regex.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: replacement)
    }

    /// XPath `tokenize`: the parts between matches (an empty input gives no token).
    func tokenize(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
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
