import LiasseFindings

/// The container rules of the Factur-X specification (BR-HYBRID-02…15) and the project's
/// own (`LIASSE-FX-…`), at the specification's severities.
enum ContainerChecks {
    /// Rules that hold whatever the XML's profile.
    static func general(_ container: FacturXContainer, discovery: EmbeddedFileDiscovery) -> [Finding] {
        var findings: [Finding] = []
        let name = container.embeddedName

        if !container.inCatalogAF || !container.inNameTree {
            let missing = !container.inCatalogAF ? "/AF" : "/Names /EmbeddedFiles"
            findings.append(.init(
                rule: "BR-HYBRID-12", severity: .fatal, code: .fileType,
                message: "Le fichier « \(name) » n'est pas rattaché comme l'exige Factur-X : il manque dans \(missing) du catalogue. Le XML doit être listé à la fois dans /AF et dans /Names /EmbeddedFiles ; régénérez le PDF avec un outil Factur-X.",
                messageEn: "The file '\(name)' is not embedded as Factur-X requires: it is missing from the catalog's \(missing). The XML must be listed in both /AF and /Names /EmbeddedFiles; generate the PDF again with a Factur-X tool."))
        }
        if FacturXReader.legacyFileNames.contains(name.lowercased()) {
            findings.append(.init(
                rule: "LIASSE-FX-11", severity: .warning, code: .fileType,
                message: "Le XML embarqué porte l'ancien nom ZUGFeRD « \(name) » ; Factur-X le nomme « factur-x.xml ».",
                messageEn: "The embedded XML has the legacy ZUGFeRD name '\(name)'; Factur-X names it 'factur-x.xml'."))
        }
        if discovery.treeCycle || discovery.treeTruncated {
            findings.append(.init(
                rule: "LIASSE-FX-08", severity: .warning, code: .fileType,
                message: discovery.treeCycle
                    ? "L'arbre /EmbeddedFiles du PDF boucle sur lui-même (/Kids) : la boucle a été ignorée. D'autres lecteurs peuvent s'y bloquer ; régénérez le PDF."
                    : "L'arbre /EmbeddedFiles du PDF est trop profond ou trop grand : sa lecture a été arrêtée. Régénérez le PDF.",
                messageEn: discovery.treeCycle
                    ? "The PDF's /EmbeddedFiles tree loops back on itself (/Kids): the loop was skipped. Other readers may hang on it; generate the PDF again."
                    : "The PDF's /EmbeddedFiles tree is too deep or too large: reading it stopped there. Generate the PDF again."))
        }
        if discovery.treeUnsorted {
            findings.append(.init(
                rule: "LIASSE-FX-09", severity: .warning, code: .fileType,
                message: "Les noms de l'arbre /EmbeddedFiles ne sont pas triés : Liasse a trouvé « \(name) » en parcourant tout l'arbre, mais les lecteurs qui font une recherche dichotomique (autorisée par la norme PDF) ne le trouveront pas. Régénérez le PDF.",
                messageEn: "The names of the /EmbeddedFiles tree are not sorted: Liasse found '\(name)' by scanning the whole tree, but readers that binary-search it (as the PDF standard allows) will miss it. Generate the PDF again."))
        }
        if !container.readerWarnings.isEmpty {
            let sample = container.readerWarnings.prefix(3).joined(separator: " | ")
            findings.append(.init(
                rule: "LIASSE-FX-10", severity: .warning, code: .fileType,
                message: "La lecture du PDF a relevé \(container.readerWarnings.count) anomalie(s) de structure tolérée(s) : \(sample).",
                messageEn: "Reading the PDF met \(container.readerWarnings.count) tolerated structure problem(s): \(sample)."))
        }
        findings += xmpFindings(container)
        return findings
    }

    private static func xmpFindings(_ container: FacturXContainer) -> [Finding] {
        guard let xmp = container.xmp else {
            let why = container.xmpProblem ?? "no XMP metadata"
            return [
                .init(rule: "BR-HYBRID-02", severity: .fatal, code: .fileType,
                      message: "Le PDF ne se déclare pas PDF/A-3 : ses métadonnées XMP manquent ou sont illisibles (\(why)). Un Factur-X est un PDF/A-3 (ou PDF/A-4f) ; exportez-le en PDF/A-3 avec un outil Factur-X.",
                      messageEn: "The PDF does not declare itself PDF/A-3: its XMP metadata is missing or unreadable (\(why)). A Factur-X is a PDF/A-3 (or PDF/A-4f); export it as PDF/A-3 with a Factur-X tool."),
                .init(rule: "BR-HYBRID-03", severity: .fatal, code: .fileType,
                      message: "Les métadonnées XMP ne portent pas le schéma d'extension Factur-X (fx:DocumentType, fx:DocumentFileName, fx:Version, fx:ConformanceLevel). Régénérez le PDF avec un outil Factur-X.",
                      messageEn: "The XMP metadata does not carry the Factur-X extension schema (fx:DocumentType, fx:DocumentFileName, fx:Version, fx:ConformanceLevel). Generate the PDF again with a Factur-X tool."),
            ]
        }
        var findings: [Finding] = []
        let part = xmp.pdfaPart ?? "(absent)"
        let conformance = xmp.pdfaConformance?.uppercased()
        if !(part == "3" || (part == "4" && conformance == "F")) {
            let shown = part == "4" ? "PDF/A-4 sans conformité F" : "pdfaid:part = \(part)"
            let shownEn = part == "4" ? "PDF/A-4 without conformance F" : "pdfaid:part = \(part)"
            findings.append(.init(
                rule: "BR-HYBRID-02", severity: .fatal, code: .fileType,
                message: "Le PDF se déclare \(shown) ; un Factur-X doit être un PDF/A-3 (pdfaid:part = 3) ou un PDF/A-4f. Exportez-le en PDF/A-3.",
                messageEn: "The PDF declares \(shownEn); a Factur-X must be a PDF/A-3 (pdfaid:part = 3) or a PDF/A-4f. Export it as PDF/A-3."))
        }

        let fxURI = XMPReader.facturXNamespace
        let declared = xmp.extensionSchemas.first { $0.namespaceURI == fxURI }
        if !xmp.hasFacturXProperties, let foreign = xmp.foreignNamespace {
            findings.append(.init(
                rule: "BR-HYBRID-04", severity: .fatal, code: .fileType,
                message: "Les propriétés Factur-X des métadonnées XMP sont dans l'espace de noms « \(foreign) » ; Factur-X exige « \(fxURI) ».",
                messageEn: "The XMP's Factur-X properties are in the namespace '\(foreign)'; Factur-X requires '\(fxURI)'."))
            return findings
        }
        if !xmp.hasFacturXProperties || declared == nil {
            let other = xmp.extensionSchemas.first { $0.prefix == "fx" }
            if let other, declared == nil {
                findings.append(.init(
                    rule: "BR-HYBRID-04", severity: .fatal, code: .fileType,
                    message: "Le schéma d'extension XMP de préfixe fx déclare l'espace de noms « \(other.namespaceURI) » ; Factur-X exige « \(fxURI) ».",
                    messageEn: "The XMP extension schema with prefix fx declares the namespace '\(other.namespaceURI)'; Factur-X requires '\(fxURI)'."))
            } else {
                let what = xmp.hasFacturXProperties
                    ? ("les propriétés fx sont présentes mais leur schéma d'extension PDF/A (pdfaExtension:schemas) n'est pas déclaré",
                       "the fx properties are present but their PDF/A extension schema (pdfaExtension:schemas) is not declared")
                    : ("aucune propriété fx (DocumentType, DocumentFileName, Version, ConformanceLevel) n'est présente",
                       "no fx property (DocumentType, DocumentFileName, Version, ConformanceLevel) is present")
                findings.append(.init(
                    rule: "BR-HYBRID-03", severity: .fatal, code: .fileType,
                    message: "Les métadonnées XMP ne suivent pas le schéma d'extension Factur-X : \(what.0). Régénérez le PDF avec un outil Factur-X.",
                    messageEn: "The XMP metadata does not follow the Factur-X extension schema: \(what.1). Generate the PDF again with a Factur-X tool."))
            }
            if !xmp.hasFacturXProperties { return findings }
        }
        if let declared, declared.prefix != "fx" {
            findings.append(.init(
                rule: "BR-HYBRID-05", severity: .fatal, code: .fileType,
                message: "Le schéma d'extension Factur-X des métadonnées XMP déclare le préfixe « \(declared.prefix) » ; Factur-X exige « fx ».",
                messageEn: "The XMP's Factur-X extension schema declares the prefix '\(declared.prefix)'; Factur-X requires 'fx'."))
        }
        if xmp.documentType != "INVOICE" {
            let found = xmp.documentType.map { "« \($0) »" } ?? "absent"
            findings.append(.init(
                rule: "BR-HYBRID-06", severity: .fatal, code: .fileType,
                message: "fx:DocumentType vaut \(found) dans les métadonnées XMP ; il doit valoir « INVOICE ».",
                messageEn: "fx:DocumentType is \(xmp.documentType.map { "'\($0)'" } ?? "absent") in the XMP metadata; it must be 'INVOICE'."))
        }
        if FacturXLevel(rawValue: xmp.conformanceLevel ?? "") == nil {
            let found = xmp.conformanceLevel ?? "(absent)"
            findings.append(.init(
                rule: "BR-HYBRID-07", severity: .fatal, code: .fileType,
                message: "fx:ConformanceLevel vaut « \(found) » dans les métadonnées XMP ; valeurs admises : MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, XRECHNUNG.",
                messageEn: "fx:ConformanceLevel is '\(found)' in the XMP metadata; allowed values: MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, XRECHNUNG."))
        }
        let fileName = xmp.documentFileName
        if !FacturXReader.isAcceptedName(fileName ?? "") {
            let found = fileName ?? "(absent)"
            findings.append(.init(
                rule: "BR-HYBRID-08", severity: .fatal, code: .fileType,
                message: "fx:DocumentFileName vaut « \(found) » dans les métadonnées XMP ; il doit valoir « factur-x.xml » (« xrechnung.xml » pour XRECHNUNG).",
                messageEn: "fx:DocumentFileName is '\(found)' in the XMP metadata; it must be 'factur-x.xml' ('xrechnung.xml' for XRECHNUNG)."))
        } else if let fileName, fileName != container.embeddedName {
            findings.append(.init(
                rule: "BR-HYBRID-14", severity: .warning, code: .fileType,
                message: "fx:DocumentFileName (« \(fileName) ») ne correspond pas au nom du fichier embarqué (« \(container.embeddedName) »).",
                messageEn: "fx:DocumentFileName ('\(fileName)') does not match the embedded file's name ('\(container.embeddedName)')."))
        }
        let knownVersions: Set<String> = ["1.0", "1p0", "2p0", "2p1", "2p2"]
        if let version = xmp.version, knownVersions.contains(version) {
            if version != "1.0" {
                findings.append(.init(
                    rule: "BR-HYBRID-10", severity: .warning, code: .fileType,
                    message: "fx:Version vaut « \(version) » ; Factur-X recommande « 1.0 ».",
                    messageEn: "fx:Version is '\(version)'; Factur-X recommends '1.0'."))
            }
        } else {
            let found = xmp.version ?? "(absent)"
            findings.append(.init(
                rule: "BR-HYBRID-09", severity: .fatal, code: .fileType,
                message: "fx:Version vaut « \(found) » dans les métadonnées XMP ; il doit valoir « 1.0 ».",
                messageEn: "fx:Version is '\(found)' in the XMP metadata; it must be '1.0'."))
        }
        return findings
    }

    /// Rules that depend on the profile the XML declares (BT-24), `level`; nil when the XML
    /// declares no Factur-X profile.
    static func forProfile(_ container: FacturXContainer, level: FacturXLevel?) -> [Finding] {
        guard let level else { return [] }
        var findings: [Finding] = []
        let allowed = level.allowedRelationships.sorted().joined(separator: ", ")
        if let relationship = container.relationship {
            if !level.allowedRelationships.contains(relationship) {
                findings.append(.init(
                    rule: "BR-HYBRID-11", severity: .warning, code: .fileType,
                    message: "Le XML embarqué est rattaché avec AFRelationship /\(relationship) ; pour le profil \(level.rawValue), la spécification attend : \(allowed).",
                    messageEn: "The embedded XML is attached with AFRelationship /\(relationship); for the \(level.rawValue) profile the specification expects: \(allowed)."))
            }
        } else {
            findings.append(.init(
                rule: "BR-HYBRID-11", severity: .warning, code: .fileType,
                message: "La spécification du fichier embarqué n'a pas d'AFRelationship ; pour le profil \(level.rawValue), la spécification attend : \(allowed).",
                messageEn: "The embedded file's specification has no AFRelationship; for the \(level.rawValue) profile the specification expects: \(allowed)."))
        }
        if let declared = container.xmp?.conformanceLevel, let declaredLevel = FacturXLevel(rawValue: declared), declaredLevel != level {
            findings.append(.init(
                rule: "BR-HYBRID-15", severity: .warning, code: .fileType,
                message: "Les métadonnées XMP annoncent le profil \(declared) (fx:ConformanceLevel) mais le XML est au profil \(level.rawValue) (BT-24). Alignez les deux.",
                messageEn: "The XMP metadata announces the \(declared) profile (fx:ConformanceLevel) but the XML is \(level.rawValue) (BT-24). Make them agree."))
        }
        return findings
    }
}

extension FacturXContainer {
    /// The container rules that depend on the XML's profile (BR-HYBRID-11 AFRelationship,
    /// BR-HYBRID-15 XMP level against BT-24): `level` is the profile the XML declares, nil
    /// when it declares none Liasse knows.
    public func profileFindings(level: FacturXLevel?) -> [Finding] {
        ContainerChecks.forProfile(self, level: level)
    }
}

/// Messages for the refusals that stop reading.
enum ContainerMessages {
    static func readError(_ error: PDFReadError) -> Finding {
        switch error {
        case .encrypted:
            return .init(rule: "LIASSE-FX-02", severity: .fatal, code: .fileType,
                         message: "Le PDF est chiffré (protégé par mot de passe, même seulement pour les droits) : un Factur-X est un PDF/A-3, qui interdit le chiffrement. Déposez un PDF sans protection.",
                         messageEn: "The PDF is encrypted (password-protected, even if only for permissions): a Factur-X is a PDF/A-3, which forbids encryption. Send an unprotected PDF.")
        case .damaged(let why):
            return .init(rule: "LIASSE-FX-03", severity: .fatal, code: .fileType,
                         message: "Le PDF est endommagé (table des références croisées ou objet illisible : \(why)). Liasse ne reconstruit pas un PDF abîmé, car deux lecteurs pourraient en tirer des factures différentes. Régénérez le PDF.",
                         messageEn: "The PDF is damaged (cross-reference table or object unreadable: \(why)). Liasse does not rebuild a damaged PDF, since two readers could extract different invoices from it. Generate the PDF again.")
        case .unreadable(let why):
            return .init(rule: "LIASSE-FX-01", severity: .fatal, code: .fileType,
                         message: "Le fichier n'est pas un PDF lisible (\(why)). L'extension et le contenu doivent concorder.",
                         messageEn: "The file is not a readable PDF (\(why)). Extension and content must agree.")
        }
    }

    static func ambiguous(_ names: [String]) -> Finding {
        let list = names.map { "« \($0) »" }.joined(separator: ", ")
        let listEn = names.map { "'\($0)'" }.joined(separator: ", ")
        return .init(rule: "LIASSE-FX-04", severity: .fatal, code: .fileType,
                     message: "Le PDF embarque plusieurs XML de facture (\(list)) : impossible de savoir lequel fait foi. Un Factur-X n'en porte qu'un.",
                     messageEn: "The PDF embeds several invoice XML files (\(listEn)): which one is the invoice is ambiguous. A Factur-X carries exactly one.")
    }

    static func wrongName(_ names: [String]) -> Finding {
        let list = names.map { "« \($0) »" }.joined(separator: ", ")
        let listEn = names.map { "'\($0)'" }.joined(separator: ", ")
        return .init(rule: "BR-HYBRID-13", severity: .fatal, code: .fileType,
                     message: "Le PDF embarque du XML (\(list)) mais aucun fichier nommé « factur-x.xml » (ou « xrechnung.xml ») : ce n'est pas un Factur-X. Renommez le XML embarqué « factur-x.xml ».",
                     messageEn: "The PDF embeds XML (\(listEn)) but no file named 'factur-x.xml' (or 'xrechnung.xml'): it is not a Factur-X. Name the embedded XML 'factur-x.xml'.")
    }

    static func streamFailure(_ failure: FacturXReader.StreamFailure, name: String) -> Finding {
        switch failure {
        case .tooLarge(let limit):
            return .init(rule: "LIASSE-FX-05", severity: .fatal, code: .fileSize,
                         message: "Le XML « \(name) » dépasse \(limit) octets une fois décompressé : refusé (possible bombe de décompression). Une facture XML tient en bien moins.",
                         messageEn: "The XML '\(name)' is larger than \(limit) bytes once inflated: refused (possible decompression bomb). An invoice XML takes far less.")
        case .unsupportedFilter(let filter):
            return .init(rule: "LIASSE-FX-06", severity: .fatal, code: .fileType,
                         message: "Le XML « \(name) » est encodé avec un filtre non accepté (\(filter)) ; seuls /FlateDecode ou l'absence de filtre sont acceptés. Régénérez le PDF avec un outil Factur-X.",
                         messageEn: "The XML '\(name)' is encoded with a filter that is not accepted (\(filter)); only /FlateDecode or no filter are accepted. Generate the PDF again with a Factur-X tool.")
        case .corrupt(let why):
            return .init(rule: "LIASSE-FX-07", severity: .fatal, code: .fileType,
                         message: "Les données compressées du XML « \(name) » sont corrompues (\(why)). Régénérez le PDF.",
                         messageEn: "The compressed data of the XML '\(name)' is corrupt (\(why)). Generate the PDF again.")
        }
    }
}
