import Foundation
import Testing
import LiasseInvoice
import LiasseXML
@testable import LiasseRules

/// The France RFE tables compile whole: every function, rule variable, context, test and
/// quoted message value is read by the evaluator (an expression it cannot read fails here,
/// not at run time as a LIASSE-INTERNAL finding).
@Suite("France RFE rule tables")
struct FranceRuleTablesTests {
    @Test("every rule of every table compiles", arguments: FranceRuleSet.Table.allCases)
    func everyRuleCompiles(_ kind: FranceRuleSet.Table) throws {
        let table = try kind.read()
        var failures: [String] = []
        var count = 0
        for pattern in table.patterns {
            for rule in pattern.rules {
                count += rule.asserts.count
                let single = SchematronTable(binding: kind.binding, namespaces: table.namespaces,
                                             patterns: [SchematronPattern(name: pattern.name, rules: [rule])],
                                             dialect: .france, functions: table.functions)
                do {
                    _ = try SchematronProgram(table: single)
                } catch {
                    failures.append("\(rule.asserts.first?.id ?? rule.context): \(error)")
                }
            }
        }
        #expect(failures.isEmpty, "\(kind): \(failures.count) rules do not compile:\n\(failures.joined(separator: "\n"))")
        #expect(count > 100)
        #expect(throws: Never.self) { _ = try FrancePrograms.program(kind).get() }
    }
}

/// The native matcher agrees with ICU (through the XPath translation) on the patterns of the
/// France tables and on strings at their edges.
@Suite("XPath regular expressions")
struct XPathRegexTests {
    static let patterns = [
        #"^\d{9}$"#, " ", #"^20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$"#, #"^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"#,
        #"^[-]?\d{1,19}(\.\d{1,2})?$"#, #"^[-]?\d{1,19}(\.\d{1,4})?$"#, #"^\d{1,19}(\.\d{1,6})?$"#, #"^\d{1,4}(\.\d{1,2})?$"#,
        #"^[A-Za-z0-9+\-_.]+$"#, #"^[A-Za-z0-9+\-_/]+$"#, #"^\d{14}$"#, #"\."#, "#PMT#", #"a.c"#, #"^\s*x\S+$"#, #"(ab|cd)*e"#,
    ]
    static let texts = [
        "", " ", "123456789", "12345678", "1234567890", "１２３４５６７８９", "20261231", "20261301", "20260230", "19991231",
        "2026-12-31", "2026-1-31", "-12.50", "12.5", "12.", ".5", "-", "12.123", "1234567890123456789.12", "12345678901234567890",
        "0.000001", "99.99", "100.5", "AB-12_x.y", "AB 12", "F/2026+1", "é", "12345678901234", "12345678901234\n", "a\nc", "abc",
        " x12", "x", "ababe", "abcde", "e", "#PMT#texte", "pas de note",
    ]

    @Test func theNativeMatcherAgreesWithICU() throws {
        for pattern in Self.patterns {
            let native = try #require(NativeRegex(pattern), "\(pattern) is in the native subset")
            let icu = try NSRegularExpression(pattern: try SchRegex.translate(pattern))
            for text in Self.texts {
                let expected = icu.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
                #expect(native.matches(text) == expected, "\(pattern) on \(text.debugDescription)")
            }
        }
    }

    @Test func literalPatternsReplaceAndSplitAsStrings() throws {
        #expect(try SchRegex(xpath: #"\."#).replace("1234.56", with: "") == "123456")
        #expect(try SchRegex(xpath: "#PMT#").tokenize("#PMT#Indemnité#PMD#x") == ["", "Indemnité#PMD#x"])
        #expect(try SchRegex(xpath: "BAR#B2B#").replace("#BAR#B2B#BAR#B2C#", with: "") == "#BAR#B2C#")
        #expect(NativeRegex(#"(?:a)"#) == nil)
        #expect(NativeRegex(#"\p{L}"#) == nil)
    }
}

/// Each native function of the France tables answers as its interpreted body on the same
/// strings (edges of every format: signs, lengths, separators, Unicode digits, leap years).
@Suite("France native functions")
struct FranceNativeFunctionTests {
    static let inputs = [
        "", " ", "0", "12", "-12", "12.5", "12.50", "12.505", "-0.01", "1.", ".5", "+5", "1 2", "12\n",
        "1234567890123456789", "12345678901234567890", "123456789012345678.9", "-123456789012345678.9",
        "1234.56", "12345.6", "100", "20.00", "٣٤", "12.3456", "12.345678", "12.3456789",
        "20260229", "20240229", "21000229", "20261231", "20261232", "20261301", "19991231", "2026123", "20260431", "202612311200",
        "20٢6-02-29", "2026-02-29", "2024-02-29", "2026-12-31", "2026-1-31", "2026-12-3١", "20٢4-02-29", "20٢40229", "2026123١",
        "AB-12_x.y", "AB 12", "F/2026+1", "F\t1", " F1", "F1 ", "é", "A.B", "12345678901234", "1234567890123٤",
    ]

    @Test func nativeFunctionsAgreeWithTheirBodies() throws {
        let document = try XMLDocument.parse(Array("<a/>".utf8), name: "a.xml")
        var checked = 0
        for kind in [FranceRuleSet.Table.brFRCII, .brFRUBL] {
            let table = try kind.read()
            let names = SchNameTable(namespaces: Dictionary(table.namespaces, uniquingKeysWith: { a, _ in a }), typed: true, dialect: .france)
            for (index, function) in table.functions.enumerated() { names.functions[function.name] = (index, function.parameters.count) }
            for function in table.functions {
                guard let native = NativeFunctions.implementation(name: function.name, body: function.body) else { continue }
                let slots = function.parameters.map(names.variable)
                let body = try SchParser.parse(function.body, names: names)
                let evaluator = SchEvaluator(index: document.nodeIndex(), names: names.byCatalogNumber, programNameCount: names.names.count,
                                             slots: names.slots, typed: true, variableCount: names.variableCount)
                let cases: [[String]] = slots.count == 1
                    ? Self.inputs.map { [$0] }
                    : Self.inputs.flatMap { a in ["123456789", "", "12345678"].map { [a, $0] } }
                for values in cases {
                    #expect(native(values) == evaluator.test(body, binding: slots, to: values), "\(function.name) \(values)")
                }
                checked += 1
            }
        }
        // Every format function of each table is native: decimals (5), its date form, ids (2), SIRET/SIREN.
        #expect(checked == 18)
    }
}

/// A pack whose table cannot run makes the document invalid, never silently valid.
@Suite("France rule set failures")
struct FranceRuleSetFailureTests {
    @Test func aTableThatDoesNotCompileIsAFatalInternalFinding() throws {
        let xml = #"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>F1</cbc:ID></Invoice>"#
        let document = try XMLDocument.parse(Array(xml.utf8), name: "f.xml")
        guard case .invoice(let invoice) = InvoiceReader.read(document) else { Issue.record("not read"); return }
        var findings: [Finding] = []
        FranceRuleSet.brFR(syntax: .ublInvoice, facturX: false, mode: .fatal)
            .check(RuleContext(invoice: invoice, document: document),
                   program: .failure(SchematronCompileError(expression: "x", reason: "broken table")), into: &findings)
        #expect(findings.map(\.rule) == ["LIASSE-INTERNAL"])
        #expect(findings.hasFatal)
        #expect(findings.first?.messageEn.contains("br-fr") == true)
    }
}
