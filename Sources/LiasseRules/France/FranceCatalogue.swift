import LiasseInvoice

/// The words of the France RFE findings.
///
/// BR-FR's official texts are French: they are kept as published, with the values of the
/// document they quote, and the English is Liasse's translation (scripts/france-messages-en.tsv,
/// checked against the artefacts by scripts/france-messages.py). The EXTENDED-CTC-FR rules have
/// official English texts: the rules that are EN 16931's take the words of the EN 16931
/// catalogues, the others a French sentence naming the rule, beside the official text.
enum FranceCatalogue {
    static func finding(for assert: SchematronAssert, values: [String], table: FranceRuleSet.Table, mode: RulePack.Mode,
                        facturX: Bool, location: SourceLocation?) -> Finding {
        let flag = mode == .warning ? (assert.warningFlag ?? .warning) : assert.flag
        let severity = flag.severity
        let bt = assert.terms.first { $0.hasPrefix("BT-") } ?? assert.terms.first ?? btOfID(assert.id)
        let expressions = SchematronAssert.quotedExpressions(in: assert.text ?? "")
        let valueOf = Dictionary(zip(expressions, values), uniquingKeysWith: { first, _ in first })
        // The variant whose words apply: the Factur-X copy's, the _WARNING variant's.
        let variant = (facturX ? SchematronTable.brFrFacturXMessageOverrides[assert.id] : nil)
            ?? (mode == .warning ? warningOverrides(table)[assert.id] : nil)
        let official = SchematronAssert.filling(variant?.french ?? assert.text ?? "", values: valueOf)
        let french: String
        let english: String
        if let translation = variant?.english ?? assert.english {
            french = official
            english = SchematronAssert.filling(translation, values: valueOf)
        } else if let model = ModelCatalogue.rules[assert.id] {
            french = model.french
            english = official.isEmpty || model.english.contains(official) ? model.english : "\(model.english) Official text: “\(official)”"
        } else if let entry = SyntaxCatalogue.custom[assert.id] {
            french = entry.french
            english = "\(entry.english) Official text: “\(official)”"
        } else {
            let level = severity == .fatal ? "non respectée" : "signalée (avertissement)"
            french = "Règle \(assert.id) du profil EXTENDED-CTC-FR \(level) à cet endroit. Texte officiel (en anglais) : « \(official) »"
            english = official.isEmpty ? "Rule \(assert.id) of the EXTENDED-CTC-FR profile not met here." : official
        }
        return Finding(rule: assert.id, severity: severity, code: .semantic, message: french, messageEn: english,
                       bt: bt, path: location?.path, line: location?.line)
    }

    private static func warningOverrides(_ table: FranceRuleSet.Table) -> [String: (french: String, english: String)] {
        switch table {
        case .brFRCII: return SchematronTable.brFrCIIWarningMessageOverrides
        case .brFRUBL: return SchematronTable.brFrUBLWarningMessageOverrides
        case .extendedCII, .extendedUBL: return [:]
        }
    }

    /// `BR-FR-01_BT-1` names BT-1.
    static func btOfID(_ id: String) -> String? {
        guard let range = id.range(of: "_BT-") else { return nil }
        return "BT-" + id[range.upperBound...].prefix { $0.isNumber }
    }
}
