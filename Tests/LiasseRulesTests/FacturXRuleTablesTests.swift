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
                    ], dialect: table.dialect)
                    do {
                        _ = try SchematronProgram(table: single)
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

/// The typed XPath 2.0 of the Factur-X tables, where it differs from the untyped dialect of the
/// CEN tables.
@Suite("Typed XPath 2.0 of the Factur-X tables")
struct TypedXPathTests {
    static let xml = SchematronRun.cii("""
        <ram:A>52.20</ram:A><ram:A>1.005</ram:A><ram:B> true </ram:B><ram:C>VA</ram:C>
        """)

    private func truth(_ expression: String) throws -> Bool {
        let names = SchNameTable(namespaces: ["ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
                                              "xs": "http://www.w3.org/2001/XMLSchema"], typed: true)
        let compiled = try SchParser.parse(expression, names: names)
        let document = try SchematronRun.document(Self.xml)
        let index = document.nodeIndex()
        let evaluator = SchEvaluator(index: index, names: names.byCatalogNumber, programNameCount: names.names.count,
                                     slots: names.slots, typed: true, variableCount: names.variableCount)
        return evaluator.test(compiled, at: 1)
    }

    @Test func decimalArithmeticIsExact() throws {
        #expect(try truth("round(xs:decimal(ram:A[2]) * 100) div 100 = 1.01"))
        #expect(try truth("0.1 + 0.2 eq 0.3"))
        #expect(try truth("round(-2.5) = -2"))
    }

    @Test func untypedValuesMeetDecimalsAsDoubles() throws {
        #expect(try truth("ram:A[1] = 52.2"))
        #expect(try truth("sum(ram:A/xs:decimal(.)) = 53.205"))
        #expect(try truth("(ram:B cast as xs:boolean) = true()"))
    }

    @Test func variablesForAndQuantifiers() throws {
        #expect(try truth("every $a in ram:A/xs:decimal(.) satisfies $a > 1"))
        #expect(try !truth("some $a in ram:A/xs:decimal(.) satisfies $a > 100"))
        #expect(try truth("sum(for $a in ram:A return xs:decimal($a) * 2) = 106.41"))
        #expect(try truth("for $x in count(ram:A), $y in $x * 2 return $y eq 4"))
        #expect(try truth("ram:C = ('VA', 'FC')"))
        #expect(try truth("some $code in tokenize('30 58', '\\s') satisfies $code = '58'"))
    }
}
