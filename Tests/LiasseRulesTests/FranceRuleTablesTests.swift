import Foundation
import Testing
@testable import LiasseRules

/// The France RFE tables compile whole: every function, rule variable, context, test and
/// quoted message value is read by the evaluator (an expression it cannot read fails here,
/// not at run time as a LIASSE-INTERNAL finding).
@Suite("France RFE rule tables")
struct FranceRuleTablesTests {
    static let tables: [(String, String, SchematronTable.Binding)] = [
        ("BR-FR CII", SchematronTable.brFrCIIRecords, .cii),
        ("BR-FR UBL", SchematronTable.brFrUBLRecords, .ubl),
        ("EXTENDED-CTC-FR CII", SchematronTable.extendedCTCFRCIIRecords, .cii),
        ("EXTENDED-CTC-FR UBL", SchematronTable.extendedCTCFRUBLRecords, .ubl),
    ]

    @Test("every rule of every table compiles", arguments: 0..<4)
    func everyRuleCompiles(_ which: Int) throws {
        let (name, records, binding) = Self.tables[which]
        let table = try SchematronTable(records: records, binding: binding, dialect: .france, what: name)
        var failures: [String] = []
        var count = 0
        for pattern in table.patterns {
            for rule in pattern.rules {
                count += rule.asserts.count
                var single = table
                single = SchematronTable(binding: binding, namespaces: table.namespaces,
                                         patterns: [SchematronPattern(name: pattern.name, rules: [rule])],
                                         dialect: .france, functions: table.functions)
                do {
                    _ = try SchematronProgram(table: single)
                } catch {
                    failures.append("\(rule.asserts.first?.id ?? rule.context): \(error)")
                }
            }
        }
        #expect(failures.isEmpty, "\(name): \(failures.count) rules do not compile:\n\(failures.joined(separator: "\n"))")
        #expect(count > 100)
        #expect(throws: Never.self) { _ = try FrancePrograms.program(Self.kind(which)).get() }
    }

    static func kind(_ which: Int) -> FranceRuleSet.Table {
        [.brFRCII, .brFRUBL, .extendedCII, .extendedUBL][which]
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
