import LiasseFindings

/// The caps on the documents an XML invoice attaches (BG-24 / BT-125), from the platform's
/// published limits; all configuration.
public struct AttachmentLimits: Sendable, Equatable {
    /// Largest attachment once decoded (Chorus Pro: 10 MB, `IRR_TAILLE_PJ`).
    public var maxBytes: Int
    /// Longest file name, extension included (Chorus Pro: 50 characters, `IRR_NOM_PJ`).
    public var maxNameLength: Int
    /// Extensions accepted, lowercased, without the dot (`IRR_EXT_DOC`).
    public var allowedExtensions: Set<String>

    public init(maxBytes: Int, maxNameLength: Int, allowedExtensions: Set<String>) {
        self.maxBytes = maxBytes
        self.maxNameLength = maxNameLength
        self.allowedExtensions = allowedExtensions
    }

    /// 10 MB, 50 characters, and the office, image, text and archive formats the portal lists
    /// for attachments (the list is not published in one place: keep it configurable).
    public static let chorusPro = AttachmentLimits(
        maxBytes: 10 * 1024 * 1024, maxNameLength: 50,
        allowedExtensions: ["bmp", "bz2", "csv", "doc", "docx", "fax", "gif", "gz", "htm", "html", "jpeg", "jpg",
                            "odg", "odp", "ods", "odt", "p7s", "pdf", "png", "ppt", "pptx", "rtf", "svg", "tgz",
                            "tif", "tiff", "txt", "xhtml", "xls", "xlsx", "xml", "zip"])
}

/// What checking one attachment found.
public struct AttachmentCheck: Sendable, Equatable {
    /// The decoded size, when the base64 text could be decoded within the cap.
    public var decodedBytes: Int?
    /// Whether the decoded content is a PDF (`%PDF-` at its start): an invoice image, which
    /// makes the XML a "mixed" one (E2).
    public var isPDF: Bool
    public var findings: [Finding]
}

/// Checks the attachments of an XML invoice (UBL `cbc:EmbeddedDocumentBinaryObject`, CII
/// `ram:AttachmentBinaryObject`): decodes the base64 under the cap without keeping the
/// content, and checks size, name length and extension.
public enum AttachmentChecks {
    /// Checks one attachment: `base64` its text, `fileName` its BT-125-2, `label` how
    /// messages name it (its reference BT-122, or its position).
    public static func check(base64: String, fileName: String?, label: String, limits: AttachmentLimits = .chorusPro) -> AttachmentCheck {
        var findings: [Finding] = []
        let shown = fileName ?? label
        if let fileName {
            if fileName.count > limits.maxNameLength {
                findings.append(.init(
                    rule: "LIASSE-PJ-02", severity: .fatal, code: .attachmentName,
                    message: "Le nom de la pièce jointe « \(fileName) » fait \(fileName.count) caractères, au-delà des \(limits.maxNameLength) acceptés. Raccourcissez-le.",
                    messageEn: "The attachment name '\(fileName)' is \(fileName.count) characters long, above the \(limits.maxNameLength) accepted. Shorten it."))
            }
            let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
            let ext = base.lastIndex(of: ".").map { String(base[base.index(after: $0)...]).lowercased() }
            if ext == nil || ext!.isEmpty || !limits.allowedExtensions.contains(ext!) {
                let what = ext.map { "l'extension « .\($0) » n'est pas acceptée" } ?? "il n'a pas d'extension"
                let whatEn = ext.map { "the extension '.\($0)' is not accepted" } ?? "it has no extension"
                let list = limits.allowedExtensions.sorted().joined(separator: ", ")
                findings.append(.init(
                    rule: "LIASSE-PJ-03", severity: .fatal, code: .attachmentExtension,
                    message: "Pièce jointe « \(fileName) » refusée : \(what). Extensions acceptées : \(list).",
                    messageEn: "Attachment '\(fileName)' refused: \(whatEn). Accepted extensions: \(list)."))
            }
        }
        switch Base64Counter.count(base64, limit: limits.maxBytes) {
        case .tooLarge:
            findings.append(.init(
                rule: "LIASSE-PJ-01", severity: .fatal, code: .attachmentSize,
                message: "La pièce jointe « \(shown) » dépasse \(limits.maxBytes) octets une fois décodée. Réduisez-la ou déposez-la à part.",
                messageEn: "The attachment '\(shown)' is larger than \(limits.maxBytes) bytes once decoded. Make it smaller or send it separately."))
            return AttachmentCheck(decodedBytes: nil, isPDF: false, findings: findings)
        case .invalid(let why):
            findings.append(.init(
                rule: "LIASSE-PJ-04", severity: .fatal, code: .syntax,
                message: "Le contenu de la pièce jointe « \(shown) » n'est pas du base64 valide (\(why)). Réencodez-la.",
                messageEn: "The content of the attachment '\(shown)' is not valid base64 (\(why)). Encode it again."))
            return AttachmentCheck(decodedBytes: nil, isPDF: false, findings: findings)
        case .decoded(let count, let head):
            return AttachmentCheck(decodedBytes: count, isPDF: head.starts(with: Array("%PDF-".utf8)), findings: findings)
        }
    }
}

/// Decodes base64 text only to count its bytes and keep its first few: memory stays flat
/// whatever the attachment's size.
enum Base64Counter {
    enum Outcome: Equatable {
        case decoded(count: Int, head: [UInt8])
        case tooLarge
        case invalid(String)
    }

    static func count(_ text: String, limit: Int) -> Outcome {
        var count = 0
        var head: [UInt8] = []
        var quantum: [UInt8] = []
        quantum.reserveCapacity(4)
        var padding = 0
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            default:
                return .invalid("character 0x\(String(byte, radix: 16)) is not base64")
            }
            if padding > 0 { return .invalid("data after the '=' padding") }
            quantum.append(value)
            if quantum.count == 4 {
                let bytes = [quantum[0] << 2 | quantum[1] >> 4, quantum[1] << 4 | quantum[2] >> 2, quantum[2] << 6 | quantum[3]]
                if head.count < 16 { head += bytes.prefix(16 - head.count) }
                count += 3
                quantum.removeAll(keepingCapacity: true)
                if count > limit { return .tooLarge }
            }
        }
        switch quantum.count {
        case 0: break
        case 2:
            if head.count < 16 { head.append(quantum[0] << 2 | quantum[1] >> 4) }
            count += 1
        case 3:
            if head.count < 16 { head += [quantum[0] << 2 | quantum[1] >> 4, quantum[1] << 4 | quantum[2] >> 2].prefix(16 - head.count) }
            count += 2
        default:
            return .invalid("the text stops in the middle of a group")
        }
        if padding > 2 { return .invalid("too much '=' padding") }
        return count > limit ? .tooLarge : .decoded(count: count, head: head)
    }
}
