import CHaru
import Foundation
import LiasseRules

/// The human-readable copy of a certificate: one A4 page in French showing what the
/// portal's certificate shows (supplier, deposit date, invoice number, recipient, amounts,
/// certificate number), plus the seal that lets anyone check the JSON it comes from.
///
/// The JSON file is the proof; this PDF is its rendering, written with libharu. The same
/// certificate always gives the same bytes (no creation date, no random identifier), so
/// `liasse certificate export` writes the very file the daemon wrote.
public enum CertificatePDF {
    /// Renders `certificate` as a PDF document.
    public static func render(_ certificate: Certificate) throws -> Data {
        let pdf = try documents.take()
        var succeeded = false
        // A document that failed is freed, not reused: its state is unknown.
        defer { succeeded ? documents.give(pdf) : HPDF_Free(pdf.handle) }
        let data = try render(certificate, in: pdf.handle)
        succeeded = true
        return data
    }

    /// libharu documents kept between renders: `HPDF_NewDoc` starts a new document in one
    /// and keeps the standard fonts' definitions and encoders it loaded, which building
    /// from scratch (`HPDF_New`) spent most of its time on.
    private static let documents = DocumentPool()

    private struct PooledDocument: @unchecked Sendable {
        // Used by one render at a time: taken from the pool, then given back.
        let handle: HPDF_Doc
    }

    private final class DocumentPool: @unchecked Sendable {
        private var idle: [PooledDocument] = []
        private let lock = NSLock()
        /// Documents kept idle at most (one per thread rendering at once is enough).
        private let capacity = 16

        func take() throws -> PooledDocument {
            lock.lock()
            let reused = idle.popLast()
            lock.unlock()
            if let reused, HPDF_NewDoc(reused.handle) == HPDF_OK { return reused }
            if let reused { HPDF_Free(reused.handle) }
            guard let handle = HPDF_New(nil, nil) else { throw CoreError.pdf("libharu could not create a document") }
            return PooledDocument(handle: handle)
        }

        func give(_ document: PooledDocument) {
            lock.lock()
            let kept = idle.count < capacity
            if kept { idle.append(document) }
            lock.unlock()
            if !kept { HPDF_Free(document.handle) }
        }
    }

    private static func render(_ certificate: Certificate, in pdf: HPDF_Doc) throws -> Data {
        HPDF_SetCompressionMode(pdf, HPDF_UINT(HPDF_COMP_ALL))
        HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "Certificat de depot \(ascii(certificate.body.invoiceNumber))")
        HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "Liasse")
        HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "Liasse (libharu)")
        guard let page = HPDF_AddPage(pdf),
              let regular = Face(pdf, "Helvetica"), let bold = Face(pdf, "Helvetica-Bold"), let mono = Face(pdf, "Courier") else {
            throw CoreError.pdf("libharu could not add a page or load the standard fonts (error \(HPDF_GetError(pdf)))")
        }
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT)
        var writer = PageWriter(page: page, regular: regular, bold: bold, mono: mono)
        writer.draw(certificate)
        guard HPDF_GetError(pdf) == HPDF_OK else {
            throw CoreError.pdf("libharu failed while drawing (error 0x\(String(HPDF_GetError(pdf), radix: 16)))")
        }
        guard HPDF_SaveToStream(pdf) == HPDF_OK else {
            throw CoreError.pdf("libharu could not write the document (error 0x\(String(HPDF_GetError(pdf), radix: 16)))")
        }
        var size = HPDF_UINT32(HPDF_GetStreamSize(pdf))
        var bytes = [UInt8](repeating: 0, count: Int(size))
        guard HPDF_ReadFromStream(pdf, &bytes, &size) == HPDF_OK || HPDF_GetError(pdf) == HPDF_STREAM_EOF else {
            throw CoreError.pdf("libharu could not hand the document over (error 0x\(String(HPDF_GetError(pdf), radix: 16)))")
        }
        return Data(bytes[0..<Int(size)])
    }

    /// The text with anything outside ASCII replaced, for the document information.
    static func ascii(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? Character($0) : "_" })
    }

    /// Encodes text for the standard fonts' WinAnsi encoding (Windows-1252); characters it
    /// lacks become "?".
    static func winAnsi(_ text: String) -> [CChar] {
        var bytes: [CChar] = []
        for scalar in text.unicodeScalars {
            bytes.append(CChar(bitPattern: winAnsi(scalar)))
        }
        bytes.append(0)
        return bytes
    }

    static func winAnsi(_ scalar: Unicode.Scalar) -> UInt8 {
        let value = scalar.value
        switch value {
        case 0x20..<0x7F, 0xA0...0xFF: return UInt8(value)
        default: return windows1252Extras[value] ?? UInt8(ascii: "?")
        }
    }

    /// A standard font of one document, with its advance widths by WinAnsi byte.
    private struct Face {
        let handle: HPDF_Font
        /// Thousandths of the font size, as libharu measures them.
        let widths: [Int]

        init?(_ pdf: HPDF_Doc, _ name: String) {
            guard let handle = HPDF_GetFont(pdf, name, "WinAnsiEncoding"),
                  let widths = CertificatePDF.widthTables[name], widths.count == 256 else { return nil }
            self.handle = handle
            self.widths = widths
        }
    }

    /// The widths libharu gives each byte of the three fonts, read once: measuring text is
    /// then a sum, with no call into libharu and no string to encode.
    private static let widthTables: [String: [Int]] = {
        var tables: [String: [Int]] = [:]
        guard let pdf = HPDF_New(nil, nil) else { return tables }
        defer { HPDF_Free(pdf) }
        for name in ["Helvetica", "Helvetica-Bold", "Courier"] {
            guard let font = HPDF_GetFont(pdf, name, "WinAnsiEncoding") else { continue }
            tables[name] = (0..<256).map { value in
                var byte = HPDF_BYTE(value)
                return Int(HPDF_Font_TextWidth(font, &byte, 1).width)
            }
        }
        return tables
    }()

    private static let windows1252Extras: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
        0x202F: 0x20, 0x2009: 0x20,
    ]

    /// An amount as written in the invoice, in the French way: `1076.91` → `1 076,91`.
    public static func frenchAmount(_ text: String) -> String {
        var sign = ""
        var digits = Substring(text)
        if digits.hasPrefix("-") { sign = "-"; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isNumber) else { return text }
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(" ") }
            grouped.append(character)
        }
        return sign + grouped + (parts.count > 1 ? "," + parts[1] : "")
    }

    /// `2026-11-27T15:20:35Z` → `27/11/2026 à 15:20:35 UTC`; other texts as they are.
    public static func frenchTimestamp(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T") else { return text }
        let s = { (range: Range<Int>) in String(decoding: bytes[range], as: UTF8.self) }
        let zone = text.hasSuffix("Z") ? " UTC" : ""
        return "\(s(8..<10))/\(s(5..<7))/\(s(0..<4)) à \(s(11..<19))\(zone)"
    }

    /// `2026-11-05` → `05/11/2026`.
    public static func frenchDate(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-") else { return text }
        let s = { (range: Range<Int>) in String(decoding: bytes[range], as: UTF8.self) }
        return "\(s(8..<10))/\(s(5..<7))/\(s(0..<4))"
    }

    static func documentType(_ code: String) -> String {
        switch code {
        case "380": return "Facture (380)"
        case "381": return "Avoir (381)"
        case "384": return "Facture rectificative (384)"
        case "386": return "Facture d'acompte (386)"
        case "389": return "Autofacture (389)"
        default: return code
        }
    }

    /// Draws on one page, top to bottom.
    private struct PageWriter {
        let page: HPDF_Page
        let regular: Face
        let bold: Face
        let mono: Face
        let left: Float = 56
        let right: Float = 539
        let labelWidth: Float = 150
        var y: Float = 790

        init(page: HPDF_Page, regular: Face, bold: Face, mono: Face) {
            self.page = page
            self.regular = regular
            self.bold = bold
            self.mono = mono
        }

        func text(_ string: String, x: Float, y: Float, font: Face, size: Float) {
            HPDF_Page_BeginText(page)
            HPDF_Page_SetFontAndSize(page, font.handle, size)
            HPDF_Page_TextOut(page, x, y, CertificatePDF.winAnsi(string))
            HPDF_Page_EndText(page)
        }

        /// The width of `string` in thousandths of the font size, as libharu measures it
        /// (the standard fonts' advance widths, no kerning): whole numbers, so a line's width
        /// is exactly the sum of its words' and spaces'.
        func units(_ string: some StringProtocol, font: Face) -> Int {
            units(string.unicodeScalars, font: font)
        }

        func units(_ scalars: some Sequence<Unicode.Scalar>, font: Face) -> Int {
            var total = 0
            for scalar in scalars { total += font.widths[Int(CertificatePDF.winAnsi(scalar))] }
            return total
        }

        /// The width of `string` in points. Measured on the font, not the page: setting the
        /// page's font to measure would write a font operator into the page each time.
        func width(_ string: String, font: Face, size: Float) -> Float {
            Float(units(string, font: font)) * size / 1000
        }

        /// Splits `string` into lines no wider than `maxWidth` (words kept whole unless one
        /// alone is too wide). Each word is measured once.
        func wrap(_ string: String, font: Face, size: Float, maxWidth: Float) -> [String] {
            let limit = Int((maxWidth * 1000 / size).rounded(.down))
            let space = units(" ", font: font)
            var lines: [String] = []
            var current = ""
            var currentUnits = 0
            for word in string.split(separator: " ", omittingEmptySubsequences: false) {
                let wordUnits = units(word, font: font)
                if current.isEmpty {
                    current = String(word)
                    currentUnits = wordUnits
                } else if currentUnits + space + wordUnits <= limit {
                    current += " "
                    current += word
                    currentUnits += space + wordUnits
                } else {
                    lines.append(current)
                    current = String(word)
                    currentUnits = wordUnits
                }
                if currentUnits > limit && current.count > 1 {
                    cut(&current, units: &currentUnits, into: &lines, font: font, limit: limit)
                }
            }
            if !current.isEmpty || lines.isEmpty { lines.append(current) }
            return lines
        }

        /// Moves the longest prefixes of `current` that fit (one character at least) to
        /// `lines` until the rest fits, measuring each character once.
        private func cut(_ current: inout String, units currentUnits: inout Int, into lines: inout [String],
                         font: Face, limit: Int) {
            var rest = Substring(current)
            while currentUnits > limit && rest.count > 1 {
                var fitting = 0
                var end = rest.startIndex
                for character in rest {
                    let characterUnits = units(character.unicodeScalars, font: font)
                    if end > rest.startIndex && fitting + characterUnits > limit { break }
                    fitting += characterUnits
                    end = rest.index(after: end)
                }
                lines.append(String(rest[..<end]))
                rest = rest[end...]
                currentUnits -= fitting
            }
            current = String(rest)
        }

        mutating func rule() {
            HPDF_Page_SetLineWidth(page, 0.5)
            HPDF_Page_MoveTo(page, left, y)
            HPDF_Page_LineTo(page, right, y)
            HPDF_Page_Stroke(page)
            y -= 14
        }

        mutating func heading(_ title: String) {
            y -= 6
            text(title, x: left, y: y, font: bold, size: 12)
            y -= 6
            rule()
        }

        mutating func field(_ label: String, _ value: String?, font: Face? = nil, size: Float = 10) {
            guard let value, !value.isEmpty else { return }
            text(label, x: left, y: y, font: regular, size: 9.5)
            for line in wrap(value, font: font ?? regular, size: size, maxWidth: right - left - labelWidth) {
                text(line, x: left + labelWidth, y: y, font: font ?? regular, size: size)
                y -= size + 4
            }
            y -= 1
        }

        mutating func amount(_ label: String, _ value: String, currency: String, strong: Bool = false) {
            let shown = CertificatePDF.frenchAmount(value) + " " + currency
            let font = strong ? bold : regular
            text(label, x: left, y: y, font: font, size: 10.5)
            let w = width(shown, font: font, size: 10.5)
            text(shown, x: right - w, y: y, font: font, size: 10.5)
            y -= 16
        }

        mutating func draw(_ certificate: Certificate) {
            let body = certificate.body
            text("Certificat de dépôt", x: left, y: y, font: bold, size: 22)
            y -= 20
            text("Preuve du dépôt d'une facture par Liasse, au format des dépôts Chorus Pro", x: left, y: y, font: regular, size: 10)
            y -= 26

            // The certificate number, framed like the portal's.
            HPDF_Page_SetLineWidth(page, 1)
            HPDF_Page_Rectangle(page, left, y - 34, right - left, 48)
            HPDF_Page_Stroke(page)
            text("Numéro de certificat (empreinte SHA-256)", x: left + 10, y: y, font: regular, size: 9)
            text(certificate.fingerprint, x: left + 10, y: y - 22, font: mono, size: 13)
            y -= 62

            heading("Dépôt")
            field("Date de dépôt", CertificatePDF.frenchTimestamp(body.depositedAt))
            field("Statut au dépôt", body.status == InvoiceStatus.deposee.rawValue ? "Déposée (DEPOSEE)" : body.status)
            field("Lot", body.lot)
            field("Fichier", body.entry)

            heading("Fournisseur")
            field("Raison sociale", body.supplier.name)
            field("SIRET", body.supplier.siret)

            heading("Destinataire")
            field("Structure", body.recipient.name)
            field("SIRET", body.recipient.siret)
            let service = body.recipient.service.map { code in body.recipient.serviceName.map { "\(code) — \($0)" } ?? code }
            field("Code service", service)
            field("Numéro d'engagement", body.engagementNumber)
            field("Numéro de marché", body.contractReference)

            heading("Facture")
            field("Numéro de facture", body.invoiceNumber, font: bold, size: 11)
            field("Date d'émission", CertificatePDF.frenchDate(body.issueDate))
            field("Type", CertificatePDF.documentType(body.typeCode))
            let cadre = body.cadreDeFacturation.map { code in
                let label = CadreDeFacturation(code)?.label ?? code
                return "\(code) — \(label)" + (body.cadreDefaulted == true ? " (par défaut du dépôt)" : "")
            }
            field("Cadre de facturation", cadre)
            field("Régime de TVA", body.vatRegime.flatMap(VATRegime.init(rawValue:))?.label)
            field("Syntaxe, profil", "\(body.syntaxCode), \(body.profile)")

            heading("Montants")
            let currency = body.amounts.currency
            amount("Montant hors taxes (après remises globales)", body.amounts.ht, currency: currency)
            amount("Montant de la TVA", body.amounts.tva, currency: currency)
            amount("Montant toutes taxes comprises", body.amounts.ttc, currency: currency)
            amount("Net à payer", body.amounts.due, currency: currency, strong: true)

            heading("Sceau")
            field("Fichier déposé (SHA-256)", body.sourceSha256, font: mono, size: 8)
            field("Position dans la chaîne", "n° \(body.sequence)")
            field("Certificat précédent", body.previousFingerprint ?? "aucun (premier certificat)", font: mono, size: 8)
            field("Signature Ed25519", certificate.signature, font: mono, size: 8)
            field("Clé publique", certificate.publicKey, font: mono, size: 8)

            y -= 8
            let note = "Ce document est la copie lisible du certificat JSON du même nom, qui seul fait foi. "
                + "Pour le vérifier : liasse certificate verify <certificat.json> --public-key <clé publique de l'émetteur>."
            for line in wrap(note, font: regular, size: 8.5, maxWidth: right - left) {
                text(line, x: left, y: y, font: regular, size: 8.5)
                y -= 11
            }
        }
    }
}
