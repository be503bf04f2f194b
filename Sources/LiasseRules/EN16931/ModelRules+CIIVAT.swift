import Foundation
import LiasseInvoice

/// The VAT-category families in the CII binding. Category codes compare as written
/// (`ram:CategoryCode = 'S'`), type codes upper-cased without trimming.
extension CIIModelRules {
    /// The categories of the document, by where they are written.
    struct Categories {
        /// Header breakdowns (`ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax`).
        var breakdown: [TaxCategoryEntry] = []
        /// Line taxes (`ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax`).
        var lines: [TaxCategoryEntry] = []
        /// Allowances and charges of both levels (`//ram:CategoryTradeTax`), with their indicator.
        var allowanceCharge: [(entry: TaxCategoryEntry, isCharge: Bool?)] = []

        init(_ invoice: Invoice) {
            breakdown = invoice.vatBreakdown.map { part in
                var entry = TaxCategoryEntry(location: part.location)
                entry.code = part.category
                entry.rate = part.rate
                entry.taxScheme = part.taxScheme
                return entry
            }
            for item in invoice.allowancesAndCharges {
                allowanceCharge += item.taxCategories.map { ($0, item.indicatorValue) }
            }
            for line in invoice.lines {
                lines += line.taxCategories
                for item in line.allowancesAndCharges {
                    allowanceCharge += item.taxCategories.map { ($0, item.indicatorValue) }
                }
            }
        }

        func count(_ entries: [TaxCategoryEntry], _ code: String) -> Int {
            entries.reduce(0) { $0 + ($1.code?.raw == code ? 1 : 0) }
        }
    }

    func vatCategories(_ report: inout ModelReport) {
        let cats = Categories(invoice)
        presence(cats, &report)
        identifiersAndRates(cats, &report)
        breakdowns(cats, &report)
        categoryB(cats, &report)
    }

    /// a category's breakdown against its lines, allowances and charges.
    private func presence(_ cats: Categories, _ report: inout ModelReport) {
        for (code, prefix) in ModelCatalogue.vatFamilyCodes {
            let header = cats.count(cats.breakdown, code)
            let lines = cats.count(cats.lines, code)
            let others = cats.allowanceCharge.count(where: { $0.entry.code?.raw == code })
            let holds: Bool
            switch code {
            case "S", "L", "M":
                holds = (lines + header >= 2 || lines == 0) && (others + header >= 2 || others == 0)
            case "O":
                holds = header == 0 || (header == 1 && (lines > 0 || others > 0))
            default:
                holds = (header == 0 && lines == 0 && others == 0) || (header == 1 && (lines > 0 || others > 0))
            }
            report.require(holds, "\(prefix)-01", nil)
        }
    }

    /// X-02…X-07: VAT identifiers and rates on lines, allowances and charges.
    private func identifiersAndRates(_ cats: Categories, _ report: inout ModelReport) {
        let inv = invoice
        func has(_ party: Party?, _ schemes: Set<String>) -> Bool {
            party?.taxRegistrations.contains { $0.identifier != nil && schemes.contains($0.taxScheme?.raw ?? "\u{0}") } ?? false
        }
        let sellerVAFC = has(inv.seller, ["VA", "FC"])
        let sellerVA = has(inv.seller, ["VA"])
        let representativeVA = has(inv.taxRepresentative, ["VA"])
        let buyerVA = has(inv.buyer, ["VA"])
        let buyerLegal = inv.buyer?.legalRegistration != nil

        for (code, prefix) in ModelCatalogue.vatFamilyCodes {
            let identifiers: Bool
            switch code {
            case "AE": identifiers = (sellerVAFC || representativeVA) && (buyerVA || buyerLegal)
            case "K": identifiers = (sellerVA || representativeVA) && buyerVA
            case "G": identifiers = sellerVA || representativeVA
            case "O": identifiers = !sellerVA && !representativeVA && !buyerVA
            default: identifiers = sellerVAFC || representativeVA
            }
            func rateHolds(_ rate: Amount?) -> Bool {
                switch code {
                case "S", "L": return (rate?.double ?? .nan) > 0
                case "M": return (rate?.double ?? .nan) >= 0
                case "O": return rate == nil
                default: return rate?.double == 0
                }
            }
            func matches(_ entry: TaxCategoryEntry) -> Bool {
                entry.code?.raw == code && (entry.taxScheme?.isVATExact ?? false)
            }
            for entry in cats.lines where matches(entry) {
                report.require(identifiers, "\(prefix)-02", entry.location)
                report.require(rateHolds(entry.rate), "\(prefix)-05", entry.location)
            }
            for (entry, isCharge) in cats.allowanceCharge where matches(entry) {
                guard let isCharge else { continue }
                report.require(identifiers, isCharge ? "\(prefix)-04" : "\(prefix)-03", entry.location)
                report.require(rateHolds(entry.rate), isCharge ? "\(prefix)-07" : "\(prefix)-06", entry.location)
            }
        }
    }

    /// X-08…X-12 and O-11…O-14: each header breakdown against its category.
    private func breakdowns(_ cats: Categories, _ report: inout ModelReport) {
        let inv = invoice
        for part in inv.vatBreakdown {
            guard let code = part.category?.raw else { continue }
            let isVAT = part.taxScheme?.isVATExact ?? false
            let at = part.location
            let hasReason = part.exemptionReason != nil || part.exemptionReasonCode != nil
            switch code {
            case "S":
                // The S context does not ask for a VAT type code.
                if let rate = part.rate?.value {
                    let expected = categorySum(code: "S", rate: rate)
                    report.require(part.taxableAmount?.double == XPathMath.double(expected), "BR-S-08", at)
                }
                report.require(Self.taxWithinOne(part), "BR-S-09", at)
                report.require(!hasReason, "BR-S-10", at)
            case "Z", "E", "AE", "K", "G":
                // Z has no type code condition either.
                guard code == "Z" || isVAT else { continue }
                let prefix = vatFamilyPrefix(code)
                let expected = XPathMath.double(categorySum(code: code, rate: nil))
                let basis = part.taxableAmount?.double ?? .nan
                report.require(basis - 1 < expected && basis + 1 > expected, "\(prefix)-08", at)
                report.require(part.taxAmount?.double == 0, "\(prefix)-09", at)
                report.require(code == "Z" ? !hasReason : hasReason, "\(prefix)-10", at)
                if code == "K" {
                    let period = inv.invoicingPeriod
                    let deliveryDate = inv.delivery?.actualDeliveryDate.map { !$0.writtenAsDateTime } ?? false
                    report.require(deliveryDate || period?.start != nil || period?.end != nil,
                                   "BR-IC-11", at)
                    report.require(inv.delivery?.address?.countryCode != nil, "BR-IC-12", at)
                }
            case "O" where isVAT:
                let expected = XPathMath.double(categorySum(code: "O", rate: nil))
                report.require(part.taxableAmount?.double == expected, "BR-O-08", at)
                report.require(part.taxAmount?.double == 0, "BR-O-09", at)
                report.require(hasReason, "BR-O-10", at)
                let otherTax = (cats.lines + cats.breakdown).contains { $0.code != nil && $0.code?.raw != "O" }
                report.require(!otherTax, "BR-O-11", at)
                report.require(!otherTax, "BR-O-12", at)
                let otherAllowanceCharge = cats.allowanceCharge.contains { $0.entry.code != nil && $0.entry.code?.raw != "O" }
                report.require(!otherAllowanceCharge, "BR-O-13", at)
                report.require(!otherAllowanceCharge, "BR-O-14", at)
            case "L" where isVAT, "M" where isVAT:
                // AF-08/AG-08 read the rate and basis of the breakdown's parent, which has
                // none, and AF-09/AG-09 are `true()`: only the exemption rule can fail.
                report.require(!hasReason, code == "L" ? "BR-AF-10" : "BR-AG-10", at)
            default:
                break
            }
        }
    }

    /// The official expected taxable amount of a category (and rate): the line net amounts,
    /// charges and allowances of that category, each sum rounded to two decimals.
    private func categorySum(code: String, rate: Decimal?) -> Decimal {
        let inv = invoice
        // Summed in place: filtering first would copy every matching line.
        var lines = Decimal(0)
        for line in inv.lines where line.taxCategories.contains(where: { $0.code?.raw == code })
            && (rate == nil || line.taxCategories.contains { $0.rate?.value == rate }) {
            lines += line.netAmount?.value ?? 0
        }
        func documentSum(_ charge: Bool) -> Decimal {
            var sum = Decimal(0)
            for item in inv.allowancesAndCharges where item.indicatorValue == charge
                && item.taxCategories.contains(where: { $0.code?.raw == code })
                && (rate == nil || item.taxCategories.contains { $0.rate?.value == rate }) {
                sum += item.amount?.value ?? 0
            }
            return sum
        }
        return XPathMath.round2(lines) + XPathMath.round2(documentSum(true)) - XPathMath.round2(documentSum(false))
    }

    /// BR-S-09: `round(abs(basis) * rate) div 100` in doubles (the rate is untyped), to one unit.
    static func taxWithinOne(_ part: VATBreakdown) -> Bool {
        guard let tax = part.taxAmount?.value, let basis = part.taxableAmount?.value, let rate = part.rate?.double else { return false }
        let expected = XPathMath.round(XPathMath.double(abs(basis)) * rate) / 100
        return XPathMath.double(abs(tax) - 1) < expected && XPathMath.double(abs(tax) + 1) > expected
    }

    /// BR-B-01, BR-B-02 over every category code of the document.
    private func categoryB(_ cats: Categories, _ report: inout ModelReport) {
        let all = cats.breakdown + cats.lines + cats.allowanceCharge.map(\.entry)
        guard all.contains(where: { $0.code?.raw == "B" }) else { return }
        let inv = invoice
        let countries = ([inv.seller, inv.buyer, inv.payee, inv.taxRepresentative].map { $0?.address } + [inv.delivery?.address])
            .compactMap { $0?.countryCode?.raw }
        report.require(!countries.contains { $0 != "IT" }, "BR-B-01", nil)
        report.require(!all.contains { $0.code?.raw == "S" }, "BR-B-02", nil)
    }
}
