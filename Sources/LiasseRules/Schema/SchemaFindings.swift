import LiasseInvoice
import LiasseXML

/// Turns libxml2's schema errors into findings in the invoice's own words: the element with
/// its usual prefix and the business term it carries, what was found, and the form expected,
/// in French and in English. libxml2's own text is kept in the finding's `detail`, never in
/// its messages.
///
/// libxml2 reports an element out of place, a missing, a repeated and an unknown element with
/// one message ("This element is not expected. Expected is one of (…)"); `misplaced` tells them
/// apart by the element's siblings (docs/SCHEMA-FINDINGS.md gives the order of its checks).
struct SchemaExplainer {
    let syntax: InvoiceSyntax
    /// The schema's name for messages (`UBL 2.1 Invoice`, `Factur-X 1.09 EN16931`).
    let schemaName: String

    /// Whether the schema is a Factur-X profile's, a restriction of the full CII.
    private var isProfileSchema: Bool { schemaName.hasPrefix("Factur-X") }

    /// libxml2 names ten expected elements at most: a list that long may go on, and then its
    /// last name is not the first mandatory element of the sequence.
    static let expectedListCap = 10

    func finding(for issue: XMLIssue) -> Finding {
        let parsed = SchemaMessage(issue.message)
        let explanation = explain(parsed, issue)
        return Finding(rule: "XSD", severity: .fatal, code: .syntax,
                       message: explanation.french, messageEn: explanation.english,
                       bt: explanation.term, path: issue.path, line: issue.line, detail: issue.message)
    }

    /// The two messages of a finding and the business term it concerns.
    struct Explanation {
        var french: String
        var english: String
        var term: String?
    }

    // MARK: - Each class of error

    private func explain(_ message: SchemaMessage, _ issue: XMLIssue) -> Explanation {
        let parentPath = canonicalPath(issue.ancestry.dropLast())
        let subject = message.element.map { describe($0, under: parentPath, inherit: true) }
        switch message.kind {
        case .notExpected(let expected):
            guard let element = message.element, let subject else { break }
            let parent = issue.ancestry.dropLast().last.map { describe($0, under: canonicalPath(issue.ancestry.dropLast(2))) }
            return misplaced(element, subject: subject, expected: expected, parentPath: parentPath,
                             followers: issue.followingSiblings, preceding: issue.precedingSiblings, parent: parent)
        case .missingChild(let expected):
            guard let subject else { break }
            return missingAtEnd(subject: subject, expected: expected, path: canonicalPath(issue.ancestry))
        case .invalidValue(let value, let type):
            guard let element = message.element, let subject else { break }
            return invalidValue(value, type: type, element: element, attribute: message.attribute, subject: subject)
        case .notInSet(let value, let allowed):
            guard let subject else { break }
            let list = allowed.joined(separator: ", ")
            return Explanation(
                french: "\(valueOwner(message.attribute, subject.french, french: true)) : la valeur « \(value) » n'est pas admise. Valeurs admises : \(list).",
                english: "\(valueOwner(message.attribute, subject.english, french: false)): the value '\(value)' is not allowed. Allowed values: \(list).",
                term: subject.term)
        case .length(let value, let limit, let bound):
            guard let subject else { break }
            let count = value.count
            let (fr, en): (String, String)
            switch bound {
            case .maximum: (fr, en) = ("au plus \(limit) caractère\(limit > 1 ? "s" : "") admis", "at most \(limit) character\(limit > 1 ? "s" : "") allowed")
            case .minimum: (fr, en) = ("au moins \(limit) caractère\(limit > 1 ? "s" : "") attendu\(limit > 1 ? "s" : "")", "at least \(limit) character\(limit > 1 ? "s" : "") expected")
            case .exact: (fr, en) = ("exactement \(limit) caractère\(limit > 1 ? "s" : "") attendu\(limit > 1 ? "s" : "")", "exactly \(limit) character\(limit > 1 ? "s" : "") expected")
            }
            let hint = Self.codeHint(attribute: message.attribute)
            return Explanation(
                french: "\(valueOwner(message.attribute, subject.french, french: true)) : la valeur « \(value) » fait \(count) caractère\(count > 1 ? "s" : "") ; \(fr).\(hint.map { " " + $0.french } ?? "")",
                english: "\(valueOwner(message.attribute, subject.english, french: false)): the value '\(value)' is \(count) character\(count == 1 ? "" : "s") long; \(en).\(hint.map { " " + $0.english } ?? "")",
                term: subject.term)
        case .pattern(let value, let pattern):
            guard let subject else { break }
            return Explanation(
                french: "\(valueOwner(message.attribute, subject.french, french: true)) : la valeur « \(value) » n'a pas la forme attendue (motif \(pattern)). Corrigez-la.",
                english: "\(valueOwner(message.attribute, subject.english, french: false)): the value '\(value)' does not have the expected form (pattern \(pattern)). Correct it.",
                term: subject.term)
        case .attributeNotAllowed(let attribute):
            guard let subject else { break }
            return Explanation(
                french: "L'attribut \(attribute) n'est pas admis sur \(subject.french). Retirez-le, ou corrigez son nom\(Self.attributeSpelling(attribute).map { " (\($0))" } ?? "").",
                english: "The attribute \(attribute) is not allowed on \(subject.english). Remove it, or correct its name\(Self.attributeSpelling(attribute).map { " (\($0))" } ?? "").",
                term: subject.term)
        case .attributeMissing(let attribute):
            guard let subject else { break }
            let example = Self.attributeExample(attribute)
            return Explanation(
                french: "L'attribut \(attribute) manque sur \(subject.french). Ajoutez-le\(example.map { ", par exemple \(attribute)=\"\($0)\"" } ?? "").",
                english: "The attribute \(attribute) is missing on \(subject.english). Add it\(example.map { ", e.g. \(attribute)=\"\($0)\"" } ?? "").",
                term: subject.term)
        case .textNotAllowed:
            guard let subject else { break }
            return Explanation(
                french: "\(subject.french) ne contient que des éléments : retirez le texte écrit directement dedans.",
                english: "\(subject.english) holds elements only: remove the text written directly inside it.",
                term: subject.term)
        case .elementsNotAllowed:
            guard let subject else { break }
            return Explanation(
                french: "\(subject.french) contient une valeur, pas des éléments : retirez les éléments placés dedans.",
                english: "\(subject.english) holds a value, not elements: remove the elements placed inside it.",
                term: subject.term)
        case .other:
            break
        }
        let place = subject.map { " (\($0.french))" } ?? ""
        let placeEn = subject.map { " (\($0.english))" } ?? ""
        return Explanation(
            french: "Le fichier n'est pas conforme au schéma \(schemaName) à cet endroit\(place). Corrigez l'élément indiqué ; le détail technique est donné dans « detail ».",
            english: "The file does not follow the \(schemaName) schema here\(placeEn). Correct the element shown; the technical detail is in 'detail'.",
            term: subject?.term)
    }

    /// "This element is not expected": an element out of its place, one missing before it, an
    /// element in the wrong namespace, or one the schema does not know here.
    private func misplaced(_ element: XMLIssue.Name, subject: Described, expected: [XMLIssue.Name],
                           parentPath: String, followers: [XMLIssue.Name], preceding: [XMLIssue.Name],
                           parent parentText: Described?) -> Explanation {
        // The same name in another namespace: a wrong prefix or namespace declaration.
        if let meant = expected.first(where: { $0.local == element.local && $0.namespace != element.namespace })
            ?? (Self.prefix(of: element.namespace, syntax: syntax) == nil
                ? knownChild(named: element.local, under: parentPath) : nil) {
            let target = describe(meant, under: parentPath)
            let found = element.namespace.map { "« \($0) »" } ?? "aucun"
            let foundEn = element.namespace.map { "'\($0)'" } ?? "none"
            return Explanation(
                french: "L'élément \(element.local) est dans l'espace de noms \(found) ; il doit être \(target.french), dans l'espace de noms « \(meant.namespace ?? "") ». Corrigez son préfixe ou la déclaration d'espace de noms.",
                english: "The element \(element.local) is in the namespace \(foundEn); it must be \(target.english), in the namespace '\(meant.namespace ?? "")'. Correct its prefix or the namespace declaration.",
                term: target.term)
        }
        let isKnown = expected.contains(element) || isKnownChild(element, under: parentPath)
            || TermPaths.knownNames(for: syntax).contains(qualified(element))
        let expectedText = listed(expected, under: parentPath)
        if !isKnown {
            let french = expected.isEmpty
                ? "L'élément \(subject.french) n'est pas prévu à cet endroit par le schéma\(parentText.map { " dans \($0.french)" } ?? ""). Retirez-le, ou corrigez son nom."
                : "L'élément \(subject.french) n'est pas prévu à cet endroit par le schéma. Retirez-le, ou corrigez son nom. Éléments admis ici : \(expectedText.french)."
            let english = expected.isEmpty
                ? "The element \(subject.english) is not allowed here by the schema\(parentText.map { " in \($0.english)" } ?? ""). Remove it, or correct its name."
                : "The element \(subject.english) is not allowed here by the schema. Remove it, or correct its name. Allowed here: \(expectedText.english)."
            return Explanation(french: french, english: english, term: subject.term)
        }
        if !expected.contains(element) && preceding.contains(element) {
            return Explanation(
                french: "\(subject.french) est répété\(parentText.map { " dans \($0.french)" } ?? "") alors qu'un seul est admis à cet endroit. Retirez celui qui est en trop\(expected.isEmpty ? "" : ", ou placez-le où le schéma l'attend")\(expected.isEmpty ? "" : " (attendus ici : \(expectedText.french))").",
                english: "\(subject.english) is repeated\(parentText.map { " in \($0.english)" } ?? "") where only one is allowed. Remove the one too many\(expected.isEmpty ? "" : ", or put it where the schema expects it")\(expected.isEmpty ? "" : " (expected here: \(expectedText.english))").",
                term: subject.term)
        }
        // A whole list ends with the first mandatory element.
        let listIsWhole = expected.count < Self.expectedListCap
        let around = Set(preceding + followers)
        if listIsWhole, let required = expected.last, required != element, !around.contains(required),
           isKnownChild(required, under: parentPath) {
            let absent = describe(required, under: parentPath)
            let others = expected.dropLast()
            let otherText = others.isEmpty ? nil : listed(Array(others), under: parentPath)
            if isProfileSchema {
                // A Factur-X profile's schema leaves out terms of the full model: the element may
                // be one the profile does not carry rather than one after a missing element.
                return Explanation(
                    french: "\(subject.french) n'est pas admis à cet endroit par le profil \(schemaName), ou \(absent.french) manque avant lui. Retirez \(qualified(element)) si le profil ne le prévoit pas ; sinon ajoutez \(qualified(required)) avant lui.",
                    english: "\(subject.english) is not allowed here by the \(schemaName) profile, or \(absent.english) is missing before it. Remove \(qualified(element)) if the profile does not carry it; otherwise add \(qualified(required)) before it.",
                    term: subject.term)
            }
            return Explanation(
                french: "\(absent.french) manque : il est obligatoire et doit venir avant \(subject.french). Ajoutez-le à cet endroit\(otherText.map { " (les éléments facultatifs admis avant lui sont : \($0.french))" } ?? "").",
                english: "\(absent.english) is missing: it is mandatory and must come before \(subject.english). Add it at this place\(otherText.map { " (the optional elements allowed before it are: \($0.english))" } ?? "").",
                term: absent.term)
        }
        if let next = followers.first, expected.contains(next), !listIsWhole || next == expected.last {
            // The two are swapped: the next one is the element expected here.
            let moved = describe(next, under: parentPath)
            return Explanation(
                french: "\(moved.french) doit venir avant \(subject.french). Déplacez \(qualified(next)) avant \(qualified(element)) : le schéma impose l'ordre des éléments.",
                english: "\(moved.english) must come before \(subject.english). Move \(qualified(next)) before \(qualified(element)): the schema sets the order of the elements.",
                term: moved.term)
        }
        guard !expected.isEmpty else {
            // The parent's content is complete: the element is one too many, or belongs higher up.
            return Explanation(
                french: "\(subject.french) n'est pas admis à cet endroit\(parentText.map { " de \($0.french)" } ?? "") : il est en trop, ou il doit être placé plus haut. Retirez-le ou déplacez-le.",
                english: "\(subject.english) is not allowed at this place\(parentText.map { " of \($0.english)" } ?? ""): it is one too many, or it belongs higher up. Remove or move it.",
                term: subject.term)
        }
        // Out of order, but which element moved cannot be told: say what the schema expects here.
        let previous = preceding.first.map { describe($0, under: parentPath) }
        return Explanation(
            french: "\(subject.french) n'est pas à sa place\(previous.map { " (juste après \($0.french))" } ?? "") : à cet endroit le schéma attend \(expectedText.french). Remettez les éléments\(parentText.map { " de \($0.french)" } ?? "") dans l'ordre du schéma : déplacez \(qualified(element)), ou, si l'élément attendu manque avant lui, ajoutez-le.",
            english: "\(subject.english) is out of place\(previous.map { " (right after \($0.english))" } ?? ""): the schema expects \(expectedText.english) here. Put the elements\(parentText.map { " of \($0.english)" } ?? "") in the schema's order: move \(qualified(element)), or, if the expected element is missing before it, add it.",
            term: subject.term)
    }

    /// "Missing child element(s)": the element ends before a mandatory child.
    private func missingAtEnd(subject: Described, expected: [XMLIssue.Name], path: String) -> Explanation {
        guard let missing = expected.last, expected.count < Self.expectedListCap else {
            let list = expected.isEmpty ? nil : listed(expected, under: path)
            return Explanation(french: "\(subject.french) est incomplet : un élément obligatoire y manque à la fin\(list.map { " (attendus : \($0.french))" } ?? ""). Ajoutez-le.",
                               english: "\(subject.english) is incomplete: a mandatory element is missing at its end\(list.map { " (expected: \($0.english))" } ?? ""). Add it.",
                               term: subject.term)
        }
        let absent = describe(missing, under: path)
        let others = expected.dropLast()
        let otherText = others.isEmpty ? nil : listed(Array(others), under: path)
        return Explanation(
            french: "\(absent.french) manque dans \(subject.french) : il est obligatoire. Ajoutez-le à la fin de \(subject.name)\(otherText.map { " (après les éléments facultatifs \($0.french), s'ils sont présents)" } ?? "").",
            english: "\(absent.english) is missing in \(subject.english): it is mandatory. Add it at the end of \(subject.name)\(otherText.map { " (after the optional elements \($0.english), when present)" } ?? "").",
            term: absent.term)
    }

    /// A value that is not of its type: an amount, a date, an indicator…
    private func invalidValue(_ value: String, type: String?, element: XMLIssue.Name, attribute: String?,
                              subject: Described) -> Explanation {
        let form = ValueForm(type: type, element: element.local, attribute: attribute, syntax: syntax)
        let owner = valueOwner(attribute, subject.french, french: true)
        let ownerEn = valueOwner(attribute, subject.english, french: false)
        let (french, english) = form.words
        let shown = value.isEmpty ? "est vide" : "« \(value) » n'est pas \(french.article)"
        let shownEn = value.isEmpty ? "is empty" : "'\(value)' is not \(english.article)"
        let suggestion = form.suggestion(for: value)
        return Explanation(
            french: "\(owner) : la valeur \(shown). \(french.rule)\(suggestion.map { " Ici : \($0)." } ?? "")",
            english: "\(ownerEn): the value \(shownEn). \(english.rule)\(suggestion.map { " Here: \($0)." } ?? "")",
            term: subject.term)
    }

    // MARK: - Naming elements and terms

    /// An element named for people: `cbc:IssueDate (BT-2, Date d'émission de la facture)`.
    struct Described {
        var french: String
        var english: String
        var term: String?
        /// The element's qualified name alone.
        var name: String
    }

    func describe(_ element: XMLIssue.Name, under parentPath: String, inherit: Bool = false) -> Described {
        let name = qualified(element)
        if let terms = term(at: parentPath + "/" + name) {
            let (french, english, first) = Self.termWords(terms)
            return Described(french: "\(name) (\(french))", english: "\(name) (\(english))", term: first, name: name)
        }
        // An element that carries no term of its own is named by the nearest group or term
        // that holds it (the indicator of an allowance, the scheme of a tax).
        var path = Substring(inherit ? parentPath : "")
        while let slash = path.lastIndex(of: "/"), !path.isEmpty {
            if let terms = term(at: String(path)) {
                let (french, english, first) = Self.termWords(terms)
                return Described(french: "\(name) (dans \(french))", english: "\(name) (in \(english))", term: first, name: name)
            }
            path = path[..<slash]
        }
        return Described(french: name, english: name, term: nil, name: name)
    }

    /// `BT-2, date d'émission de la facture`, or `BT-110 ou BT-111` for a path read as
    /// several terms, with the first term.
    private static func termWords(_ terms: String) -> (french: String, english: String, first: String?) {
        let ids = terms.split(separator: "|").map(String.init)
        if ids.count == 1, let names = TermNames.names[ids[0]] {
            return ("\(ids[0]), \(names.french.lowercasedFirst)", "\(ids[0]), \(names.english.lowercasedFirst)", ids[0])
        }
        return (ids.joined(separator: " ou "), ids.joined(separator: " or "), ids.first)
    }

    /// The term bound to a canonical path. A CII date's term is that of its DateTimeString,
    /// a UBL party's that of its cac:Party; UBL's document totals are BG-22 (the readers bind
    /// only their amounts).
    func term(at path: String) -> String? {
        let table = TermPaths.table(for: syntax)
        if let term = table[path] ?? table[path + "/udt:DateTimeString"] ?? table[path + "/qdt:DateTimeString"]
            ?? table[path + "/cac:Party"] {
            return term
        }
        return syntax.isUBL && path.hasSuffix("/cac:LegalMonetaryTotal") && path.split(separator: "/").count == 2 ? "BG-22" : nil
    }

    private func listed(_ names: [XMLIssue.Name], under parentPath: String) -> (french: String, english: String) {
        let shown = names.prefix(8).map { describe($0, under: parentPath) }
        let more = names.count >= Self.expectedListCap ? "…" : names.count > shown.count ? " et \(names.count - shown.count) autres" : ""
        let moreEn = names.count >= Self.expectedListCap ? "…" : names.count > shown.count ? " and \(names.count - shown.count) more" : ""
        return (shown.map(\.french).joined(separator: ", ") + more, shown.map(\.english).joined(separator: ", ") + moreEn)
    }

    private func valueOwner(_ attribute: String?, _ element: String, french: Bool) -> String {
        guard let attribute else { return element }
        return french ? "L'attribut \(attribute) de \(element)" : "The attribute \(attribute) of \(element)"
    }

    /// `cbc:IssueDate`: the usual prefix of the element's namespace; an unknown namespace
    /// gives the bare local name.
    func qualified(_ element: XMLIssue.Name) -> String {
        guard let prefix = Self.prefix(of: element.namespace, syntax: syntax) else { return element.local }
        return prefix.isEmpty ? element.local : prefix + ":" + element.local
    }

    /// The canonical path of a chain of elements: `/Invoice/cac:InvoiceLine/cbc:ID`.
    func canonicalPath<S: Sequence>(_ ancestry: S) -> String where S.Element == XMLIssue.Name {
        return ancestry.map { "/" + qualified($0) }.joined()
    }

    private func isKnownChild(_ element: XMLIssue.Name, under parentPath: String) -> Bool {
        TermPaths.knownElements(for: syntax).contains(parentPath + "/" + qualified(element))
    }

    private func knownChild(named local: String, under parentPath: String) -> XMLIssue.Name? {
        let known = TermPaths.knownElements(for: syntax)
        for (uri, prefix) in Self.prefixes(for: syntax) where !prefix.isEmpty {
            if known.contains(parentPath + "/" + prefix + ":" + local) { return XMLIssue.Name(namespace: uri, local: local) }
        }
        return nil
    }

    // MARK: - Namespaces and examples

    static func prefixes(for syntax: InvoiceSyntax) -> [(uri: String, prefix: String)] {
        switch syntax {
        case .ublInvoice, .ublCreditNote:
            return [(Namespace.cbc, "cbc"), (Namespace.cac, "cac"),
                    ("urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2", "ext"),
                    (Namespace.ublInvoice, ""), (Namespace.ublCreditNote, "")]
        case .cii:
            return [(Namespace.rsm, "rsm"), (Namespace.ram, "ram"), (Namespace.udt, "udt"), (Namespace.qdt, "qdt")]
        }
    }

    static func prefix(of namespace: String?, syntax: InvoiceSyntax) -> String? {
        guard let namespace else { return nil }
        return prefixes(for: syntax).first { $0.uri == namespace }?.prefix
    }

    /// An example value of a mandatory attribute.
    static func attributeExample(_ attribute: String) -> String? {
        switch attribute {
        case "currencyID": return "EUR"
        case "format": return "102"
        case "unitCode": return "C62"
        case "mimeCode": return "application/pdf"
        case "filename": return "bon-de-commande.pdf"
        case "schemeID": return "0009"
        default: return nil
        }
    }

    /// The usual spelling of an attribute that was misspelt (`currency` for `currencyID`).
    static func attributeSpelling(_ attribute: String) -> String? {
        let usual = ["currencyID", "unitCode", "schemeID", "listID", "format", "mimeCode", "filename"]
        let lower = attribute.lowercased()
        guard let match = usual.first(where: { $0.lowercased() != lower && ($0.lowercased().hasPrefix(lower) || lower.hasPrefix($0.lowercased())) })
        else { return nil }
        return "\(match) ?"
    }

    static func codeHint(attribute: String?) -> (french: String, english: String)? {
        guard attribute == "unitCode" else { return nil }
        return ("Donnez le code de l'unité de la liste UN/ECE Recommandation 20, par exemple KGM pour le kilogramme.",
                "Give the unit's code from the UN/ECE Recommendation 20 list, e.g. KGM for kilogram.")
    }
}

extension String {
    /// The string with its first letter in lower case, for a term's name inside a sentence.
    var lowercasedFirst: String {
        guard let first else { return self }
        // Keep acronyms (`VAT`, `TVA`) as they are.
        if count > 1, let second = dropFirst().first, second.isUppercase { return self }
        return first.lowercased() + dropFirst()
    }
}
