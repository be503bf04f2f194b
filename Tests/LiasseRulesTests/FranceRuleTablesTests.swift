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
