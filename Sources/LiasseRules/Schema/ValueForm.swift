import Foundation
import LiasseInvoice

/// The form a value must take, by its XSD type (or, for libxml2's "local atomic type" of
/// UBL's amounts, by the element's name), with an example and, where the intent is clear, the
/// value as it should have been written.
struct ValueForm {
    enum Kind {
        case amount, decimal, ublDate, dateTime, boolean, integer, binary, uri, other(String?)
    }

    let kind: Kind
    let syntax: InvoiceSyntax

    /// What the value is not (`un montant valide`), and the rule with an example.
    struct Words {
        var article: String
        var rule: String
    }

    init(type: String?, element: String, attribute: String?, syntax: InvoiceSyntax) {
        self.syntax = syntax
        let bare = type.map { $0.hasPrefix("xs:") ? String($0.dropFirst(3)) : $0 }
        switch bare {
        case "decimal"?:
            kind = element.hasSuffix("Amount") && attribute == nil ? .amount : .decimal
        case "date"?: kind = .ublDate
        case "dateTime"?: kind = .dateTime
        case "boolean"?: kind = .boolean
        case "integer"?, "nonNegativeInteger"?, "positiveInteger"?, "int"?, "long"?: kind = .integer
        case "base64Binary"?: kind = .binary
        case "anyURI"?: kind = .uri
        case nil:
            // UBL's amounts and quantities are local restrictions of xs:decimal.
            if attribute != nil { kind = .other(nil) }
            else if element.hasSuffix("Amount") { kind = .amount }
            else if ["Quantity", "Measure", "Numeric", "Percent", "Rate"].contains(where: element.hasSuffix) { kind = .decimal }
            else if element.hasSuffix("Date") { kind = .ublDate }
            else if element.hasSuffix("Indicator") { kind = .boolean }
            else { kind = .other(nil) }
        default:
            kind = .other(type)
        }
    }

    /// The words of the form, in French and in English.
    var words: (french: Words, english: Words) {
        switch kind {
        case .amount:
            return (Words(article: "un montant valide",
                          rule: "Écrivez le montant avec un point décimal, sans espace, sans séparateur de milliers ni symbole de devise, par exemple 1234.50."),
                    Words(article: "a valid amount",
                          rule: "Write the amount with a decimal point, no spaces, thousands separators or currency sign, e.g. 1234.50."))
        case .decimal:
            return (Words(article: "un nombre décimal valide",
                          rule: "Écrivez le nombre avec un point décimal, sans espace ni séparateur de milliers, par exemple 12.5."),
                    Words(article: "a valid decimal number", rule: "Write the number with a decimal point, no spaces or thousands separators, e.g. 12.5."))
        case .ublDate:
            return (Words(article: "une date valide", rule: "Écrivez la date sous la forme AAAA-MM-JJ, par exemple 2026-11-05."),
                    Words(article: "a valid date", rule: "Write the date as YYYY-MM-DD, e.g. 2026-11-05."))
        case .dateTime where syntax == .cii:
            return (Words(article: "une date et heure valide",
                          rule: "Dans une facture CII, écrivez plutôt la date dans udt:DateTimeString avec format=\"102\", par exemple <udt:DateTimeString format=\"102\">20261105</udt:DateTimeString>."),
                    Words(article: "a valid date and time",
                          rule: "In a CII invoice, write the date in udt:DateTimeString with format=\"102\" instead, e.g. <udt:DateTimeString format=\"102\">20261105</udt:DateTimeString>."))
        case .dateTime:
            return (Words(article: "une date et heure valide", rule: "Écrivez-la sous la forme AAAA-MM-JJThh:mm:ss, par exemple 2026-11-05T14:30:00."),
                    Words(article: "a valid date and time", rule: "Write it as YYYY-MM-DDThh:mm:ss, e.g. 2026-11-05T14:30:00."))
        case .boolean:
            return (Words(article: "un indicateur valide", rule: "Écrivez true ou false (en minuscules)."),
                    Words(article: "a valid indicator", rule: "Write true or false (in lower case)."))
        case .integer:
            return (Words(article: "un nombre entier valide", rule: "Écrivez un nombre entier, sans espace ni décimale, par exemple 3."),
                    Words(article: "a valid whole number", rule: "Write a whole number, without spaces or decimals, e.g. 3."))
        case .binary:
            return (Words(article: "un contenu base64 valide", rule: "Encodez le fichier joint en base64, sans autre caractère."),
                    Words(article: "valid base64 content", rule: "Encode the attached file in base64, with no other character."))
        case .uri:
            return (Words(article: "une adresse (URI) valide", rule: "Écrivez une adresse complète, par exemple https://exemple.fr/document.pdf."),
                    Words(article: "a valid address (URI)", rule: "Write a complete address, e.g. https://example.com/document.pdf."))
        case .other(let type):
            return (Words(article: "une valeur admise\(type.map { " (type \($0))" } ?? "")", rule: "Corrigez la valeur."),
                    Words(article: "an allowed value\(type.map { " (type \($0))" } ?? "")", rule: "Correct the value."))
        }
    }

    /// The value as it should have been written, when the intent is clear: `1 234,50` →
    /// `1234.50`, `05/11/2026` → `2026-11-05`, `TRUE` → `true`.
    func suggestion(for value: String) -> String? {
        switch kind {
        case .amount, .decimal: return Self.decimal(value)
        case .ublDate: return Self.date(value)
        case .boolean:
            switch value.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes", "oui", "vrai": return "true"
            case "false", "0", "no", "non", "faux": return "false"
            default: return nil
            }
        default: return nil
        }
    }

    static func decimal(_ value: String) -> String? {
        let currencyMarks: Set<Character> = ["€", "$", "£"]
        var text = String(value.filter {
            !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "\u{202F}" && $0 != "'" && !currencyMarks.contains($0)
        })
        for code in ["EUR", "eur", "USD", "GBP", "CHF"] { text = text.replacingOccurrences(of: code, with: "") }
        let commas = text.filter { $0 == "," }.count
        let points = text.filter { $0 == "." }.count
        if commas > 0 && points > 0 {
            // The separator written last is the decimal one; the other separates thousands.
            if let comma = text.lastIndex(of: ","), let point = text.lastIndex(of: "."), comma > point {
                text = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            } else {
                text = text.replacingOccurrences(of: ",", with: "")
            }
        } else if commas == 1 {
            text = text.replacingOccurrences(of: ",", with: ".")
        } else if commas > 1 || points > 1 {
            return nil
        }
        guard !text.isEmpty, text != value, isDecimal(text) else { return nil }
        return text
    }

    static func isDecimal(_ text: String) -> Bool {
        var bytes = Substring(text)
        if bytes.first == "-" || bytes.first == "+" { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty || parts.count == 2 else { return false }
        return parts.allSatisfy { part in part.allSatisfy { $0.isASCII && $0.isNumber } } && parts.contains { !$0.isEmpty }
    }

    /// `05/11/2026` and `05.11.2026` (day first, as written in France), `20261105` and
    /// `2026-11-5` become `2026-11-05`, when that is a real date.
    static func date(_ value: String) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces)
        var year = 0, month = 0, day = 0
        let digits = text.filter(\.isNumber)
        if text.count == 8, digits.count == 8, let number = Int(text) {
            (year, month, day) = (number / 10000, number / 100 % 100, number % 100)
        } else {
            let parts = text.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map { Int($0) }
            guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else { return nil }
            if a > 31 { (year, month, day) = (a, b, c) } else if c > 31 { (year, month, day) = (c, b, a) } else { return nil }
        }
        guard (1000...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        let result = String(format: "%04d-%02d-%02d", year, month, day)
        return result == text ? nil : result
    }
}
