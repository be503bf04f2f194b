/// How serious a finding is, in the official vocabulary.
public enum Severity: String, Sendable, Codable, Comparable {
    case fatal
    case warning
    case information

    private var rank: Int {
        switch self {
        case .fatal: return 2
        case .warning: return 1
        case .information: return 0
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Reason codes of a refusal, in the vocabulary of Chorus Pro and the 2026 reform.
public enum ReasonCode: String, Sendable, Codable {
    /// Empty file.
    case emptyFile = "IRR_VIDE_F"
    /// Type or extension not accepted.
    case fileType = "IRR_TYPE_F"
    /// Not well-formed, or not valid against its schema.
    case syntax = "IRR_SYNTAX"
    /// File too large.
    case fileSize = "IRR_TAILLE_F"
    /// Attachment too large.
    case attachmentSize = "IRR_TAILLE_PJ"
    /// Attachment name not accepted.
    case attachmentName = "IRR_NOM_PJ"
    /// Attachment extension not accepted.
    case attachmentExtension = "IRR_EXT_DOC"
    /// EN 16931 semantic error.
    case semantic = "REJ_SEMAN"
    /// Data coherence.
    case coherence = "REJ_COH"
    /// Addressing: recipient unknown or inactive, service missing.
    case addressing = "REJ_ADR"
    /// B2G business checks (engagement number…).
    case b2g = "REJ_CONT_B2G"
    /// Duplicate: same number, same supplier, same year.
    case duplicate = "REJ_UNI"
}

/// One thing a check found in a file: which rule, how serious, where, and what to do.
public struct Finding: Sendable, Codable, Equatable {
    /// The official rule id (`BR-CO-10`), the project's own (`LIASSE-…`) or `XSD`.
    public var rule: String
    public var severity: Severity
    /// The reason code a refusal for this finding carries.
    public var code: ReasonCode
    /// What is wrong and what to do, in French.
    public var message: String
    /// The same in English.
    public var messageEn: String
    /// The business term concerned (`BT-106`), when there is one.
    public var bt: String?
    /// The XPath of the element concerned, when known.
    public var path: String?
    /// Its line in the source document, when known.
    public var line: Int?
    /// The technical text behind the finding, when there is one: libxml2's own message for a
    /// schema finding (the messages say the same in the invoice's words).
    public var detail: String?

    public init(rule: String, severity: Severity, code: ReasonCode, message: String, messageEn: String,
                bt: String? = nil, path: String? = nil, line: Int? = nil, detail: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.code = code
        self.message = message
        self.messageEn = messageEn
        self.bt = bt
        self.path = path
        self.line = line
        self.detail = detail
    }
}

extension Array where Element == Finding {
    /// Whether any finding is fatal (the file is then invalid).
    public var hasFatal: Bool { contains { $0.severity == .fatal } }
}

/// Findings that repeat one fault at one path pattern (the same rule on every line's amount),
/// shown once to people with the lines where it occurs. Machine outputs keep one finding per
/// occurrence.
public struct FindingGroup: Sendable, Equatable {
    /// The first occurrence, whose message stands for all.
    public var finding: Finding
    /// Every occurrence's line, in order (0 where unknown).
    public var lines: [Int]

    public var count: Int { lines.count }
}

extension Array where Element == Finding {
    /// The findings grouped by rule, severity, business term and path pattern (the path with
    /// its positions removed), in the order of their first occurrence. Findings without a
    /// path stand alone.
    public var grouped: [FindingGroup] {
        var groups: [FindingGroup] = []
        var index: [String: Int] = [:]
        for finding in self {
            guard let path = finding.path else {
                groups.append(FindingGroup(finding: finding, lines: [finding.line ?? 0]))
                continue
            }
            let key = [finding.rule, finding.severity.rawValue, finding.bt ?? "", Self.pattern(of: path)].joined(separator: "\u{1}")
            if let at = index[key] {
                groups[at].lines.append(finding.line ?? 0)
            } else {
                index[key] = groups.count
                groups.append(FindingGroup(finding: finding, lines: [finding.line ?? 0]))
            }
        }
        return groups
    }

    /// `/a/b[2]/c[1]` → `/a/b/c`.
    static func pattern(of path: String) -> String {
        var result = ""
        var inPosition = false
        for character in path {
            if character == "[" { inPosition = true } else if character == "]" { inPosition = false } else if !inPosition { result.append(character) }
        }
        return result
    }
}

extension FindingGroup {
    /// `même erreur 7 fois, lignes 56, 98, 140…` / `same fault 7 times, lines 56, 98, 140…`, or
    /// nil for a single occurrence.
    public var repeatNote: (french: String, english: String)? {
        guard count > 1 else { return nil }
        let known = lines.filter { $0 > 0 }
        let shown = known.prefix(20).map(String.init).joined(separator: ", ") + (known.count > 20 ? "…" : "")
        return ("même erreur \(count) fois\(known.isEmpty ? "" : ", lignes \(shown)")",
                "same fault \(count) times\(known.isEmpty ? "" : ", lines \(shown)")")
    }
}
