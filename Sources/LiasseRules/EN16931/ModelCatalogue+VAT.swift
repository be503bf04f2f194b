/// Messages of the VAT-category families: the nine families share the same ten rules, so
/// their messages are built from the category's name and what it allows.
extension ModelCatalogue {
    private struct Family {
        let prefix: String
        let code: String
        let french: String
        let english: String
        /// What the rate must be, as a clause (`"doit être supérieur à zéro"`).
        let rateFrench: String
        let rateEnglish: String
        /// Which VAT identifiers the category needs.
        let identifiersFrench: String
        let identifiersEnglish: String
        /// Whether the breakdown must give an exemption reason (true) or must not (false).
        let needsReason: Bool
        /// Whether the taxable amount is compared per rate.
        let perRate: Bool
        /// Whether the tax amount is the base times the rate (else zero).
        let taxed: Bool
    }

    private static let sellerIDsFrench = "le numéro de TVA du vendeur (BT-31), son identifiant fiscal (BT-32) ou celui de son représentant fiscal (BT-63)"
    private static let sellerIDsEnglish = "the seller's VAT identifier (BT-31), tax registration identifier (BT-32) or tax representative's VAT identifier (BT-63)"

    private static let families: [Family] = [
        Family(prefix: "BR-S", code: "S", french: "taux normal", english: "standard rated",
               rateFrench: "doit être supérieur à zéro", rateEnglish: "must be greater than zero",
               identifiersFrench: sellerIDsFrench, identifiersEnglish: sellerIDsEnglish,
               needsReason: false, perRate: true, taxed: true),
        Family(prefix: "BR-Z", code: "Z", french: "taux zéro", english: "zero rated",
               rateFrench: "doit valoir 0", rateEnglish: "must be 0",
               identifiersFrench: sellerIDsFrench, identifiersEnglish: sellerIDsEnglish,
               needsReason: false, perRate: false, taxed: false),
        Family(prefix: "BR-E", code: "E", french: "exonérée", english: "exempt from VAT",
               rateFrench: "doit valoir 0", rateEnglish: "must be 0",
               identifiersFrench: sellerIDsFrench, identifiersEnglish: sellerIDsEnglish,
               needsReason: true, perRate: false, taxed: false),
        Family(prefix: "BR-AE", code: "AE", french: "autoliquidation", english: "reverse charge",
               rateFrench: "doit valoir 0", rateEnglish: "must be 0",
               identifiersFrench: sellerIDsFrench + ", et le numéro de TVA (BT-48) ou l'immatriculation (BT-47) de l'acheteur",
               identifiersEnglish: sellerIDsEnglish + ", and the buyer's VAT identifier (BT-48) or legal registration (BT-47)",
               needsReason: true, perRate: false, taxed: false),
        Family(prefix: "BR-IC", code: "K", french: "livraison intracommunautaire", english: "intra-community supply",
               rateFrench: "doit valoir 0", rateEnglish: "must be 0",
               identifiersFrench: "le numéro de TVA du vendeur (BT-31) ou de son représentant fiscal (BT-63), et celui de l'acheteur (BT-48)",
               identifiersEnglish: "the VAT identifier of the seller (BT-31) or of its tax representative (BT-63), and the buyer's (BT-48)",
               needsReason: true, perRate: false, taxed: false),
        Family(prefix: "BR-G", code: "G", french: "exportation hors UE", english: "export outside the EU",
               rateFrench: "doit valoir 0", rateEnglish: "must be 0",
               identifiersFrench: "le numéro de TVA du vendeur (BT-31) ou de son représentant fiscal (BT-63)",
               identifiersEnglish: "the VAT identifier of the seller (BT-31) or of its tax representative (BT-63)",
               needsReason: true, perRate: false, taxed: false),
        Family(prefix: "BR-O", code: "O", french: "hors champ de la TVA", english: "not subject to VAT",
               rateFrench: "ne doit pas être indiqué", rateEnglish: "must not be given",
               identifiersFrench: "l'absence de tout numéro de TVA du vendeur (BT-31), de son représentant (BT-63) et de l'acheteur (BT-48)",
               identifiersEnglish: "that no VAT identifier of the seller (BT-31), its representative (BT-63) or the buyer (BT-48) is given",
               needsReason: true, perRate: false, taxed: false),
        Family(prefix: "BR-AF", code: "L", french: "IGIC (îles Canaries)", english: "IGIC (Canary Islands)",
               rateFrench: "doit être positif", rateEnglish: "must be positive",
               identifiersFrench: sellerIDsFrench, identifiersEnglish: sellerIDsEnglish,
               needsReason: false, perRate: true, taxed: true),
        Family(prefix: "BR-AG", code: "M", french: "IPSI (Ceuta et Melilla)", english: "IPSI (Ceuta and Melilla)",
               rateFrench: "doit être positif ou nul", rateEnglish: "must be zero or more",
               identifiersFrench: sellerIDsFrench, identifiersEnglish: sellerIDsEnglish,
               needsReason: false, perRate: true, taxed: true),
    ]

    /// The category code and rule prefix of each family (`K` is `BR-IC`), in the standard's order.
    static let vatFamilyCodes: [(code: String, prefix: String)] = families.map { ($0.code, $0.prefix) }

    static let vatFamilies: [RuleDefinition] = families.flatMap(definitions) + [
        rule("BR-IC-11", "BT-72", "Une livraison intracommunautaire (catégorie K) exige la date de livraison effective (BT-72) ou la période de facturation (BG-14) : indiquez l'une ou l'autre.",
             "An intra-community supply (category K) needs the actual delivery date (BT-72) or the invoicing period (BG-14): give one of them."),
        rule("BR-IC-12", "BT-80", "Une livraison intracommunautaire (catégorie K) exige le pays de livraison (BT-80) : indiquez-le dans l'adresse de livraison.",
             "An intra-community supply (category K) needs the deliver-to country code (BT-80): give it in the delivery address."),
        rule("BR-O-11", "BT-118", "Une facture hors champ de la TVA (catégorie O) ne peut pas avoir de ventilation dans une autre catégorie : faites des factures séparées.",
             "An invoice with a 'not subject to VAT' breakdown (category O) cannot have breakdowns in other categories: issue separate invoices."),
        rule("BR-O-12", "BT-151", "Une facture hors champ de la TVA (catégorie O) ne peut pas avoir de ligne dans une autre catégorie : faites des factures séparées.",
             "An invoice with a 'not subject to VAT' breakdown (category O) cannot have lines in other categories: issue separate invoices."),
        rule("BR-O-13", "BT-95", "Une facture hors champ de la TVA (catégorie O) ne peut pas avoir de remise dans une autre catégorie : passez la remise en catégorie O.",
             "An invoice with a 'not subject to VAT' breakdown (category O) cannot have allowances in other categories: put the allowance in category O."),
        rule("BR-O-14", "BT-102", "Une facture hors champ de la TVA (catégorie O) ne peut pas avoir de charge dans une autre catégorie : passez la charge en catégorie O.",
             "An invoice with a 'not subject to VAT' breakdown (category O) cannot have charges in other categories: put the charge in category O."),
        rule("BR-B-01", "BT-118", "La catégorie B (TVA à paiement scindé) n'est admise que si toutes les adresses sont en Italie (IT) : retirez-la ou corrigez la catégorie.",
             "Category B (split payment VAT) is only allowed when every address is in Italy (IT): remove it or correct the category."),
        rule("BR-B-02", "BT-118", "La catégorie B (TVA à paiement scindé) ne peut pas être mêlée à la catégorie S dans une même facture : faites des factures séparées.",
             "Category B (split payment VAT) cannot be mixed with category S in one invoice: issue separate invoices."),
    ]

    private static func definitions(_ f: Family) -> [RuleDefinition] {
        let catFR = "la catégorie \(f.code) (\(f.french))"
        let catEN = "category \(f.code) (\(f.english))"
        let Cat = "La catégorie \(f.code) (\(f.french))"
        let rateScope = f.perRate ? " et du même taux" : ""
        let rateScopeEN = f.perRate ? " and rate" : ""
        return [
            rule("\(f.prefix)-01", "BT-118",
                 "\(Cat) figure sur une ligne, une remise ou une charge sans ventilation de TVA (BG-23) correspondante, ou la ventilation est en trop ou en double : ayez exactement une ventilation par catégorie employée.",
                 "\(catEN.prefix(1).uppercased())\(catEN.dropFirst()) appears on a line, allowance or charge without a matching VAT breakdown (BG-23), or the breakdown is extra or repeated: have exactly one breakdown per category used."),
            rule("\(f.prefix)-02", "BT-31",
                 "Une ligne en \(catFR) exige \(f.identifiersFrench) : complétez les identifiants.",
                 "A line in \(catEN) requires \(f.identifiersEnglish): complete the identifiers."),
            rule("\(f.prefix)-03", "BT-31",
                 "Une remise au niveau document en \(catFR) exige \(f.identifiersFrench) : complétez les identifiants.",
                 "A document level allowance in \(catEN) requires \(f.identifiersEnglish): complete the identifiers."),
            rule("\(f.prefix)-04", "BT-31",
                 "Une charge au niveau document en \(catFR) exige \(f.identifiersFrench) : complétez les identifiants.",
                 "A document level charge in \(catEN) requires \(f.identifiersEnglish): complete the identifiers."),
            rule("\(f.prefix)-05", "BT-152",
                 "Le taux de TVA d'une ligne en \(catFR) (BT-152) \(f.rateFrench) : corrigez le taux ou la catégorie.",
                 "The VAT rate of a line in \(catEN) (BT-152) \(f.rateEnglish): correct the rate or the category."),
            rule("\(f.prefix)-06", "BT-96",
                 "Le taux de TVA d'une remise en \(catFR) (BT-96) \(f.rateFrench) : corrigez le taux ou la catégorie.",
                 "The VAT rate of an allowance in \(catEN) (BT-96) \(f.rateEnglish): correct the rate or the category."),
            rule("\(f.prefix)-07", "BT-103",
                 "Le taux de TVA d'une charge en \(catFR) (BT-103) \(f.rateFrench) : corrigez le taux ou la catégorie.",
                 "The VAT rate of a charge in \(catEN) (BT-103) \(f.rateEnglish): correct the rate or the category."),
            rule("\(f.prefix)-08", "BT-116",
                 "La base imposable de \(catFR) (BT-116) ne correspond pas aux montants nets des lignes, plus les charges, moins les remises de cette catégorie\(rateScope) : recalculez-la.",
                 "The taxable amount of \(catEN) (BT-116) does not match the line net amounts plus charges minus allowances of that category\(rateScopeEN): recompute it."),
            f.taxed
                ? rule("\(f.prefix)-09", "BT-117",
                       "Le montant de TVA de \(catFR) (BT-117) n'est pas la base (BT-116) multipliée par le taux (BT-119), à une unité près : recalculez-le.",
                       "The VAT amount of \(catEN) (BT-117) is not the taxable amount (BT-116) times the rate (BT-119), within one unit: recompute it.")
                : rule("\(f.prefix)-09", "BT-117",
                       "Le montant de TVA de \(catFR) (BT-117) doit être nul : mettez 0.",
                       "The VAT amount of \(catEN) (BT-117) must be zero: write 0."),
            f.needsReason
                ? rule("\(f.prefix)-10", "BT-120",
                       "La ventilation en \(catFR) doit donner le motif d'exonération (BT-120) ou son code (BT-121) : indiquez-le, par exemple la mention légale applicable.",
                       "The breakdown in \(catEN) must give an exemption reason (BT-120) or its code (BT-121): give it, e.g. the applicable legal mention.")
                : rule("\(f.prefix)-10", "BT-120",
                       "La ventilation en \(catFR) ne doit pas porter de motif d'exonération (BT-120, BT-121) : retirez-le, ou changez de catégorie si l'opération est exonérée.",
                       "The breakdown in \(catEN) must not carry an exemption reason (BT-120, BT-121): remove it, or change the category if the supply is exempt."),
        ]
    }
}
