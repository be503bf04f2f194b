import Foundation
import Testing
import LiasseXML
@testable import LiasseRules

/// The syntax rules (UBL-SR/DT/CR, CII-SR/DT) and code-list rules (BR-CL) as the table-driven
/// engine evaluates them, on documents whose official verdict was taken from the CEN
/// schematron run by Saxon (`scripts/conformance/oracle.py --no-xsd`).
@Suite("Schematron syntax and code-list rules")
struct SyntaxRulesTests {
    /// (name, binding, document, failed asserts of the BR-CL/UBL/CII families per the official XSLT).
    static let cases: [(String, SchematronTable.Binding, String, Set<String>)] = [
        ("ublVersion", .ubl, SchematronRun.ubl("<cbc:UBLVersionID>2.0</cbc:UBLVersionID>"), ["UBL-CR-002:warning"]),
        ("ublAllowance", .ubl, SchematronRun.ubl("<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>XYZ</cbc:AllowanceChargeReasonCode></cac:AllowanceCharge>"), ["BR-CL-19:fatal"]),
        ("ublCharge", .ubl, SchematronRun.ubl("<cac:AllowanceCharge><cbc:ChargeIndicator> true </cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>XYZ</cbc:AllowanceChargeReasonCode></cac:AllowanceCharge>"), ["BR-CL-20:fatal"]),
        ("ublVatexLower", .ubl, SchematronRun.ubl("<cac:TaxTotal><cac:TaxSubtotal><cac:TaxCategory><cbc:ID>E</cbc:ID><cbc:TaxExemptionReasonCode>vatex-eu-ic</cbc:TaxExemptionReasonCode></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>"), []),
        ("ublVatexSpace", .ubl, SchematronRun.ubl("<cac:TaxTotal><cac:TaxSubtotal><cac:TaxCategory><cbc:ID>e</cbc:ID><cbc:TaxExemptionReasonCode>VATEX EU</cbc:TaxExemptionReasonCode></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>"), ["BR-CL-17:fatal", "BR-CL-22:fatal"]),
        ("ublNoteQuirk", .ubl, SchematronRun.ubl("<cbc:Note>#AA #spanning a separator</cbc:Note><cbc:Note>#AAI#fine</cbc:Note><cbc:Note>no code</cbc:Note>"), []),
        ("ublNoteBad", .ubl, SchematronRun.ubl("<cbc:Note>#QQQ#unknown subject</cbc:Note>"), ["BR-CL-08:fatal"]),
        ("ublCurrency", .ubl, SchematronRun.ubl("<cbc:DocumentCurrencyCode> EUR </cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>eur</cbc:TaxCurrencyCode>"), ["BR-CL-05:fatal"]),
        ("ublKelvin", .ubl, SchematronRun.ubl("<cac:InvoiceLine><cbc:InvoicedQuantity unitCode=\"\u{212A}GM\">1</cbc:InvoicedQuantity></cac:InvoiceLine>"), ["BR-CL-23:fatal", "UBL-SR-48:fatal"]),
        ("ublTwoVat", .ubl, SchematronRun.ubl("<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>FR1</cbc:CompanyID><cac:TaxScheme><cbc:ID>vat</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme><cac:PartyTaxScheme><cbc:CompanyID>FR2</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>"), ["UBL-SR-12:fatal"]),
        ("ublPaymentIDs", .ubl, SchematronRun.ubl("<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>A</cbc:PaymentID></cac:PaymentMeans><cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>B</cbc:PaymentID></cac:PaymentMeans>"), ["UBL-SR-44:fatal"]),
        ("ublAmounts", .ubl, SchematronRun.ubl("<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID=\"EUR\">10.005</cbc:PayableAmount></cac:LegalMonetaryTotal><cac:InvoiceLine><cac:Price><cbc:PriceAmount currencyID=\"EUR\">1.0005</cbc:PriceAmount><cac:AllowanceCharge><cbc:Amount currencyID=\"EUR\">0.001</cbc:Amount></cac:AllowanceCharge></cac:Price></cac:InvoiceLine>"), ["UBL-DT-01:fatal", "UBL-SR-48:fatal"]),
        ("ciiTypeCode", .cii, SchematronRun.cii("<rsm:ExchangedDocument><ram:TypeCode>999</ram:TypeCode></rsm:ExchangedDocument>"), ["BR-CL-01:fatal"]),
        ("ciiOriginShadow", .cii, SchematronRun.cii("<rsm:SupplyChainTradeTransaction><ram:IncludedSupplyChainTradeLineItem><ram:SpecifiedTradeProduct><ram:OriginTradeCountry><ram:ID schemeID=\"0002\">ZZ</ram:ID></ram:OriginTradeCountry></ram:SpecifiedTradeProduct></ram:IncludedSupplyChainTradeLineItem></rsm:SupplyChainTradeTransaction>"), []),
        ("ciiOrigin", .cii, SchematronRun.cii("<rsm:SupplyChainTradeTransaction><ram:IncludedSupplyChainTradeLineItem><ram:SpecifiedTradeProduct><ram:OriginTradeCountry><ram:ID>ZZ</ram:ID></ram:OriginTradeCountry></ram:SpecifiedTradeProduct></ram:IncludedSupplyChainTradeLineItem></rsm:SupplyChainTradeTransaction>"), ["BR-CL-15:fatal"]),
        ("ciiDates", .cii, SchematronRun.cii("<rsm:ExchangedDocument><ram:IssueDateTime><udt:DateTimeString format=\"102\">20241301</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>"), ["CII-DT-097:fatal", "CII-SR-014:fatal"]),
        ("ciiDatesUnicode", .cii, SchematronRun.cii("<rsm:ExchangedDocument><ram:IssueDateTime><udt:DateTimeString format=\"102\">\u{0662}\u{0660}\u{0662}\u{0664}0230</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>"), ["CII-SR-014:fatal"]),
        ("ciiAllowance", .cii, SchematronRun.cii("<rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement><ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator><ram:ReasonCode>XYZ</ram:ReasonCode></ram:SpecifiedTradeAllowanceCharge></ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>"), ["BR-CL-19:fatal"]),
    ]

    @Test(arguments: 0..<cases.count)
    func agreesWithTheOfficialSchematron(_ number: Int) throws {
        let (name, binding, xml, expected) = Self.cases[number]
        let actual = try SchematronRun.failures(xml, binding)
        #expect(actual == expected, "\(name)")
    }

    @Test func tablesHoldEveryRuleOfTheArtefacts() {
        // Counts of asserts per family in the CEN 1.3.16 XSLT.
        func count(_ table: SchematronTable, _ prefix: String) -> Int {
            table.patterns.flatMap(\.rules).flatMap(\.asserts).filter { $0.id.hasPrefix(prefix) }.count
        }
        #expect(count(.ubl, "UBL-SR-") == 54)
        #expect(count(.ubl, "UBL-DT-") == 24)
        #expect(count(.ubl, "UBL-CR-") == 678)
        #expect(count(.ubl, "BR-CL-") == 23)
        #expect(count(.cii, "CII-SR-") == 482)
        #expect(count(.cii, "CII-DT-") == 101)
        #expect(count(.cii, "BR-CL-") == 23)
    }

    @Test func everyExpressionCompiles() throws {
        for table in [SchematronTable.ubl, .cii] {
            let program = try SchematronPrograms.cen(table.binding).get()
            let compiled = program.patterns.flatMap(\.rules).flatMap(\.asserts).map(\.source.id)
            #expect(compiled == table.patterns.flatMap(\.rules).flatMap(\.asserts).map(\.id))
        }
    }

    @Test func everyRuleHasAMessageInBothLanguages() {
        for table in [SchematronTable.ubl, .cii] {
            for assert in table.patterns.flatMap(\.rules).flatMap(\.asserts) {
                if assert.id.hasPrefix("BR-CL-") {
                    #expect(CodeListCatalogue.entries[assert.id] != nil, "\(assert.id)")
                } else if assert.shape == .custom {
                    #expect(SyntaxCatalogue.custom[assert.id] != nil, "\(assert.id) needs a hand-written message")
                }
                let definition = assert.id.hasPrefix("BR-CL-")
                    ? CodeListCatalogue.definition(for: assert.id, binding: table.binding)
                    : SyntaxCatalogue.definition(for: assert, binding: table.binding)
                #expect(definition.severity.rawValue == assert.flag.rawValue)
                #expect(!definition.french.isEmpty && !definition.english.isEmpty && definition.french != definition.english)
                #expect(!(definition.french + definition.english).contains("Optional("), "\(assert.id)")
            }
        }
    }

    @Test func findingsPointAtTheContextElement() throws {
        let xml = SchematronRun.ubl("\n<cbc:DocumentCurrencyCode>EURO</cbc:DocumentCurrencyCode>")
        let document = try SchematronRun.document(xml)
        let index = document.nodeIndex()
        let failures = try SchematronPrograms.cen(.ubl).get().run(on: index)
        let failure = try #require(failures.first { $0.assert.id == "BR-CL-04" })
        let location = try #require(failure.location(in: index))
        #expect(location.line == 2)
        #expect(location.path.hasSuffix("cbc:DocumentCurrencyCode"))
    }

    @Test(.enabled(if: SharedArtefacts.hasCorpus, "../shared/corpus/cen is absent: the official examples cannot be checked here"))
    func officialExamplesRaiseNoSyntaxOrCodeListFinding() throws {
        // The CEN schematron raises no BR-CL, UBL-* or CII-* assert on any of its examples.
        let files = try SharedArtefacts.cenExamples()
        #expect(files.count >= 60)
        for file in files {
            let document = try XMLDocument.parse(Array(try Data(contentsOf: file)), name: file.lastPathComponent)
            let binding: SchematronTable.Binding = document.root?.localName == "CrossIndustryInvoice" ? .cii : .ubl
            let index = document.nodeIndex()
            let failures = try SchematronPrograms.cen(binding).get().run(on: index)
            #expect(failures.isEmpty, "\(file.lastPathComponent): \(failures.map(\.assert.id))")
        }
    }
}
