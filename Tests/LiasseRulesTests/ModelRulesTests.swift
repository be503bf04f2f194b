import Foundation
import LiasseInvoice
@testable import LiasseRules
import LiasseXML
import Testing

/// The XPath arithmetic the official rules depend on.
@Suite struct XPathMathTests {
    @Test func roundGoesHalfTowardsPositiveInfinity() {
        #expect(XPathMath.round(Decimal(string: "2.5")!) == 3)
        #expect(XPathMath.round(Decimal(string: "-2.5")!) == -2)
        #expect(XPathMath.round(Decimal(string: "-2.6")!) == -3)
        #expect(XPathMath.round2(Decimal(string: "-0.125")!) == Decimal(string: "-0.12")!)
        #expect(XPathMath.round(-2.5) == -2)
        #expect(XPathMath.round(2.5) == 3)
    }

    @Test func doublesRoundOnTheirExactBinaryValue() {
        // 1.005 is stored as 1.00499999999999989…: it rounds down, unlike the decimal 1.005.
        #expect(XPathMath.round2Exact(1.005) == Decimal(string: "1")!)
        #expect(XPathMath.round2(Decimal(string: "1.005")!) == Decimal(string: "1.01")!)
        // 0.125 is exact in binary: a true half, rounded up.
        #expect(XPathMath.round2Exact(0.125) == Decimal(string: "0.13")!)
        #expect(XPathMath.round2Exact(-0.125) == Decimal(string: "-0.12")!)
        #expect(XPathMath.round2Exact(0.1 + 0.2) == Decimal(string: "0.3")!)
    }

    @Test func doublesCompareExactlyWithDecimals() {
        // 999.1 as a double is 999.1000000000000227…
        #expect(XPathMath.compareExact(999.1, Decimal(string: "999.1")!) == 1)
        #expect(XPathMath.compareExact(0.5, Decimal(string: "0.5")!) == 0)
        #expect(XPathMath.compareExact(1.005, Decimal(string: "1.005")!) == -1)
        #expect(XPathMath.compareExact(-3, Decimal(string: "2")!) == -1)
    }

    @Test func fractionDigitsAreCountedAsWritten() {
        #expect(XPathMath.fractionLength("10.00") == 2)
        #expect(XPathMath.fractionLength("10.00 ") == 3)
        #expect(XPathMath.fractionLength("10") == 0)
        #expect(XPathMath.fractionLength("1.2.3") == 3)
    }
}

/// The model rules on official examples with one thing broken.
@Suite(.enabled(if: ModelCorpus.isPresent, "needs ../shared/corpus/cen"))
struct ModelRulesTests {
    let ubl: String
    let cii: String

    init() throws {
        ubl = try ModelRun.example("ubl", "ubl-tc434-example1.xml")
        cii = try ModelRun.example("cii", "CII_example1.xml")
    }

    @Test func officialExamplesGiveNoModelFinding() throws {
        for file in try ModelCorpus.examples() {
            let xml = try String(contentsOf: file, encoding: .utf8)
            #expect(try ModelRun.findings(xml) == [], "\(file.lastPathComponent)")
        }
    }

    @Test func ublLineTotalMustMatchTheLines() throws {
        let broken = try ModelRun.replacing(ubl, #"<cbc:LineExtensionAmount currencyID="EUR">229.60"#,
                                            #"<cbc:LineExtensionAmount currencyID="EUR">229.61"#)
        let ids = try ModelRun.ids(broken)
        #expect(ids.contains("BR-CO-10"))
        #expect(ids.contains("BR-CO-13"))
    }

    @Test func ublAmountDueWithThreeDecimals() throws {
        let broken = try ModelRun.replacing(ubl, #"<cbc:PayableAmount currencyID="EUR">250.33"#,
                                            #"<cbc:PayableAmount currencyID="EUR">250.333"#)
        let ids = try ModelRun.ids(broken)
        #expect(ids.contains("BR-DEC-18"))
        #expect(ids.contains("BR-CO-16"))
    }

    @Test func ublVATTotalDecimalsAreNeverJudged() throws {
        // BR-DEC-13 compares the currency with a child of the tax amount: it cannot fail in
        // UBL (DEVIATIONS.md). The sums still catch the change.
        let broken = try ModelRun.replacing(ubl, #"<cbc:TaxAmount currencyID="EUR">20.73"#,
                                            #"<cbc:TaxAmount currencyID="EUR">20.735"#)
        let ids = try ModelRun.ids(broken)
        #expect(!ids.contains("BR-DEC-13"))
        #expect(ids.contains("BR-CO-14"))
        #expect(ids.contains("BR-CO-15"))
    }

    @Test func ublSellerWithoutVATIdentifierForStandardRatedLines() throws {
        let broken = try ModelRun.replacing(ubl, "<cbc:CompanyID>NL8200.98.395.B.01</cbc:CompanyID>", "")
        #expect(try ModelRun.ids(broken).contains("BR-S-02"))
    }

    @Test func ciiLineTotalIsSummedInDoubles() throws {
        // Three lines of 0.335 sum to 1.005 in decimals, to 1.00499999… in doubles: the CII
        // binding rounds that to 1.00.
        var xml = try ModelRun.example("cii", "CII_example1.xml")
        let (invoice, _) = try ModelRun.invoice(xml)
        #expect(invoice.lines.count >= 3)
        xml = try ModelRun.replacing(xml, "<ram:LineTotalAmount>19.9</ram:LineTotalAmount>", "<ram:LineTotalAmount>0.335</ram:LineTotalAmount>")
        xml = try ModelRun.replacing(xml, "<ram:LineTotalAmount>9.85</ram:LineTotalAmount>", "<ram:LineTotalAmount>0.335</ram:LineTotalAmount>")
        xml = try ModelRun.replacing(xml, "<ram:LineTotalAmount>8.29</ram:LineTotalAmount>", "<ram:LineTotalAmount>0.335</ram:LineTotalAmount>")
        let (changed, _) = try ModelRun.invoice(xml)
        let others = changed.lines.dropFirst(3).reduce(0.0) { $0 + ($1.netAmount?.double ?? 0) }
        let doubleSum = [0.335, 0.335, 0.335].reduce(0.0, +) + others
        let expected = XPathMath.round2Exact(doubleSum)!
        let written = expected.plainString
        let header = try #require(changed.totals.lineNetSum?.text.raw)
        xml = try ModelRun.replacing(xml, "<ram:LineTotalAmount>\(header)</ram:LineTotalAmount>",
                                     "<ram:LineTotalAmount>\(written)</ram:LineTotalAmount>")
        #expect(!(try ModelRun.ids(xml).contains("BR-CO-10")))
    }

    @Test func ciiIndicatorZeroIsNotAnAllowanceForTheAllowanceRules() throws {
        // Without its reason, the first line allowance of CII_example2 fails BR-42; with its
        // indicator written `0`, the CII context (udt:Indicator='false') no longer selects it
        // (checked against the official schematron).
        let xml = try ModelRun.example("cii", "CII_example2.xml")
        let noReason = try ModelRun.replacing(xml, "<ram:Reason>Damage</ram:Reason>", "")
        #expect(try ModelRun.ids(noReason) == ["BR-42", "BR-CO-23"])
        // The first `false` indicator is on a price; the second is this allowance's.
        let zero = try ModelRun.replacing(noReason, "<udt:Indicator>false</udt:Indicator>", "<udt:Indicator>0</udt:Indicator>",
                                          occurrence: 2)
        #expect(try ModelRun.ids(zero) == [])
    }
}

/// The catalogue against the official XSLTs: every model rule id, with its severity.
@Suite(.enabled(if: ModelCorpus.isPresent, "needs ../shared/artefacts/cen-1.3.16"))
struct ModelCatalogueTests {
    static func officialRules(_ binding: String) throws -> [String: String] {
        let url = ModelCorpus.shared.appendingPathComponent("artefacts/cen-1.3.16/EN16931-\(binding)-validation.xslt")
        let text = try String(contentsOf: url, encoding: .utf8)
        let pattern = try NSRegularExpression(
            pattern: #"<xsl:attribute name="id">(BR-[A-Z0-9-]+)</xsl:attribute>\s*<xsl:attribute name="flag">(\w+)</xsl:attribute>"#)
        var rules: [String: String] = [:]
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let id = String(text[Range(match.range(at: 1), in: text)!])
            guard !id.hasPrefix("BR-CL-") else { continue }
            rules[id] = String(text[Range(match.range(at: 2), in: text)!])
        }
        return rules
    }

    @Test(arguments: ["UBL", "CII"])
    func everyOfficialModelRuleIsCatalogued(binding: String) throws {
        let official = try Self.officialRules(binding)
        #expect(official.count == 200)
        for (id, flag) in official {
            let definition = ModelCatalogue.rules[id]
            #expect(definition != nil, "\(id) missing")
            // BR-51 is a warning in UBL and fatal in CII: the rules override it for CII.
            if id == "BR-51" && binding == "CII" { continue }
            #expect(definition?.severity.rawValue == flag, "\(id): \(flag)")
        }
        #expect(Set(ModelCatalogue.rules.keys) == Set(official.keys))
    }

    @Test func everyMessageIsBilingualAndNamesATerm() {
        for definition in ModelCatalogue.rules.values {
            #expect(!definition.french.isEmpty && !definition.english.isEmpty, "\(definition.id)")
            #expect(definition.french != definition.english, "\(definition.id)")
            #expect(definition.bt != nil, "\(definition.id)")
            // A term interpolated from an optional once printed `Optional("BT-115")` to users.
            #expect(!(definition.french + definition.english).contains("Optional("), "\(definition.id)")
            if let bt = definition.bt, definition.id.hasPrefix("BR-DEC-") {
                #expect(definition.french.contains("(\(bt))") && definition.english.contains("(\(bt))"), "\(definition.id)")
            }
        }
    }
}
