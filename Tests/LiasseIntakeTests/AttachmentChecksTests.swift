import Testing
@testable import LiasseIntake

@Suite("Attachments of mixed XML invoices")
struct AttachmentChecksTests {
    /// Standard base64 of `bytes` (tests only).
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let b = chunk + Array(repeating: 0, count: 3 - chunk.count)
            let n = Int(b[0]) << 16 | Int(b[1]) << 8 | Int(b[2])
            let chars = [alphabet[n >> 18 & 63], alphabet[n >> 12 & 63], alphabet[n >> 6 & 63], alphabet[n & 63]]
            out += String(chars.prefix(chunk.count + 1)) + String(repeating: "=", count: 3 - chunk.count)
            index += 3
        }
        return out
    }

    @Test("an embedded PDF image is recognised, with its exact size")
    func pdfImage() {
        let pdf = Array("%PDF-1.7\n%âãÏÓ\n1 0 obj << >> endobj\n".utf8)
        let check = AttachmentChecks.check(base64: Self.base64(pdf), fileName: "facture-F2026-0900.pdf", label: "#1")
        #expect(check.isPDF)
        #expect(check.decodedBytes == pdf.count)
        #expect(check.findings.isEmpty)
    }

    @Test("base64 with line breaks and every padding length decodes to the right size", arguments: [1, 2, 3, 4, 5, 57, 58])
    func padding(_ length: Int) {
        let bytes = (0..<length).map { UInt8($0 & 0xff) }
        let wrapped = Self.base64(bytes).enumerated().map { $0.offset % 76 == 75 ? "\($0.element)\n" : "\($0.element)" }.joined()
        #expect(Base64Counter.count(wrapped, limit: 100) == .decoded(count: length, head: Array(bytes.prefix(16))))
    }

    @Test("an attachment over 10 MB is refused with IRR_TAILLE_PJ, without decoding it whole")
    func tooLarge() {
        let text = String(repeating: "AAAA", count: (10 * 1024 * 1024) / 3 + 2)
        let check = AttachmentChecks.check(base64: text, fileName: "annexe.pdf", label: "#1")
        #expect(check.findings.map(\.rule) == ["LIASSE-PJ-01"])
        #expect(check.findings.first?.code == .attachmentSize)
    }

    @Test("a name over 50 characters is refused with IRR_NOM_PJ")
    func longName() {
        let name = String(repeating: "a", count: 47) + ".pdf"
        let check = AttachmentChecks.check(base64: Self.base64(Array("%PDF-".utf8)), fileName: name, label: "#1")
        #expect(check.findings.map(\.rule) == ["LIASSE-PJ-02"])
        #expect(check.findings.first?.code == .attachmentName)
    }

    @Test("a name without an accepted extension is refused with IRR_EXT_DOC", arguments: ["annexe", "annexe.exe", "annexe."])
    func badExtension(_ name: String) {
        let check = AttachmentChecks.check(base64: Self.base64([1, 2, 3]), fileName: name, label: "#1")
        #expect(check.findings.map(\.rule) == ["LIASSE-PJ-03"])
        #expect(check.findings.first?.code == .attachmentExtension)
    }

    @Test("text that is not base64 is reported")
    func notBase64() {
        let check = AttachmentChecks.check(base64: "JVBERi0*", fileName: "a.pdf", label: "#1")
        #expect(check.findings.map(\.rule) == ["LIASSE-PJ-04"])
    }
}
