import Foundation
import LiasseInvoice
import LiasseXML
import Testing

@Suite("Invoice model")
struct ModelTests {
    /// The same business content in UBL and CII reads to the same model, up to syntax
    /// (locations, date notation).
    @Test func theUBLAndCIIPairGiveEqualModels() throws {
        let ubl = try Fixtures.invoice(try Fixtures.document(Fixtures.invoices.appendingPathComponent("pair-F2026-0500.ubl.xml")))
        let cii = try Fixtures.invoice(try Fixtures.document(Fixtures.invoices.appendingPathComponent("pair-F2026-0500.cii.xml")))
        #expect(ubl.syntax == .ublInvoice && cii.syntax == .cii)
        #expect(ubl.profile == .en16931 && cii.profile == .en16931)
        func semantic(_ invoice: Invoice) -> [String] {
            invoice.terms.map { term in
                var value = term.value
                // Dates: YYYY-MM-DD in UBL, YYYYMMDD (format 102) in CII.
                if value.count == 8, value.allSatisfy(\.isNumber), ["BT-2", "BT-9", "BT-26", "BT-72", "BT-73", "BT-74"].contains(term.term) {
                    value = "\(value.prefix(4))-\(value.dropFirst(4).prefix(2))-\(value.suffix(2))"
                }
                // Amounts compare by value (1.50 and 1.5 are the same amount).
                if let decimal = ExactDecimal(parsing: value), term.term.hasPrefix("BT-1"), value.contains(".") {
                    value = decimal.description
                }
                // Schemes of identifiers and unit codes are syntax-neutral; the currency
                // attribute (UBL puts it on every amount, CII on one) and CII's VA/FC tax
                // scheme markers are not.
                let neutral: Set<String> = ["BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49", "BT-129", "BT-157", "BT-158"]
                let qualifier = neutral.contains(term.term) ? (term.qualifier.map { "[\($0)]" } ?? "") : ""
                // Group occurrence names differ only in what each syntax can express.
                return "\(term.term)=\(value)\(qualifier)"
            }.sorted()
        }
        let onlyUBL = Set(semantic(ubl)).subtracting(semantic(cii))
        let onlyCII = Set(semantic(cii)).subtracting(semantic(ubl))
        // UBL has no element for the note subject code (BT-21); everything else matches.
        #expect(onlyUBL.filter { !$0.hasPrefix("BT-22") }.isEmpty, "only in UBL: \(onlyUBL.sorted())")
        #expect(onlyCII.filter { !$0.hasPrefix("BT-21") && !$0.hasPrefix("BT-22") }.isEmpty, "only in CII: \(onlyCII.sorted())")
        #expect(ubl.lines.count == 4 && cii.lines.count == 4)
        #expect(ubl.totals.due?.value == cii.totals.due?.value)
        #expect(ubl.vatBreakdown.map { $0.rate?.value } == cii.vatBreakdown.map { $0.rate?.value })
    }

    @Test func normalizeSpaceTrimsAndCollapsesXMLWhitespaceOnly() {
        let cases: [(String, String)] = [
            ("", ""), (" ", ""), ("\t\r\n", ""), ("a", "a"), ("a b", "a b"), (" a", "a"), ("a ", "a"),
            ("a  b", "a b"), ("a\tb", "a b"), ("\n x \r\n y \t", "x y"), ("é  ü", "é ü"),
            // No-break space and ideographic space are not XML whitespace.
            ("a\u{00A0}b", "a\u{00A0}b"), ("\u{3000}a", "\u{3000}a"),
            ("F2026-0001", "F2026-0001"), (" long identifier with   spaces inside ", "long identifier with spaces inside"),
        ]
        for (input, expected) in cases {
            #expect(input.normalizedSpace == expected, "\(input.debugDescription)")
        }
    }

    @Test func amountsAreExactDecimalsThatKeepTheirScale() throws {
        let amount = try #require(ExactDecimal(parsing: " 1234.50 "))
        #expect(amount.fractionDigits == 2)
        #expect(amount.value == Decimal(string: "1234.5"))
        #expect(ExactDecimal(parsing: "0.1")!.value + ExactDecimal(parsing: "0.2")!.value == ExactDecimal(parsing: "0.3")!.value)
        #expect(ExactDecimal(parsing: "-0.00")?.value == 0)
        #expect(ExactDecimal(parsing: "1e3") == nil)
        #expect(ExactDecimal(parsing: "1,5") == nil)
        #expect(ExactDecimal(parsing: "") == nil)
        #expect(ExactDecimal(parsing: "1.2.3") == nil)
        #expect(Decimal(string: "2.675")!.rounded(scale: 2) == Decimal(string: "2.68"))
        #expect(Decimal(string: "-2.675")!.rounded(scale: 2) == Decimal(string: "-2.68"))
    }

    @Test func missingEmptyAndRepeatedElementsAreKeptAsSuch() throws {
        let invoice = try Fixtures.invoice("""
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
                     xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
              <cbc:ID> </cbc:ID>
              <cbc:Note>one</cbc:Note>
              <cbc:Note>two</cbc:Note>
              <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">abc</cbc:PayableAmount></cac:LegalMonetaryTotal>
            </Invoice>
            """)
        #expect(invoice.number?.isEmpty == true)
        #expect(invoice.issueDate == nil)
        #expect(invoice.currency == nil)
        #expect(invoice.notes.count == 2)
        #expect(invoice.totals.due?.text.raw == "abc")
        #expect(invoice.totals.due?.decimal == nil)
        #expect(invoice.totals.due?.unit == "EUR")
        #expect(invoice.seller == nil)
        #expect(invoice.lines.isEmpty)
        #expect(invoice.profile == .unknown(nil))
    }

    @Test func profilesAndChorusSyntaxCodesAreDetected() {
        #expect(InvoiceProfile(specificationIdentifier: " urn:factur-x.eu:1p0:minimum ") == .facturXMinimum)
        #expect(InvoiceProfile(specificationIdentifier: "urn:factur-x.eu:1p0:basicwl") == .facturXBasicWL)
        #expect(InvoiceProfile(specificationIdentifier: "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic") == .facturXBasic)
        #expect(InvoiceProfile(specificationIdentifier: "urn:cen.eu:en16931:2017") == .en16931)
        #expect(InvoiceProfile(specificationIdentifier: "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended") == .facturXExtended)
        #expect(InvoiceProfile(specificationIdentifier: "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr") == .extendedCTCFR)
        #expect(InvoiceProfile(specificationIdentifier: "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0") == .xrechnung)
        #expect(InvoiceProfile(specificationIdentifier: "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0") == .peppolBIS)
        #expect(InvoiceProfile(specificationIdentifier: "urn:zugferd.de:2p0:basic") == .zugferd2("urn:zugferd.de:2p0:basic"))
        #expect(InvoiceProfile(specificationIdentifier: "urn:example") == .unknown("urn:example"))
        #expect(ChorusSyntaxCode(syntax: .ublInvoice, inFacturX: false, mixed: false) == .ublInvoice)
        #expect(ChorusSyntaxCode(syntax: .ublCreditNote, inFacturX: false, mixed: false) == .ublInvoice)
        #expect(ChorusSyntaxCode(syntax: .cii, inFacturX: false, mixed: false) == .cii16B)
        #expect(ChorusSyntaxCode(syntax: .cii, inFacturX: true, mixed: false) == .facturX)
        #expect(ChorusSyntaxCode(syntax: .ublInvoice, inFacturX: false, mixed: true) == .ublMixed)
        #expect(ChorusSyntaxCode(syntax: .cii, inFacturX: false, mixed: true) == .ciiMixed)
    }

    @Test func otherDocumentsAreNamedNotMisread() throws {
        func outcome(_ text: String) throws -> InvoiceReader.Outcome {
            InvoiceReader.read(try XMLDocument.parse(Array(text.utf8)))
        }
        guard case .notAnInvoice(let order) = try outcome("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>") else {
            Issue.record("an Order read as an invoice"); return
        }
        #expect(order.english.contains("Order-2"))
        guard case .notAnInvoice(let page) = try outcome("<html><body/></html>") else { Issue.record("HTML read as an invoice"); return }
        #expect(page == .html)
        guard case .unsupportedVersion(let ubl20) = try outcome("""
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:UBLVersionID>2.0</cbc:UBLVersionID></Invoice>
            """) else { Issue.record("UBL 2.0 accepted"); return }
        #expect(ubl20.contains("2.0"))
        guard case .unsupportedVersion(let zugferd1) = try outcome("<CrossIndustryDocument xmlns=\"urn:ferd:CrossIndustryDocument:invoice:1p0\"/>") else {
            Issue.record("ZUGFeRD 1.0 accepted"); return
        }
        #expect(zugferd1.contains("ZUGFeRD 1.0"))
        guard case .unsupportedVersion(let zugferd2) = try outcome("""
            <rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
              xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
              <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:zugferd.de:2p0:extended</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
            </rsm:CrossIndustryInvoice>
            """) else { Issue.record("ZUGFeRD 2.0 accepted"); return }
        #expect(zugferd2.contains("ZUGFeRD 2.0"))
    }

    /// 100,000 lines are read in time and memory proportional to their size: the reader and
    /// the locators never rescan siblings.
    @Test func aHundredThousandLinesAreReadLinearly() throws {
        func invoice(lines: Int) -> String {
            var text = """
                <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
                         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
                <cbc:ID>BIG-1</cbc:ID>

                """
            text.reserveCapacity(lines * 200)
            for index in 1...lines {
                text += "<cac:InvoiceLine><cbc:ID>\(index)</cbc:ID><cbc:InvoicedQuantity unitCode=\"C62\">1</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID=\"EUR\">1.00</cbc:LineExtensionAmount></cac:InvoiceLine>\n"
            }
            return text + "</Invoice>"
        }
        func readTime(lines: Int) throws -> (Duration, Invoice) {
            let document = try XMLDocument.parse(Array(invoice(lines: lines).utf8), limits: XMLLimits(maxDocumentBytes: 100_000_000))
            let clock = ContinuousClock()
            var result: Invoice?
            let elapsed = try clock.measure { result = try Fixtures.invoice(document) }
            return (elapsed, try #require(result))
        }
        let (small, smallInvoice) = try readTime(lines: 10_000)
        let (large, largeInvoice) = try readTime(lines: 100_000)
        #expect(smallInvoice.lines.count == 10_000)
        #expect(largeInvoice.lines.count == 100_000)
        #expect(largeInvoice.lines.last?.identifier?.location.path == "/Invoice/cac:InvoiceLine[100000]/cbc:ID")
        #expect(largeInvoice.lines.last?.identifier?.location.line == 100_004)
        print("read 10,000 lines in \(small), 100,000 lines in \(large)")
        // Ten times the lines may cost ten times the time, not a hundred: allow generous noise.
        #expect(large < small * 40, "10k lines: \(small), 100k lines: \(large)")
    }
}
