import Testing
@testable import LiasseRules

/// The generated Factur-X tables: every record reads, every assert and report compiles (an
/// expression the evaluator cannot handle fails here, never silently at run time).
@Suite("Factur-X rule tables")
struct FacturXRuleTablesTests {
    @Test("every assert and report of every profile compiles", arguments: FacturXProfile.allCases)
    func compiles(profile: FacturXProfile) throws {
        let table = try profile.ruleTable()
        var failures: [String] = []
        var count = 0
        for pattern in table.patterns {
            for rule in pattern.rules {
                for assert in rule.asserts {
                    count += 1
                    let single = SchematronTable(binding: .cii, namespaces: table.namespaces, patterns: [
                        SchematronPattern(name: pattern.name, rules: [SchematronRule(context: rule.context, asserts: [assert])]),
                    ], profile: table.profile)
                    do {
                        _ = try SchematronProgram(table: single, include: { _ in true })
                    } catch {
                        failures.append("\(assert.id): \(error)")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(count) do not compile:\n\(failures.joined(separator: "\n"))")
        #expect(count == Self.expectedCounts[profile])
        if case .failure(let error) = FacturXPrograms.program(profile) {
            Issue.record("program of \(profile.rawValue): \(error)")
        }
    }

    /// Asserts and reports per profile, as the generator counts them.
    static let expectedCounts: [FacturXProfile: Int] = [
        .minimum: 119, .basicWL: 337, .basic: 469, .en16931: 627, .extended: 1464,
    ]
}
