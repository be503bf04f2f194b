import Foundation
import LiasseInvoice
import LiasseXML

/// The arithmetic of the official schematron, reproduced exactly.
///
/// The CEN rules are XPath 2.0 run by Saxon, and their results depend on details that plain
/// decimal arithmetic would miss:
/// - `round()` rounds half towards positive infinity (`round(-2.5)` is `-2`), unlike the
///   usual half-away-from-zero;
/// - an untyped node in arithmetic (`ram:BasisAmount - 1`, `sum(ram:LineTotalAmount)`) is
///   cast to `xs:double`, so the test runs in binary floating point;
/// - `xs:decimal()` of a double is its exact binary value (`xs:decimal(1.005e0)` is
///   `1.00499999999999989…`), not its shortest text.
enum XPathMath {
    /// `round()` on an `xs:decimal`: the nearest integer, halves towards positive infinity.
    static func round(_ value: Decimal) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, 0, .plain)
        // .plain rounds halves away from zero: a negative half must go up instead.
        if value < 0, output - value == Decimal(sign: .minus, exponent: -1, significand: 5) {
            output += 1
        }
        return output
    }

    /// `round(x * 10 * 10) div 100` on decimals: two decimals, halves towards positive infinity.
    static func round2(_ value: Decimal) -> Decimal {
        round(value * 100) * hundredth
    }

    static let hundredth = Decimal(sign: .plus, exponent: -2, significand: 1)

    /// `round()` on an `xs:double`, halves towards positive infinity.
    static func round(_ value: Double) -> Double {
        guard value.isFinite else { return value }
        let nearest = value.rounded(.toNearestOrAwayFromZero)
        if value < 0, nearest - value == -0.5 { return nearest + 1 }
        return nearest
    }

    /// The cast of an untyped value to `xs:double` (whitespace trimmed), nil when not a number.
    static func double(_ text: String) -> Double? {
        let trimmed = text.utf8.contains(where: isXMLSpace) ? text.normalizedSpace : text
        switch trimmed {
        case "INF", "+INF": return .infinity
        case "-INF": return -.infinity
        case "NaN": return .nan
        default: break
        }
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ byte in
            (byte >= 48 && byte <= 57) || byte == 46 || byte == 43 || byte == 45 || byte == 101 || byte == 69
        }) else { return nil }
        return Double(trimmed)
    }

    /// The double nearest to a decimal (Saxon converts `xs:decimal` to `xs:double` this way).
    static func double(_ value: Decimal) -> Double {
        Double(value.plainString) ?? .nan
    }

    /// The sign of `exact(value) - decimal`, where `exact(value)` is the double's exact binary
    /// value: -1, 0 or 1.
    static func compareExact(_ value: Double, _ decimal: Decimal) -> Int {
        let nearest = double(decimal)
        if value < nearest { return -1 }
        if value > nearest { return 1 }
        // The decimal rounds to this very double: only the exact expansion can tell.
        return DecimalText(exactExpansionOf: value).compare(DecimalText(decimal.plainString))
    }

    /// `round(xs:decimal(value) * 100) div 100` where `value` is a double: rounds the double's
    /// exact binary value to two decimals, halves towards positive infinity.
    static func round2Exact(_ value: Double) -> Decimal? {
        guard value.isFinite else { return nil }
        let shortest = Decimal(string: "\(value)") ?? Decimal(value)
        let scaled = shortest * 100
        let fraction = scaled - floorDecimal(scaled)
        if fraction != Decimal(sign: .plus, exponent: -1, significand: 5) {
            // Away from a half, the few ulps between the double and its shortest text cannot
            // change the rounding.
            return round2(shortest)
        }
        // On a half: the exact binary value decides which way it goes.
        let side = DecimalText(exactExpansionOf: value).compare(DecimalText(shortest.plainString))
        let down = floorDecimal(scaled)
        let chosen = side < 0 ? down : (side > 0 ? down + 1 : round(scaled))
        return chosen * hundredth
    }

    private static func floorDecimal(_ value: Decimal) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, 0, .down)
        return output
    }

    /// `string-length(substring-after(text, '.'))`: the characters after the first point, as
    /// written (trailing spaces count).
    static func fractionLength(_ text: String) -> Int {
        guard let point = text.unicodeScalars.firstIndex(of: ".") else { return 0 }
        return text.unicodeScalars[text.unicodeScalars.index(after: point)...].count
    }

    /// Whether an amount is written with more than two fraction digits (BR-DEC-*).
    static func hasMoreThanTwoDecimals(_ amount: Amount?) -> Bool {
        guard let amount else { return false }
        return fractionLength(amount.text.raw) > 2
    }

    /// XPath `substring(text, 1, 2)`: the first two characters.
    static func firstTwo(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(2)))
    }

    /// XPath `string-length(text)` (code points).
    static func length(_ text: String) -> Int {
        text.unicodeScalars.count
    }
}

/// A decimal number as digits, to compare values of any length exactly.
struct DecimalText {
    var negative: Bool
    /// Integer digits without leading zeros.
    var integer: [UInt8]
    /// Fraction digits without trailing zeros.
    var fraction: [UInt8]

    init(_ text: String) {
        var bytes = Array(text.utf8)
        negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes.removeFirst() }
        let point = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
        integer = Array(bytes[..<point].drop { $0 == UInt8(ascii: "0") })
        fraction = point < bytes.count ? Array(bytes[(point + 1)...]) : []
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        if integer.isEmpty && fraction.isEmpty { negative = false }
    }

    /// The exact decimal expansion of a finite double (every binary fraction is a finite
    /// decimal one).
    init(exactExpansionOf value: Double) {
        self.init(String(format: "%.1100f", value))
    }

    /// -1, 0 or 1 as `self` is below, equal to or above `other`.
    func compare(_ other: DecimalText) -> Int {
        if negative != other.negative { return negative ? -1 : 1 }
        let magnitude = DecimalText.compareMagnitude(self, other)
        return negative ? -magnitude : magnitude
    }

    private static func compareMagnitude(_ a: DecimalText, _ b: DecimalText) -> Int {
        if a.integer.count != b.integer.count { return a.integer.count < b.integer.count ? -1 : 1 }
        for (x, y) in zip(a.integer, b.integer) where x != y { return x < y ? -1 : 1 }
        for (x, y) in zip(a.fraction, b.fraction) where x != y { return x < y ? -1 : 1 }
        if a.fraction.count != b.fraction.count { return a.fraction.count < b.fraction.count ? -1 : 1 }
        return 0
    }
}
