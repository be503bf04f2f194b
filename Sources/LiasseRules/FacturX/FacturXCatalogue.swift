/// Messages of the Factur-X profile rules, in French and English.
///
/// The ~1 600 `FX-SCH-A-*` rules say one of a few things about one element or attribute (it
/// must be there once, at most once, its value must be in the profile's list, it is not used in
/// the profile): their text is built from the shape of the official text. The EN 16931 rules the
/// profile schematron carries (`BR-*`, `BR-CO-*`, `BR-DEC-*`, VAT families, `CII-SR-*`) take the
/// words of the EN 16931 catalogues; the Factur-X extensions (`BR-FXEXT-*`) and anything else
/// get a sentence naming the rule and the profile. The official English text is always kept,
/// at the end of the English message, so that a user can compare it with other validators.
enum FacturXCatalogue {
    static func definition(for assert: SchematronAssert, profile: FacturXProfile) -> RuleDefinition {
        let severity = assert.flag.severity
        let bt = assert.terms.first { $0.hasPrefix("BT-") } ?? assert.terms.first
        let official = assert.text ?? ""
        let (french, english) = words(for: assert, profile: profile, severity: severity)
        let withOfficial = official.isEmpty || english.contains(official) ? english : "\(english) Official text: “\(official)”"
        return RuleDefinition(id: assert.id, severity: severity, code: .semantic, bt: bt, french: french, english: withOfficial)
    }

    private static func words(for assert: SchematronAssert, profile: FacturXProfile, severity: Severity) -> (String, String) {
        let name = "Factur-X \(profile.rawValue)"
        if let model = ModelCatalogue.rules[assert.id] {
            return (model.french, model.english)
        }
        if let entry = SyntaxCatalogue.custom[assert.id] ?? custom[assert.id] {
            return (entry.french, entry.english)
        }
        if assert.id == notUsed {
            let subject = quoted(in: assert.text ?? "") ?? "cet élément"
            return ("« \(subject) » n'est pas utilisé dans le profil \(name) : retirez-le, ou générez la facture dans un profil qui le prévoit (EXTENDED).",
                    "“\(subject)” is not used in the \(name) profile: remove it, or generate the invoice in a profile that provides it (EXTENDED).")
        }
        switch assert.shape {
        case .exactlyOne(let path):
            return ("L'élément « \(path) » doit figurer exactement une fois à cet endroit dans le profil \(name). Ajoutez-le s'il manque, supprimez les doublons.",
                    "The element “\(path)” must appear exactly once here in the \(name) profile. Add it if missing, remove any duplicate.")
        case .atMostOnce(let path):
            return ("L'élément « \(path) » apparaît plusieurs fois à cet endroit alors que le profil \(name) n'en admet qu'un. Gardez-en un seul.",
                    "The element “\(path)” appears more than once here, but the \(name) profile allows one at most. Keep a single one.")
        case .required(let path):
            let what = path.hasPrefix("@") ? ("L'attribut", "The attribute") : ("L'élément", "The element")
            return ("\(what.0) « \(path) » est obligatoire à cet endroit dans le profil \(name). Ajoutez-le.",
                    "\(what.1) “\(path)” is required here in the \(name) profile. Add it.")
        case .forbidden(let path):
            return ("« \(path) » est interdit à cet endroit dans le profil \(name). Retirez-le.",
                    "“\(path)” is not allowed here in the \(name) profile. Remove it.")
        case .custom:
            break
        }
        if assert.codedb != nil, let subject = quoted(in: assert.text ?? "") {
            return ("La valeur de « \(subject) » n'est pas dans la liste de codes du profil \(name). Utilisez un code de la liste officielle.",
                    "The value of “\(subject)” is not in the \(name) profile's code list. Use a code of the official list.")
        }
        let level = severity == .fatal ? ("non respectée", "not met") : ("signalée (avertissement)", "raised (warning)")
        return ("Règle \(assert.id) du profil \(name) \(level.0) à cet endroit. Texte officiel (en anglais) : « \(assert.text ?? "") »",
                "Rule \(assert.id) of the \(name) profile \(level.1) here.")
    }

    /// Rules of the profile schematrons outside the EN 16931 catalogues that need their own words.
    static let custom: [String: SyntaxCatalogue.Entry] = [
        "PEPPOL-EN16931-R008": SyntaxCatalogue.Entry(
            french: "Le document contient un élément vide (sans texte ni élément fils) : retirez-le, ou remplissez-le.",
            english: "The document contains an empty element (no text, no child element): remove it, or fill it in."),
    ]

    /// The id Liasse gives the official reports that carry none ("… marked as not used in the
    /// given context"): the SVRL names no rule, and every finding of Liasse names one.
    static let notUsed = "FX-SCH-NOT-USED"

    /// The first quoted name of an official text (`Value of 'ram:TypeCode' is not allowed.`).
    private static func quoted(in text: String) -> String? {
        // "Attribute @schemeID' marked as not used": the opening quote is missing.
        if let at = text.firstIndex(of: "@"), let end = text[at...].firstIndex(of: "'"),
           !text[..<at].contains("'") {
            return String(text[at..<end])
        }
        if let start = text.firstIndex(of: "'") {
            let rest = text[text.index(after: start)...]
            if let end = rest.firstIndex(of: "'") { return String(rest[..<end]) }
            return nil
        }
        return nil
    }
}
