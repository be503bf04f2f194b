import Foundation
import LiasseInvoice

/// The VAT-category families (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-O, BR-AF, BR-AG,
/// BR-B) in the UBL binding.
///
/// The official tests are not uniform: some compare the category code trimmed, some as
/// written; some require the `VAT` tax scheme, some do not. Each rule below follows its own
/// official test; the small predicates name which variant is used.
extension UBLModelRules {
    /// A VAT category occurrence and where it sits.
    struct Occurrence {
        let entry: TaxCategoryEntry
        /// The charge indicator of the allowance or charge carrying it (nil elsewhere).
        let isCharge: Bool?
        let documentLevel: Bool
        /// The code with spaces normalised, and whether the scheme is VAT: computed once, the
        /// rules ask them of every occurrence for every category.
        let trimmed: String
        let isVAT: Bool

        init(entry: TaxCategoryEntry, isCharge: Bool?, documentLevel: Bool) {
            self.entry = entry
            self.isCharge = isCharge
            self.documentLevel = documentLevel
            self.trimmed = entry.code.normalized
            self.isVAT = entry.taxScheme?.isVATNormalized ?? false
        }

        var raw: String? { entry.code?.raw }
        func `is`(_ code: String) -> Bool { trimmed == code }
        func isVAT(_ code: String) -> Bool { trimmed == code && isVAT }
    }

    /// Every VAT category of the document, by where it is written.
    struct Categories {
        var breakdown: [Occurrence] = []
        /// Allowances and charges, document and line level (`//cac:AllowanceCharge/cac:TaxCategory`).
        var allowanceCharge: [Occurrence] = []
        /// Items (`//cac:ClassifiedTaxCategory`).
        var items: [Occurrence] = []

        /// Breakdowns written on lines (UBL line `cac:TaxTotal`).
        var lineBreakdown: [Occurrence] = []

        /// `//cac:TaxCategory`: breakdowns of both levels and allowances or charges.
        private(set) var taxCategories: [Occurrence] = []

        /// `lines`: every line the `//` paths reach, nested ones included.
        init(_ invoice: Invoice, lines: [InvoiceLine]) {
            func occurrence(_ part: VATBreakdown, documentLevel: Bool) -> Occurrence {
                var entry = TaxCategoryEntry(location: part.location)
                entry.code = part.category
                entry.rate = part.rate
                entry.taxScheme = part.taxScheme
                entry.exemptionReason = part.exemptionReason
                entry.exemptionReasonCode = part.exemptionReasonCode
                return Occurrence(entry: entry, isCharge: nil, documentLevel: documentLevel)
            }
            breakdown = invoice.vatBreakdown.map { occurrence($0, documentLevel: true) }
            lineBreakdown = lines.flatMap(\.lineVATBreakdown).map { occurrence($0, documentLevel: false) }
            for item in invoice.allowancesAndCharges {
                allowanceCharge += item.taxCategories.map { Occurrence(entry: $0, isCharge: item.indicatorValue, documentLevel: true) }
            }
            for line in lines {
                for items in [line.allowancesAndCharges, line.priceAllowancesAndCharges] {
                    for item in items {
                        allowanceCharge += item.taxCategories.map { Occurrence(entry: $0, isCharge: item.indicatorValue, documentLevel: false) }
                    }
                }
                items += line.taxCategories.map { Occurrence(entry: $0, isCharge: nil, documentLevel: false) }
            }
            taxCategories = breakdown + lineBreakdown + allowanceCharge
        }
    }

    /// Who declares VAT identifiers, as the X-02/03/04 rules ask.
    struct VATParties {
        /// Any `cac:PartyTaxScheme/cbc:CompanyID` of the seller, whatever its scheme.
        var sellerAny: Bool
        /// A seller `cac:PartyTaxScheme` in the VAT scheme with a `cbc:CompanyID`.
        var sellerVAT: Bool
        var representativeVAT: Bool
        var buyerVAT: Bool
        /// The buyer's `cac:PartyLegalEntity/cbc:CompanyID`.
        var buyerLegal: Bool

        init(_ invoice: Invoice) {
            func vat(_ party: Party?) -> Bool {
                party?.taxRegistrations.contains { $0.identifier != nil && ($0.taxScheme?.isVATNormalized ?? false) } ?? false
            }
            sellerAny = invoice.seller?.taxRegistrations.contains { $0.identifier != nil } ?? false
            sellerVAT = vat(invoice.seller)
            representativeVAT = vat(invoice.taxRepresentative)
            buyerVAT = vat(invoice.buyer)
            buyerLegal = invoice.buyer?.legalRegistration != nil
        }
    }

    func vatCategories(_ report: inout ModelReport) {
        let cats = Categories(invoice, lines: everyLine)
        let parties = VATParties(invoice)
        presence(cats, &report)
        identifiers(cats, parties, &report)
        rates(cats, &report)
        breakdowns(cats, &report)
        categoryB(cats, &report)
    }

    /// a category used on lines, allowances or charges has its breakdown, and back.
    private func presence(_ cats: Categories, _ report: inout ModelReport) {
        for (code, id) in [("Z", "BR-Z-01"), ("E", "BR-E-01"), ("AE", "BR-AE-01"), ("K", "BR-IC-01"), ("G", "BR-G-01"), ("O", "BR-O-01")] {
            let used = cats.taxCategories.contains { $0.isVAT(code) } || cats.items.contains { $0.isVAT(code) }
            let count = cats.breakdown.count(where: { $0.isVAT(code) })
            report.require((used && count == 1) || !used, id, nil)
        }
        let sUsed = cats.allowanceCharge.count(where: { $0.is("S") }) + cats.items.count(where: { $0.is("S") })
        let sBreakdown = cats.breakdown.count(where: { $0.is("S") })
        report.require((sUsed > 0 && sBreakdown > 0) || (sUsed == 0 && sBreakdown == 0), "BR-S-01", nil)
        let lUsed = cats.allowanceCharge.count(where: { $0.isVAT("L") }) + cats.items.count(where: { $0.isVAT("L") })
        report.require((lUsed > 0 && cats.breakdown.contains { $0.raw == "L" })
                       || (lUsed == 0 && !cats.breakdown.contains { $0.isVAT("L") }), "BR-AF-01", nil)
        let mUsed = cats.allowanceCharge.count(where: { $0.isVAT("M") }) + cats.items.count(where: { $0.isVAT("M") })
        report.require((mUsed > 0 && cats.breakdown.contains { $0.raw == "M" && $0.isVAT })
                       || (mUsed == 0 && !cats.breakdown.contains { $0.isVAT("M") }), "BR-AG-01", nil)

        let kBreakdown = cats.breakdown.contains { $0.isVAT("K") }
        if kBreakdown {
            let deliveryDate = XPathMath.length(invoice.delivery?.actualDeliveryDate?.text.raw ?? "") > 1
            report.require(deliveryDate || (invoice.invoicingPeriod?.elementCount ?? 0) > 0, "BR-IC-11", nil)
            report.require(XPathMath.length(invoice.delivery?.address?.countryCode?.raw ?? "") > 1, "BR-IC-12", nil)
        }
        if cats.breakdown.contains(where: { $0.isVAT("O") }) {
            report.require(!cats.breakdown.contains { $0.isVAT && $0.trimmed != "O" }, "BR-O-11", nil)
            report.require(!cats.items.contains { $0.isVAT && $0.trimmed != "O" }, "BR-O-12", nil)
            report.require(!cats.allowanceCharge.contains { $0.isCharge == false && $0.isVAT && $0.trimmed != "O" }, "BR-O-13", nil)
            report.require(!cats.allowanceCharge.contains { $0.isCharge == true && $0.isVAT && $0.trimmed != "O" }, "BR-O-14", nil)
        }
    }

    /// the VAT identifiers a category needs.
    private func identifiers(_ cats: Categories, _ p: VATParties, _ report: inout ModelReport) {
        let sellerOrRepresentative = p.sellerAny || p.representativeVAT
        let sellerVATOrRepresentative = p.sellerVAT || p.representativeVAT
        let buyerAE = p.buyerVAT || p.buyerLegal
        let none = !p.sellerVAT && !p.representativeVAT && !p.buyerVAT
        let allowances = cats.allowanceCharge.filter { $0.isCharge == false }
        let charges = cats.allowanceCharge.filter { $0.isCharge == true }

        func rule(_ id: String, used: Bool, holds: Bool, guarded: Bool) {
            report.require((used && holds) || !guarded, id, nil)
        }
        // S-02 looks for a VAT-scheme S item but only excuses invoices with no S item at all.
        rule("BR-S-02", used: cats.items.contains { $0.isVAT("S") }, holds: sellerOrRepresentative,
             guarded: cats.items.contains { $0.is("S") })
        for (code, prefix, holds) in [("S", "BR-S", sellerOrRepresentative), ("Z", "BR-Z", sellerOrRepresentative),
                                      ("E", "BR-E", sellerOrRepresentative), ("AE", "BR-AE", sellerOrRepresentative && buyerAE),
                                      ("K", "BR-IC", sellerVATOrRepresentative && p.buyerVAT),
                                      ("G", "BR-G", sellerVATOrRepresentative), ("L", "BR-AF", sellerOrRepresentative),
                                      ("M", "BR-AG", sellerOrRepresentative)] {
            if code != "S" {
                let items = cats.items.contains { $0.isVAT(code) }
                rule("\(prefix)-02", used: items, holds: holds, guarded: items)
            }
            // G-03/04 look for a G allowance whatever its scheme; AF-04 excuses on the code as written.
            let allowanceUsed = allowances.contains { code == "G" ? $0.is(code) : $0.isVAT(code) }
            rule("\(prefix)-03", used: allowanceUsed, holds: holds, guarded: allowances.contains { $0.isVAT(code) })
            let chargeUsed = charges.contains { code == "G" ? $0.is(code) : $0.isVAT(code) }
            let chargeGuard = code == "L" ? charges.contains { $0.raw == "L" && $0.isVAT } : charges.contains { $0.isVAT(code) }
            rule("\(prefix)-04", used: chargeUsed, holds: holds, guarded: chargeGuard)
        }
        let oItems = cats.items.contains { $0.isVAT("O") }
        rule("BR-O-02", used: oItems, holds: none, guarded: oItems)
        // O-03/04 look at document level allowances and charges only.
        let oAllowances = allowances.contains { $0.documentLevel && $0.isVAT("O") }
        rule("BR-O-03", used: oAllowances, holds: none, guarded: oAllowances)
        let oCharges = charges.contains { $0.documentLevel && $0.isVAT("O") }
        rule("BR-O-04", used: oCharges, holds: none, guarded: oCharges)
    }

    /// the rate a category allows on items, allowances and charges.
    private func rates(_ cats: Categories, _ report: inout ModelReport) {
        for (code, prefix) in ModelCatalogue.vatFamilyCodes {
            func holds(_ rate: Amount?) -> Bool {
                switch code {
                case "S": return (rate?.double ?? .nan) > 0
                case "O": return rate == nil
                case "L", "M": return (rate?.double ?? .nan) >= 0
                default: return rate?.value == 0
                }
            }
            for item in cats.items where item.isVAT(code) {
                report.require(holds(item.entry.rate), "\(prefix)-05", item.entry.location)
            }
            for item in cats.allowanceCharge where item.isVAT(code) {
                guard let isCharge = item.isCharge else { continue }
                report.require(holds(item.entry.rate), isCharge ? "\(prefix)-07" : "\(prefix)-06", item.entry.location)
            }
        }
    }

    /// each breakdown against the lines, allowances and charges of its category.
    private func breakdowns(_ cats: Categories, _ report: inout ModelReport) {
        let inv = invoice
        for part in inv.vatBreakdown where part.taxScheme?.isVATNormalized ?? false {
            let code = part.category.normalized
            let at = part.location
            let hasReason = part.exemptionReason != nil || part.exemptionReasonCode != nil
            switch code {
            case "Z", "E", "AE", "K", "G", "O":
                let prefix = vatFamilyPrefix(code)
                var lineSum = Decimal(0)
                for line in inv.lines where line.taxCategories.contains(where: { $0.code.normalized == code }) {
                    lineSum += line.netAmount?.value ?? 0
                }
                let documentPart = documentSum(charge: true, code: code, rate: nil) - documentSum(charge: false, code: code, rate: nil)
                // One branch per line kind: `exists(//cac:InvoiceLine) and … ../../../cac:InvoiceLine …`.
                let taxable = part.taxableAmount?.value
                let kinds = lineKinds
                report.require((kinds.own && taxable == lineSum + documentPart) || (kinds.other && taxable == documentPart),
                               "\(prefix)-08", at)
                report.require(part.taxAmount?.value == 0, "\(prefix)-09", at)
                report.require(code == "Z" ? !hasReason : hasReason, "\(prefix)-10", at)
            case "S", "L", "M":
                let prefix = vatFamilyPrefix(code)
                if let rate = part.rate?.value {
                    report.require(taxableMatches(part, code: code, rate: rate, cats: cats), "\(prefix)-08", at)
                }
                report.require(Self.taxWithinOne(part), "\(prefix)-09", at)
                report.require(!hasReason, "\(prefix)-10", at)
            default:
                break
            }
        }
    }

    /// Whether `//cac:InvoiceLine` and `//cac:CreditNoteLine` find a line: `own` for the
    /// document's kind (its BG-25 lines, or nested lines of that kind), `other` for the other
    /// kind (nested lines only). The X-08 rules have a branch per kind, and each branch sums the
    /// root's lines of its kind (`../../../cac:InvoiceLine`): none for the other kind.
    private var lineKinds: (own: Bool, other: Bool) {
        let isCreditNote = invoice.syntax == .ublCreditNote
        let own = !invoice.lines.isEmpty || invoice.nestedLines.contains { $0.isCreditNoteLine == isCreditNote }
        let other = invoice.nestedLines.contains { $0.isCreditNoteLine != isCreditNote }
        return (own, other)
    }

    /// Σ document level charges (or allowances) of a category (and rate): the official
    /// `../../../cac:AllowanceCharge[…]` sums.
    private func documentSum(charge: Bool, code: String, rate: Decimal?) -> Decimal {
        var sum = Decimal(0)
        for item in invoice.allowancesAndCharges where item.indicatorValue == charge
            && item.taxCategories.contains(where: { $0.code.normalized == code })
            && (rate == nil || item.taxCategories.contains { $0.rate?.value == rate }) {
            sum += item.amount?.value ?? 0
        }
        return sum
    }


    /// S-08, AF-08, AG-08: the taxable amount matches, to one unit, the lines, allowances and
    /// charges of the same category and rate. The official test subtracts 1 from the untyped
    /// taxable amount, which makes it a double: reproduced exactly.
    private func taxableMatches(_ part: VATBreakdown, code: String, rate: Decimal, cats: Categories) -> Bool {
        let inv = invoice
        func matches(_ line: InvoiceLine) -> Bool {
            line.taxCategories.contains { $0.code.normalized == code } && line.taxCategories.contains { $0.rate?.value == rate }
        }
        // Summed in place: filtering first would copy every matching line.
        var anyMatching = false
        var lineSum = Decimal(0)
        for index in inv.lines.indices where matches(inv.lines[index]) {
            anyMatching = true
            lineSum += inv.lines[index].netAmount?.value ?? 0
        }
        let documentPart = documentSum(charge: true, code: code, rate: rate) - documentSum(charge: false, code: code, rate: rate)
        let withLines = lineSum + documentPart
        func within(_ expected: Decimal) -> Bool {
            guard let taxable = part.taxableAmount?.double else { return false }
            return XPathMath.compareExact(taxable - 1, expected) < 0 && XPathMath.compareExact(taxable + 1, expected) > 0
        }
        if code == "S" {
            let anyAllowanceCharge = cats.allowanceCharge.contains { $0.is("S") && $0.entry.rate?.value == rate }
                || allowanceChargeMatches(code: code, rate: rate)
            // `exists(//cac:InvoiceLine[S][rate])`, `exists(//cac:CreditNoteLine[S][rate])`:
            // the document's lines of its kind, and nested lines of either kind.
            let isCreditNote = inv.syntax == .ublCreditNote
            let ownLines = anyMatching
                || inv.nestedLines.contains { $0.isCreditNoteLine == isCreditNote && matches($0.line) }
            let otherLines = inv.nestedLines.contains { $0.isCreditNoteLine != isCreditNote && matches($0.line) }
            // The invoice-line branch and the credit-note-line branch; the root has no lines of
            // the other kind, so that branch sums the allowances and charges alone.
            let lineBranch = (ownLines || anyAllowanceCharge) && within(withLines)
            let otherBranch = (otherLines || anyAllowanceCharge) && within(documentPart)
            return lineBranch || otherBranch
        }
        let kinds = lineKinds
        return (kinds.own && within(withLines)) || (kinds.other && within(documentPart))
    }

    /// `//cac:AllowanceCharge[cac:TaxCategory/normalize-space(cbc:ID)=X][cac:TaxCategory/xs:decimal(cbc:Percent) = $rate]`.
    private func allowanceChargeMatches(code: String, rate: Decimal) -> Bool {
        func matches(_ item: AllowanceCharge) -> Bool {
            item.taxCategories.contains { $0.code.normalized == code } && item.taxCategories.contains { $0.rate?.value == rate }
        }
        return invoice.allowancesAndCharges.contains(where: matches)
            || everyLine.contains { $0.allowancesAndCharges.contains(where: matches) || $0.priceAllowancesAndCharges.contains(where: matches) }
    }

    /// S-09, AF-09, AG-09: the tax amount is the taxable amount times the rate, to one unit.
    static func taxWithinOne(_ part: VATBreakdown) -> Bool {
        guard let rate = part.rate?.value, let tax = part.taxAmount?.value, let taxable = part.taxableAmount?.value else { return false }
        let expected = XPathMath.round2(abs(taxable) * (rate * XPathMath.hundredth))
        return abs(tax) - 1 < expected && abs(tax) + 1 > expected
    }

    /// BR-B-01, BR-B-02: split payment (B) is Italian only and never mixed with S.
    private func categoryB(_ cats: Categories, _ report: inout ModelReport) {
        let usedB = cats.taxCategories.contains { $0.raw == "B" } || cats.items.contains { $0.raw == "B" }
        if usedB {
            report.require(!countryCodes.contains { $0 != "IT" }, "BR-B-01", nil)
        }
        let documentAC = cats.allowanceCharge.filter(\.documentLevel)
        func used(_ code: String) -> Bool {
            cats.breakdown.contains { $0.raw == code } || documentAC.contains { $0.raw == code } || cats.items.contains { $0.raw == code }
        }
        if used("B") {
            report.require(!used("S"), "BR-B-02", nil)
        }
    }

    /// Every country code of the document (`//cbc:IdentificationCode`), as written.
    private var countryCodes: [String] {
        let inv = invoice
        var codes = [inv.seller, inv.buyer, inv.payee, inv.taxRepresentative].compactMap { $0?.address?.countryCode?.raw }
        if let code = inv.delivery?.address?.countryCode?.raw { codes.append(code) }
        codes += everyLine.compactMap { $0.originCountry?.raw }
        return codes
    }
}
