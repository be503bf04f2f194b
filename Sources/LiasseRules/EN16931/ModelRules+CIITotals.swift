import Foundation
import LiasseInvoice

/// BG-22 document totals and BG-23 VAT breakdown in the CII binding. Several of its tests
/// sum untyped amounts, which XPath does in `xs:double`: those are reproduced in `Double`.
extension CIIModelRules {
    func totals(_ report: inout ModelReport) {
        let inv = invoice
        let totals = inv.totals
        if let currency = inv.currency {
            let matching = totals.vatTotals.filter { $0.unit == currency.raw }
            let grand = totals.taxInclusive?.value
            let basis = totals.taxExclusive?.value
            var holds = false
            if matching.count == 1, let grand, let basis, let vat = matching[0].value {
                holds = grand == XPathMath.round2(basis + vat)
            }
            if !holds, let grand, let basis { holds = grand == basis }
            report.require(holds, "BR-CO-15", totals.taxInclusive?.location ?? currency.location)
        }
        for total in totals.vatTotals where total.unit != nil && total.unit == inv.currency?.raw {
            let sum = inv.vatBreakdown.reduce(0.0) { $0 + ($1.taxAmount?.double ?? 0) }
            let expected = XPathMath.round(sum * 10 * 10) / 100
            report.require(total.double == expected, "BR-CO-14", total.location)
        }
        guard let at = totals.location else { return }
        report.require(totals.lineNetSum != nil, "BR-12", at)
        report.require(totals.taxExclusive != nil, "BR-13", at)
        report.require(totals.taxInclusive != nil, "BR-14", at)
        report.require(totals.due != nil, "BR-15", at)
        if let taxCurrency = inv.vatAccountingCurrency {
            let holds = totals.vatTotals.contains { $0.unit == taxCurrency.raw } && taxCurrency.raw != inv.currency?.raw
            report.require(holds, "BR-53", taxCurrency.location)
        }

        let lineSum = inv.lines.reduce(0.0) { $0 + ($1.netAmount?.double ?? 0) }
        report.require(totals.lineNetSum?.value != nil && totals.lineNetSum?.value == XPathMath.round2Exact(lineSum),
                       "BR-CO-10", totals.lineNetSum?.location ?? at)

        for (charge, total, id) in [(false, totals.allowanceSum, "BR-CO-11"), (true, totals.chargeSum, "BR-CO-12")] {
            let items = inv.allowancesAndCharges.filter { $0.indicatorValue == charge }
            let sum = items.reduce(0.0) { $0 + ($1.amount?.double ?? 0) }
            let expected = XPathMath.round(sum * 10 * 10) / 100
            report.require((items.isEmpty && total == nil) || (total != nil && total?.double == expected), id, total?.location ?? at)
        }

        let basis = totals.taxExclusive?.value
        let lines = totals.lineNetSum?.value
        let allowance = totals.allowanceSum?.value
        let charge = totals.chargeSum?.value
        var co13 = false
        if let basis, let lines {
            if let allowance, let charge, basis == XPathMath.round2(lines - allowance + charge) { co13 = true }
            if let allowance, totals.chargeSum == nil, basis == XPathMath.round2(lines - allowance) { co13 = true }
            if let charge, totals.allowanceSum == nil, basis == XPathMath.round2(lines + charge) { co13 = true }
            if totals.chargeSum == nil, totals.allowanceSum == nil, basis == XPathMath.round2(lines) { co13 = true }
        }
        report.require(co13, "BR-CO-13", totals.taxExclusive?.location ?? at)

        var co16 = false
        if let due = totals.due?.value, let grand = totals.taxInclusive?.value {
            let prepaid = totals.prepaid?.value
            let rounding = totals.rounding?.value
            if let prepaid, let rounding, due == grand - prepaid + rounding { co16 = true }
            if let rounding, totals.prepaid == nil, due == grand + rounding { co16 = true }
            if let prepaid, totals.rounding == nil, due == grand - prepaid { co16 = true }
            if totals.prepaid == nil, totals.rounding == nil, due == grand { co16 = true }
        }
        report.require(co16, "BR-CO-16", totals.due?.location ?? at)

        for (id, amount) in [("BR-DEC-09", totals.lineNetSum), ("BR-DEC-10", totals.allowanceSum),
                             ("BR-DEC-11", totals.chargeSum), ("BR-DEC-12", totals.taxExclusive),
                             ("BR-DEC-14", totals.taxInclusive), ("BR-DEC-16", totals.prepaid),
                             ("BR-DEC-17", totals.rounding), ("BR-DEC-18", totals.due)] {
            report.require(!XPathMath.hasMoreThanTwoDecimals(amount), id, amount?.location ?? at)
        }
        // `. = round(. * 100) div 100`: the value, as a double, has at most two decimals.
        func twoDecimals(_ amount: Amount) -> Bool {
            guard let value = amount.double else { return false }
            return value == XPathMath.round(value * 100) / 100
        }
        let invoiceCurrency = inv.currency?.raw
        if !totals.vatTotals.isEmpty {
            let dec13 = totals.vatTotals.contains { total in
                let same = total.unit != nil && total.unit == invoiceCurrency
                return (same && twoDecimals(total)) || !same
            }
            report.require(dec13, "BR-DEC-13", at)
            let taxCurrency = inv.vatAccountingCurrency?.raw
            let dec15 = totals.vatTotals.contains { total in
                (taxCurrency != nil && total.unit == taxCurrency && twoDecimals(total)) || taxCurrency == nil
            }
            report.require(dec15, "BR-DEC-15", at)
        }
    }

    /// Whether the generic breakdown rules see this breakdown: a breakdown in category L, M or
    /// O with a VAT type code is matched by its category's own rule instead (one template per
    /// node in the compiled schematron), so BR-45…48, BR-CO-03, BR-CO-17 and BR-DEC-19/20
    /// never judge it.
    static func seesGenericRules(_ part: VATBreakdown) -> Bool {
        let code = part.category?.raw
        let special = code == "L" || code == "M" || code == "O"
        return !(special && (part.taxScheme?.isVATExact ?? false))
    }

    func breakdown(_ report: inout ModelReport) {
        let inv = invoice
        // `//ram:TaxPointDate` and `//ram:DueDateTypeCode`: on any tax of the document.
        func anyOtherTax(_ test: (TaxCategoryEntry) -> Bool) -> Bool {
            inv.lines.contains { line in
                line.taxCategories.contains(where: test) || line.allowancesAndCharges.contains { $0.taxCategories.contains(where: test) }
            } || inv.allowancesAndCharges.contains { $0.taxCategories.contains(where: test) }
        }
        let bothTaxPointDates = (inv.vatBreakdown.contains(where: \.hasTaxPointDate) || anyOtherTax(\.hasTaxPointDate))
            && (inv.vatBreakdown.contains { $0.dueDateTypeCode != nil } || anyOtherTax { $0.dueDateTypeCode != nil })
        for part in inv.vatBreakdown where Self.seesGenericRules(part) {
            let at = part.location
            let isVAT = part.taxScheme?.isVATExact ?? false
            report.require(part.taxableAmount != nil, "BR-45", at)
            report.require(part.taxAmount != nil, "BR-46", at)
            report.require(isVAT && part.category != nil, "BR-47", at)
            report.require(isVAT && (part.rate != nil || part.category?.raw == "O"), "BR-48", at)
            report.require(!bothTaxPointDates, "BR-CO-03", at)
            let rate = (part.taxScheme?.isVATNormalized ?? false) ? part.rate?.value : nil
            report.require(UBLModelRules.co17(rate: rate, tax: part.taxAmount?.value, taxable: part.taxableAmount?.value,
                                              inclusive: true), "BR-CO-17", at)
            report.require(!XPathMath.hasMoreThanTwoDecimals(part.taxableAmount), "BR-DEC-19", part.taxableAmount?.location ?? at)
            report.require(!XPathMath.hasMoreThanTwoDecimals(part.taxAmount), "BR-DEC-20", part.taxAmount?.location ?? at)
        }
    }
}
