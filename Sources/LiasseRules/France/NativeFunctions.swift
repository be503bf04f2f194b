/// Native implementations of the France RFE stylesheets' format functions
/// (`custom:is-valid-decimal-19-2`, `custom:is-valid-date-format`…), which BR-FR calls on every
/// amount, quantity, rate and date of an invoice: interpreted, they cost most of BR-FR's time.
///
/// Each implementation is bound to the exact body the generator wrote for it (its FNV-1a
/// digest): a new release whose function differs by one character is interpreted, not run
/// natively, until someone checks the implementation against it. A test runs every native
/// function and its interpreted body on the same inputs (FranceRuleTablesTests).
///
/// The parameters are `xs:string?`: an empty sequence reads as the empty string, which every
/// one of these functions refuses either way.
enum NativeFunctions {
    typealias Implementation = @Sendable ([String]) -> Bool

    /// The native implementation of function `name` whose generated body is `body`, if any.
    static func implementation(name: String, body: String) -> Implementation? {
        known.first { $0.name == name && $0.digest == digest(body) }?.run
    }

    static let known: [(name: String, digest: UInt64, run: Implementation)] = [
        ("custom:is-valid-decimal-19-2", 0x55793e801a51c5f9, { decimal($0[0], negative: true, digits: 19, fraction: 2) }),
        ("custom:is-valid-decimal-19-4", 0x8319e1a8f28e3d2d, { decimal($0[0], negative: true, digits: 19, fraction: 4) }),
        ("custom:is-valid-decimal-19-6", 0x5bcd3c5a33ddf105, { decimal($0[0], negative: true, digits: 19, fraction: 6) }),
        ("custom:is-valid-decimal-19-6-positive", 0xf9220fbd7adf149d, { decimal($0[0], negative: false, digits: 19, fraction: 6) }),
        ("custom:is-valid-percent-4-2-positive", 0xda07993cc649a7ff, { decimal($0[0], negative: false, digits: 4, fraction: 2) }),
        ("custom:is-valid-date-format", 0xcccc6dc8836c4c0a, { date($0[0], dashes: false) }),
        ("custom:is-valid-date-format", 0x9fa775dffd3cdb1a, { date($0[0], dashes: true) }),
        ("custom:is-valid-schemeid-format", 0x9536a44ce8970066, { word($0[0], extra: "+-_.") }),
        ("custom:is-valid-id-format", 0x605d5ad741c23155, { arguments in
            // matches(normalize-space($id), '^[A-Za-z0-9+\-_/]+$') and no space in $id
            !arguments[0].unicodeScalars.contains(" ") && word(XPathText.normalizeSpace(arguments[0]), extra: "+-_/")
        }),
        ("custom:check-siret-siren-coherence", 0xd013807ca99b10ad, { arguments in
            let siret = Array(arguments[0].unicodeScalars)
            guard siret.count == 14, siret.allSatisfy(NativeRegex.isDigit) else { return false }
            return String(String.UnicodeScalarView(siret[0..<9])) == arguments[1]
        }),
    ]

    /// `matches(s, '^[-]?\d{1,D}(\.\d{1,F})?$') and string-length(replace(s, '\.', '')) le D`
    /// (without `[-]?` when not `negative`): digits are any Unicode decimal digits, as `\d` is.
    static func decimal(_ s: String, negative: Bool, digits: Int, fraction: Int) -> Bool {
        var scalars = Substring(s).unicodeScalars[...]
        if negative, scalars.first == "-" { scalars = scalars.dropFirst() }
        var integer = 0
        while let c = scalars.first, NativeRegex.isDigit(c) { integer += 1; scalars = scalars.dropFirst() }
        guard (1...digits).contains(integer) else { return false }
        var decimals = 0
        if scalars.first == "." {
            scalars = scalars.dropFirst()
            while let c = scalars.first, NativeRegex.isDigit(c) { decimals += 1; scalars = scalars.dropFirst() }
            guard (1...fraction).contains(decimals) else { return false }
        }
        guard scalars.isEmpty else { return false }
        // string-length without the '.': the sign counts.
        let length = s.unicodeScalars.count - (decimals > 0 ? 1 : 0)
        return length <= digits
    }

    /// `^[A-Za-z0-9` + extra + `]+$`.
    static func word(_ s: String, extra: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { c in
            ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || extra.unicodeScalars.contains(c)
        }
    }

    /// The CII form (the first 8 characters `20YYMMDD`) or the UBL one (`20YY-MM-DD`), a real
    /// day of the Gregorian calendar. `number()` reads ASCII digits only: a date in other
    /// digits matches the pattern but fails the day check, as in the stylesheet.
    static func date(_ s: String, dashes: Bool) -> Bool {
        let scalars = Array(s.unicodeScalars)
        var text: [Unicode.Scalar]
        if dashes {
            // matches($date, '^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$')
            guard scalars.count == 10, scalars[4] == "-", scalars[7] == "-" else { return false }
            text = Array(scalars[0..<4]) + Array(scalars[5..<7]) + Array(scalars[8..<10])
        } else {
            // matches(substring($date, 1, 8), '^20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$')
            guard scalars.count >= 8 else { return false }
            text = Array(scalars[0..<8])
        }
        func ascii(_ i: Int) -> Int? { ("0"..."9").contains(text[i]) ? Int(text[i].value - 48) : nil }
        guard text[0] == "2", text[1] == "0", NativeRegex.isDigit(text[2]), NativeRegex.isDigit(text[3]) else { return false }
        guard let m1 = ascii(4), let m2 = ascii(5), (m1 == 0 && m2 >= 1) || (m1 == 1 && m2 <= 2) else { return false }
        guard let d1 = ascii(6), d1 <= 3, NativeRegex.isDigit(text[7]) else { return false }
        // The day's second digit may be any \d for the pattern; number() reads ASCII only (NaN
        // is never <= the month's days).
        guard let d2 = ascii(7), (d1 == 0 && d2 >= 1) || d1 == 1 || d1 == 2 || (d1 == 3 && d2 <= 1) else { return false }
        let month = m1 * 10 + m2
        let day = d1 * 10 + d2
        // The year read by number(): NaN when a digit is not ASCII, and then not a leap year.
        var leap = false
        if let y3 = ascii(2), let y4 = ascii(3) {
            let year = 2000 + y3 * 10 + y4
            leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        }
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// FNV-1a, 64 bits, of the UTF-8 bytes.
    static func digest(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return hash
    }
}
