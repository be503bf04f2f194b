/// An official rule Liasse applies: its id, the packs that carry it, and the words of its
/// findings (the first pack's, as ``Validator`` reports a rule two packs share once).
public struct OfficialRule: Sendable, Equatable {
    public let id: String
    public let packs: [RulePack.ID]
    public let french: String
    public let english: String
}

extension RuleRegistry {
    /// Every official rule of every pack, by id: the CEN model rules (hand-written) and the
    /// asserts of every generated table (CEN syntax and code lists, the five Factur-X
    /// profiles, BR-FR and EXTENDED-CTC-FR for both syntaxes), worded as their findings are.
    /// Built on first use.
    public static let official: [String: OfficialRule] = {
        var rules: [String: OfficialRule] = [:]
        func add(_ id: String, _ pack: RulePack.ID, _ french: String, _ english: String) {
            if let known = rules[id] {
                if !known.packs.contains(pack) {
                    rules[id] = OfficialRule(id: id, packs: known.packs + [pack], french: known.french, english: known.english)
                }
            } else {
                rules[id] = OfficialRule(id: id, packs: [pack], french: french, english: english)
            }
        }
        for definition in ModelCatalogue.rules.values.sorted(by: { $0.id < $1.id }) {
            add(definition.id, .en16931, definition.french, definition.english)
        }
        for binding in [SchematronTable.Binding.ubl, .cii] {
            for assert in SchematronTable.table(for: binding).patterns.flatMap(\.rules).flatMap(\.asserts) {
                let definition = SchematronPrograms.isCodeList(assert)
                    ? CodeListCatalogue.definition(for: assert.id, binding: binding)
                    : SyntaxCatalogue.definition(for: assert, binding: binding)
                add(assert.id, .en16931, definition.french, definition.english)
            }
        }
        for profile in FacturXProfile.allCases {
            guard let table = try? profile.ruleTable() else { continue }
            for assert in table.patterns.flatMap(\.rules).flatMap(\.asserts) {
                let definition = FacturXCatalogue.definition(for: assert, profile: profile)
                add(assert.id, .facturx, definition.french, definition.english)
            }
        }
        for kind in FranceRuleSet.Table.allCases {
            guard let table = try? kind.read() else { continue }
            for assert in table.patterns.flatMap(\.rules).flatMap(\.asserts) {
                let finding = FranceCatalogue.finding(for: assert, values: [], table: kind, mode: .fatal, facturX: false, location: nil)
                add(assert.id, kind.pack, finding.message, finding.messageEn)
            }
        }
        return rules
    }()

    /// Every rule id Liasse can emit, its own and the official ones.
    public static var allIDs: Set<String> {
        Set(liasse.map(\.id)).union(official.keys)
    }
}
