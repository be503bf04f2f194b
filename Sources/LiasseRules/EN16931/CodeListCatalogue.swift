/// Messages of the code-list rules (BR-CL-*), in French and English: which value is not in
/// which list, and what to put instead. All BR-CL rules are fatal in release 1.3.16; the
/// severity comes from the table, the wording from here.
enum CodeListCatalogue {
    struct Entry {
        let bt: String?
        let french: String
        let english: String
    }

    static func definition(for id: String, binding: SchematronTable.Binding) -> RuleDefinition {
        let severity: Severity = CodeLists.byRule[id]?.flag == .warning ? .warning : .fatal
        guard let entry = entries[id] else {
            return RuleDefinition(id: id, severity: severity,
                                  french: "Code absent de la liste attendue par EN 16931 (\(id)). Utilisez un code de la liste officielle.",
                                  english: "Code not in the list EN 16931 expects (\(id)). Use a code of the official list.")
        }
        return RuleDefinition(id: id, severity: severity, bt: entry.bt, french: entry.french, english: entry.english)
    }

    static let entries: [String: Entry] = [
        "BR-CL-01": Entry(bt: "BT-3",
                          french: "Le code de type de facture (BT-3) n'est pas un code UNTDID 1001 admis pour ce document. Utilisez par exemple 380 (facture) ou 381 (avoir).",
                          english: "The invoice type code (BT-3) is not a UNTDID 1001 code accepted for this document. Use for example 380 (invoice) or 381 (credit note)."),
        "BR-CL-03": Entry(bt: nil,
                          french: "La devise d'un montant (@currencyID) n'est pas un code ISO 4217 (par exemple EUR). Corrigez-la.",
                          english: "The currency of an amount (@currencyID) is not an ISO 4217 code (for example EUR). Fix it."),
        "BR-CL-04": Entry(bt: "BT-5",
                          french: "La devise de la facture (BT-5) n'est pas un code ISO 4217 (par exemple EUR). Corrigez-la.",
                          english: "The invoice currency code (BT-5) is not an ISO 4217 code (for example EUR). Fix it."),
        "BR-CL-05": Entry(bt: "BT-6",
                          french: "La devise de comptabilisation de la TVA (BT-6) n'est pas un code ISO 4217. Corrigez-la.",
                          english: "The VAT accounting currency code (BT-6) is not an ISO 4217 code. Fix it."),
        "BR-CL-06": Entry(bt: "BT-8",
                          french: "Le code de date d'exigibilité de la TVA (BT-8) n'est pas admis : utilisez 3, 35 ou 432 en UBL, 5, 29 ou 72 en CII.",
                          english: "The VAT point date code (BT-8) is not accepted: use 3, 35 or 432 in UBL, 5, 29 or 72 in CII."),
        "BR-CL-07": Entry(bt: "BT-18",
                          french: "Le schéma de l'identifiant d'objet facturé (BT-18) n'est pas un code UNTDID 1153. Corrigez-le.",
                          english: "The scheme of the invoiced object identifier (BT-18) is not a UNTDID 1153 code. Fix it."),
        "BR-CL-08": Entry(bt: "BT-21",
                          french: "Le code sujet de la note (BT-21) n'est pas un code UNTDID 4451 (en UBL, le code est écrit entre deux # au début de la note, par exemple #AAI#texte). Corrigez-le.",
                          english: "The invoice note subject code (BT-21) is not a UNTDID 4451 code (in UBL the code is written between two # at the start of the note, for example #AAI#text). Fix it."),
        "BR-CL-10": Entry(bt: nil,
                          french: "Le schéma d'un identifiant de partie (@schemeID) n'est pas un code ISO 6523 ICD (SEPA n'est admis que pour le vendeur ou le bénéficiaire). Corrigez-le.",
                          english: "The scheme of a party identifier (@schemeID) is not an ISO 6523 ICD code (SEPA is accepted for the seller or payee only). Fix it."),
        "BR-CL-11": Entry(bt: nil,
                          french: "Le schéma d'un identifiant légal (@schemeID) n'est pas un code ISO 6523 ICD (par exemple 0002 pour un SIREN). Corrigez-le.",
                          english: "The scheme of a legal registration identifier (@schemeID) is not an ISO 6523 ICD code (for example 0002 for a SIREN). Fix it."),
        "BR-CL-13": Entry(bt: "BT-158",
                          french: "Le schéma de classification de l'article (BT-158, @listID) n'est pas un code UNTDID 7143. Corrigez-le.",
                          english: "The item classification scheme (BT-158, @listID) is not a UNTDID 7143 code. Fix it."),
        "BR-CL-14": Entry(bt: nil,
                          french: "Un code pays n'est pas un code ISO 3166-1 alpha-2 (par exemple FR). Corrigez-le.",
                          english: "A country code is not an ISO 3166-1 alpha-2 code (for example FR). Fix it."),
        "BR-CL-15": Entry(bt: "BT-159",
                          french: "Le pays d'origine de l'article (BT-159) n'est pas un code ISO 3166-1 alpha-2. Corrigez-le.",
                          english: "The item country of origin (BT-159) is not an ISO 3166-1 alpha-2 code. Fix it."),
        "BR-CL-16": Entry(bt: "BT-81",
                          french: "Le code de moyen de paiement (BT-81) n'est pas un code UNTDID 4461 (par exemple 30 ou 58 pour un virement). Corrigez-le.",
                          english: "The payment means code (BT-81) is not a UNTDID 4461 code (for example 30 or 58 for a credit transfer). Fix it."),
        "BR-CL-17": Entry(bt: nil,
                          french: "Un code de catégorie de TVA n'est pas un code UNTDID 5305 admis (S, Z, E, AE, K, G, O, L, M, B). Corrigez-le.",
                          english: "A VAT category code is not an accepted UNTDID 5305 code (S, Z, E, AE, K, G, O, L, M, B). Fix it."),
        "BR-CL-18": Entry(bt: "BT-151",
                          french: "Le code de catégorie de TVA de l'article (BT-151) n'est pas un code UNTDID 5305 admis (S, Z, E, AE, K, G, O, L, M, B). Corrigez-le.",
                          english: "The invoiced item VAT category code (BT-151) is not an accepted UNTDID 5305 code (S, Z, E, AE, K, G, O, L, M, B). Fix it."),
        "BR-CL-19": Entry(bt: nil,
                          french: "Le code de motif d'une remise n'est pas un code UNTDID 5189 admis. Corrigez-le, ou donnez le motif en texte seulement.",
                          english: "An allowance reason code is not an accepted UNTDID 5189 code. Fix it, or give the reason as text only."),
        "BR-CL-20": Entry(bt: nil,
                          french: "Le code de motif d'une majoration n'est pas un code UNTDID 7161. Corrigez-le, ou donnez le motif en texte seulement.",
                          english: "A charge reason code is not a UNTDID 7161 code. Fix it, or give the reason as text only."),
        "BR-CL-21": Entry(bt: "BT-157",
                          french: "Le schéma de l'identifiant standard de l'article (BT-157, @schemeID) n'est pas un code ISO 6523 ICD (par exemple 0160 pour un GTIN). Corrigez-le.",
                          english: "The item standard identifier scheme (BT-157, @schemeID) is not an ISO 6523 ICD code (for example 0160 for a GTIN). Fix it."),
        "BR-CL-22": Entry(bt: "BT-121",
                          french: "Le code de motif d'exonération de TVA (BT-121) n'est pas un code VATEX. Corrigez-le (par exemple VATEX-EU-IC).",
                          english: "The VAT exemption reason code (BT-121) is not a VATEX code. Fix it (for example VATEX-EU-IC)."),
        "BR-CL-23": Entry(bt: nil,
                          french: "L'unité de mesure (@unitCode) n'est pas un code des recommandations 20 et 21 de l'UN/ECE (par exemple C62 pour une unité). Corrigez-la.",
                          english: "The unit of measure (@unitCode) is not a UN/ECE Recommendation 20/21 code (for example C62 for one unit). Fix it."),
        "BR-CL-24": Entry(bt: "BT-125",
                          french: "Le type MIME de la pièce jointe (BT-125, @mimeCode) n'est pas admis : application/pdf, image/png, image/jpeg, text/csv, tableur xlsx ou ods. Convertissez la pièce jointe.",
                          english: "The attachment MIME type (BT-125, @mimeCode) is not accepted: application/pdf, image/png, image/jpeg, text/csv, xlsx or ods spreadsheet. Convert the attachment."),
        "BR-CL-25": Entry(bt: nil,
                          french: "Le schéma d'une adresse électronique (BT-34 ou BT-49, @schemeID) n'est pas un code EAS (par exemple 0009 pour un SIRET, 0225 pour l'annuaire français). Corrigez-le.",
                          english: "The scheme of an electronic address (BT-34 or BT-49, @schemeID) is not an EAS code (for example 0009 for a SIRET, 0225 for the French directory). Fix it."),
        "BR-CL-26": Entry(bt: "BT-71",
                          french: "Le schéma de l'identifiant du lieu de livraison (BT-71, @schemeID) n'est pas un code ISO 6523 ICD. Corrigez-le.",
                          english: "The deliver-to location identifier scheme (BT-71, @schemeID) is not an ISO 6523 ICD code. Fix it."),
    ]
}
