import Foundation
import Testing
import LiasseXML
@testable import LiasseRules

/// The XPath 2.0 subset of the schematron tables, evaluated natively: the places where XPath 2.0,
/// XPath 1.0 and Swift disagree.
@Suite("Schematron expression evaluator")
struct SyntaxEvaluatorTests {
    static let xml = SchematronRun.ubl("""
        <cbc:Note>  two   words\t</cbc:Note>\
        <cac:AllowanceCharge><cbc:ChargeIndicator> 0 </cbc:ChargeIndicator><cbc:Amount currencyID="EUR">1.5</cbc:Amount></cac:AllowanceCharge>\
        <cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator><cbc:Amount currencyID="EUR">2</cbc:Amount></cac:AllowanceCharge>\
        <cac:TaxScheme><cbc:ID>vat</cbc:ID></cac:TaxScheme><cac:TaxScheme/>\
        <cbc:ID>K</cbc:ID><cbc:ID>\u{212A}</cbc:ID>
        """)

    private func value(_ expression: String) throws -> String {
        let table = SchematronTable.ubl
        let names = SchNameTable(namespaces: Dictionary(table.namespaces, uniquingKeysWith: { a, _ in a }))
        let compiled = try SchParser.parse(expression, names: names)
        let document = try SchematronRun.document(Self.xml)
        let index = document.nodeIndex()
        let evaluator = SchEvaluator(index: index, names: names.byCatalogNumber, programNameCount: names.names.count, slots: names.slots)
        let root = Int32(1)
        return "\(evaluator.test(compiled, at: root))|\(evaluator.stringValue(compiled, at: root))"
    }

    private func truth(_ expression: String) throws -> Bool {
        try value(expression).hasPrefix("true|")
    }

    @Test func booleanComparisonsCastTheNodeValueAsXPath2Does() throws {
        // XPath 1.0 would compare boolean(node-set) with false(): true only without the element.
        #expect(try truth("count(cac:AllowanceCharge[cbc:ChargeIndicator = false()]) = 1"))
        #expect(try truth("count(cac:AllowanceCharge[cbc:ChargeIndicator = true()]) = 1"))
        #expect(try truth("cac:AllowanceCharge/cbc:Amount = 2"))
        #expect(try !truth("cac:AllowanceCharge/cbc:Amount = 3"))
    }

    @Test func functionStepsGiveOneValuePerNode() throws {
        #expect(try truth("cac:TaxScheme/upper-case(cbc:ID) = 'VAT'"))
        // The second cac:TaxScheme has no cbc:ID: upper-case(()) is '', which differs from 'VAT'.
        #expect(try truth("count(cac:TaxScheme[upper-case(cbc:ID) != 'VAT']) = 1"))
    }

    @Test func stringsUseXMLWhitespaceAndCodePoints() throws {
        #expect(try value("normalize-space(cbc:Note)") == "true|two words")
        #expect(try value("string-length(cbc:Note)") == "true|14")
        // KELVIN SIGN is canonically equivalent to K for Swift, not for XPath.
        #expect(try truth("count(cbc:ID[. = 'K']) = 1"))
        #expect(try truth("count(distinct-values(cbc:ID)) = 2"))
        #expect(try value("substring-before(substring-after('#AAI#text', '#'), '#')") == "true|AAI")
    }

    @Test func codeListLookupsCompareByCodePoint() {
        #expect(CodeListLookup.containsNormalized(" EUR\n", list: "iso4217"))
        #expect(!CodeListLookup.containsNormalized("EU R", list: "iso4217"))
        #expect(!CodeListLookup.containsNormalized("", list: "iso4217"))
        #expect(CodeListLookup.isCode("application/pdf", of: "mimeCodes"))
        #expect(!CodeListLookup.isCode(" application/pdf", of: "mimeCodes"))
    }

    @Test func dateFormat102FollowsTheXPathRegularExpression() {
        #expect(NativePatterns.matches(0, " 20240229 "))
        #expect(NativePatterns.matches(0, "20240230"))  // the pattern does not check the calendar
        #expect(NativePatterns.matches(0, "\u{0662}\u{0660}\u{0662}\u{0664}0115"))  // \d is any Nd digit
        #expect(!NativePatterns.matches(0, "20241301"))
        #expect(!NativePatterns.matches(0, "2024011"))
        #expect(!NativePatterns.matches(0, "2024-01-15"))
        // Every month and day boundary of (1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9]), with the
        // ASCII fast path and the general one (a non-ASCII year) agreeing.
        for month in 0...13 {
            for day in 0...40 {
                let monthDay = String(format: "%02d%02d", month, day)
                let expected = (1...12).contains(month) && (1...31).contains(day)
                #expect(NativePatterns.matches(0, "0000" + monthDay) == expected, "\(monthDay)")
                #expect(NativePatterns.matches(0, "\t\u{0662}024" + monthDay + "\n ") == expected, "\(monthDay)")
            }
        }
        #expect(!NativePatterns.matches(0, ""))
        #expect(!NativePatterns.matches(0, "2024 0101"))
        #expect(!NativePatterns.matches(0, "202401011"))
        #expect(!NativePatterns.matches(0, "2024\u{00A0}0101"))
    }

    @Test func unsupportedConstructsFailAtCompileTime() {
        let names = SchNameTable(namespaces: ["cbc": "urn:x"])
        #expect(throws: SchematronCompileError.self) { try SchParser.parse("matches(., '[a-z]+')", names: names) }
        #expect(throws: SchematronCompileError.self) { try SchParser.parse("unknown-function(.)", names: names) }
        #expect(throws: SchematronCompileError.self) { try SchParser.parse("xyz:Name", names: names) }
    }
}

/// Name tests (`ends-with(name(), 'Amount')`) are decided once per name for the process and
/// shared by the program's evaluators: a document's flags follow its own name numbering.
@Suite("Name tests shared between documents")
struct NameTestCacheTests {
    @Test func decidesEachNumberedNameOnceAndFollowsEachDocumentsOrder() {
        let cache = SchNameTestCache(slots: 2)
        let amount = XMLNodeIndex.Name(namespace: "urn:x", local: "TaxAmount")
        let code = XMLNodeIndex.Name(namespace: "urn:x", local: "TypeCode")
        let invented = XMLNodeIndex.Name(namespace: "urn:x", local: "OddAmount")
        var decided: [String] = []
        func run(_ names: [XMLNodeIndex.Name], _ numbers: [Int32], slot: Int = 0) -> [Bool] {
            var flags = [Bool](repeating: false, count: names.count)
            flags.withUnsafeMutableBufferPointer { buffer in
                cache.fill(slot: slot, names: names, numbers: numbers, into: buffer) { name in
                    decided.append(name.local)
                    return name.local.hasSuffix("Amount")
                }
            }
            return flags
        }
        #expect(run([amount, code], [7, 3]) == [true, false])
        #expect(decided == ["TaxAmount", "TypeCode"])
        // Another document, other order, plus a name the catalog could not number (-1):
        // only that one is decided again, every time.
        #expect(run([code, invented, amount], [3, -1, 7]) == [false, true, true])
        #expect(run([invented], [-1]) == [true])
        #expect(decided == ["TaxAmount", "TypeCode", "OddAmount", "OddAmount"])
        // Slots are independent.
        #expect(run([amount], [7], slot: 1) == [true])
        #expect(decided.last == "TaxAmount")
    }
}
