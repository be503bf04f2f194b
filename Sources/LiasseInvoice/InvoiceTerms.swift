/// One business term as read from an invoice, for people (`liasse inspect`) and tests.
public struct TermValue: Sendable, Equatable, Codable {
    /// `BT-1`, or `BG-25` for a group's own entry.
    public var term: String
    /// The term's name in EN 16931 (`Invoice number`).
    public var name: String
    /// Where the term sits: the chain of groups with their occurrence (`BG-25[2] > BG-31`).
    public var group: String?
    /// The value as written, whitespace-normalised.
    public var value: String
    /// The scheme, currency or unit attribute, when the value has one.
    public var qualifier: String?
    public var path: String
    public var line: Int
}

extension Invoice {
    /// Every business term present in the invoice, in EN 16931 order, with its location.
    public var terms: [TermValue] {
        var collector = TermCollector()
        collector.document(self)
        return collector.values
    }
}

private struct TermCollector {
    var values: [TermValue] = []
    var group: [String] = []

    mutating func add(_ term: String, _ name: String, _ text: Text?) {
        guard let text else { return }
        values.append(TermValue(term: term, name: name, group: group.isEmpty ? nil : group.joined(separator: " > "),
                                value: text.value, qualifier: text.scheme, path: text.location.path, line: text.location.line))
    }

    mutating func add(_ term: String, _ name: String, _ amount: Amount?) {
        guard let amount else { return }
        values.append(TermValue(term: term, name: name, group: group.isEmpty ? nil : group.joined(separator: " > "),
                                value: amount.text.value, qualifier: amount.unit, path: amount.location.path,
                                line: amount.location.line))
    }

    mutating func add(_ term: String, _ name: String, _ date: DateValue?) {
        guard let date else { return }
        add(term, name, date.text)
    }

    mutating func within(_ name: String, _ body: (inout TermCollector) -> Void) {
        group.append(name)
        body(&self)
        group.removeLast()
    }

    mutating func document(_ invoice: Invoice) {
        add("BT-1", "Invoice number", invoice.number)
        add("BT-2", "Invoice issue date", invoice.issueDate)
        add("BT-3", "Invoice type code", invoice.typeCode)
        add("BT-5", "Invoice currency code", invoice.currency)
        add("BT-6", "VAT accounting currency code", invoice.vatAccountingCurrency)
        add("BT-7", "Value added tax point date", invoice.taxPointDate)
        add("BT-8", "Value added tax point date code", invoice.taxPointDateCode)
        add("BT-9", "Payment due date", invoice.dueDate)
        add("BT-10", "Buyer reference", invoice.buyerReference)
        add("BT-11", "Project reference", invoice.projectReference)
        add("BT-12", "Contract reference", invoice.contractReference)
        add("BT-13", "Purchase order reference", invoice.purchaseOrderReference)
        add("BT-14", "Sales order reference", invoice.salesOrderReference)
        add("BT-15", "Receiving advice reference", invoice.receivingAdviceReference)
        add("BT-16", "Despatch advice reference", invoice.despatchAdviceReference)
        add("BT-17", "Tender or lot reference", invoice.tenderReference)
        add("BT-18", "Invoiced object identifier", invoice.invoicedObjectIdentifier)
        add("BT-19", "Buyer accounting reference", invoice.buyerAccountingReference)
        for terms in invoice.paymentTerms { add("BT-20", "Payment terms", terms) }
        for (index, note) in invoice.notes.enumerated() {
            within("BG-1[\(index + 1)]") {
                $0.add("BT-21", "Invoice note subject code", note.subjectCode)
                $0.add("BT-22", "Invoice note", note.text)
            }
        }
        add("BT-23", "Business process type", invoice.businessProcess)
        add("BT-24", "Specification identifier", invoice.specification)
        for (index, preceding) in invoice.precedingInvoices.enumerated() {
            within("BG-3[\(index + 1)]") {
                $0.add("BT-25", "Preceding Invoice reference", preceding.reference)
                $0.add("BT-26", "Preceding Invoice issue date", preceding.issueDate)
            }
        }
        if let seller = invoice.seller {
            within("BG-4") {
                $0.party(seller, name: "BT-27", trading: "BT-28", identifier: "BT-29", legal: "BT-30", vat: "BT-31",
                         electronic: "BT-34", address: ("BG-5", ["BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40"]),
                         contact: ("BG-6", ["BT-41", "BT-42", "BT-43"]))
                $0.add("BT-32", "Seller tax registration identifier", seller.taxRegistration)
                $0.add("BT-33", "Seller additional legal information", seller.additionalLegalInformation)
            }
        }
        if let buyer = invoice.buyer {
            within("BG-7") {
                $0.party(buyer, name: "BT-44", trading: "BT-45", identifier: "BT-46", legal: "BT-47", vat: "BT-48",
                         electronic: "BT-49", address: ("BG-8", ["BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55"]),
                         contact: ("BG-9", ["BT-56", "BT-57", "BT-58"]))
            }
        }
        if let payee = invoice.payee {
            within("BG-10") {
                $0.party(payee, name: "BT-59", trading: nil, identifier: "BT-60", legal: "BT-61", vat: nil,
                         electronic: nil, address: nil, contact: nil)
            }
        }
        if let representative = invoice.taxRepresentative {
            within("BG-11") {
                $0.party(representative, name: "BT-62", trading: nil, identifier: nil, legal: nil, vat: "BT-63",
                         electronic: nil, address: ("BG-12", ["BT-64", "BT-65", "BT-164", "BT-66", "BT-67", "BT-68", "BT-69"]),
                         contact: nil)
            }
        }
        if let delivery = invoice.delivery {
            within("BG-13") {
                $0.add("BT-70", "Deliver to party name", delivery.partyName)
                $0.add("BT-71", "Deliver to location identifier", delivery.locationIdentifier)
                $0.add("BT-72", "Actual delivery date", delivery.actualDeliveryDate)
                if let address = delivery.address {
                    $0.within("BG-15") { $0.address(address, ["BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80"]) }
                }
            }
        }
        if let period = invoice.invoicingPeriod {
            within("BG-14") {
                $0.add("BT-73", "Invoicing period start date", period.start)
                $0.add("BT-74", "Invoicing period end date", period.end)
            }
        }
        for (index, payment) in invoice.paymentInstructions.enumerated() {
            within("BG-16[\(index + 1)]") {
                $0.add("BT-81", "Payment means type code", payment.meansCode)
                $0.add("BT-82", "Payment means text", payment.meansText)
                $0.add("BT-83", "Remittance information", payment.remittanceInformation)
                for (transferIndex, transfer) in payment.creditTransfers.enumerated() {
                    $0.within("BG-17[\(transferIndex + 1)]") {
                        $0.add("BT-84", "Payment account identifier", transfer.accountIdentifier)
                        $0.add("BT-85", "Payment account name", transfer.accountName)
                        $0.add("BT-86", "Payment service provider identifier", transfer.serviceProvider)
                    }
                }
                if let card = payment.card {
                    $0.within("BG-18") {
                        $0.add("BT-87", "Payment card primary account number", card.primaryAccountNumber)
                        $0.add("BT-88", "Payment card holder name", card.holderName)
                    }
                }
                if let debit = payment.directDebit {
                    $0.within("BG-19") {
                        $0.add("BT-89", "Mandate reference identifier", debit.mandateReference)
                        $0.add("BT-90", "Bank assigned creditor identifier", debit.creditorIdentifier)
                        $0.add("BT-91", "Debited account identifier", debit.debitedAccount)
                    }
                }
            }
        }
        allowancesAndCharges(invoice.allowancesAndCharges, allowance: "BG-20", charge: "BG-21", documentLevel: true)
        within("BG-22") {
            let totals = invoice.totals
            $0.add("BT-106", "Sum of Invoice line net amount", totals.lineNetSum)
            $0.add("BT-107", "Sum of allowances on document level", totals.allowanceSum)
            $0.add("BT-108", "Sum of charges on document level", totals.chargeSum)
            $0.add("BT-109", "Invoice total amount without VAT", totals.taxExclusive)
            for total in totals.vatTotals {
                let isAccounting = total.unit != nil && total.unit == invoice.vatAccountingCurrency?.value
                    && total.unit != invoice.currency?.value
                $0.add(isAccounting ? "BT-111" : "BT-110",
                       isAccounting ? "Invoice total VAT amount in accounting currency" : "Invoice total VAT amount", total)
            }
            $0.add("BT-112", "Invoice total amount with VAT", totals.taxInclusive)
            $0.add("BT-113", "Paid amount", totals.prepaid)
            $0.add("BT-114", "Rounding amount", totals.rounding)
            $0.add("BT-115", "Amount due for payment", totals.due)
        }
        for (index, breakdown) in invoice.vatBreakdown.enumerated() {
            within("BG-23[\(index + 1)]") {
                $0.add("BT-116", "VAT category taxable amount", breakdown.taxableAmount)
                $0.add("BT-117", "VAT category tax amount", breakdown.taxAmount)
                $0.add("BT-118", "VAT category code", breakdown.category)
                $0.add("BT-119", "VAT category rate", breakdown.rate)
                $0.add("BT-120", "VAT exemption reason text", breakdown.exemptionReason)
                $0.add("BT-121", "VAT exemption reason code", breakdown.exemptionReasonCode)
            }
        }
        for (index, document) in invoice.supportingDocuments.enumerated() {
            within("BG-24[\(index + 1)]") {
                $0.add("BT-122", "Supporting document reference", document.reference)
                $0.add("BT-123", "Supporting document description", document.description)
                $0.add("BT-124", "External document location", document.externalLocation)
                if let attachment = document.attachment {
                    var summary = attachment
                    summary.raw = "\(attachment.raw.utf8.count) base64 characters"
                        + (document.fileName.map { ", file \($0)" } ?? "") + (document.mimeCode.map { ", \($0)" } ?? "")
                    $0.add("BT-125", "Attached document", summary)
                }
            }
        }
        for (index, line) in invoice.lines.enumerated() {
            within("BG-25[\(index + 1)]") { $0.line(line) }
        }
    }

    mutating func party(_ party: Party, name: String, trading: String?, identifier: String?, legal: String?, vat: String?,
                        electronic: String?, address: (String, [String])?, contact: (String, [String])?) {
        add(name, "Name", party.name)
        if let trading { add(trading, "Trading name", party.tradingName) }
        if let identifier { for id in party.identifiers { add(identifier, "Identifier", id) } }
        if let legal { add(legal, "Legal registration identifier", party.legalRegistration) }
        if let vat { add(vat, "VAT identifier", party.vatIdentifier) }
        if let electronic { add(electronic, "Electronic address", party.electronicAddress) }
        if let (groupName, terms) = address, let postal = party.address {
            within(groupName) { $0.address(postal, terms) }
        }
        if let (groupName, terms) = contact, let contactValue = party.contact {
            within(groupName) {
                $0.add(terms[0], "Contact point", contactValue.name)
                $0.add(terms[1], "Contact telephone number", contactValue.telephone)
                $0.add(terms[2], "Contact email address", contactValue.email)
            }
        }
    }

    mutating func address(_ address: PostalAddress, _ terms: [String]) {
        add(terms[0], "Address line 1", address.line1)
        add(terms[1], "Address line 2", address.line2)
        add(terms[2], "Address line 3", address.line3)
        add(terms[3], "City", address.city)
        add(terms[4], "Post code", address.postCode)
        add(terms[5], "Country subdivision", address.countrySubdivision)
        add(terms[6], "Country code", address.countryCode)
    }

    mutating func allowancesAndCharges(_ list: [AllowanceCharge], allowance: String, charge: String, documentLevel: Bool) {
        var allowanceIndex = 0, chargeIndex = 0
        for item in list {
            let name: String
            if item.isCharge { chargeIndex += 1; name = "\(charge)[\(chargeIndex)]" } else { allowanceIndex += 1; name = "\(allowance)[\(allowanceIndex)]" }
            within(name) {
                let terms: [String]
                switch (documentLevel, item.isCharge) {
                case (true, false): terms = ["BT-92", "BT-93", "BT-94", "BT-95", "BT-96", "BT-97", "BT-98"]
                case (true, true): terms = ["BT-99", "BT-100", "BT-101", "BT-102", "BT-103", "BT-104", "BT-105"]
                case (false, false): terms = ["BT-136", "BT-137", "BT-138", "", "", "BT-139", "BT-140"]
                case (false, true): terms = ["BT-141", "BT-142", "BT-143", "", "", "BT-144", "BT-145"]
                }
                $0.add(terms[0], "Amount", item.amount)
                $0.add(terms[1], "Base amount", item.baseAmount)
                $0.add(terms[2], "Percentage", item.percentage)
                if !terms[3].isEmpty { $0.add(terms[3], "VAT category code", item.vatCategory) }
                if !terms[4].isEmpty { $0.add(terms[4], "VAT rate", item.vatRate) }
                $0.add(terms[5], "Reason", item.reason)
                $0.add(terms[6], "Reason code", item.reasonCode)
            }
        }
    }

    mutating func line(_ line: InvoiceLine) {
        add("BT-126", "Invoice line identifier", line.identifier)
        add("BT-127", "Invoice line note", line.note)
        add("BT-128", "Invoice line object identifier", line.objectIdentifier)
        add("BT-129", "Invoiced quantity", line.quantity)
        add("BT-131", "Invoice line net amount", line.netAmount)
        add("BT-132", "Referenced purchase order line reference", line.orderLineReference)
        add("BT-133", "Invoice line Buyer accounting reference", line.accountingReference)
        if let period = line.period {
            within("BG-26") {
                $0.add("BT-134", "Invoice line period start date", period.start)
                $0.add("BT-135", "Invoice line period end date", period.end)
            }
        }
        allowancesAndCharges(line.allowancesAndCharges, allowance: "BG-27", charge: "BG-28", documentLevel: false)
        within("BG-29") {
            $0.add("BT-146", "Item net price", line.netPrice)
            $0.add("BT-147", "Item price discount", line.priceDiscount)
            $0.add("BT-148", "Item gross price", line.grossPrice)
            $0.add("BT-149", "Item price base quantity", line.priceBaseQuantity)
        }
        within("BG-30") {
            $0.add("BT-151", "Invoiced item VAT category code", line.vatCategory)
            $0.add("BT-152", "Invoiced item VAT rate", line.vatRate)
        }
        within("BG-31") {
            $0.add("BT-153", "Item name", line.itemName)
            $0.add("BT-154", "Item description", line.itemDescription)
            $0.add("BT-155", "Item Seller's identifier", line.sellerItemIdentifier)
            $0.add("BT-156", "Item Buyer's identifier", line.buyerItemIdentifier)
            $0.add("BT-157", "Item standard identifier", line.standardItemIdentifier)
            for classification in line.classifications { $0.add("BT-158", "Item classification identifier", classification) }
            $0.add("BT-159", "Item country of origin", line.originCountry)
            for (index, attribute) in line.attributes.enumerated() {
                $0.within("BG-32[\(index + 1)]") {
                    $0.add("BT-160", "Item attribute name", attribute.name)
                    $0.add("BT-161", "Item attribute value", attribute.value)
                }
            }
        }
    }
}
