import Foundation
import Testing
@testable import LiasseIntake

/// The fixtures of scripts/fixtures/make_facturx.py, with the verdicts its manifest states.
enum FacturXFixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/facturx")

    static let checkout = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Expectation: Decodable, Sendable, CustomTestStringConvertible {
        var valid: Bool
        var rules: [String]
        var why: String
        var file: String?

        var testDescription: String { file ?? why }
    }

    static func manifest() -> [Expectation] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
              let entries = try? JSONDecoder().decode([String: Expectation].self, from: data) else { return [] }
        return entries.map { name, entry in
            var entry = entry
            entry.file = name
            return entry
        }.sorted { ($0.file ?? "") < ($1.file ?? "") }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// The Factur-X level an XML declares in BT-24, read the simple way (tests only).
    static func level(ofXML xml: [UInt8]) -> FacturXLevel? {
        let text = String(decoding: xml, as: UTF8.self)
        guard let context = text.range(of: "GuidelineSpecifiedDocumentContextParameter"),
              let open = text.range(of: "<ram:ID>", range: context.upperBound..<text.endIndex),
              let close = text.range(of: "</ram:ID>", range: open.upperBound..<text.endIndex) else { return nil }
        switch text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces) {
        case "urn:factur-x.eu:1p0:minimum": return .minimum
        case "urn:factur-x.eu:1p0:basicwl": return .basicWL
        case "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": return .basic
        case "urn:cen.eu:en16931:2017": return .en16931
        case "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": return .extended
        default: return nil
        }
    }

    /// Every rule the container layer reports for `bytes`, and whether one is fatal. A plain
    /// PDF reports the batch rule the daemon applies to it.
    static func verdict(_ bytes: [UInt8], limits: FacturXLimits = .default) -> (rules: Set<String>, fatal: Bool, xml: [UInt8]?) {
        switch FacturXReader.read(bytes, limits: limits) {
        case .facturX(let container):
            let findings = container.findings + container.profileFindings(level: level(ofXML: container.xml))
            return (Set(findings.map(\.rule)), findings.hasFatal, container.xml)
        case .plainPDF:
            return (["LIASSE-TYPE-02"], true, nil)
        case .refused(let findings):
            return (Set(findings.map(\.rule)), findings.hasFatal, nil)
        }
    }
}

@Suite("Factur-X container")
struct FacturXReaderTests {
    @Test("the fixture manifest is there and covers every fault")
    func manifestIsComplete() {
        let names = Set(FacturXFixtures.manifest().compactMap(\.file))
        for required in ["valid-minimum.pdf", "valid-basicwl.pdf", "valid-basic.pdf", "valid-en16931.pdf",
                         "valid-extended.pdf", "plain.pdf", "wrong-name.pdf", "two-xml.pdf",
                         "no-afrelationship.pdf", "no-af.pdf", "no-xmp.pdf", "xmp-profile-mismatch.pdf",
                         "pdfa1.pdf", "encrypted-owner.pdf", "encrypted-user.pdf", "broken-xref.pdf",
                         "cyclic-kids.pdf", "unsorted-names.pdf"] {
            #expect(names.contains(required), "missing fixture \(required)")
        }
    }

    @Test("each fixture gets the verdict its manifest states", arguments: FacturXFixtures.manifest())
    func fixtureVerdict(_ expectation: FacturXFixtures.Expectation) throws {
        let bytes = try FacturXFixtures.bytes(try #require(expectation.file))
        let verdict = FacturXFixtures.verdict(bytes)
        #expect(verdict.rules == Set(expectation.rules), "\(expectation.why)")
        #expect(verdict.fatal == !expectation.valid, "\(expectation.why)")
    }

    @Test("the XML taken out is the invoice, whole", arguments: ["valid-en16931.pdf", "kids-tree.pdf", "unsorted-names.pdf", "cyclic-kids.pdf"])
    func extractsTheInvoice(_ name: String) throws {
        let verdict = FacturXFixtures.verdict(try FacturXFixtures.bytes(name))
        let xml = String(decoding: try #require(verdict.xml), as: UTF8.self)
        #expect(xml.hasPrefix("<?xml"))
        #expect(xml.contains("<ram:ID>F2026-0900</ram:ID>"))
        #expect(xml.hasSuffix("</rsm:CrossIndustryInvoice>") || xml.hasSuffix("</rsm:CrossIndustryInvoice>\n"))
    }

    @Test("container facts of a library-made Factur-X")
    func facts() throws {
        guard case .facturX(let container) = FacturXReader.read(try FacturXFixtures.bytes("valid-basicwl.pdf")) else {
            Issue.record("not read as a Factur-X")
            return
        }
        #expect(container.embeddedName == "factur-x.xml")
        #expect(container.relationship == "Data")
        #expect(container.inCatalogAF && container.inNameTree)
        #expect(container.xmp?.pdfaPart == "3")
        #expect(container.xmp?.conformanceLevel == "BASIC WL")
        #expect(container.xmp?.documentFileName == "factur-x.xml")
        #expect(container.readerWarnings.isEmpty)
    }

    @Test("an owner-password-only PDF opens with qpdf, and is still refused")
    func ownerPasswordOnly() throws {
        guard case .refused(let findings) = FacturXReader.read(try FacturXFixtures.bytes("encrypted-owner.pdf")) else {
            Issue.record("an encrypted PDF was read")
            return
        }
        #expect(findings.map(\.rule) == ["LIASSE-FX-02"])
        #expect(findings[0].messageEn.contains("encrypted"))
    }

    @Test("MINIMUM with AFRelationship Alternative is a BR-HYBRID-11 warning")
    func relationshipPerProfile() throws {
        guard case .facturX(var container) = FacturXReader.read(try FacturXFixtures.bytes("valid-minimum.pdf")) else {
            Issue.record("not read as a Factur-X")
            return
        }
        #expect(container.profileFindings(level: .minimum).isEmpty)
        container.relationship = "Alternative"
        let findings = container.profileFindings(level: .minimum)
        #expect(findings.map(\.rule) == ["BR-HYBRID-11"])
        #expect(findings.allSatisfy { $0.severity == .warning })
        #expect(container.profileFindings(level: .en16931).map(\.rule) == ["BR-HYBRID-15"])
    }

    @Test("bytes that are not a PDF are refused as unreadable")
    func notAPDF() {
        let verdict = FacturXFixtures.verdict(Array("<?xml version=\"1.0\"?><a/>".utf8))
        #expect(verdict.rules == ["LIASSE-FX-01"])
        #expect(verdict.fatal)
    }

    @Test("a PDF cut in half is refused, not guessed")
    func truncated() throws {
        let bytes = try FacturXFixtures.bytes("valid-en16931.pdf")
        let verdict = FacturXFixtures.verdict(Array(bytes.prefix(bytes.count / 2)))
        #expect(verdict.fatal)
        #expect(verdict.rules.isSubset(of: ["LIASSE-FX-01", "LIASSE-FX-03"]))
    }

    @Test("the invoice XML cap applies to the inflated size")
    func capApplies() throws {
        let verdict = FacturXFixtures.verdict(try FacturXFixtures.bytes("valid-en16931.pdf"),
                                              limits: FacturXLimits(maxEmbeddedXMLBytes: 1000))
        #expect(verdict.rules == ["LIASSE-FX-05"])
    }

    @Test("taking the XML out of a typical Factur-X costs well under a few milliseconds")
    func extractionTime() throws {
        let bytes = try FacturXFixtures.bytes("valid-en16931.pdf")
        let rounds = 200
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                guard case .facturX = FacturXReader.read(bytes) else { Issue.record("not read"); return }
            }
        }
        let perFile = elapsed / rounds
        print("Factur-X extraction: \(perFile) per file (\(bytes.count) bytes, \(rounds) rounds)")
        #expect(perFile < .milliseconds(20))
    }
}
