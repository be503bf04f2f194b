extension String {
    /// The string as it may be shown to people, in a log line or a text report: control
    /// characters (C0, DEL, C1), line and paragraph separators and the bidirectional
    /// overrides and isolates written `\u{…}`, so that a name like `lot\nFAUX: lot déposé OK`
    /// or one that reverses its extension cannot forge a line or disguise itself. Everything
    /// else is kept, accents included. Machine outputs (JSON) keep the name as it is.
    public var escapedForDisplay: String {
        guard unicodeScalars.contains(where: Self.mustEscape) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            if Self.mustEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func mustEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
