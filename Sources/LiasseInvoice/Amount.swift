import Foundation

/// An exact decimal number parsed from its text (never through `Double`), keeping what the
/// rules need to judge it: the number of fraction digits as written and the currency.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value.
    public var value: Decimal
    /// The number of digits after the decimal point, as written (`"10.50"` → 2).
    public var fractionDigits: Int

    public init(_ value: Decimal, fractionDigits: Int) {
        self.value = value
        self.fractionDigits = fractionDigits
    }

    /// Parses an `xs:decimal` lexical form: optional sign, digits, optional point and digits.
    /// Surrounding XML whitespace is allowed (the schema collapses it); anything else is nil.
    public init?(parsing text: String) {
        let trimmed = text.normalizedSpace
        var utf8 = Substring(trimmed).utf8[...]
        guard !utf8.isEmpty else { return nil }
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var digits: [UInt8] = []
        var fraction = 0
        var seenPoint = false
        var sawDigit = false
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                if digits.isEmpty && byte == UInt8(ascii: "0") && !seenPoint {
                    continue
                }
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fraction += 1 }
            case UInt8(ascii: "."):
                guard !seenPoint else { return nil }
                seenPoint = true
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        // Decimal keeps 38 significant digits: more than any invoice amount needs. Longer
        // inputs are refused rather than silently rounded.
        let significant = digits.drop { $0 == 0 }
        guard significant.count <= 38 else { return nil }
        var significand: Decimal
        if digits.count <= 18 {
            // Fits a UInt64: one conversion instead of a Decimal multiply per digit.
            var small: UInt64 = 0
            for digit in digits { small = small * 10 + UInt64(digit) }
            significand = Decimal(small)
        } else {
            significand = 0
            for digit in digits {
                significand = significand * 10 + Decimal(Int(digit))
            }
        }
        var result = Decimal(sign: .plus, exponent: -fraction, significand: significand)
        if negative && !result.isZero { result.negate() }
        self.value = result
        self.fractionDigits = fraction
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { lhs.value < rhs.value }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { lhs.value == rhs.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public var description: String { value.plainString }
}

extension Decimal {
    /// The value as plain decimal text (`"1234.50"` is written `"1234.5"`), locale-free.
    public var plainString: String {
        var copy = self
        return NSDecimalString(&copy, nil)
    }

    /// Rounds half away from zero to `scale` fraction digits, as the EN 16931 rules do.
    public func rounded(scale: Int) -> Decimal {
        var input = self
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return output
    }
}

/// A number read from the document: its text and location, and its exact value when the
/// text is a decimal (the rules, not the reader, judge a malformed one).
public struct Amount: Sendable, Hashable {
    /// The text as written.
    public var text: Text
    /// The exact value, or nil when the text is not a decimal number.
    public var decimal: ExactDecimal?
    /// The `currencyID` (amounts) or `unitCode` (quantities) attribute, when present.
    public var unit: String?

    public init(text: Text, unit: String? = nil) {
        self.text = text
        self.decimal = ExactDecimal(parsing: text.raw)
        self.unit = unit
    }

    /// The exact value, when the text is a decimal.
    public var value: Decimal? { decimal?.value }

    public var location: SourceLocation { text.location }
}
