import LiasseRules

/// The report of one drop, `outbox/reports/<lot-id>.report.json` (README, "How to read the reports").
public struct LotReport: Codable, Sendable {
    public var lot: String
    /// The name the file was dropped under.
    public var file: String
    public var inbox: String
    public var sha256: String
    public var receivedAt: String
    public var finishedAt: String
    /// `IN_INTEGRE`, `IN_INTEGRE_PARTIEL`, `IN_REJETE` or `IN_INCIDENTE`.
    public var status: FluxStatus
    /// Problems of the lot as a whole (unreadable archive, bomb, empty lot…).
    public var errors: [Reason]
    public var entries: [EntryReport]
    public var counts: Counts
    /// Every rule pack that judged an entry of the lot, once each (docs/CONTRACTS.md).
    public var rulePacks: [RulePackStamp]

    public struct Counts: Codable, Sendable, Equatable {
        public var entries: Int
        public var deposited: Int
        public var rejected: Int
    }
}

/// The status of a flux (lot), in Chorus Pro's vocabulary.
public enum FluxStatus: String, Codable, Sendable {
    /// Every invoice deposited.
    case integre = "IN_INTEGRE"
    /// Some deposited, some rejected.
    case integrePartiel = "IN_INTEGRE_PARTIEL"
    /// Nothing deposited.
    case rejete = "IN_REJETE"
    /// The lot itself could not be processed (damaged archive): send it again.
    case incidente = "IN_INCIDENTE"
}

/// The outcome of one entry of a lot.
public struct EntryReport: Codable, Sendable {
    /// The path inside the lot, or the file name for a single file.
    public var path: String
    public var sha256: String?
    public var outcome: Outcome
    public var syntax: String?
    public var invoiceNumber: String?
    /// The certificate, relative to the outbox (deposited entries).
    public var certificate: String?
    /// The certificate number (deposited entries).
    public var fingerprint: String?
    /// True when these exact bytes had been deposited before: the same certificate answers.
    public var resent: Bool?
    /// The rejection report, relative to the outbox (rejected entries).
    public var reject: String?
    /// Why the entry was rejected; for a deposited entry, its warnings.
    public var reasons: [Reason]
    /// Time spent on this entry, from reading it out of the lot to its outputs written.
    public var processingMicroseconds: Int?
    /// The rule packs that judged the entry (none when it was refused before its rules).
    public var rulePacks: [RulePackStamp]

    public enum Outcome: String, Codable, Sendable {
        case deposited
        case rejected
    }
}

/// A reason in a report: the code, the rule and the message.
public struct Reason: Codable, Sendable, Equatable {
    public var code: String
    public var rule: String
    public var severity: Severity
    public var message: String
    public var messageEn: String
    public var bt: String?
    public var path: String?
    public var line: Int?
    /// The technical text behind the finding (libxml2's message for a schema finding).
    public var detail: String?

    public init(_ finding: Finding) {
        code = finding.code.rawValue
        rule = finding.rule
        severity = finding.severity
        message = finding.message
        messageEn = finding.messageEn
        bt = finding.bt
        path = finding.path
        line = finding.line
        detail = finding.detail
    }
}

/// The rejection report of one file, `outbox/rejects/<lot-id>/<entry>.reject.json`.
public struct RejectReport: Codable, Sendable {
    public var lot: String
    public var file: String
    public var entry: String
    public var sha256: String?
    public var rejectedAt: String
    public var syntax: String?
    public var invoiceNumber: String?
    /// The reason code of the refusal (that of its first fatal finding).
    public var code: String
    public var findings: [Finding]
    /// The rule packs that judged the file (none when it was refused before its rules).
    public var rulePacks: [RulePackStamp]

    /// The same report as plain text, in French then English, for people.
    public var text: String {
        var lines = [
            "Liasse — rapport de rejet / rejection report",
            "Lot : \(lot)   Fichier déposé / dropped file : \(file.escapedForDisplay)",
            "Entrée / entry : \(entry.escapedForDisplay)",
        ]
        if let invoiceNumber { lines.append("Facture / invoice : \(invoiceNumber.escapedForDisplay)") }
        lines.append("Rejeté le / rejected at : \(rejectedAt)   Code : \(code)")
        if !rulePacks.isEmpty {
            lines.append("Règles / rules : " + rulePacks.map { "\($0.id.rawValue) \($0.version)\($0.mode == .fatal ? "" : " (\($0.mode.rawValue))")" }
                .joined(separator: ", "))
        }
        lines.append("")
        // A fault repeated at one path pattern (every line's amount) is written once, with its lines.
        for (index, group) in findings.grouped.enumerated() {
            let finding = group.finding
            var place: [String] = []
            if let bt = finding.bt { place.append(bt) }
            if let path = finding.path { place.append(path.escapedForDisplay) }
            if let line = finding.line, line > 0 { place.append("ligne/line \(line)") }
            lines.append("\(index + 1). [\(finding.severity.rawValue)] \(finding.rule) (\(finding.code.rawValue))"
                         + (place.isEmpty ? "" : " — " + place.joined(separator: ", ")))
            lines.append("   FR : \(finding.message.escapedForDisplay)")
            lines.append("   EN : \(finding.messageEn.escapedForDisplay)")
            if let note = group.repeatNote {
                lines.append("   (\(note.french) / \(note.english))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
