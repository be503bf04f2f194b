import Foundation
import Testing

/// `liasse inspect`: what Liasse understood of an invoice, from XML or from a Factur-X PDF.
@Suite("liasse inspect")
struct InspectCommandTests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func readsXMLAndFacturXToTheSameTerms() throws {
        let xml = try Checkout.liasse(["inspect", "--json", Checkout.root.appendingPathComponent("Tests/Fixtures/invoices/pair-F2026-0500.cii.xml").path])
        #expect(xml.status == 0, "\(xml.err)")
        let fromXML = try json(xml.out)
        #expect(fromXML["syntax"] as? String == "cii")
        #expect(fromXML["chorusSyntaxCode"] as? String == "IN_DP_E1_CII_16B")
        let terms = try #require(fromXML["terms"] as? [[String: Any]])
        #expect(terms.first { $0["term"] as? String == "BT-1" }?["value"] as? String == "F2026-0500")
        #expect(terms.filter { $0["term"] as? String == "BT-126" }.count == 4)

        let pdf = try Checkout.liasse(["inspect", "--json", Checkout.root.appendingPathComponent("Tests/Fixtures/facturx/valid-en16931.pdf").path])
        #expect(pdf.status == 0, "\(pdf.err)")
        let fromPDF = try json(pdf.out)
        #expect(fromPDF["chorusSyntaxCode"] as? String == "IN_DP_E2_CII_FACTURX")
        #expect(fromPDF["profileName"] as? String == "EN 16931")
        #expect((fromPDF["terms"] as? [[String: Any]])?.contains { $0["term"] as? String == "BT-1" } == true)
    }

    @Test func saysWhyAFileCannotBeInspected() throws {
        let encrypted = try Checkout.liasse(["inspect", Checkout.root.appendingPathComponent("Tests/Fixtures/facturx/encrypted-owner.pdf").path])
        #expect(encrypted.status == 1)
        #expect(encrypted.err.contains("refused"))
        let order = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-order-\(UUID().uuidString).xml")
        try Data("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>".utf8).write(to: order)
        defer { try? FileManager.default.removeItem(at: order) }
        let notInvoice = try Checkout.liasse(["inspect", order.path])
        #expect(notInvoice.status == 1)
        #expect(notInvoice.err.contains("Order-2"))
    }
}
