import LiasseInvoice

/// The model rules as the CII binding of CEN 1.3.16 states them (EN16931-CII-validation.xslt).
struct CIIModelRules {
    let invoice: Invoice

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
        let issueDate = inv.issueDate.flatMap { $0.format == "102" ? $0.text : nil }
        report.require(!issueDate.isBlank, "BR-03", inv.issueDate?.text.location)
        report.require(!inv.typeCode.isBlank, "BR-04", inv.typeCode?.location)
        report.require(!inv.currency.isBlank, "BR-05", inv.currency?.location)
        report.require(!(inv.seller?.name).isBlank, "BR-06", inv.seller?.location)
        report.require(!(inv.buyer?.name).isBlank, "BR-07", inv.buyer?.location)
        report.require(inv.seller?.address != nil, "BR-08", inv.seller?.location)
        report.require(!(inv.seller?.address?.countryCode).isBlank, "BR-09", inv.seller?.address?.location)
        report.require(inv.buyer?.address != nil, "BR-10", inv.buyer?.location)
        report.require(!(inv.buyer?.address?.countryCode).isBlank, "BR-11", inv.buyer?.address?.location)
        report.require(!inv.lines.isEmpty, "BR-16", nil)
        for (party, id) in [(inv.seller, "BR-62"), (inv.buyer, "BR-63")] {
            guard let party, party.hasElectronicAddressGroup else { continue }
            report.require(!(party.electronicAddress?.scheme ?? "").normalizedSpace.isEmpty, id,
                           party.electronicAddress?.location ?? party.location)
        }
        for reference in inv.additionalReferences {
            report.require(!reference.identifier.isBlank, "BR-52", reference.location)
        }
        for preceding in inv.precedingInvoices {
            report.require(!preceding.reference.isBlank, "BR-55", preceding.location)
        }
        if let period = inv.invoicingPeriod {
            report.require(Self.ordered(period), "BR-29", period.location)
            report.require(period.start != nil || period.end != nil, "BR-CO-19", period.location)
        }
        if let address = inv.delivery?.address {
            report.require(!address.countryCode.isBlank, "BR-57", address.location)
        }
    }

    /// `(End/udt:DateTimeString[@format = '102']) >= (Start/…)`: an untyped comparison, so
    /// the two texts compare as strings, and a date in another format never passes.
    static func ordered(_ period: Period) -> Bool {
        guard let start = period.start, let end = period.end else { return true }
        guard start.format == "102", end.format == "102" else { return false }
        return !end.text.raw.unicodeScalars.lexicographicallyPrecedes(start.text.raw.unicodeScalars)
    }

    private func parties(_ report: inout ModelReport) {
        let inv = invoice
        if let seller = inv.seller {
            let holds = !seller.identifierElements.isEmpty || !seller.globalIdentifiers.isEmpty
                || seller.legalRegistration != nil
                || seller.taxRegistrations.contains { $0.identifier != nil && $0.taxScheme?.raw == "VA" }
            report.require(holds, "BR-CO-26", seller.location)
        }
        if let payee = inv.payee {
            let seller = inv.seller
            let sellerIDs = Set((seller?.identifierElements ?? []).map(\.raw))
            var holds = payee.name != nil
            if let name = payee.name?.raw, let sellerName = seller?.name?.raw, name == sellerName { holds = false }
            if payee.identifierElements.contains(where: { sellerIDs.contains($0.raw) }) { holds = false }
            if let legal = payee.legalRegistration?.raw, let sellerLegal = seller?.legalRegistration?.raw, legal == sellerLegal {
                holds = false
            }
            report.require(holds, "BR-17", payee.location)
        }
        // `//ram:PayeeTradeParty` also matches payees inside payment terms, where the seller
        // the rule compares with is out of reach: only the name counts there.
        for payee in inv.paymentTermsPayees {
            report.require(payee.name != nil, "BR-17", payee.location)
        }
        if let representative = inv.taxRepresentative {
            report.require(!representative.name.isBlank, "BR-18", representative.location)
            report.require(representative.address != nil, "BR-19", representative.location)
            report.require(!(representative.address?.countryCode).isBlank, "BR-20", representative.address?.location ?? representative.location)
            let vat = representative.taxRegistrations.first { $0.identifier != nil && $0.taxScheme?.raw == "VA" }?.identifier
            report.require(!vat.isBlank, "BR-56", representative.location)
        }
        for party in [inv.seller, inv.buyer, inv.payee, inv.taxRepresentative].compactMap({ $0 }) {
            for registration in party.taxRegistrations where registration.taxScheme?.raw == "VA" {
                guard let identifier = registration.identifier else { continue }
                let prefix = " " + XPathMath.firstTwo(identifier.raw) + " "
                report.require(XPathText.contains(Self.countryPrefixes, prefix), "BR-CO-09", identifier.location)
            }
        }
    }

    /// The country list of BR-CO-09 in the CII binding (it has `AN`, not `SS`).
    static let countryPrefixes = " 1A AD AE AF AG AI AL AM AN AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BL BJ BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH EL ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XI YE YT ZA ZM ZW "

    private func lines(_ report: inout ModelReport) {
        let hasBreakdown = !invoice.vatBreakdown.isEmpty
        for line in invoice.lines {
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
            if let standard = line.standardItemIdentifier {
                report.require(!(standard.scheme ?? "").normalizedSpace.isEmpty, "BR-64", standard.location)
            }
            report.require(line.taxCategories.contains { $0.code != nil && ($0.taxScheme?.isVATExact ?? false) }, "BR-CO-04", at)
            report.require(hasBreakdown, "BR-CO-18", at)
            report.require(!XPathMath.hasMoreThanTwoDecimals(line.netAmount), "BR-DEC-23", line.netAmount?.location ?? at)
            if let period = line.period {
                report.require(Self.ordered(period), "BR-30", period.location)
                report.require(period.start != nil || period.end != nil, "BR-CO-20", period.location)
            }
            for attribute in line.attributes {
                report.require(attribute.name != nil && attribute.value != nil, "BR-54", attribute.location)
            }
            for classification in line.classifications {
                report.require(!(classification.scheme ?? "").normalizedSpace.isEmpty, "BR-65", classification.location)
            }
        }
    }

    /// The allowance and charge contexts select the indicator by its literal text
    /// (`udt:Indicator='false'`): `0` and `1` are not matched there.
    private func allowancesAndCharges(_ report: inout ModelReport) {
        for item in invoice.allowancesAndCharges {
            let hasVATCategory = item.taxCategories.contains { $0.code != nil && ($0.taxScheme?.isVATExact ?? false) }
            let hasReason = item.reason != nil || item.reasonCode != nil
            let at = item.indicator?.location ?? item.location
            switch item.indicator?.raw {
            case "true":
                report.require(item.amount != nil, "BR-36", at)
                report.require(hasVATCategory, "BR-37", at)
                report.require(hasReason, "BR-38", at)
                report.require(hasReason, "BR-CO-22", at)
                report.require(!XPathMath.hasMoreThanTwoDecimals(item.amount), "BR-DEC-05", item.amount?.location ?? at)
                report.require(!XPathMath.hasMoreThanTwoDecimals(item.baseAmount), "BR-DEC-06", item.baseAmount?.location ?? at)
            case "false":
                report.require(item.amount != nil, "BR-31", at)
                report.require(hasVATCategory, "BR-32", at)
                report.require(hasReason, "BR-33", at)
                report.require(hasReason, "BR-CO-21", at)
                report.require(!XPathMath.hasMoreThanTwoDecimals(item.amount), "BR-DEC-01", item.amount?.location ?? at)
                report.require(!XPathMath.hasMoreThanTwoDecimals(item.baseAmount), "BR-DEC-02", item.baseAmount?.location ?? at)
            default:
                break
            }
        }
        for line in invoice.lines {
            for item in line.allowancesAndCharges {
                let hasReason = item.reason != nil || item.reasonCode != nil
                let at = item.indicator?.location ?? item.location
                switch item.indicator?.raw {
                case "true":
                    report.require(item.amount != nil, "BR-43", at)
                    report.require(hasReason, "BR-44", at)
                    report.require(hasReason, "BR-CO-24", at)
                    report.require(!XPathMath.hasMoreThanTwoDecimals(item.amount), "BR-DEC-27", item.amount?.location ?? at)
                    report.require(!XPathMath.hasMoreThanTwoDecimals(item.baseAmount), "BR-DEC-28", item.baseAmount?.location ?? at)
                case "false":
                    report.require(item.amount != nil, "BR-41", at)
                    report.require(hasReason, "BR-42", at)
                    report.require(hasReason, "BR-CO-23", at)
                    report.require(!XPathMath.hasMoreThanTwoDecimals(item.amount), "BR-DEC-24", item.amount?.location ?? at)
                    report.require(!XPathMath.hasMoreThanTwoDecimals(item.baseAmount), "BR-DEC-25", item.baseAmount?.location ?? at)
                default:
                    break
                }
            }
        }
    }

    private func payment(_ report: inout ModelReport) {
        for means in invoice.paymentInstructions {
            report.require(means.meansCode != nil, "BR-49", means.location)
            if means.meansCode?.raw == "30" || means.meansCode?.raw == "58" {
                for transfer in means.creditTransfers {
                    report.require(!transfer.ibanIdentifier.isBlank || !transfer.proprietaryIdentifier.isBlank, "BR-50", transfer.location)
                    report.require(transfer.ibanIdentifier != nil || transfer.proprietaryIdentifier != nil, "BR-61", transfer.location)
                }
            }
            if let card = means.card {
                // Fatal in the CII binding, a warning in the UBL one.
                report.require(XPathMath.length(card.primaryAccountNumber.normalized) <= 10, "BR-51",
                               card.primaryAccountNumber?.location ?? card.location, severity: .fatal)
            }
        }
    }
}
