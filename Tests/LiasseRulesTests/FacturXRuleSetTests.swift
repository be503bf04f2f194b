import Foundation
import Testing
import LiasseInvoice
import LiasseXML
@testable import LiasseRules

/// The Factur-X profile rules on the valid XML of each profile (the fixtures of
/// scripts/fixtures/make_facturx.py) and on a few crafted faults, with the ids, severities and
/// lines the official schematron gives (checked with scripts/conformance/oracle.py --facturx).
@Suite("Factur-X profile rules")
struct FacturXRuleSetTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/facturx/xml")

    static func fixture(_ profile: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent("valid-\(profile).xml"), encoding: .utf8)
    }

    /// The findings of the `facturx` set (and `also`) on `xml`, XSD layer off.
    static func findings(_ xml: String, also: Set<String> = []) -> [Finding] {
        let validator = Validator(schemas: nil)
        return validator.validate(xml: Array(xml.utf8), name: "test.xml",
                                  selection: RuleSelection(xsd: false, packs: RulePackSelection(enabling: [.facturx] + also.compactMap(RulePack.ID.init)),
                                                           matrix: false)).findings
    }

    @Test("a bare CII XML is judged by the profile rules only on request; the XML of a PDF always")
    func bareXMLOnRequestOnly() throws {
        let examples = ModelCorpus.cen.appendingPathComponent("cii")
        let file = examples.appendingPathComponent("CII_example5.xml")
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        // An official CEN example, valid for the CEN rules, that the Factur-X EN 16931 profile refuses.
        let bytes = Array(try Data(contentsOf: file))
        let validator = Validator(schemas: nil)
        let daemon = RuleSelection(xsd: false, packs: RulePackSelection(enabling: [.en16931, .facturx]))
        #expect(validator.validate(xml: bytes, name: "CII_example5.xml", selection: daemon).findings.hasFatal == false)
        let onRequest = RuleSelection(xsd: false, packs: RulePackSelection(enabling: [.en16931, .facturx]), matrix: false)
        let asked = validator.validate(xml: bytes, name: "CII_example5.xml", selection: onRequest).findings
        #expect(asked.contains { $0.rule == "FX-SCH-NOT-USED" && $0.severity == .fatal })
        let inPDF = validator.validate(xml: bytes, name: "factur-x.xml", selection: daemon, facturX: true).findings
        #expect(inPDF.contains { $0.rule == "FX-SCH-NOT-USED" && $0.severity == .fatal })
    }

    @Test("the daemon's rule sets find every official CEN example valid",
          .enabled(if: ModelCorpus.isPresent, "needs ../shared/corpus/cen"))
    func officialExamplesStayValid() throws {
        let validator = Validator(schemas: nil)
        let daemon = RuleSelection(xsd: false, packs: RulePackSelection(enabling: [.en16931, .facturx]))
        for file in try ModelCorpus.examples() {
            let findings = validator.validate(xml: Array(try Data(contentsOf: file)), name: file.lastPathComponent,
                                              selection: daemon).findings
            #expect(!findings.hasFatal, "\(file.lastPathComponent): \(findings.filter { $0.severity == .fatal }.map(\.rule))")
        }
    }

    @Test("the valid invoice of each profile has no fatal finding",
          arguments: ["minimum", "basicwl", "basic", "en16931", "extended"])
    func validFixture(profile: String) throws {
        let findings = Self.findings(try Self.fixture(profile))
        #expect(!findings.hasFatal, "\(findings.map { "\($0.rule) \($0.severity)" })")
        #expect(!findings.contains { $0.rule == "LIASSE-INTERNAL" })
    }

    @Test("BASIC: the delivery without a date or address gets the official warning FX-SCH-A-000372, line 90")
    func basicWarning() throws {
        let findings = Self.findings(try Self.fixture("basic"))
        let warning = try #require(findings.first { $0.rule == "FX-SCH-A-000372" })
        #expect(warning.severity == .warning)
        #expect(warning.line == 90)
        #expect(warning.messageEn.contains("Official text:"))
    }

    @Test("MINIMUM: a second invoice number fires FX-SCH-A-000019 (fatal) on rsm:ExchangedDocument")
    func minimumTwoNumbers() throws {
        let xml = try Self.fixture("minimum")
        let number = try #require(xml.range(of: #"<ram:ID>[^<]*</ram:ID>"#, options: .regularExpression,
                                            range: xml.range(of: "<rsm:ExchangedDocument>")!.upperBound..<xml.endIndex))
        let broken = xml.replacingCharacters(in: number, with: String(xml[number]) + String(xml[number]))
        let findings = Self.findings(broken)
        let finding = try #require(findings.first { $0.rule == "FX-SCH-A-000019" })
        #expect(finding.severity == .fatal)
        #expect(finding.line == 11)
        #expect(finding.path == "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument")
        #expect(finding.message.contains("exactement une fois"))
    }

    @Test("EN 16931: a type code outside the profile's list fires FX-SCH-A-000555 (fatal), line 13")
    func en16931TypeCode() throws {
        let xml = try Self.fixture("en16931")
        let broken = xml.replacingOccurrences(of: "<ram:TypeCode>380</ram:TypeCode>", with: "<ram:TypeCode>999</ram:TypeCode>")
        let findings = Self.findings(broken)
        let finding = try #require(findings.first { $0.rule == "FX-SCH-A-000555" })
        #expect(finding.severity == .fatal)
        #expect(finding.line == 13)
        #expect(Set(findings.filter { $0.severity == .fatal }.map(\.rule)) == ["FX-SCH-A-000555"])
    }

    @Test("BASIC: an attribute the profile does not use is reported as FX-SCH-NOT-USED (fatal), line 12")
    func basicNotUsed() throws {
        let xml = try Self.fixture("basic")
        let broken = xml.replacingOccurrences(of: "<rsm:ExchangedDocument>\n    <ram:ID>", with: "<rsm:ExchangedDocument>\n    <ram:ID schemeID=\"X\">")
        #expect(broken != xml)
        let finding = try #require(Self.findings(broken).first { $0.rule == "FX-SCH-NOT-USED" })
        #expect(finding.severity == .fatal)
        #expect(finding.line == 12)
        #expect(finding.message.contains("@schemeID"))
    }

    @Test("EXTENDED: an unknown invoice currency fires FX-SCH-A-000861 and BR-FXEXT-CO-15 (fatal)")
    func extendedCurrency() throws {
        let xml = try Self.fixture("extended")
        let broken = xml.replacingOccurrences(of: "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
                                              with: "<ram:InvoiceCurrencyCode>EUX</ram:InvoiceCurrencyCode>")
        let fatal = Self.findings(broken).filter { $0.severity == .fatal }
        #expect(Set(fatal.map(\.rule)) == ["FX-SCH-A-000861", "BR-FXEXT-CO-15", "FX-SCH-NOT-USED"])
        #expect(fatal.first { $0.rule == "FX-SCH-A-000861" }?.line == 93)
    }

    @Test("with en16931 and facturx, a finding both sets give is reported once")
    func composition() throws {
        let xml = try Self.fixture("en16931").replacingOccurrences(of: "<ram:TypeCode>380</ram:TypeCode>",
                                                                     with: "<ram:TypeCode>999</ram:TypeCode>")
        let findings = Self.findings(xml, also: ["en16931"])
        let keys = findings.map { "\($0.rule)|\($0.severity)|\($0.path ?? "")|\($0.line ?? 0)" }
        #expect(keys.count == Set(keys).count)
        #expect(findings.contains { $0.rule == "FX-SCH-A-000555" })
        #expect(findings.contains { $0.rule == "BR-CL-01" })
    }

    @Test("a UBL invoice or a CII of another profile gets nothing from the facturx set")
    func otherDocuments() throws {
        let xml = try Self.fixture("en16931").replacingOccurrences(of: "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
                                                                     with: "<ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>")
        #expect(Self.findings(xml).isEmpty)
    }
}
