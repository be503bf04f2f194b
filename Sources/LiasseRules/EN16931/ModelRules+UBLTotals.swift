import Foundation
import LiasseInvoice

/// BG-22 document totals and BG-23 VAT breakdown in the UBL binding: decimal arithmetic,
/// sums rounded to two decimals with XPath's `round()`.
extension UBLModelRules {
    func totals(_ report: inout ModelReport) {
        let inv = invoice
        let totals = inv.totals
        if let currency = inv.currency {
            let matching = totals.vatTotals.filter { $0.unit == currency.raw }
            var holds = false
            if matching.count == 1, let inclusive = totals.taxInclusive?.value, let exclusive = totals.taxExclusive?.value,
               let vat = matching[0].value {
                holds = inclusive == XPathMath.round2(exclusive + vat)
            }
            report.require(holds, "BR-CO-15", totals.taxInclusive?.location ?? currency.location)
        }
        for (index, total) in totals.vatTotals.enumerated() {
            let parts = inv.vatBreakdown.filter { $0.totalIndex == index }
            if parts.isEmpty { continue }
            let sum = parts.reduce(Decimal(0)) { $0 + ($1.taxAmount?.value ?? 0) }
            report.require(total.value == XPathMath.round2(sum), "BR-CO-14", total.location)
        }
        guard let at = totals.location else { return }
        report.require(totals.lineNetSum != nil, "BR-12", at)
        report.require(totals.taxExclusive != nil, "BR-13", at)
        report.require(totals.taxInclusive != nil, "BR-14", at)
        report.require(totals.due != nil, "BR-15", at)

        // `//(cac:InvoiceLine|cac:CreditNoteLine)`: nested lines count too.
        let lineSum = everyLine.reduce(Decimal(0)) { $0 + ($1.netAmount?.value ?? 0) }
        report.require(totals.lineNetSum?.value == XPathMath.round2(lineSum), "BR-CO-10", totals.lineNetSum?.location ?? at)

        var allowanceTotal = Decimal(0), chargeTotal = Decimal(0)
        var anyAllowance = false, anyCharge = false
        for item in inv.allowancesAndCharges {
            switch item.indicatorValue {
            case false?: allowanceTotal += item.amount?.value ?? 0; anyAllowance = true
            case true?: chargeTotal += item.amount?.value ?? 0; anyCharge = true
            case nil: break
            }
        }
        let allowanceSum = XPathMath.round2(allowanceTotal)
        let chargeSum = XPathMath.round2(chargeTotal)
        report.require(totals.allowanceSum?.value == allowanceSum || (totals.allowanceSum == nil && !anyAllowance),
                       "BR-CO-11", totals.allowanceSum?.location ?? at)
        report.require(totals.chargeSum?.value == chargeSum || (totals.chargeSum == nil && !anyCharge),
                       "BR-CO-12", totals.chargeSum?.location ?? at)

        let exclusive = totals.taxExclusive?.value
        let lines = totals.lineNetSum?.value
        let allowance = totals.allowanceSum?.value
        let charge = totals.chargeSum?.value
        let hasAllowance = totals.allowanceSum != nil
        let hasCharge = totals.chargeSum != nil
        var co13 = false
        if let exclusive, let lines {
            if hasCharge, hasAllowance, let charge, let allowance {
                co13 = exclusive == XPathMath.round2(lines + charge - allowance)
            } else if !hasCharge, hasAllowance, let allowance {
                co13 = exclusive == XPathMath.round2(lines - allowance)
            } else if hasCharge, !hasAllowance, let charge {
                co13 = exclusive == XPathMath.round2(lines + charge)
            } else if !hasCharge, !hasAllowance {
                co13 = exclusive == lines
            }
        }
        report.require(co13, "BR-CO-13", totals.taxExclusive?.location ?? at)

        let hasPrepaid = totals.prepaid != nil
        let hasRounding = totals.rounding != nil
        var co16 = false
        if let due = totals.due?.value, let inclusive = totals.taxInclusive?.value {
            switch (hasPrepaid, hasRounding) {
            case (true, false):
                if let prepaid = totals.prepaid?.value { co16 = due == XPathMath.round2(inclusive - prepaid) }
            case (false, false):
                co16 = due == inclusive
            case (true, true):
                if let prepaid = totals.prepaid?.value, let rounding = totals.rounding?.value {
                    co16 = XPathMath.round2(due - rounding) == XPathMath.round2(inclusive - prepaid)
                }
            case (false, true):
                if let rounding = totals.rounding?.value { co16 = XPathMath.round2(due - rounding) == inclusive }
            }
        }
        report.require(co16, "BR-CO-16", totals.due?.location ?? at)

        for (id, amount) in [("BR-DEC-09", totals.lineNetSum), ("BR-DEC-10", totals.allowanceSum),
                             ("BR-DEC-11", totals.chargeSum), ("BR-DEC-12", totals.taxExclusive),
                             ("BR-DEC-14", totals.taxInclusive), ("BR-DEC-16", totals.prepaid),
                             ("BR-DEC-17", totals.rounding), ("BR-DEC-18", totals.due)] {
            report.require(!XPathMath.hasMoreThanTwoDecimals(amount), id, amount?.location ?? at)
        }
    }

    func breakdown(_ report: inout ModelReport) {
        // `cac:TaxTotal/cac:TaxSubtotal` matches line level tax totals as well (nested lines too).
        for part in invoice.vatBreakdown + everyLine.flatMap(\.lineVATBreakdown) {
            let isVAT = part.taxScheme?.isVATNormalized ?? false
            let at = part.location
            report.require(part.taxableAmount != nil, "BR-45", at)
            report.require(part.taxAmount != nil, "BR-46", at)
            report.require(isVAT && part.category != nil, "BR-47", at)
            report.require(isVAT && (part.rate != nil || part.category.normalized == "O"), "BR-48", at)
            report.require(Self.co17(rate: isVAT ? part.rate?.value : nil, tax: part.taxAmount?.value,
                                     taxable: part.taxableAmount?.value, inclusive: false), "BR-CO-17", at)
            report.require(!XPathMath.hasMoreThanTwoDecimals(part.taxableAmount), "BR-DEC-19", part.taxableAmount?.location ?? at)
            report.require(!XPathMath.hasMoreThanTwoDecimals(part.taxAmount), "BR-DEC-20", part.taxAmount?.location ?? at)
        }
    }

    /// BR-CO-17: the category tax amount is the taxable amount times the rate, to one unit
    /// (the UBL binding excludes the bounds, the CII binding includes them).
    static func co17(rate: Decimal?, tax: Decimal?, taxable: Decimal?, inclusive: Bool) -> Bool {
        if let rate {
            let roundedRate = XPathMath.round(rate)
            if roundedRate == 0 {
                guard let tax else { return false }
                return XPathMath.round(tax) == 0
            }
            guard let tax, let taxable else { return false }
            let expected = XPathMath.round2(abs(taxable) * (rate * XPathMath.hundredth))
            let low = abs(tax) - 1
            let high = abs(tax) + 1
            return inclusive ? (low <= expected && high >= expected) : (low < expected && high > expected)
        }
        guard let tax else { return false }
        return XPathMath.round(tax) == 0
    }
}
