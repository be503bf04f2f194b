import Foundation
import LiasseInvoice
import LiasseXML
import Testing

/// The model against values extracted independently with plain XPath over the document:
/// same values, same counts, same locations, for header, party, VAT breakdown and line terms.
@Suite("Model against XPath")
struct ModelAgainstXPathTests {
    static let namespaces = [
        "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
        "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
        "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    ]

    /// (term, UBL XPath, CII XPath). `/*` is the UBL root (Invoice or CreditNote).
    static let terms: [(String, String, String)] = {
        let cii = "/rsm:CrossIndustryInvoice"
        let agreement = "\(cii)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
        let settlement = "\(cii)/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
        let lineItem = "\(cii)/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
        let seller = "/*/cac:AccountingSupplierParty/cac:Party"
        let buyer = "/*/cac:AccountingCustomerParty/cac:Party"
        let lines = "/*/cac:InvoiceLine | /*/cac:CreditNoteLine"
        func line(_ step: String) -> String {
            "/*/cac:InvoiceLine/\(step) | /*/cac:CreditNoteLine/\(step)"
        }
        _ = lines
        return [
            ("BT-1", "/*/cbc:ID", "\(cii)/rsm:ExchangedDocument/ram:ID"),
            ("BT-2", "/*/cbc:IssueDate", "\(cii)/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"),
            ("BT-3", "/*/cbc:InvoiceTypeCode | /*/cbc:CreditNoteTypeCode", "\(cii)/rsm:ExchangedDocument/ram:TypeCode"),
            ("BT-5", "/*/cbc:DocumentCurrencyCode", "\(settlement)/ram:InvoiceCurrencyCode"),
            ("BT-6", "/*/cbc:TaxCurrencyCode", "\(settlement)/ram:TaxCurrencyCode"),
            ("BT-10", "/*/cbc:BuyerReference", "\(agreement)/ram:BuyerReference"),
            ("BT-12", "/*/cac:ContractDocumentReference/cbc:ID", "\(agreement)/ram:ContractReferencedDocument/ram:IssuerAssignedID"),
            ("BT-13", "/*/cac:OrderReference/cbc:ID", "\(agreement)/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
            ("BT-19", "/*/cbc:AccountingCost", "\(settlement)/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"),
            ("BT-23", "/*/cbc:ProfileID", "\(cii)/rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"),
            ("BT-24", "/*/cbc:CustomizationID", "\(cii)/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
            ("BT-25", "/*/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", "\(settlement)/ram:InvoiceReferencedDocument/ram:IssuerAssignedID"),
            ("BT-27", "\(seller)/cac:PartyLegalEntity/cbc:RegistrationName", "\(agreement)/ram:SellerTradeParty/ram:Name"),
            ("BT-30", "\(seller)/cac:PartyLegalEntity/cbc:CompanyID", "\(agreement)/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"),
            ("BT-31", "\(seller)/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID", "\(agreement)/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"),
            ("BT-37", "\(seller)/cac:PostalAddress/cbc:CityName", "\(agreement)/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CityName"),
            ("BT-40", "\(seller)/cac:PostalAddress/cac:Country/cbc:IdentificationCode", "\(agreement)/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID"),
            ("BT-44", "\(buyer)/cac:PartyLegalEntity/cbc:RegistrationName", "\(agreement)/ram:BuyerTradeParty/ram:Name"),
            ("BT-47", "\(buyer)/cac:PartyLegalEntity/cbc:CompanyID", "\(agreement)/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"),
            ("BT-48", "\(buyer)/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID", "\(agreement)/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"),
            ("BT-55", "\(buyer)/cac:PostalAddress/cac:Country/cbc:IdentificationCode", "\(agreement)/ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID"),
            ("BT-81", "/*/cac:PaymentMeans/cbc:PaymentMeansCode", "\(settlement)/ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode"),
            ("BT-106", "/*/cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "\(settlement)/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:LineTotalAmount"),
            ("BT-109", "/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "\(settlement)/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxBasisTotalAmount"),
            ("BT-112", "/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "\(settlement)/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:GrandTotalAmount"),
            ("BT-113", "/*/cac:LegalMonetaryTotal/cbc:PrepaidAmount", "\(settlement)/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TotalPrepaidAmount"),
            ("BT-115", "/*/cac:LegalMonetaryTotal/cbc:PayableAmount", "\(settlement)/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:DuePayableAmount"),
            ("BT-116", "/*/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "\(settlement)/ram:ApplicableTradeTax/ram:BasisAmount"),
            ("BT-117", "/*/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "\(settlement)/ram:ApplicableTradeTax/ram:CalculatedAmount"),
            ("BT-118", "/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", "\(settlement)/ram:ApplicableTradeTax/ram:CategoryCode"),
            ("BT-119", "/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", "\(settlement)/ram:ApplicableTradeTax/ram:RateApplicablePercent"),
            ("BT-126", line("cbc:ID"), "\(lineItem)/ram:AssociatedDocumentLineDocument/ram:LineID"),
            ("BT-129", line("cbc:InvoicedQuantity") + " | " + line("cbc:CreditedQuantity"), "\(lineItem)/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"),
            ("BT-131", line("cbc:LineExtensionAmount"), "\(lineItem)/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"),
            ("BT-146", line("cac:Price/cbc:PriceAmount"), "\(lineItem)/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"),
            ("BT-151", line("cac:Item/cac:ClassifiedTaxCategory/cbc:ID"), "\(lineItem)/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode"),
            ("BT-152", line("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"), "\(lineItem)/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent"),
            ("BT-153", line("cac:Item/cbc:Name"), "\(lineItem)/ram:SpecifiedTradeProduct/ram:Name"),
        ]
    }()

    static var files: [URL] { (try? Fixtures.allInvoiceFiles(includeCEN: true)) ?? [] }

    @Test(arguments: files)
    func modelMatchesXPath(_ file: URL) throws {
        let document = try Fixtures.document(file)
        let invoice = try Fixtures.invoice(document)
        let xpath = XPathEvaluator(document: document, namespaces: Self.namespaces)
        let byTerm = Dictionary(grouping: invoice.terms, by: \.term)
        var checked = 0
        for (term, ubl, cii) in Self.terms {
            let expected = try xpath.elements(invoice.syntax == .cii ? cii : ubl)
            let actual = byTerm[term] ?? []
            #expect(actual.count == expected.count, "\(file.lastPathComponent) \(term): model has \(actual.count), XPath \(expected.count)")
            for (model, element) in zip(actual, expected) {
                #expect(model.value == element.text.normalizedSpace, "\(file.lastPathComponent) \(term) value")
                #expect(model.path == element.path, "\(file.lastPathComponent) \(term) path")
                #expect(model.line == element.line, "\(file.lastPathComponent) \(term) line")
            }
            checked += expected.count
        }
        #expect(checked >= 20, "\(file.lastPathComponent): only \(checked) values compared")
    }

    @Test func theCorpusIsCheckedWhenPresent() {
        // Says so when ../shared is absent rather than passing on nothing.
        if Fixtures.hasCEN {
            #expect(Self.files.count > 60)
        } else {
            #expect(Self.files.count >= 4)
            print("../shared/corpus/cen is absent: the model is checked on the project's fixtures only")
        }
    }
}
