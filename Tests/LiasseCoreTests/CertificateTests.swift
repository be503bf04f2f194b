import Crypto
import Foundation
import LiasseRules
import Testing
@testable import LiasseCore

@Suite struct CertificateTests {
    /// Three deposits in one ledger, their certificate files as the daemon writes them.
    func threeCertificates() throws -> (CoreFixture, [Certificate]) {
        let fixture = try CoreFixture()
        var certificates: [Certificate] = []
        for index in 1...3 {
            var builder = InvoiceBuilder()
            builder.number = "F2026-000\(index)"
            certificates.append(try #require(try fixture.core().deposit(builder.invoice, from: CoreFixture.source("s\(index)")).certificate))
        }
        return (fixture, certificates)
    }

    @Test func aCertificateVerifiesWithItsServicesKey() throws {
        let (fixture, certificates) = try threeCertificates()
        for certificate in certificates {
            let report = CertificateVerifier.verify([UInt8](try certificate.fileBytes()), trustedPublicKey: fixture.signer.publicKeyBase64)
            #expect(report.isValid, "\(report.problems)")
            #expect(report.fingerprint == certificate.fingerprint)
        }
        // The file carries the §5 contract's fields.
        let json = try #require(try JSONSerialization.jsonObject(with: certificates[0].fileBytes()) as? [String: Any])
        for field in ["fingerprint", "depositedAt", "invoiceNumber", "supplier", "recipient", "amounts", "status",
                      "sourceSha256", "signature", "signatureAlgorithm", "publicKey", "previousFingerprint"] where field != "previousFingerprint" {
            #expect(json[field] != nil, "\(field)")
        }
        #expect((json["amounts"] as? [String: String])?.keys.sorted() == ["currency", "due", "ht", "ttc", "tva"])
        #expect((json["recipient"] as? [String: String])?["service"] == "SERVICES-TECHNIQUES")
        #expect(try certificates[1].jsonValue()["previousFingerprint"] == .string(certificates[0].fingerprint))
    }

    @Test func anyChangedByteFailsVerification() throws {
        let (fixture, certificates) = try threeCertificates()
        let bytes = [UInt8](try certificates[1].fileBytes())
        var accepted: [Int] = []
        for index in bytes.indices {
            var tampered = bytes
            // Another printable character, so the change is as plausible as can be.
            tampered[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            if CertificateVerifier.verify(tampered, trustedPublicKey: fixture.signer.publicKeyBase64).isValid { accepted.append(index) }
        }
        #expect(accepted.isEmpty, "changes at bytes \(accepted) went unnoticed")
        #expect(bytes.count > 1000)
    }

    /// The last character of a padded base64 string has unused bits: a signature or a key
    /// differing only there decodes to the same bytes, and must fail all the same.
    @Test func nonCanonicalBase64FailsVerification() throws {
        let (_, certificates) = try threeCertificates()
        let original = String(decoding: try certificates[0].fileBytes(), as: UTF8.self)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        for field in [certificates[0].signature, certificates[0].publicKey] {
            let withoutPadding = field.trimmingCharacters(in: CharacterSet(charactersIn: "="))
            let last = try #require(withoutPadding.last.flatMap { alphabet.firstIndex(of: $0) })
            // Flip the lowest bit: unused in the last character of padded base64.
            let sibling = alphabet[last ^ 1]
            let tamperedField = String(withoutPadding.dropLast()) + String(sibling) + String(repeating: "=", count: field.count - withoutPadding.count)
            #expect(Data(base64Encoded: tamperedField) == Data(base64Encoded: field), "the flip must touch unused bits only")
            let tampered = original.replacingOccurrences(of: field, with: tamperedField)
            #expect(!CertificateVerifier.verify(Array(tampered.utf8)).isValid, "a non-canonical \(field == certificates[0].signature ? "signature" : "public key") was accepted")
        }
    }

    @Test func verificationSaysWhatDoesNotMatch() throws {
        let (fixture, certificates) = try threeCertificates()
        let original = String(decoding: try certificates[0].fileBytes(), as: UTF8.self)

        let amount = CertificateVerifier.verify(Array(original.replacingOccurrences(of: "\"907.20\"", with: "\"9907.20\"").utf8))
        #expect(amount.problems.contains { if case .fingerprintMismatch = $0 { return true } else { return false } })
        #expect(amount.problems.contains(.signatureInvalid))
        #expect(CertificateVerifier.differences(try #require(amount.content), try certificates[0].jsonValue()) == ["amounts.due", "amounts.ttc"])

        let reindented = CertificateVerifier.verify(Array(original.replacingOccurrences(of: "  \"lot\"", with: "\t\"lot\"").utf8))
        #expect(reindented.problems.count == 1)
        if case .layoutChanged(let line)? = reindented.problems.first { #expect(line > 1) } else { Issue.record("\(reindented.problems)") }

        let otherKey = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation.base64EncodedString()
        let foreign = CertificateVerifier.verify(Array(original.utf8), trustedPublicKey: otherKey)
        #expect(foreign.problems == [.publicKeyMismatch(trusted: otherKey, found: fixture.signer.publicKeyBase64)])

        // Re-signed by a forger with their own key: valid in itself, refused against ours.
        let forger = CertificateSigner(key: Curve25519.Signing.PrivateKey())
        var body = certificates[0].body
        body.amounts.due = "0.00"
        let forged = try forger.seal(body)
        #expect(CertificateVerifier.verify([UInt8](try forged.fileBytes())).isValid)
        #expect(!CertificateVerifier.verify([UInt8](try forged.fileBytes()), trustedPublicKey: fixture.signer.publicKeyBase64).isValid)

        #expect(CertificateVerifier.verify(Array("not json".utf8)).problems.first.map { if case .unreadable = $0 { return true } else { return false } } == true)
        let duplicateKey = original.replacingOccurrences(of: "{\n  \"amounts\"", with: "{\n  \"status\": \"REJETEE\",\n  \"amounts\"")
        #expect(!CertificateVerifier.verify(Array(duplicateKey.utf8)).isValid)
    }

    @Test func aDeletedCertificateBreaksTheChainAndVerifySaysWhere() throws {
        let (_, certificates) = try threeCertificates()
        let links = certificates.map { CertificateChain.Link(sequence: $0.body.sequence, fingerprint: $0.fingerprint, previousFingerprint: $0.body.previousFingerprint) }
        #expect(CertificateChain.check(links, fromStart: true).isEmpty)
        let withoutSecond = CertificateChain.check([links[0], links[2]], fromStart: true)
        #expect(withoutSecond == [.missing(from: 2, to: 2, before: 3, beforeFingerprint: certificates[2].fingerprint,
                                           expectedPrevious: certificates[1].fingerprint)])
        #expect(withoutSecond.first?.description.contains("certificate #2 is missing") == true)
        let withoutFirst = CertificateChain.check([links[1], links[2]], fromStart: true)
        #expect(withoutFirst.count == 1)
        // A certificate replaced by another with the same position is a wrong link.
        var replaced = links[1]
        replaced.fingerprint = "X"
        #expect(CertificateChain.check([links[0], replaced, links[2]], fromStart: true) == [
            .wrongLink(sequence: 3, fingerprint: certificates[2].fingerprint, written: certificates[1].fingerprint, actual: "X")])
        #expect(CertificateChain.check([links[0], links[1], replaced], fromStart: true).contains(.fork(sequence: 2, fingerprints: [certificates[1].fingerprint, "X"].sorted())))
    }

    /// The body's JSON is built by hand for speed: it must hold exactly what its `Codable`
    /// encoding holds, with every optional field present and with none.
    @Test func theBodysJSONIsItsCodableContent() throws {
        let full = CertificateBody(
            sequence: 7, previousFingerprint: "prev", lot: "L1", entry: "a/b.xml", depositedAt: "2026-11-27T10:00:00Z",
            invoiceNumber: "F-1", issueDate: "2026-11-01", typeCode: "380", syntaxCode: "IN_DP_E1_UBL_INVOICE",
            profile: "EN16931", cadreDeFacturation: "A1", cadreDefaulted: true,
            supplier: PartyReference(siret: "1", name: "S"),
            recipient: RecipientReference(siret: "2", name: "R", service: "SV", serviceName: "Service"),
            engagementNumber: "EJ", contractReference: "M", vatRegime: "debits",
            amounts: CertificateAmounts(ht: "1.00", tva: "0.20", ttc: "1.20", due: "1.20", currency: "EUR"),
            sourceSha256: "abc",
            rulePacks: [RulePackStamp(RulePack.brFR, mode: .warning, artefact: "UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL_WARNING.xslt"),
                        RulePackStamp(.chorus, mode: .fatal, artefact: nil)])
        var bare = full
        bare.rulePacks = nil
        bare.previousFingerprint = nil
        bare.cadreDeFacturation = nil
        bare.cadreDefaulted = nil
        bare.engagementNumber = nil
        bare.contractReference = nil
        bare.vatRegime = nil
        bare.recipient = RecipientReference(siret: "2", name: "R")
        for body in [full, bare] {
            #expect(try body.jsonValue() == JSONValue(encoding: body))
        }
        guard case .object(let members) = try full.jsonValue() else { Issue.record("not an object"); return }
        #expect(members.count == Mirror(reflecting: full).children.count)
    }

    @Test func canonicalJSON() throws {
        let value = JSONValue.object(["b": .string("é\"\\\n\u{1}/"), "a": .number("12"), "c": .array([.bool(true), .null])])
        #expect(String(decoding: value.canonicalBytes(), as: UTF8.self) == "{\"a\":12,\"b\":\"é\\\"\\\\\\n\\u0001/\",\"c\":[true,null]}")
        #expect(try JSONValue.parse(value.canonicalBytes()) == value)
        #expect(try JSONValue.parse(value.prettyBytes()) == value)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("{\"a\":1,\"a\":2}".utf8)) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("{\"a\":01}".utf8)) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("{} x".utf8)) }
        #expect(try JSONValue.parse(Array("\"\\ud83d\\ude00\"".utf8)) == .string("😀"))
    }

    @Test func thePDFShowsTheCertificateNumberAndTheAmounts() throws {
        let (fixture, certificates) = try threeCertificates()
        var certificate = certificates[0]
        certificate.body.amounts = CertificateAmounts(ht: "924.70", tva: "152.21", ttc: "1076.91", due: "1076.91", currency: "EUR")
        let clock = ContinuousClock()
        var pdf = Data()
        let elapsed = clock.measure { for _ in 0..<20 { pdf = (try? CertificatePDF.render(certificate)) ?? Data() } }
        print("CertificatePDF.render: \(elapsed / 20) per certificate, \(pdf.count) bytes")
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        #expect(try CertificatePDF.render(certificate) == pdf, "the same certificate gives the same bytes")
        let file = fixture.folder.path("c.pdf")
        try pdf.write(to: URL(fileURLWithPath: file))
        let text = try Self.pdftotext(file)
        #expect(text.contains(certificate.fingerprint))
        for amount in ["924,70 EUR", "152,21 EUR", "1 076,91 EUR"] { #expect(text.contains(amount), "\(amount)") }
        #expect(text.contains("Certificat de dépôt"))
        #expect(text.contains("F2026-0001"))
        #expect(text.contains("Imprimerie Delmas et Fils SAS") && text.contains("83241795000017"))
        #expect(text.contains("Commune de Saint-Aubin-des-Prés") && text.contains("21730412000017"))
        #expect(text.contains("SERVICES-TECHNIQUES"))
        #expect(text.contains("Déposée (DEPOSEE)"))
    }

    static func pdftotext(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = [path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func frenchFormatting() {
        #expect(CertificatePDF.frenchAmount("1076.91") == "1 076,91")
        #expect(CertificatePDF.frenchAmount("-1234567.5") == "-1 234 567,5")
        #expect(CertificatePDF.frenchAmount("0.00") == "0,00")
        #expect(CertificatePDF.frenchTimestamp("2026-11-27T15:20:35Z") == "27/11/2026 à 15:20:35 UTC")
        #expect(CertificatePDF.winAnsi("é€’").map { UInt8(bitPattern: $0) } == [0xE9, 0x80, 0x92, 0])
    }
}
