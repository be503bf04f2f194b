extension SchematronTable {
    /// Reads the records of a generated Factur-X table (`FacturX/Generated/FacturXRuleTables.swift`).
    init(facturXRecords records: String, profile: FacturXCodeLists.Profile) throws(SchematronCompileError) {
        try self.init(records: records, binding: .cii, dialect: .facturX(profile), what: "Factur-X \(profile.rawValue)")
    }

    /// Reads the records of a generated table, one tab-separated record a line:
    /// `N prefix uri`, `F name params body` (a function of the stylesheet), `P pattern`,
    /// `R context`, `V name select` (a variable of the last rule), `A …` (an assert or report of
    /// the last rule). A malformed record is a bug of the generator: it throws, and the rule set
    /// reports it as an internal error rather than judging with a partial table.
    init(records: String, binding: Binding, dialect: Dialect, what: String) throws(SchematronCompileError) {
        var namespaces: [(String, String)] = []
        var functions: [SchematronFunction] = []
        var variables: [(String, String)] = []
        var patterns: [SchematronPattern] = []
        var patternName: String?
        var rules: [SchematronRule] = []
        var context: String?
        var asserts: [SchematronAssert] = []
        func closeRule() {
            if let context { rules.append(SchematronRule(context: context, asserts: asserts, variables: variables)) }
            context = nil
            asserts = []
            variables = []
        }
        func closePattern() {
            closeRule()
            if let patternName { patterns.append(SchematronPattern(name: patternName, rules: rules)) }
            patternName = nil
            rules = []
        }
        for line in records.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func bad(_ reason: String) -> SchematronCompileError {
                SchematronCompileError(expression: String(line.prefix(80)), reason: "\(what) table: \(reason)")
            }
            switch fields.first {
            case "N":
                guard fields.count == 3 else { throw bad("namespace record") }
                namespaces.append((fields[1], fields[2]))
            case "F":
                guard fields.count == 4, patternName == nil else { throw bad("function record") }
                functions.append(SchematronFunction(name: fields[1], parameters: fields[2].isEmpty ? [] : fields[2].split(separator: ",").map(String.init),
                                                    body: fields[3]))
            case "V":
                guard fields.count == 3, context != nil, asserts.isEmpty else { throw bad("variable record") }
                variables.append((fields[1], fields[2]))
            case "P":
                guard fields.count == 2 else { throw bad("pattern record") }
                closePattern()
                patternName = fields[1]
            case "R":
                guard fields.count == 2, patternName != nil else { throw bad("rule record") }
                closeRule()
                context = fields[1]
            case "A":
                // France tables add the flag of the `_WARNING` artefact and the English text.
                let france = dialect == .france
                guard fields.count == (france ? 13 : 11), context != nil, let flag = SchematronAssert.Flag(rawValue: fields[2]) else {
                    throw bad("assert record")
                }
                var warningFlag: SchematronAssert.Flag?
                if france {
                    guard let parsed = SchematronAssert.Flag(rawValue: fields[11]) else { throw bad("warning flag") }
                    warningFlag = parsed
                }
                let shape: SchematronAssert.Shape
                switch fields[6] {
                case "exactlyOne": shape = .exactlyOne(fields[7])
                case "atMostOnce": shape = .atMostOnce(fields[7])
                case "required": shape = .required(fields[7])
                case "forbidden": shape = .forbidden(fields[7])
                case "custom": shape = .custom
                default: throw bad("shape \(fields[6])")
                }
                var codedb: SchematronAssert.Codedb?
                if !fields[4].isEmpty {
                    guard let list = Int(fields[4]) else { throw bad("codedb list") }
                    codedb = SchematronAssert.Codedb(list: list, value: fields[5])
                }
                asserts.append(SchematronAssert(
                    id: fields[1], flag: flag, test: fields[9], shape: shape,
                    terms: fields[8].isEmpty ? [] : fields[8].split(separator: ",").map(String.init),
                    report: fields[3] == "1", codedb: codedb, text: fields[10],
                    warningFlag: warningFlag, english: france && !fields[12].isEmpty ? fields[12] : nil))
            default:
                throw bad("unknown record")
            }
        }
        closePattern()
        self.init(binding: binding, namespaces: namespaces, patterns: patterns, dialect: dialect, functions: functions)
    }
}
