/// Messages of the syntax rules (UBL-SR/DT/CR, CII-SR/DT), in French and English.
///
/// Most of the ~1 160 syntax rules say one of four things about one path (it must not be
/// there, at most once, exactly once, it must be there): their text is built from the shape the
/// generator recorded. The others have a hand-written entry in `custom`, and a test checks that
/// every such rule of the tables has one.
enum SyntaxCatalogue {
    static func definition(for assert: SchematronAssert, binding: SchematronTable.Binding) -> RuleDefinition {
        let bt = assert.terms.first { $0.hasPrefix("BT-") } ?? assert.terms.first
        let severity = assert.flag.severity
        if let entry = custom[assert.id] {
            return RuleDefinition(id: assert.id, severity: severity, bt: bt, french: entry.french, english: entry.english)
        }
        let (french, english) = shapedText(assert.shape, severity: severity, binding: binding)
        return RuleDefinition(id: assert.id, severity: severity, bt: bt, french: french, english: english)
    }

    static func shapedText(_ shape: SchematronAssert.Shape, severity: Severity, binding: SchematronTable.Binding) -> (String, String) {
        let syntax = binding == .ubl ? "UBL" : "CII"
        switch shape {
        case .forbidden(let path):
            let (what, whatEn) = describe(path)
            if severity == .fatal {
                return ("\(what) est interdit dans une facture EN 16931 en \(syntax). Retirez-le.",
                        "\(whatEn) is not allowed in an EN 16931 \(syntax) invoice. Remove it.")
            }
            return ("\(what) ne fait pas partie d'EN 16931 en \(syntax) : le destinataire l'ignorera. Retirez-le, ou portez l'information dans un champ prévu par la norme.",
                    "\(whatEn) is not part of EN 16931 in \(syntax): the recipient will ignore it. Remove it, or carry the information in a field the standard provides.")
        case .atMostOnce(let path):
            let (what, whatEn) = describe(path)
            return ("\(what) apparaît plusieurs fois à cet endroit alors qu'EN 16931 n'en admet qu'un. Gardez-en un seul.",
                    "\(whatEn) appears more than once here, but EN 16931 allows one at most. Keep a single one.")
        case .exactlyOne(let path):
            let (what, whatEn) = describe(path)
            return ("\(what) doit figurer exactement une fois à cet endroit. Ajoutez-le s'il manque, supprimez les doublons.",
                    "\(whatEn) must appear exactly once here. Add it if missing, remove any duplicate.")
        case .required(let path):
            let (what, whatEn) = describe(path)
            return ("\(what) est obligatoire à cet endroit. Ajoutez-le.",
                    "\(whatEn) is required here. Add it.")
        case .custom:
            return ("Règle syntaxique \(syntax) non respectée à cet endroit. Comparez l'élément indiqué à la spécification EN 16931 de \(syntax).",
                    "\(syntax) syntax rule not met here. Check the element shown against the EN 16931 \(syntax) binding.")
        }
    }

    /// "L'élément « cac:X/cbc:Y »" / "The element “cac:X/cbc:Y”" (or attribute), saying when
    /// it is searched anywhere in the document.
    private static func describe(_ path: String) -> (String, String) {
        let anywhere = path.hasPrefix("//")
        let trimmed = anywhere ? String(path.dropFirst(2)) : path
        let isAttribute = trimmed.split(separator: "/").last?.hasPrefix("@") ?? false
        let french = (isAttribute ? "L'attribut « \(trimmed) »" : "L'élément « \(trimmed) »") + (anywhere ? " (où qu'il soit dans le document)" : "")
        let english = (isAttribute ? "The attribute “\(trimmed)”" : "The element “\(trimmed)”") + (anywhere ? " (anywhere in the document)" : "")
        return (french, english)
    }

    struct Entry {
        let french: String
        let english: String
    }

    /// Rules whose test is not one of the common shapes.
    static let custom: [String: Entry] = [
        // UBL
        "UBL-SR-51": Entry(french: "Une adresse ne peut porter qu'une ligne d'adresse cac:AddressLine. Regroupez le texte dans une seule ligne.",
                           english: "An address may carry one cac:AddressLine only. Put the text in a single line."),
        "UBL-SR-42": Entry(french: "Le vendeur porte plus de deux cac:PartyTaxScheme : EN 16931 en admet deux au plus (TVA et autre régime fiscal). Retirez les autres.",
                           english: "The seller carries more than two cac:PartyTaxScheme: EN 16931 allows two at most (VAT and one other tax scheme). Remove the others."),
        "UBL-SR-43": Entry(french: "Un document joint avec un schéma d'identifiant (cbc:ID/@schemeID) ou un code de type doit être un objet facturé (code 130), ou, dans un avoir, une facture (code 50). Corrigez cbc:DocumentTypeCode ou retirez le schéma.",
                           english: "An additional document with an identifier scheme (cbc:ID/@schemeID) or a type code must be an invoiced object (code 130) or, in a credit note, an invoice (code 50). Fix cbc:DocumentTypeCode or drop the scheme."),
        "UBL-DT-01": Entry(french: "Un montant porte plus de deux décimales. Arrondissez-le à deux décimales au plus.",
                           english: "An amount has more than two decimals. Round it to two decimals at most."),
        "UBL-SR-53": Entry(french: "Un régime fiscal du vendeur (cac:PartyTaxScheme) doit porter à la fois cbc:CompanyID et cac:TaxScheme/cbc:ID. Complétez-le ou retirez-le.",
                           english: "A seller tax scheme (cac:PartyTaxScheme) must carry both cbc:CompanyID and cac:TaxScheme/cbc:ID. Complete it or remove it."),
        "UBL-CR-002": Entry(french: "cbc:UBLVersionID, s'il est présent, doit valoir 2.1. Corrigez la version ou retirez l'élément.",
                            english: "cbc:UBLVersionID, when present, must be 2.1. Fix the version or remove the element."),
        "UBL-CR-412": Entry(french: "Dans une facture, la date d'échéance se donne en cbc:DueDate, pas dans cac:PaymentMeans/cbc:PaymentDueDate. Déplacez-la.",
                            english: "In an invoice the due date goes in cbc:DueDate, not in cac:PaymentMeans/cbc:PaymentDueDate. Move it."),
        "UBL-CR-665": Entry(french: "Seul un document joint de type objet facturé (code 130) peut porter un schéma d'identifiant (cbc:ID/@schemeID). Retirez l'attribut des autres.",
                            english: "Only an invoiced-object document (type code 130) may carry an identifier scheme (cbc:ID/@schemeID). Remove the attribute from the others."),
        "UBL-CR-666": Entry(french: "Un objet facturé (document joint de code 130) ne peut pas porter de pièce jointe cac:Attachment. Retirez-la ou joignez-la comme document à part.",
                            english: "An invoiced object (additional document with type code 130) may not carry a cac:Attachment. Remove it or attach it as a separate document."),
        "UBL-CR-673": Entry(french: "Un objet facturé (document joint de code 130) ne peut pas porter de description cbc:DocumentDescription. Retirez-la.",
                            english: "An invoiced object (additional document with type code 130) may not carry a cbc:DocumentDescription. Remove it."),
        "UBL-DT-18": Entry(french: "L'attribut name n'est admis que sur cbc:PaymentMeansCode. Retirez-le des autres éléments.",
                           english: "The name attribute is allowed on cbc:PaymentMeansCode only. Remove it from the other elements."),
        "UBL-SR-04": Entry(french: "Un seul identifiant d'objet facturé (document joint de code 130) est admis. Gardez-en un seul.",
                           english: "Only one invoiced object identifier (additional document with type code 130) is allowed. Keep a single one."),
        "UBL-SR-12": Entry(french: "Le vendeur ne peut avoir qu'un numéro de TVA (PartyTaxScheme de régime VAT). Gardez-en un seul.",
                           english: "The seller may have one VAT identifier only (PartyTaxScheme with scheme VAT). Keep a single one."),
        "UBL-SR-13": Entry(french: "Le vendeur ne peut avoir qu'un identifiant fiscal autre que la TVA. Gardez-en un seul.",
                           english: "The seller may have one tax registration identifier other than VAT only. Keep a single one."),
        "UBL-SR-18": Entry(french: "L'acheteur ne peut avoir qu'un numéro de TVA (PartyTaxScheme de régime VAT). Gardez-en un seul.",
                           english: "The buyer may have one VAT identifier only (PartyTaxScheme with scheme VAT). Keep a single one."),
        "UBL-SR-29": Entry(french: "Un seul identifiant de créancier SEPA (schéma SEPA) est admis dans la facture. Gardez-en un seul.",
                           english: "Only one SEPA creditor identifier (scheme SEPA) is allowed in the invoice. Keep a single one."),
        "UBL-SR-44": Entry(french: "Les références de paiement (cbc:PaymentID) doivent toutes être identiques : une facture n'a qu'une référence de paiement. Unifiez-les.",
                           english: "All payment references (cbc:PaymentID) must be the same: an invoice has one remittance reference. Make them identical."),
        "UBL-SR-47": Entry(french: "Les codes de moyen de paiement (cbc:PaymentMeansCode) doivent tous être identiques : une facture n'a qu'un moyen de paiement. Unifiez-les.",
                           english: "All payment means codes (cbc:PaymentMeansCode) must be the same: an invoice has one payment means. Make them identical."),
        "UBL-SR-19": Entry(french: "Le bénéficiaire (cac:PayeeParty) a au plus un nom, et ne doit être donné que s'il diffère du vendeur (nom différent de la raison sociale du vendeur). Corrigez ou retirez cac:PayeeParty.",
                           english: "The payee (cac:PayeeParty) has one name at most and is given only when it differs from the seller (its name must differ from the seller's registration name). Fix or remove cac:PayeeParty."),
        "UBL-SR-20": Entry(french: "Le bénéficiaire a au plus un identifiant (hors SEPA), et ne doit être donné que s'il diffère du vendeur. Corrigez ou retirez cac:PayeeParty.",
                           english: "The payee has one identifier at most (besides SEPA), and is given only when it differs from the seller. Fix or remove cac:PayeeParty."),
        "UBL-SR-21": Entry(french: "Le bénéficiaire a au plus un identifiant légal, et ne doit être donné que s'il diffère du vendeur. Corrigez ou retirez cac:PayeeParty.",
                           english: "The payee has one legal registration identifier at most, and is given only when it differs from the seller. Fix or remove cac:PayeeParty."),
        // CII
        "CII-SR-046": Entry(french: "L'identifiant global de l'article (ram:GlobalID) doit porter son schéma (@schemeID). Ajoutez-le.",
                            english: "The item's global identifier (ram:GlobalID) must carry its scheme (@schemeID). Add it."),
        "CII-SR-090": Entry(french: "Un pays d'origine (ram:OriginTradeCountry) doit porter exactement un code pays ram:ID. Corrigez-le.",
                            english: "A country of origin (ram:OriginTradeCountry) must carry exactly one country code ram:ID. Fix it."),
        "CII-SR-119": Entry(french: "Sur le prix brut, seule une remise (indicateur false) accompagnée de son montant est admise. Retirez les majorations, ou complétez la remise.",
                            english: "On the gross price only an allowance (indicator false) with its amount is allowed. Remove charges, or complete the allowance."),
        "CII-SR-474": Entry(french: "Une ligne ne peut référencer qu'un objet facturé (document de code 130). Gardez-en un seul.",
                            english: "A line may reference one invoiced object (document type 130) only. Keep a single one."),
        "CII-SR-450": Entry(french: "L'acheteur porte à la fois ram:ID et ram:GlobalID : donnez l'un ou l'autre, pas les deux.",
                            english: "The buyer carries both ram:ID and ram:GlobalID: give one or the other, not both."),
        "CII-SR-457": Entry(french: "Une seule facture antérieure (document de code 50) est admise ici. Gardez-en une seule.",
                            english: "Only one preceding invoice (document type 50) is allowed here. Keep a single one."),
        "CII-SR-458": Entry(french: "Un seul objet facturé (document de code 130) est admis ici. Gardez-en un seul.",
                            english: "Only one invoiced object (document type 130) is allowed here. Keep a single one."),
        "CII-SR-465": Entry(french: "Le contact du vendeur porte à la fois un nom de personne et un service : EN 16931 n'a qu'un point de contact (BT-41). Gardez l'un des deux.",
                            english: "The seller contact carries both a person name and a department: EN 16931 has one contact point (BT-41). Keep one of them."),
        "CII-SR-466": Entry(french: "Le contact de l'acheteur porte à la fois un nom de personne et un service : EN 16931 n'a qu'un point de contact (BT-56). Gardez l'un des deux.",
                            english: "The buyer contact carries both a person name and a department: EN 16931 has one contact point (BT-56). Keep one of them."),
        "CII-SR-475": Entry(french: "Un document joint (code 916) ne peut avoir qu'une description ram:Name (BT-123). Gardez-en une seule.",
                            english: "An additional document (type 916) may have one ram:Name description (BT-123) only. Keep a single one."),
        "CII-SR-476": Entry(french: "Un document joint (code 916) ne peut porter qu'une pièce jointe (BT-125). Gardez-en une seule.",
                            english: "An additional document (type 916) may carry one attachment (BT-125) only. Keep a single one."),
        "CII-SR-449": Entry(french: "Le destinataire de la livraison porte à la fois ram:ID et ram:GlobalID : donnez l'un ou l'autre, pas les deux.",
                            english: "The ship-to party carries both ram:ID and ram:GlobalID: give one or the other, not both."),
        "CII-SR-451": Entry(french: "Le bénéficiaire porte à la fois ram:ID et ram:GlobalID : donnez l'un ou l'autre, pas les deux.",
                            english: "The payee carries both ram:ID and ram:GlobalID: give one or the other, not both."),
        "CII-SR-462": Entry(french: "Les codes de date d'exigibilité de la TVA (ram:DueDateTypeCode) diffèrent d'une ventilation à l'autre : une facture n'en a qu'un. Unifiez-les.",
                            english: "The VAT point date codes (ram:DueDateTypeCode) differ between VAT breakdowns: an invoice has one. Make them identical."),
        "CII-SR-470": Entry(french: "Un virement (moyen de paiement 30 ou 58) doit donner le compte du bénéficiaire (IBAN ou identifiant propriétaire, BT-84). Ajoutez-le.",
                            english: "A credit transfer (payment means 30 or 58) must give the payee account (IBAN or proprietary identifier, BT-84). Add it."),
        "CII-SR-467": Entry(french: "Les codes de moyen de paiement (BT-81) doivent tous être identiques. Unifiez-les.",
                            english: "All payment means codes (BT-81) must be the same. Make them identical."),
        "CII-SR-468": Entry(french: "Les libellés de moyen de paiement (BT-82) doivent tous être identiques. Unifiez-les.",
                            english: "All payment means texts (BT-82) must be the same. Make them identical."),
        "CII-DT-015": Entry(french: "Seul un document joint (ram:AdditionalReferencedDocument de code 916) peut porter une adresse ram:URIID. Retirez-la ici.",
                            english: "Only an additional document (ram:AdditionalReferencedDocument with type 916) may carry a ram:URIID. Remove it here."),
        "CII-DT-018": Entry(french: "Seul un ram:AdditionalReferencedDocument peut porter un ram:TypeCode, et celui-ci doit valoir 50, 130 ou 916. Corrigez le code ou retirez-le.",
                            english: "Only a ram:AdditionalReferencedDocument may carry a ram:TypeCode, and it must be 50, 130 or 916. Fix the code or remove it."),
        "CII-DT-021": Entry(french: "Seul un document joint (code 916) peut porter une description ram:Name. Retirez-la ici.",
                            english: "Only an additional document (type 916) may carry a ram:Name. Remove it here."),
        "CII-DT-022": Entry(french: "Seul un document joint (code 916) peut porter une pièce jointe ram:AttachmentBinaryObject. Retirez-la ici.",
                            english: "Only an additional document (type 916) may carry a ram:AttachmentBinaryObject. Remove it here."),
        "CII-DT-024": Entry(french: "Seul un objet facturé (document de code 130) peut porter un ram:ReferenceTypeCode. Retirez-le ici.",
                            english: "Only an invoiced object (document type 130) may carry a ram:ReferenceTypeCode. Remove it here."),
        "CII-DT-027": Entry(french: "Seule une facture antérieure (ram:InvoiceReferencedDocument) peut porter une date ram:FormattedIssueDateTime. Retirez-la ici.",
                            english: "Only a preceding invoice (ram:InvoiceReferencedDocument) may carry a ram:FormattedIssueDateTime. Remove it here."),
        "CII-DT-033": Entry(french: "Une unité de mesure (@unitCode) n'est admise ici que si les quantités facturées des lignes en portent une. Retirez-la ou complétez les lignes.",
                            english: "A unit of measure (@unitCode) is allowed here only when the lines' billed quantities carry one. Remove it or complete the lines."),
        "CII-DT-037": Entry(french: "Le type de taxe (ram:TypeCode) doit valoir VAT. Corrigez-le.",
                            english: "The tax type code (ram:TypeCode) must be VAT. Fix it."),
        "CII-DT-041": Entry(french: "La base d'imposition ram:BasisAmount n'est admise que dans la ventilation de TVA de l'en-tête. Retirez-la ici.",
                            english: "The tax basis ram:BasisAmount is allowed in the header VAT breakdown only. Remove it here."),
        "CII-DT-052": Entry(french: "Le code de motif d'exonération n'est admis que dans ram:ApplicableTradeTax. Retirez-le ici.",
                            english: "The exemption reason code is allowed in ram:ApplicableTradeTax only. Remove it here."),
        "CII-DT-098": Entry(french: "Le motif d'exonération n'est admis que dans ram:ApplicableTradeTax. Retirez-le ici.",
                            english: "The exemption reason text is allowed in ram:ApplicableTradeTax only. Remove it here."),
        "CII-DT-054": Entry(french: "La date d'exigibilité de la TVA (ram:TaxPointDate) n'est admise que dans la ventilation de TVA de l'en-tête. Retirez-la ici.",
                            english: "The VAT point date (ram:TaxPointDate) is allowed in the header VAT breakdown only. Remove it here."),
        "CII-DT-058": Entry(french: "Le code de date d'exigibilité (ram:DueDateTypeCode) n'est admis que dans la ventilation de TVA de l'en-tête. Retirez-le ici.",
                            english: "The VAT point date code (ram:DueDateTypeCode) is allowed in the header VAT breakdown only. Remove it here."),
        "CII-DT-097": Entry(french: "Une date au format 102 doit s'écrire AAAAMMJJ avec un mois et un jour valides (par exemple 20250131). Corrigez-la.",
                            english: "A date in format 102 must read YYYYMMDD with a valid month and day (for example 20250131). Fix it."),
    ]
}
