import LiasseXML

/// Binds UBL 2.1 Invoice and CreditNote documents to the EN 16931 model.
enum UBLReader {
    static func read(_ root: XMLElement, syntax: InvoiceSyntax) -> Invoice {
        let isCreditNote = syntax == .ublCreditNote
        let specification = root.text(cbc("CustomizationID"))
        var invoice = Invoice(syntax: syntax, profile: InvoiceProfile(specificationIdentifier: specification?.raw))
        invoice.specification = specification
        invoice.businessProcess = root.text(cbc("ProfileID"))
        invoice.number = root.text(cbc("ID"))
        invoice.issueDate = root.isoDate(cbc("IssueDate"))
        invoice.typeCode = root.text(cbc(isCreditNote ? "CreditNoteTypeCode" : "InvoiceTypeCode"))
        invoice.currency = root.text(cbc("DocumentCurrencyCode"))
        invoice.vatAccountingCurrency = root.text(cbc("TaxCurrencyCode"))
        invoice.taxPointDate = root.isoDate(cbc("TaxPointDate"))
        invoice.dueDate = isCreditNote
            ? root.isoDate(cac("PaymentMeans"), cbc("PaymentDueDate"))
            : root.isoDate(cbc("DueDate"))
        invoice.buyerReference = root.text(cbc("BuyerReference"))
        invoice.contractReference = root.text(cac("ContractDocumentReference"), cbc("ID"))
        invoice.purchaseOrderReference = root.text(cac("OrderReference"), cbc("ID"))
        invoice.salesOrderReference = root.text(cac("OrderReference"), cbc("SalesOrderID"))
        invoice.receivingAdviceReference = root.text(cac("ReceiptDocumentReference"), cbc("ID"))
        invoice.despatchAdviceReference = root.text(cac("DespatchDocumentReference"), cbc("ID"))
        invoice.tenderReference = root.text(cac("OriginatorDocumentReference"), cbc("ID"))
        invoice.buyerAccountingReference = root.text(cbc("AccountingCost"))
        invoice.paymentTerms = root.all(cac("PaymentTerms"), cbc("Note")).map(\.asText)
        invoice.notes = root.all(cbc("Note")).map(note)
        // BG-3 is cac:BillingReference: one preceding invoice per group, even one that lacks
        // its cac:InvoiceDocumentReference (the rules must see it to reject it).
        invoice.precedingInvoices = root.all(cac("BillingReference")).map(precedingInvoice)
        if isCreditNote {
            invoice.projectReference = root.all(cac("AdditionalDocumentReference"))
                .first { $0.text(cbc("DocumentTypeCode"))?.value == "50" }?.text(cbc("ID"))
        } else {
            invoice.projectReference = root.text(cac("ProjectReference"), cbc("ID"))
        }
        for reference in root.all(cac("AdditionalDocumentReference")) {
            invoice.additionalReferences.append(DocumentReference(
                identifier: reference.text(cbc("ID")), typeCode: reference.text(cbc("DocumentTypeCode")),
                location: reference.location))
            let typeCode = reference.text(cbc("DocumentTypeCode"))?.value
            if typeCode == "130" {
                if invoice.invoicedObjectIdentifier == nil { invoice.invoicedObjectIdentifier = reference.text(cbc("ID")) }
            } else if typeCode == "50" && isCreditNote {
                continue
            } else {
                invoice.supportingDocuments.append(supportingDocument(reference))
            }
        }

        if let party = root.first(cac("AccountingSupplierParty"), cac("Party")) {
            invoice.seller = self.party(party)
        }
        if let party = root.first(cac("AccountingCustomerParty"), cac("Party")) {
            invoice.buyer = self.party(party)
        }
        if let party = root.first(cac("PayeeParty")) {
            invoice.payee = self.party(party)
        }
        if let party = root.first(cac("TaxRepresentativeParty")) {
            invoice.taxRepresentative = self.party(party)
        }
        if let delivery = root.first(cac("Delivery")) {
            var model = Delivery(location: delivery.location)
            model.partyName = delivery.text(cac("DeliveryParty"), cac("PartyName"), cbc("Name"))
            model.locationIdentifier = delivery.text(cac("DeliveryLocation"), cbc("ID"))
            model.actualDeliveryDate = delivery.isoDate(cbc("ActualDeliveryDate"))
            model.address = delivery.first(cac("DeliveryLocation"), cac("Address")).map(address)
            invoice.delivery = model
        }
        if let period = root.first(cac("InvoicePeriod")) {
            invoice.invoicingPeriod = self.period(period)
            invoice.taxPointDateCode = period.text(cbc("DescriptionCode"))
        }
        invoice.paymentInstructions = root.all(cac("PaymentMeans")).map { means in
            var model = PaymentInstructions(location: means.location)
            if let code = means.first(cbc("PaymentMeansCode")) {
                model.meansCode = code.asText
                if let name = code.attribute("name") {
                    model.meansText = Text(raw: name, location: SourceLocation(path: code.attributePath("name"), line: code.line))
                }
            }
            model.remittanceInformation = means.text(cbc("PaymentID"))
            model.creditTransfers = means.all(cac("PayeeFinancialAccount")).map { account in
                var transfer = CreditTransfer(location: account.location)
                transfer.accountIdentifier = account.text(cbc("ID"))
                transfer.accountName = account.text(cbc("Name"))
                transfer.serviceProvider = account.text(cac("FinancialInstitutionBranch"), cbc("ID"))
                return transfer
            }
            if let card = means.first(cac("CardAccount")) {
                model.card = PaymentCard(primaryAccountNumber: card.text(cbc("PrimaryAccountNumberID")),
                                         holderName: card.text(cbc("HolderName")), location: card.location)
            }
            if let mandate = means.first(cac("PaymentMandate")) {
                model.directDebit = DirectDebit(
                    mandateReference: mandate.text(cbc("ID")),
                    creditorIdentifier: creditorIdentifier(root),
                    debitedAccount: mandate.text(cac("PayerFinancialAccount"), cbc("ID")),
                    location: mandate.location)
            }
            return model
        }
        invoice.allowancesAndCharges = root.all(cac("AllowanceCharge")).map(allowanceCharge)
        if let totals = root.first(cac("LegalMonetaryTotal")) {
            invoice.totals.location = totals.location
            invoice.totals.lineNetSum = totals.amount(cbc("LineExtensionAmount"))
            invoice.totals.allowanceSum = totals.amount(cbc("AllowanceTotalAmount"))
            invoice.totals.chargeSum = totals.amount(cbc("ChargeTotalAmount"))
            invoice.totals.taxExclusive = totals.amount(cbc("TaxExclusiveAmount"))
            invoice.totals.taxInclusive = totals.amount(cbc("TaxInclusiveAmount"))
            invoice.totals.prepaid = totals.amount(cbc("PrepaidAmount"))
            invoice.totals.rounding = totals.amount(cbc("PayableRoundingAmount"))
            invoice.totals.due = totals.amount(cbc("PayableAmount"))
        }
        invoice.totals.vatTotals = root.all(cac("TaxTotal"), cbc("TaxAmount")).map(\.asAmount)
        invoice.vatBreakdown = breakdown(root)
        invoice.lines = root.all(cac(isCreditNote ? "CreditNoteLine" : "InvoiceLine")).map {
            line($0, quantityName: isCreditNote ? "CreditedQuantity" : "InvoicedQuantity")
        }
        invoice.nestedLines = nestedLines(root)
        return invoice
    }

    /// Every `cac:InvoiceLine` and `cac:CreditNoteLine` below the root but not a child of it,
    /// in document order (lines inside lines included).
    private static func nestedLines(_ root: XMLElement) -> [NestedLine] {
        // Both kinds, in document order (a line's number gives its order).
        let invoiceLines = root.deeperDescendants(named: "InvoiceLine", in: Namespace.cac).map { ($0, false) }
        let creditNoteLines = root.deeperDescendants(named: "CreditNoteLine", in: Namespace.cac).map { ($0, true) }
        var all = invoiceLines + creditNoteLines
        if !invoiceLines.isEmpty && !creditNoteLines.isEmpty {
            all.sort { $0.0.number < $1.0.number }
        }
        return all.map { element, isCreditNoteLine in
            NestedLine(isCreditNoteLine: isCreditNoteLine,
                       line: line(element, quantityName: isCreditNoteLine ? "CreditedQuantity" : "InvoicedQuantity"))
        }
    }

    private static func note(_ element: XMLElement) -> Note {
        // UBL carries BT-21 inside the note text as `#CODE#text`.
        let text = element.asText
        let raw = text.raw
        if raw.hasPrefix("#"), let end = raw.dropFirst().firstIndex(of: "#") {
            let code = String(raw[raw.index(after: raw.startIndex)..<end])
            let rest = String(raw[raw.index(after: end)...])
            return Note(subjectCode: Text(raw: code, location: text.location),
                        text: Text(raw: rest, location: text.location), location: text.location)
        }
        return Note(subjectCode: nil, text: text, location: text.location)
    }

    private static func supportingDocument(_ reference: XMLElement) -> SupportingDocument {
        var model = SupportingDocument(location: reference.location)
        model.reference = reference.text(cbc("ID"))
        model.description = reference.text(cbc("DocumentDescription"))
        model.externalLocation = reference.text(cac("Attachment"), cac("ExternalReference"), cbc("URI"))
        if let binary = reference.first(cac("Attachment"), cbc("EmbeddedDocumentBinaryObject")) {
            model.attachment = Text(raw: binary.text, location: binary.location)
            model.mimeCode = binary.attribute("mimeCode")
            model.fileName = binary.attribute("filename")
        }
        return model
    }

    private static func creditorIdentifier(_ root: XMLElement) -> Text? {
        let candidates = root.all(cac("AccountingSupplierParty"), cac("Party"), cac("PartyIdentification"), cbc("ID"))
            + root.all(cac("PayeeParty"), cac("PartyIdentification"), cbc("ID"))
        return candidates.first { $0.attribute("schemeID") == "SEPA" }?.asText
    }

    static func party(_ element: XMLElement) -> Party {
        var party = Party(location: element.location)
        party.name = element.text(cac("PartyLegalEntity"), cbc("RegistrationName"))
            ?? element.text(cac("PartyName"), cbc("Name"))
        if element.first(cac("PartyLegalEntity"), cbc("RegistrationName")) != nil {
            party.tradingName = element.text(cac("PartyName"), cbc("Name"))
        }
        let identifierElements = element.all(cac("PartyIdentification"), cbc("ID"))
        party.identifierElements = identifierElements.map(\.asText)
        party.identifiers = identifierElements.filter { $0.attribute("schemeID") != "SEPA" }.map(\.asText)
        party.legalName = element.text(cac("PartyLegalEntity"), cbc("RegistrationName"))
        party.partyNames = element.all(cac("PartyName"), cbc("Name")).map(\.asText)
        party.hasElectronicAddressGroup = element.first(cbc("EndpointID")) != nil
        party.legalRegistration = element.text(cac("PartyLegalEntity"), cbc("CompanyID"))
        for scheme in element.all(cac("PartyTaxScheme")) {
            party.taxRegistrations.append(TaxRegistration(
                identifier: scheme.text(cbc("CompanyID")), taxScheme: scheme.text(cac("TaxScheme"), cbc("ID")),
                location: scheme.location))
            let kind = scheme.text(cac("TaxScheme"), cbc("ID"))?.value
            if kind == "VAT" {
                if party.vatIdentifier == nil { party.vatIdentifier = scheme.text(cbc("CompanyID")) }
            } else if party.taxRegistration == nil {
                party.taxRegistration = scheme.text(cbc("CompanyID"))
            }
        }
        party.additionalLegalInformation = element.text(cac("PartyLegalEntity"), cbc("CompanyLegalForm"))
        party.electronicAddress = element.text(cbc("EndpointID"))
        party.address = element.first(cac("PostalAddress")).map(address)
        if let contact = element.first(cac("Contact")) {
            var model = Contact(location: contact.location)
            model.name = contact.text(cbc("Name"))
            model.telephone = contact.text(cbc("Telephone"))
            model.email = contact.text(cbc("ElectronicMail"))
            party.contact = model
        }
        return party
    }

    static func address(_ element: XMLElement) -> PostalAddress {
        var address = PostalAddress(location: element.location)
        address.line1 = element.text(cbc("StreetName"))
        address.line2 = element.text(cbc("AdditionalStreetName"))
        address.line3 = element.text(cac("AddressLine"), cbc("Line"))
        address.city = element.text(cbc("CityName"))
        address.postCode = element.text(cbc("PostalZone"))
        address.countrySubdivision = element.text(cbc("CountrySubentity"))
        address.countryCode = element.text(cac("Country"), cbc("IdentificationCode"))
        return address
    }

    static func period(_ element: XMLElement) -> Period {
        Period(start: element.isoDate(cbc("StartDate")), end: element.isoDate(cbc("EndDate")), location: element.location,
               elementCount: element.children.count)
    }

    static func allowanceCharge(_ element: XMLElement) -> AllowanceCharge {
        let indicator = element.text(cbc("ChargeIndicator"))?.value
        var model = AllowanceCharge(isCharge: indicator == "true" || indicator == "1", location: element.location)
        model.indicator = element.text(cbc("ChargeIndicator"))
        model.paymentCardNumbers = element.all(cac("PaymentMeans"), cac("CardAccount"), cbc("PrimaryAccountNumberID")).map(\.asText)
        model.taxCategories = element.all(cac("TaxCategory")).map(taxCategory)
        model.amount = element.amount(cbc("Amount"))
        model.baseAmount = element.amount(cbc("BaseAmount"))
        model.percentage = element.amount(cbc("MultiplierFactorNumeric"))
        model.vatCategory = element.text(cac("TaxCategory"), cbc("ID"))
        model.vatRate = element.amount(cac("TaxCategory"), cbc("Percent"))
        model.reason = element.text(cbc("AllowanceChargeReason"))
        model.reasonCode = element.text(cbc("AllowanceChargeReasonCode"))
        return model
    }

    /// The `cac:TaxSubtotal`s of every `cac:TaxTotal` child of `element`, each with the index
    /// of its total.
    static func breakdown(_ element: XMLElement) -> [VATBreakdown] {
        var result: [VATBreakdown] = []
        for (index, total) in element.all(cac("TaxTotal")).enumerated() {
            for subtotal in total.all(cac("TaxSubtotal")) {
                var model = VATBreakdown(location: subtotal.location)
                model.taxableAmount = subtotal.amount(cbc("TaxableAmount"))
                model.taxAmount = subtotal.amount(cbc("TaxAmount"))
                model.category = subtotal.text(cac("TaxCategory"), cbc("ID"))
                model.rate = subtotal.amount(cac("TaxCategory"), cbc("Percent"))
                model.exemptionReason = subtotal.text(cac("TaxCategory"), cbc("TaxExemptionReason"))
                model.exemptionReasonCode = subtotal.text(cac("TaxCategory"), cbc("TaxExemptionReasonCode"))
                model.taxScheme = subtotal.text(cac("TaxCategory"), cac("TaxScheme"), cbc("ID"))
                model.totalIndex = index
                result.append(model)
            }
        }
        return result
    }

    static func precedingInvoice(_ billing: XMLElement) -> PrecedingInvoice {
        let reference = billing.first(cac("InvoiceDocumentReference"))
        return PrecedingInvoice(reference: reference?.text(cbc("ID")), issueDate: reference?.isoDate(cbc("IssueDate")),
                                location: reference?.location ?? billing.location)
    }

    static func taxCategory(_ element: XMLElement) -> TaxCategoryEntry {
        var entry = TaxCategoryEntry(location: element.location)
        entry.code = element.text(cbc("ID"))
        entry.rate = element.amount(cbc("Percent"))
        entry.taxScheme = element.text(cac("TaxScheme"), cbc("ID"))
        entry.exemptionReason = element.text(cbc("TaxExemptionReason"))
        entry.exemptionReasonCode = element.text(cbc("TaxExemptionReasonCode"))
        return entry
    }

    static func line(_ element: XMLElement, quantityName: StaticString) -> InvoiceLine {
        var line = InvoiceLine(location: element.location)
        line.identifier = element.text(cbc("ID"))
        line.note = element.text(cbc("Note"))
        line.objectIdentifier = element.text(cac("DocumentReference"), cbc("ID"))
        line.quantity = element.amount(cbc(quantityName))
        line.netAmount = element.amount(cbc("LineExtensionAmount"))
        line.orderLineReference = element.text(cac("OrderLineReference"), cbc("LineID"))
        line.accountingReference = element.text(cbc("AccountingCost"))
        line.period = element.first(cac("InvoicePeriod")).map(period)
        line.allowancesAndCharges = element.all(cac("AllowanceCharge")).map(allowanceCharge)
        line.lineVATTotals = element.all(cac("TaxTotal"), cbc("TaxAmount")).map(\.asAmount)
        line.lineVATBreakdown = breakdown(element)
        line.precedingInvoices = element.all(cac("BillingReference")).map(precedingInvoice)
        if let price = element.first(cac("Price")) {
            line.priceAllowancesAndCharges = price.all(cac("AllowanceCharge")).map(allowanceCharge)
            line.netPrice = price.amount(cbc("PriceAmount"))
            line.priceBaseQuantity = price.amount(cbc("BaseQuantity"))
            line.priceDiscount = price.amount(cac("AllowanceCharge"), cbc("Amount"))
            line.grossPrice = price.amount(cac("AllowanceCharge"), cbc("BaseAmount"))
        }
        if let item = element.first(cac("Item")) {
            line.itemName = item.text(cbc("Name"))
            line.itemDescription = item.text(cbc("Description"))
            line.sellerItemIdentifier = item.text(cac("SellersItemIdentification"), cbc("ID"))
            line.buyerItemIdentifier = item.text(cac("BuyersItemIdentification"), cbc("ID"))
            line.standardItemIdentifier = item.text(cac("StandardItemIdentification"), cbc("ID"))
            line.classifications = item.all(cac("CommodityClassification"), cbc("ItemClassificationCode")).map(\.asText)
            line.originCountry = item.text(cac("OriginCountry"), cbc("IdentificationCode"))
            line.vatCategory = item.text(cac("ClassifiedTaxCategory"), cbc("ID"))
            line.vatRate = item.amount(cac("ClassifiedTaxCategory"), cbc("Percent"))
            line.taxCategories = item.all(cac("ClassifiedTaxCategory")).map(taxCategory)
            line.attributes = item.all(cac("AdditionalItemProperty")).map {
                ItemAttribute(name: $0.text(cbc("Name")), value: $0.text(cbc("Value")), location: $0.location)
            }
        }
        return line
    }
}
