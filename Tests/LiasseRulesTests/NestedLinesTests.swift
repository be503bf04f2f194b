import Foundation
import LiasseInvoice
@testable import LiasseRules
import LiasseXML
import Testing

/// UBL lines outside BG-25 (a `cac:InvoiceLine` in a `cac:GoodsItem`): the official rules judge
/// them as lines (docs/rules/DEVIATIONS.md). Each fixture of Tests/Fixtures/nested-lines is
/// checked against the exact (rule, severity) set the official schematron 1.3.16 gives on it
/// (`scripts/conformance/oracle.py --no-xsd FILE`, noted next to each test).
@Suite struct NestedLinesTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/nested-lines")

    /// Every EN 16931 finding (model, code lists, syntax) on the fixture, as `rule/severity`.
    static func findings(_ name: String) throws -> Set<String> {
        let xml = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        let (invoice, document) = try ModelRun.invoice(xml)
        var findings: [Finding] = []
        EN16931RuleSet().check(RuleContext(invoice: invoice, document: document), into: &findings)
        return Set(findings.map { "\($0.rule)/\($0.severity.rawValue)" })
    }

    static func read(_ name: String) throws -> Invoice {
        let xml = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        return try ModelRun.invoice(xml).0
    }

    @Test func theReaderKeepsNestedLinesApartWithTheirElementName() throws {
        let invoice = try Self.read("invoice-nested-line-co10.ubl.xml")
        #expect(invoice.lines.count == 1)
        #expect(invoice.nestedLines.count == 1)
        #expect(invoice.nestedLines.first?.isCreditNoteLine == false)
        #expect(invoice.nestedLines.first?.line.identifier?.raw == "1.1")
        #expect(invoice.nestedLines.first?.line.netAmount?.value == 50)

        let creditNote = try Self.read("creditnote-nested-creditnoteline.ubl.xml")
        #expect(creditNote.lines.count == 1)
        #expect(creditNote.nestedLines.map(\.isCreditNoteLine) == [true])
        #expect(creditNote.nestedLines.first?.line.quantity?.text.raw == "1")
        #expect(creditNote.nestedLines.first?.line.quantity?.unit == nil)
    }

    /// Oracle: BR-26, BR-27, BR-E-01 (fatal), UBL-CR-409 (warning). The nested line has no
    /// price, and its E item category needs an E breakdown.
    @Test func invoiceWithANestedLineInAnotherCategory() throws {
        #expect(try Self.findings("invoice-nested-line-other-category.ubl.xml")
                == ["BR-26/fatal", "BR-27/fatal", "BR-E-01/fatal", "UBL-CR-409/warning"])
    }

    /// Oracle: BR-CO-10 (fatal), UBL-CR-550 (warning). A line nested in a line's delivery adds
    /// its 50.00 to Σ BT-131.
    @Test func invoiceWhoseNestedLineBreaksTheLineTotal() throws {
        #expect(try Self.findings("invoice-nested-line-co10.ubl.xml") == ["BR-CO-10/fatal", "UBL-CR-550/warning"])
    }

    /// Oracle: BR-CO-10 (fatal), UBL-CR-409 (warning). In a credit note, a nested
    /// `cac:InvoiceLine` counts in BR-CO-10 too; BR-S-08 still holds (the credit-note-line branch).
    @Test func creditNoteWithANestedInvoiceLine() throws {
        #expect(try Self.findings("creditnote-nested-invoiceline.ubl.xml") == ["BR-CO-10/fatal", "UBL-CR-409/warning"])
    }

    /// Oracle: UBL-CR-409 (warning) only; without the nested line, BR-E-08 (fatal). The nested
    /// `cac:InvoiceLine` makes `exists(//cac:InvoiceLine)` true, and that branch sums the root's
    /// invoice lines, of which a credit note has none: 0.00 matches.
    @Test func aNestedInvoiceLineOpensTheInvoiceLineBranchOfX08() throws {
        let name = "creditnote-nested-invoiceline-x08.ubl.xml"
        #expect(try Self.findings(name) == ["UBL-CR-409/warning"])
        let xml = try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
        guard let start = xml.range(of: "<cac:Delivery>"), let end = xml.range(of: "</cac:Delivery>") else {
            Issue.record("fixture without its delivery")
            return
        }
        var withoutNested = xml
        withoutNested.removeSubrange(start.lowerBound..<end.upperBound)
        #expect(try ModelRun.ids(withoutNested) == ["BR-E-08"])
    }

    /// Oracle (`--no-xsd`: the UBL schema allows a `cac:CreditNoteLine` at the root only):
    /// BR-23, BR-Z-01 (fatal), UBL-CR-409 (warning). The nested credit note line has no unit
    /// and a Z category without breakdown.
    @Test func creditNoteWithANestedCreditNoteLine() throws {
        #expect(try Self.findings("creditnote-nested-creditnoteline.ubl.xml")
                == ["BR-23/fatal", "BR-Z-01/fatal", "UBL-CR-409/warning"])
    }
}
