import LiasseXML

/// Binds UN/CEFACT Cross Industry Invoice documents (D16B and D22B; Factur-X XML) to the
/// EN 16931 model.
enum CIIReader {
    static func read(_ root: XMLElement) -> Invoice {
        let context = root.first(rsm("ExchangedDocumentContext"))
        let specification = context?.text(ram("GuidelineSpecifiedDocumentContextParameter"), ram("ID"))
        var invoice = Invoice(syntax: .cii, profile: InvoiceProfile(specificationIdentifier: specification?.raw))
        invoice.specification = specification
        invoice.businessProcess = context?.text(ram("BusinessProcessSpecifiedDocumentContextParameter"), ram("ID"))

        if let document = root.first(rsm("ExchangedDocument")) {
            invoice.number = document.text(ram("ID"))
            invoice.typeCode = document.text(ram("TypeCode"))
            invoice.issueDate = document.ciiDate(ram("IssueDateTime"))
            invoice.notes = document.all(ram("IncludedNote")).map { note in
                Note(subjectCode: note.text(ram("SubjectCode")), text: note.text(ram("Content")), location: note.location)
            }
        }
        guard let transaction = root.first(rsm("SupplyChainTradeTransaction")) else { return invoice }

        if let agreement = transaction.first(ram("ApplicableHeaderTradeAgreement")) {
            invoice.buyerReference = agreement.text(ram("BuyerReference"))
            invoice.seller = agreement.first(ram("SellerTradeParty")).map(party)
            invoice.buyer = agreement.first(ram("BuyerTradeParty")).map(party)
            invoice.taxRepresentative = agreement.first(ram("SellerTaxRepresentativeTradeParty")).map(party)
            invoice.salesOrderReference = agreement.text(ram("SellerOrderReferencedDocument"), ram("IssuerAssignedID"))
            invoice.purchaseOrderReference = agreement.text(ram("BuyerOrderReferencedDocument"), ram("IssuerAssignedID"))
            invoice.contractReference = agreement.text(ram("ContractReferencedDocument"), ram("IssuerAssignedID"))
            invoice.projectReference = agreement.text(ram("SpecifiedProcuringProject"), ram("ID"))
            for reference in agreement.all(ram("AdditionalReferencedDocument")) {
                invoice.additionalReferences.append(documentReference(reference))
                switch reference.text(ram("TypeCode"))?.value {
                case "50":
                    if invoice.tenderReference == nil { invoice.tenderReference = reference.text(ram("IssuerAssignedID")) }
                case "130":
                    if invoice.invoicedObjectIdentifier == nil {
                        invoice.invoicedObjectIdentifier = reference.text(ram("IssuerAssignedID")).map { id in
                            var id = id
                            id.scheme = reference.attributeValue(ram("ReferenceTypeCode"))
                            return id
                        }
                    }
                default:
                    invoice.supportingDocuments.append(supportingDocument(reference))
                }
            }
        }
        if let delivery = transaction.first(ram("ApplicableHeaderTradeDelivery")) {
            invoice.additionalReferences += delivery.all(ram("AdditionalReferencedDocument")).map(documentReference)
            var model = Delivery(location: delivery.location)
            model.partyName = delivery.text(ram("ShipToTradeParty"), ram("Name"))
            model.locationIdentifier = delivery.text(ram("ShipToTradeParty"), ram("GlobalID"))
                ?? delivery.text(ram("ShipToTradeParty"), ram("ID"))
            model.actualDeliveryDate = delivery.ciiDate(ram("ActualDeliverySupplyChainEvent"), ram("OccurrenceDateTime"))
            model.address = delivery.first(ram("ShipToTradeParty"), ram("PostalTradeAddress")).map(address)
            invoice.despatchAdviceReference = delivery.text(ram("DespatchAdviceReferencedDocument"), ram("IssuerAssignedID"))
            invoice.receivingAdviceReference = delivery.text(ram("ReceivingAdviceReferencedDocument"), ram("IssuerAssignedID"))
            if model.partyName != nil || model.locationIdentifier != nil || model.actualDeliveryDate != nil || model.address != nil {
                invoice.delivery = model
            }
        }
        if let settlement = transaction.first(ram("ApplicableHeaderTradeSettlement")) {
            readSettlement(settlement, into: &invoice)
        }
        invoice.lines = transaction.all(ram("IncludedSupplyChainTradeLineItem")).map(line)
        for item in transaction.all(ram("IncludedSupplyChainTradeLineItem")) {
            invoice.additionalReferences += item.all(ram("SpecifiedLineTradeAgreement"), ram("AdditionalReferencedDocument")).map(documentReference)
                + item.all(ram("SpecifiedLineTradeDelivery"), ram("AdditionalReferencedDocument")).map(documentReference)
                + item.all(ram("SpecifiedLineTradeSettlement"), ram("AdditionalReferencedDocument")).map(documentReference)
        }
        return invoice
    }

    private static func readSettlement(_ settlement: XMLElement, into invoice: inout Invoice) {
        invoice.currency = settlement.text(ram("InvoiceCurrencyCode"))
        invoice.vatAccountingCurrency = settlement.text(ram("TaxCurrencyCode"))
        invoice.payee = settlement.first(ram("PayeeTradeParty")).map(party)
        invoice.buyerAccountingReference = settlement.text(ram("ReceivableSpecifiedTradeAccountingAccount"), ram("ID"))
        invoice.invoicingPeriod = settlement.first(ram("BillingSpecifiedPeriod")).map(period)
        invoice.precedingInvoices = settlement.all(ram("InvoiceReferencedDocument")).map { reference in
            PrecedingInvoice(reference: reference.text(ram("IssuerAssignedID")),
                             issueDate: reference.ciiDate(ram("FormattedIssueDateTime")), location: reference.location)
        }
        let creditor = settlement.text(ram("CreditorReferenceID"))
        let remittance = settlement.text(ram("PaymentReference"))
        let terms = settlement.all(ram("SpecifiedTradePaymentTerms"))
        // Every payee but the header's (BG-10): in payment terms, at header or line level.
        // The official BR-17 context, `//ram:PayeeTradeParty`, reaches all of them.
        if let transaction = settlement.parent {
            invoice.paymentTermsPayees = transaction.descendants(ram("PayeeTradeParty"))
                .filter { $0.parent.map { !$0.isNamed("ApplicableHeaderTradeSettlement", in: NamespaceURI.ram) } ?? true }
                .map(party)
        }
        invoice.paymentTerms = terms.flatMap { $0.all(ram("Description")) }.map(\.asText)
        invoice.dueDate = terms.lazy.compactMap { $0.ciiDate(ram("DueDateDateTime")) }.first
        let mandate = terms.lazy.compactMap { $0.text(ram("DirectDebitMandateID")) }.first
        invoice.paymentInstructions = settlement.all(ram("SpecifiedTradeSettlementPaymentMeans")).map { means in
            var model = PaymentInstructions(location: means.location)
            model.meansCode = means.text(ram("TypeCode"))
            model.meansText = means.text(ram("Information"))
            model.remittanceInformation = remittance
            model.creditTransfers = means.all(ram("PayeePartyCreditorFinancialAccount")).map { account in
                var transfer = CreditTransfer(location: account.location)
                transfer.accountIdentifier = account.text(ram("IBANID")) ?? account.text(ram("ProprietaryID"))
                transfer.ibanIdentifier = account.text(ram("IBANID"))
                transfer.proprietaryIdentifier = account.text(ram("ProprietaryID"))
                transfer.accountName = account.text(ram("AccountName"))
                transfer.serviceProvider = means.text(ram("PayeeSpecifiedCreditorFinancialInstitution"), ram("BICID"))
                return transfer
            }
            if let card = means.first(ram("ApplicableTradeSettlementFinancialCard")) {
                model.card = PaymentCard(primaryAccountNumber: card.text(ram("ID")),
                                         holderName: card.text(ram("CardholderName")), location: card.location)
            }
            let debited = means.text(ram("PayerPartyDebtorFinancialAccount"), ram("IBANID"))
            if debited != nil || mandate != nil {
                model.directDebit = DirectDebit(mandateReference: mandate, creditorIdentifier: creditor,
                                                debitedAccount: debited, location: means.location)
            }
            return model
        }
        invoice.allowancesAndCharges = settlement.all(ram("SpecifiedTradeAllowanceCharge")).map(allowanceCharge)
        for tax in settlement.all(ram("ApplicableTradeTax")) {
            var model = VATBreakdown(location: tax.location)
            model.taxableAmount = tax.amount(ram("BasisAmount"))
            model.taxAmount = tax.amount(ram("CalculatedAmount"))
            model.category = tax.text(ram("CategoryCode"))
            model.rate = tax.amount(ram("RateApplicablePercent"))
            model.exemptionReason = tax.text(ram("ExemptionReason"))
            model.exemptionReasonCode = tax.text(ram("ExemptionReasonCode"))
            model.taxScheme = tax.text(ram("TypeCode"))
            model.hasTaxPointDate = tax.first(ram("TaxPointDate")) != nil
            model.dueDateTypeCode = tax.text(ram("DueDateTypeCode"))
            invoice.vatBreakdown.append(model)
            if invoice.taxPointDate == nil, let date = tax.first(ram("TaxPointDate")) {
                invoice.taxPointDate = date.ciiDateHere()
            }
            if invoice.taxPointDateCode == nil { invoice.taxPointDateCode = tax.text(ram("DueDateTypeCode")) }
        }
        if let totals = settlement.first(ram("SpecifiedTradeSettlementHeaderMonetarySummation")) {
            invoice.totals.location = totals.location
            invoice.totals.lineNetSum = totals.amount(ram("LineTotalAmount"))
            invoice.totals.chargeSum = totals.amount(ram("ChargeTotalAmount"))
            invoice.totals.allowanceSum = totals.amount(ram("AllowanceTotalAmount"))
            invoice.totals.taxExclusive = totals.amount(ram("TaxBasisTotalAmount"))
            invoice.totals.vatTotals = totals.all(ram("TaxTotalAmount")).map(\.asAmount)
            invoice.totals.rounding = totals.amount(ram("RoundingAmount"))
            invoice.totals.taxInclusive = totals.amount(ram("GrandTotalAmount"))
            invoice.totals.prepaid = totals.amount(ram("TotalPrepaidAmount"))
            invoice.totals.due = totals.amount(ram("DuePayableAmount"))
        }
    }

    private static func supportingDocument(_ reference: XMLElement) -> SupportingDocument {
        var model = SupportingDocument(location: reference.location)
        model.reference = reference.text(ram("IssuerAssignedID"))
        model.description = reference.text(ram("Name"))
        model.externalLocation = reference.text(ram("URIID"))
        if let binary = reference.first(ram("AttachmentBinaryObject")) {
            model.attachment = Text(raw: binary.text, location: binary.location)
            model.mimeCode = binary.attribute("mimeCode")
            model.fileName = binary.attribute("filename")
        }
        return model
    }

    static func party(_ element: XMLElement) -> Party {
        var party = Party(location: element.location)
        party.name = element.text(ram("Name"))
        party.tradingName = element.text(ram("SpecifiedLegalOrganization"), ram("TradingBusinessName"))
        party.identifiers = (element.all(ram("ID")) + element.all(ram("GlobalID"))).map(\.asText)
        party.identifierElements = element.all(ram("ID")).map(\.asText)
        party.globalIdentifiers = element.all(ram("GlobalID")).map(\.asText)
        party.legalName = element.text(ram("Name"))
        party.partyNames = element.all(ram("Name")).map(\.asText)
        party.hasElectronicAddressGroup = element.first(ram("URIUniversalCommunication")) != nil
        party.legalRegistration = element.text(ram("SpecifiedLegalOrganization"), ram("ID"))
        party.additionalLegalInformation = element.text(ram("Description"))
        party.electronicAddress = element.text(ram("URIUniversalCommunication"), ram("URIID"))
        for registration in element.all(ram("SpecifiedTaxRegistration")) {
            let id = registration.first(ram("ID"))
            party.taxRegistrations.append(TaxRegistration(
                identifier: id?.asText,
                taxScheme: id.flatMap { id in id.attribute("schemeID").map {
                    Text(raw: $0, location: SourceLocation(path: id.attributePath("schemeID"), line: id.line)) } },
                location: registration.location))
        }
        for registration in element.all(ram("SpecifiedTaxRegistration"), ram("ID")) {
            switch registration.attribute("schemeID") {
            case "VA": if party.vatIdentifier == nil { party.vatIdentifier = registration.asText }
            case "FC": if party.taxRegistration == nil { party.taxRegistration = registration.asText }
            default: break
            }
        }
        party.address = element.first(ram("PostalTradeAddress")).map(address)
        if let contact = element.first(ram("DefinedTradeContact")) {
            var model = Contact(location: contact.location)
            model.name = contact.text(ram("PersonName")) ?? contact.text(ram("DepartmentName"))
            model.telephone = contact.text(ram("TelephoneUniversalCommunication"), ram("CompleteNumber"))
            model.email = contact.text(ram("EmailURIUniversalCommunication"), ram("URIID"))
            party.contact = model
        }
        return party
    }

    static func address(_ element: XMLElement) -> PostalAddress {
        var address = PostalAddress(location: element.location)
        address.line1 = element.text(ram("LineOne"))
        address.line2 = element.text(ram("LineTwo"))
        address.line3 = element.text(ram("LineThree"))
        address.city = element.text(ram("CityName"))
        address.postCode = element.text(ram("PostcodeCode"))
        address.countrySubdivision = element.text(ram("CountrySubDivisionName"))
        address.countryCode = element.text(ram("CountryID"))
        return address
    }

    static func period(_ element: XMLElement) -> Period {
        Period(start: element.ciiDate(ram("StartDateTime")), end: element.ciiDate(ram("EndDateTime")), location: element.location,
               elementCount: element.children.count)
    }

    static func allowanceCharge(_ element: XMLElement) -> AllowanceCharge {
        let indicator = element.text(ram("ChargeIndicator"), udt("Indicator"))?.value
        var model = AllowanceCharge(isCharge: indicator == "true" || indicator == "1", location: element.location)
        model.indicator = element.text(ram("ChargeIndicator"), udt("Indicator"))
        model.taxCategories = element.all(ram("CategoryTradeTax")).map(taxCategory)
        model.amount = element.amount(ram("ActualAmount"))
        model.baseAmount = element.amount(ram("BasisAmount"))
        model.percentage = element.amount(ram("CalculationPercent"))
        model.vatCategory = element.text(ram("CategoryTradeTax"), ram("CategoryCode"))
        model.vatRate = element.amount(ram("CategoryTradeTax"), ram("RateApplicablePercent"))
        model.reason = element.text(ram("Reason"))
        model.reasonCode = element.text(ram("ReasonCode"))
        return model
    }

    static func taxCategory(_ element: XMLElement) -> TaxCategoryEntry {
        var entry = TaxCategoryEntry(location: element.location)
        entry.code = element.text(ram("CategoryCode"))
        entry.rate = element.amount(ram("RateApplicablePercent"))
        entry.taxScheme = element.text(ram("TypeCode"))
        entry.exemptionReason = element.text(ram("ExemptionReason"))
        entry.exemptionReasonCode = element.text(ram("ExemptionReasonCode"))
        entry.hasTaxPointDate = element.first(ram("TaxPointDate")) != nil
        entry.dueDateTypeCode = element.text(ram("DueDateTypeCode"))
        return entry
    }

    static func documentReference(_ element: XMLElement) -> DocumentReference {
        DocumentReference(identifier: element.text(ram("IssuerAssignedID")), typeCode: element.text(ram("TypeCode")),
                          location: element.location)
    }

    static func line(_ element: XMLElement) -> InvoiceLine {
        var line = InvoiceLine(location: element.location)
        if let document = element.first(ram("AssociatedDocumentLineDocument")) {
            line.identifier = document.text(ram("LineID"))
            line.note = document.text(ram("IncludedNote"), ram("Content"))
        }
        if let product = element.first(ram("SpecifiedTradeProduct")) {
            line.standardItemIdentifier = product.text(ram("GlobalID"))
            line.sellerItemIdentifier = product.text(ram("SellerAssignedID"))
            line.buyerItemIdentifier = product.text(ram("BuyerAssignedID"))
            line.itemName = product.text(ram("Name"))
            line.itemDescription = product.text(ram("Description"))
            line.attributes = product.all(ram("ApplicableProductCharacteristic")).map {
                ItemAttribute(name: $0.text(ram("Description")), value: $0.text(ram("Value")), location: $0.location)
            }
            line.classifications = product.all(ram("DesignatedProductClassification"), ram("ClassCode")).map(\.asText)
            line.originCountry = product.text(ram("OriginTradeCountry"), ram("ID"))
        }
        if let agreement = element.first(ram("SpecifiedLineTradeAgreement")) {
            line.orderLineReference = agreement.text(ram("BuyerOrderReferencedDocument"), ram("LineID"))
            if let gross = agreement.first(ram("GrossPriceProductTradePrice")) {
                line.grossPrice = gross.amount(ram("ChargeAmount"))
                line.priceDiscount = gross.amount(ram("AppliedTradeAllowanceCharge"), ram("ActualAmount"))
            }
            if let net = agreement.first(ram("NetPriceProductTradePrice")) {
                line.netPrice = net.amount(ram("ChargeAmount"))
                line.priceBaseQuantity = net.amount(ram("BasisQuantity"))
            }
        }
        line.quantity = element.amount(ram("SpecifiedLineTradeDelivery"), ram("BilledQuantity"))
        if let settlement = element.first(ram("SpecifiedLineTradeSettlement")) {
            line.vatCategory = settlement.text(ram("ApplicableTradeTax"), ram("CategoryCode"))
            line.vatRate = settlement.amount(ram("ApplicableTradeTax"), ram("RateApplicablePercent"))
            line.taxCategories = settlement.all(ram("ApplicableTradeTax")).map(taxCategory)
            line.period = settlement.first(ram("BillingSpecifiedPeriod")).map(period)
            line.allowancesAndCharges = settlement.all(ram("SpecifiedTradeAllowanceCharge")).map(allowanceCharge)
            line.netAmount = settlement.amount(ram("SpecifiedTradeSettlementLineMonetarySummation"), ram("LineTotalAmount"))
            line.objectIdentifier = settlement.all(ram("AdditionalReferencedDocument"))
                .first { $0.text(ram("TypeCode"))?.value == "130" }?.text(ram("IssuerAssignedID"))
            line.accountingReference = settlement.text(ram("ReceivableSpecifiedTradeAccountingAccount"), ram("ID"))
        }
        return line
    }
}

extension XMLElement {
    /// The value of attribute-like child text, used where CII puts a qualifier in an element.
    func attributeValue(_ step: Step) -> String? {
        first(step)?.text.normalizedSpace
    }

    /// A CII date held directly by this element's `udt:DateString`/`udt:DateTimeString`.
    func ciiDateHere() -> DateValue? {
        guard let string = first(udt("DateString")) ?? first(udt("DateTimeString")) else { return nil }
        let text = string.asText
        let format = string.attribute("format")
        return DateValue(text: Text(raw: text.raw, location: text.location), format: format,
                         date: format == "102" ? CalendarDate(compact: text.value) : nil)
    }
}
