import LiasseInvoice

/// The model rules as the UBL binding of CEN 1.3.16 states them (EN16931-UBL-validation.xslt).
struct UBLModelRules {
    let invoice: Invoice
    /// Every line the official rules reach: the official line contexts (`cac:InvoiceLine |
    /// cac:CreditNoteLine`) and `//` paths match lines anywhere, so the BG-25 lines, then the
    /// nested ones (`Invoice.nestedLines`). Only BR-16 and the `../../../cac:InvoiceLine` sums
    /// of the X-08 rules read the BG-25 lines alone.
    let everyLine: [InvoiceLine]

    init(invoice: Invoice) {
        self.invoice = invoice
        everyLine = invoice.nestedLines.isEmpty ? invoice.lines : invoice.lines + invoice.nestedLines.map(\.line)
    }

    func check(_ report: inout ModelReport) {
        document(&report)
        parties(&report)
        lines(&report)
        allowancesAndCharges(&report)
        payment(&report)
        totals(&report)
        breakdown(&report)
        vatCategories(&report)
    }

    /// Rules whose context is the document element.
    private func document(_ report: inout ModelReport) {
        let inv = invoice
        report.require(!inv.specification.isBlank, "BR-01", inv.specification?.location)
        report.require(!inv.number.isBlank, "BR-02", inv.number?.location)
        report.require(!(inv.issueDate?.text).isBlank, "BR-03", inv.issueDate?.text.location)
        report.require(!inv.typeCode.isBlank, "BR-04", inv.typeCode?.location)
        report.require(!inv.currency.isBlank, "BR-05", inv.currency?.location)
        report.require(!(inv.seller?.legalName).isBlank, "BR-06", inv.seller?.location)
        report.require(!(inv.buyer?.legalName).isBlank, "BR-07", inv.buyer?.location)
        report.require(inv.seller?.address != nil, "BR-08", inv.seller?.location)
        report.require(inv.buyer?.address != nil, "BR-10", inv.buyer?.location)
        report.require(!inv.lines.isEmpty, "BR-16", nil)
        if let taxCurrency = inv.vatAccountingCurrency {
            let unit = taxCurrency.raw
            report.require(inv.totals.vatTotals.contains { $0.unit == unit }
                           || everyLine.contains { $0.lineVATTotals.contains { $0.unit == unit } }, "BR-53", taxCurrency.location)
        }
        report.require(!(inv.taxPointDate != nil && inv.taxPointDateCode != nil), "BR-CO-03", inv.taxPointDate?.text.location)
        report.require(!inv.vatBreakdown.isEmpty, "BR-CO-18", nil)
        // BR-DEC-13 and BR-DEC-15 compare the currency with a child of the tax amount, which
        // never exists: they cannot fail in UBL (DEVIATIONS.md).
        for reference in inv.additionalReferences {
            report.require(!reference.identifier.isBlank, "BR-52", reference.location)
        }
        for preceding in inv.precedingInvoices + everyLine.flatMap(\.precedingInvoices) {
            report.require(preceding.reference != nil, "BR-55", preceding.location)
        }
        if let period = inv.invoicingPeriod {
            report.require(Self.ordered(period), "BR-29", period.location)
            report.require(period.start != nil || period.end != nil || inv.taxPointDateCode != nil, "BR-CO-19", period.location)
        }
        if let address = inv.delivery?.address {
            report.require(address.countryCode != nil, "BR-57", address.location)
        }
    }

    /// `xs:date(EndDate) >= xs:date(StartDate)` when both are there.
    static func ordered(_ period: Period) -> Bool {
        guard let start = period.start, let end = period.end else { return true }
        if let from = start.date, let to = end.date { return to >= from }
        return end.text.value.prefix(10) >= start.text.value.prefix(10)
    }

    private func parties(_ report: inout ModelReport) {
        let inv = invoice
        if let seller = inv.seller {
            if let address = seller.address {
                report.require(!address.countryCode.isBlank, "BR-09", address.location)
            }
            if let endpoint = seller.electronicAddress {
                report.require(endpoint.scheme != nil, "BR-62", endpoint.location)
            }
            let holds = seller.taxRegistrations.contains { $0.identifier != nil && ($0.taxScheme?.isVATNormalized ?? false) }
                || seller.identifierElements.contains { $0.scheme != "SEPA" }
                || seller.legalRegistration != nil
            report.require(holds, "BR-CO-26", seller.location)
        } else {
            report.fire("BR-CO-26", nil)
        }
        if let buyer = inv.buyer {
            if let address = buyer.address {
                report.require(!address.countryCode.isBlank, "BR-11", address.location)
            }
            if let endpoint = buyer.electronicAddress {
                report.require(endpoint.scheme != nil, "BR-63", endpoint.location)
            }
        }
        if let payee = inv.payee {
            let sellerNames = Set((inv.seller?.partyNames ?? []).map(\.raw))
            let sellerIDs = Set((inv.seller?.identifierElements ?? []).map(\.raw))
            let holds = !payee.partyNames.isEmpty
                && !payee.partyNames.contains { sellerNames.contains($0.raw) }
                && !payee.identifierElements.contains { sellerIDs.contains($0.raw) }
            report.require(holds, "BR-17", payee.location)
        }
        if let representative = inv.taxRepresentative {
            report.require(!representative.partyNames.first.isBlank, "BR-18", representative.location)
            report.require(representative.address != nil, "BR-19", representative.location)
            if let address = representative.address {
                report.require(!address.countryCode.isBlank, "BR-20", address.location)
            }
            report.require(representative.taxRegistrations.contains {
                $0.identifier != nil && ($0.taxScheme?.isVATNormalized ?? false)
            }, "BR-56", representative.location)
        }
        for party in [inv.seller, inv.buyer, inv.payee, inv.taxRepresentative].compactMap({ $0 }) {
            for registration in party.taxRegistrations where registration.taxScheme?.isVATNormalized ?? false {
                // contains(list, '') is true in XPath: an empty identifier passes.
                let prefix = XPathMath.firstTwo(registration.identifier?.raw ?? "")
                report.require(prefix.isEmpty || XPathText.contains(Self.countryPrefixes, prefix), "BR-CO-09", registration.identifier?.location ?? registration.location)
            }
        }
    }

    /// The country list of BR-CO-09 in the UBL binding (it has `SS`, not `AN`), searched with
    /// `contains` on the first two characters as the official test does.
    static let countryPrefixes = " 1A AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH EL ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XI YE YT ZA ZM ZW "

    private func lines(_ report: inout ModelReport) {
        for line in everyLine {
            let at = line.location
            report.require(!line.identifier.isBlank, "BR-21", line.identifier?.location ?? at)
            report.require(line.quantity != nil, "BR-22", at)
            report.require(line.quantity?.unit != nil, "BR-23", line.quantity?.location ?? at)
            report.require(line.netAmount != nil, "BR-24", at)
            report.require(!line.itemName.isBlank, "BR-25", line.itemName?.location ?? at)
            report.require(line.netPrice != nil, "BR-26", at)
            report.require((line.netPrice?.double ?? .nan) >= 0, "BR-27", line.netPrice?.location ?? at)
            if let gross = line.grossPrice {
                report.require((gross.double ?? .nan) >= 0, "BR-28", gross.location)
            }
            report.require(line.taxCategories.contains { $0.code != nil && ($0.taxScheme?.isVATNormalized ?? false) },
                           "BR-CO-04", at)
            report.require(!XPathMath.hasMoreThanTwoDecimals(line.netAmount), "BR-DEC-23", line.netAmount?.location ?? at)
            if let period = line.period {
                report.require(Self.ordered(period), "BR-30", period.location)
                report.require(period.start != nil || period.end != nil, "BR-CO-20", period.location)
            }
            for attribute in line.attributes {
                report.require(attribute.name != nil && attribute.value != nil, "BR-54", attribute.location)
            }
            if let standard = line.standardItemIdentifier {
                report.require(standard.scheme != nil, "BR-64", standard.location)
            }
            for classification in line.classifications {
                report.require(classification.scheme != nil, "BR-65", classification.location)
            }
        }
    }

    private func allowancesAndCharges(_ report: inout ModelReport) {
        for item in invoice.allowancesAndCharges {
            guard let isCharge = item.indicatorValue else { continue }
            let hasVATCategory = item.taxCategories.contains { $0.code != nil && ($0.taxScheme?.isVATNormalized ?? false) }
            let hasReason = item.reason != nil || item.reasonCode != nil
            let at = item.location
            if isCharge {
                report.require(item.amount != nil, "BR-36", at)
                report.require(hasVATCategory, "BR-37", at)
                report.require(hasReason, "BR-38", at)
                report.require(hasReason, "BR-CO-22", at)
                report.require(!XPathMath.hasMoreThanTwoDecimals(item.amount), "BR-DEC-05", item.amount?.location ?? at)
                report.require(!XPathMath.hasMoreThanTwoDecimals(item.baseAmount), "BR-DEC-06", item.baseAmount?.location ?? at)
            } else {
                report.require(item.amount != nil, "BR-31", at)
                report.require(hasVATCategory, "BR-32", at)
                report.require(hasReason, "BR-33", at)
                report.require(hasReason, "BR-CO-21", at)
                report.require(!XPathMath.hasMoreThanTwoDecimals(item.amount), "BR-DEC-01", item.amount?.location ?? at)
                report.require(!XPathMath.hasMoreThanTwoDecimals(item.baseAmount), "BR-DEC-02", item.baseAmount?.location ?? at)
            }
        }
        for line in everyLine {
            for item in line.allowancesAndCharges {
                guard let isCharge = item.indicatorValue else { continue }
                let hasReason = item.reason != nil || item.reasonCode != nil
                let at = item.location
                if isCharge {
                    report.require(item.amount != nil, "BR-43", at)
                    report.require(hasReason, "BR-44", at)
                    report.require(hasReason, "BR-CO-24", at)
                    report.require(!XPathMath.hasMoreThanTwoDecimals(item.amount), "BR-DEC-27", item.amount?.location ?? at)
                    report.require(!XPathMath.hasMoreThanTwoDecimals(item.baseAmount), "BR-DEC-28", item.baseAmount?.location ?? at)
                } else {
                    report.require(item.amount != nil, "BR-41", at)
                    report.require(hasReason, "BR-42", at)
                    report.require(hasReason, "BR-CO-23", at)
                    report.require(!XPathMath.hasMoreThanTwoDecimals(item.amount), "BR-DEC-24", item.amount?.location ?? at)
                    report.require(!XPathMath.hasMoreThanTwoDecimals(item.baseAmount), "BR-DEC-25", item.baseAmount?.location ?? at)
                }
            }
        }
    }

    private func payment(_ report: inout ModelReport) {
        for means in invoice.paymentInstructions {
            report.require(means.meansCode != nil, "BR-49", means.location)
            let code = means.meansCode.normalized
            let isTransfer = code == "30" || code == "58"
            report.require(!isTransfer || means.creditTransfers.contains { $0.accountIdentifier != nil }, "BR-61", means.location)
            if means.meansCode?.raw == "30" || means.meansCode?.raw == "58" {
                for transfer in means.creditTransfers {
                    report.require(!transfer.accountIdentifier.isBlank, "BR-50", transfer.location)
                }
            }
            if let number = means.card?.primaryAccountNumber {
                report.require(XPathMath.length(number.value) <= 10, "BR-51", number.location)
            }
        }
        // `cac:PaymentMeans/cac:CardAccount/…` matches payment means nested in allowances and
        // charges too.
        func cardNumbers(_ items: [AllowanceCharge]) {
            for item in items {
                for number in item.paymentCardNumbers {
                    report.require(XPathMath.length(number.value) <= 10, "BR-51", number.location)
                }
            }
        }
        cardNumbers(invoice.allowancesAndCharges)
        for line in everyLine {
            cardNumbers(line.allowancesAndCharges)
            cardNumbers(line.priceAllowancesAndCharges)
        }
    }
}
