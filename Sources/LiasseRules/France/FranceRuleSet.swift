import LiasseInvoice
import LiasseXML

/// The French reform's rules on one document, evaluated natively from the tables
/// scripts/gen-france-rules.py generates from the official France RFE schematrons:
/// BR-FR (Flux 2) for UBL and CII (the Factur-X profiles' variant differs by one message), and
/// the EXTENDED-CTC-FR profile rules.
///
/// In `warning` mode a BR-FR finding the FATAL artefact flags fatal is a warning unless the
/// official `_WARNING` artefact keeps it fatal (the multi-vendor rules): the generated tables
/// carry both flags.
struct FranceRuleSet: RuleSet {
    enum Table: Sendable, CaseIterable {
        case brFRCII, brFRUBL, extendedCII, extendedUBL

        /// The table of `pack` for a document of `syntax`; nil for the packs that are not France's.
        init?(pack: RulePack.ID, syntax: InvoiceSyntax) {
            switch (pack, syntax) {
            case (.brFR, .cii): self = .brFRCII
            case (.brFR, _): self = .brFRUBL
            case (.extendedCTCFR, .cii): self = .extendedCII
            case (.extendedCTCFR, _): self = .extendedUBL
            default: return nil
            }
        }

        var pack: RulePack.ID { self == .brFRCII || self == .brFRUBL ? .brFR : .extendedCTCFR }

        var binding: SchematronTable.Binding { self == .brFRCII || self == .extendedCII ? .cii : .ubl }

        /// The generated records (France/Generated/FranceRuleTables.swift).
        var records: String {
            switch self {
            case .brFRCII: return SchematronTable.brFrCIIRecords
            case .brFRUBL: return SchematronTable.brFrUBLRecords
            case .extendedCII: return SchematronTable.extendedCTCFRCIIRecords
            case .extendedUBL: return SchematronTable.extendedCTCFRUBLRecords
            }
        }

        /// The table, read from its records.
        func read() throws(SchematronCompileError) -> SchematronTable {
            try SchematronTable(records: records, binding: binding, dialect: .france,
                                what: "\(pack.rawValue) \(binding.rawValue.uppercased())")
        }
    }

    let name: String
    let table: Table
    let mode: RulePack.Mode
    /// The artefact whose rules and messages apply (the stamp's).
    let artefact: String
    /// Whether the document is the XML of a Factur-X PDF (BR-FR's Factur-X variant messages).
    let facturX: Bool

    static func brFR(syntax: InvoiceSyntax, facturX: Bool, mode: RulePack.Mode) -> FranceRuleSet {
        let warning = mode == .warning
        let artefact: String
        switch (syntax, facturX) {
        case (.cii, true): artefact = warning ? FranceRules.facturXWarning : FranceRules.facturXFatal
        case (.cii, false): artefact = warning ? FranceRules.ciiWarning : FranceRules.ciiFatal
        default: artefact = warning ? FranceRules.ublWarning : FranceRules.ublFatal
        }
        return FranceRuleSet(name: "br-fr", table: Table(pack: .brFR, syntax: syntax)!, mode: mode,
                             artefact: artefact, facturX: facturX && syntax == .cii)
    }

    static func extendedCTCFR(syntax: InvoiceSyntax) -> FranceRuleSet {
        FranceRuleSet(name: "extended-ctc-fr", table: Table(pack: .extendedCTCFR, syntax: syntax)!, mode: .fatal,
                      artefact: syntax == .cii ? FranceRules.extendedCII : FranceRules.extendedUBL, facturX: false)
    }

    func check(_ context: RuleContext, into findings: inout [Finding]) {
        check(context, program: FrancePrograms.program(table), into: &findings)
    }

    /// The findings of `program` (the table's, compiled) on `context`; a table that did not
    /// compile is a fatal LIASSE-INTERNAL finding: the document is never valid on rules that
    /// did not run.
    func check(_ context: RuleContext, program: Result<SchematronProgram, SchematronCompileError>, into findings: inout [Finding]) {
        switch program {
        case .failure(let error):
            findings.append(.internalError(name, error))
        case .success(let program):
            let index = context.document.nodeIndex()
            for failure in program.run(on: index) {
                findings.append(FranceCatalogue.finding(for: failure.assert, values: failure.values, table: table, mode: mode,
                                                        facturX: facturX, location: failure.location(in: index)))
            }
        }
    }
}

/// The compiled France programs, built on first use and shared by every task.
enum FrancePrograms {
    private static func compile(_ table: FranceRuleSet.Table) -> Result<SchematronProgram, SchematronCompileError> {
        Result { () throws(SchematronCompileError) in try SchematronProgram(table: try table.read()) }
    }

    static let brFRCII = compile(.brFRCII)
    static let brFRUBL = compile(.brFRUBL)
    static let extendedCII = compile(.extendedCII)
    static let extendedUBL = compile(.extendedUBL)

    static func program(_ table: FranceRuleSet.Table) -> Result<SchematronProgram, SchematronCompileError> {
        switch table {
        case .brFRCII: return brFRCII
        case .brFRUBL: return brFRUBL
        case .extendedCII: return extendedCII
        case .extendedUBL: return extendedUBL
        }
    }
}

extension RuleSets {
    /// Where the time of pack `id` goes on `document`: the median time of each pattern of its
    /// table run alone (with the cost of one evaluator's set-up, the same for every pattern),
    /// slowest first. For `liasse bench --patterns`; BR-FR and EXTENDED-CTC-FR only.
    public static func patternTimes(_ id: RulePack.ID, document: XMLDocument, syntax: InvoiceSyntax,
                                    iterations: Int) throws -> [(pattern: String, microseconds: Double)] {
        guard let which = FranceRuleSet.Table(pack: id, syntax: syntax) else { return [] }
        let binding = which.binding
        let table = try which.read()
        let index = document.nodeIndex()
        var times: [(String, Double)] = []
        for pattern in table.patterns {
            let program = try SchematronProgram(table: SchematronTable(binding: binding, namespaces: table.namespaces, patterns: [pattern],
                                                                       dialect: .france, functions: table.functions))
            var samples: [Double] = []
            let clock = ContinuousClock()
            for _ in 0...iterations {
                let duration = clock.measure { _ = program.run(on: index) }
                samples.append(Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6)
            }
            samples.sort()
            times.append((pattern.name, samples[samples.count / 2]))
        }
        return times.sorted { $0.1 > $1.1 }
    }
}
