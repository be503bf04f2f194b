/// The French establishment identifier Chorus Pro identifies structures by: 14 digits, the
/// 9-digit SIREN of the company followed by a 5-digit establishment number (NIC).
public enum SIRET {
    /// Why a text is not a valid SIRET.
    public enum Problem: Sendable, Equatable {
        /// Not 14 characters that are all digits.
        case notFourteenDigits
        /// A 9-digit SIREN given where the SIRET of an establishment is required.
        case sirenOnly
        /// The Luhn sum of the SIREN (the first 9 digits) is not a multiple of 10.
        case sirenChecksum
        /// The Luhn sum of the 14 digits is not a multiple of 10.
        case siretChecksum
        /// A La Poste SIRET (starting 356000000) whose digit sum is not a multiple of 5.
        case laPosteChecksum
    }

    /// The SIREN of La Poste: its thousands of establishments outgrew the Luhn key, so INSEE
    /// checks their SIRET by the plain sum of the digits instead.
    public static let laPosteSIREN = "356000000"

    /// Checks `text` (exactly as given: no spaces) and says what is wrong, or nil when valid.
    public static func problem(_ text: String) -> Problem? {
        let digits = text.utf8.map { Int($0) - 48 }
        guard digits.allSatisfy({ (0...9).contains($0) }) else { return .notFourteenDigits }
        if digits.count == 9 { return .sirenOnly }
        guard digits.count == 14 else { return .notFourteenDigits }
        guard luhn(digits[0..<9]) else { return .sirenChecksum }
        if text.hasPrefix(laPosteSIREN) {
            // The head office (35600000000048) keeps a valid Luhn key; every other
            // establishment follows the sum-of-digits rule.
            return luhn(digits[...]) || digits.reduce(0, +) % 5 == 0 ? nil : .laPosteChecksum
        }
        return luhn(digits[...]) ? nil : .siretChecksum
    }

    /// Whether `text` is a valid SIRET.
    public static func isValid(_ text: String) -> Bool { problem(text) == nil }

    /// The Luhn check: from the right, every second digit doubled (minus 9 above 9), the
    /// sum a multiple of 10.
    static func luhn(_ digits: ArraySlice<Int>) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }
}

/// International bank account numbers (ISO 13616), checked by their MOD 97-10 key.
public enum IBAN {
    /// Whether `text` (spaces allowed) is an IBAN with a correct check key.
    public static func isValid(_ text: String) -> Bool {
        let compact = text.uppercased().filter { $0 != " " }
        let bytes = Array(compact.utf8)
        guard (15...34).contains(bytes.count),
              bytes[0...1].allSatisfy({ (65...90).contains($0) }),
              bytes[2...3].allSatisfy({ (48...57).contains($0) }),
              bytes.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) }) else { return false }
        var remainder = 0
        for byte in bytes[4...] + bytes[0..<4] {
            if byte <= 57 {
                remainder = (remainder * 10 + Int(byte - 48)) % 97
            } else {
                remainder = (remainder * 100 + Int(byte - 55)) % 97
            }
        }
        return remainder == 1
    }
}
