import LiasseInvoice

/// The messages of the Chorus Pro deposit rules, in French and English: the rule, what is
/// wrong, where (BT and path), and what to change.
enum ChorusFindings {
    enum Role {
        case supplier, recipient

        var french: String { self == .supplier ? "du fournisseur" : "du destinataire" }
        var english: String { self == .supplier ? "supplier" : "recipient" }
        var legalBT: String { self == .supplier ? "BT-30" : "BT-47" }
        var code: ReasonCode { self == .supplier ? .coherence : .addressing }
        var rule: String { self == .supplier ? "LIASSE-CPP-05" : "LIASSE-CPP-06" }
    }

    static func finding(_ rule: String, _ code: ReasonCode, _ fr: String, _ en: String, bt: String?,
                        _ location: SourceLocation?) -> Finding {
        Finding(rule: rule, severity: .fatal, code: code, message: fr, messageEn: en, bt: bt,
                path: location?.path, line: location.flatMap { $0.line > 0 ? $0.line : nil })
    }

    static func cadreMissing() -> Finding {
        finding("LIASSE-CPP-01", .coherence,
                "Le cadre de facturation (BT-23) est absent et ce dépôt n'a pas de cadre par défaut. Indiquez-le (A1 pour une facture de fournisseur, A2 pour une facture déjà payée…) dans BT-23.",
                "The billing framework (cadre de facturation, BT-23) is missing and this inbox has no default. Write it in BT-23 (A1 for a supplier's invoice, A2 for an invoice already paid…).",
                bt: "BT-23", nil)
    }

    static func cadreNotAccepted(_ text: Text) -> Finding {
        let value = text.value
        let why: (String, String)
        if value == "A11" {
            why = ("le cadre A11 n'existe pas", "there is no A11")
        } else if CadreDeFacturation.isReformCode(value) {
            why = ("les codes de la réforme B2B (B1, S1, M1…) ne sont pas acceptés pour le secteur public",
                   "the B2B reform's codes (B1, S1, M1…) are not accepted for the public sector")
        } else {
            why = ("ce n'est pas un code de cadre de facturation", "it is not a billing framework code")
        }
        return finding("LIASSE-CPP-02", .coherence,
                       "Cadre de facturation « \(value) » (BT-23) refusé : \(why.0). Valeurs acceptées : A1 à A10 et A12 à A25 (A1 pour une facture de fournisseur).",
                       "Billing framework '\(value)' (BT-23) refused: \(why.1). Accepted values: A1 to A10 and A12 to A25 (A1 for a supplier's invoice).",
                       bt: "BT-23", text.location)
    }

    static func alreadyPaidWithAmountDue(_ due: Amount) -> Finding {
        finding("LIASSE-CPP-03", .coherence,
                "Le cadre A2 (facture déjà payée) exige un montant à payer (BT-115) nul ; il vaut \(due.text.value). Mettez BT-115 à 0 en portant le paiement dans BT-113, ou choisissez le cadre A1.",
                "Billing framework A2 (invoice already paid) requires a zero amount due (BT-115); it is \(due.text.value). Set BT-115 to 0 by recording the payment in BT-113, or use framework A1.",
                bt: "BT-115", due.location)
    }

    static func invoiceNumberFormat(_ number: Text, tooLong: Bool) -> Finding {
        let fr = tooLong ? "dépasse 20 caractères" : "contient des caractères refusés"
        let en = tooLong ? "is longer than 20 characters" : "contains characters that are refused"
        return finding("LIASSE-CPP-04", .coherence,
                       "Le numéro de facture « \(number.value) » (BT-1) \(fr). Chorus Pro accepte au plus 20 caractères parmi les lettres sans accent, les chiffres, l'espace et + _ / -. Renumérotez la facture.",
                       "Invoice number '\(number.value)' (BT-1) \(en). Chorus Pro accepts at most 20 characters among unaccented letters, digits, space and + _ / -. Renumber the invoice.",
                       bt: "BT-1", number.location)
    }

    static func siretMissing(party: Role, location: SourceLocation?) -> Finding {
        let foreign = party == .supplier ? " (un fournisseur étranger s'identifie par son numéro de TVA intracommunautaire, BT-31)" : ""
        let foreignEn = party == .supplier ? " (a foreign supplier is identified by its intra-EU VAT number, BT-31)" : ""
        return finding(party.rule, party.code,
                       "Le SIRET \(party.french) est absent. Indiquez-le dans \(party.legalBT) avec le schéma 0009 (14 chiffres)\(foreign).",
                       "The \(party.english)'s SIRET is missing. Write it in \(party.legalBT) with scheme 0009 (14 digits)\(foreignEn).",
                       bt: party.legalBT, location)
    }

    static func sirenInsteadOfSIRET(_ id: PartyIdentification, party: Role) -> Finding {
        finding(party.rule, party.code,
                "« \(id.value) » (\(id.bt)) est un SIREN (9 chiffres) : Chorus Pro identifie les structures par le SIRET de l'établissement (14 chiffres, SIREN + NIC). Indiquez le SIRET \(party.french) avec le schéma 0009.",
                "'\(id.value)' (\(id.bt)) is a SIREN (9 digits): Chorus Pro identifies structures by the establishment's SIRET (14 digits, SIREN + NIC). Write the \(party.english)'s SIRET with scheme 0009.",
                bt: id.bt, id.location)
    }

    static func badSIRET(_ id: PartyIdentification, problem: SIRET.Problem, party: Role) -> Finding {
        let (fr, en): (String, String)
        switch problem {
        case .notFourteenDigits, .sirenOnly:
            (fr, en) = ("n'est pas composé de 14 chiffres", "is not 14 digits")
        case .sirenChecksum:
            (fr, en) = ("a une clé SIREN fausse (somme de Luhn des 9 premiers chiffres)", "has a wrong SIREN key (Luhn sum of the first 9 digits)")
        case .siretChecksum:
            (fr, en) = ("a une clé fausse (somme de Luhn des 14 chiffres)", "has a wrong key (Luhn sum of the 14 digits)")
        case .laPosteChecksum:
            (fr, en) = ("est un SIRET de La Poste dont la somme des chiffres n'est pas un multiple de 5", "is a La Poste SIRET whose digit sum is not a multiple of 5")
        }
        return finding(party.rule, party.code,
                       "Le SIRET \(party.french) « \(id.value) » (\(id.bt)) \(fr) : il y a probablement une faute de frappe. Vérifiez-le sur l'annuaire des entreprises et corrigez-le.",
                       "The \(party.english)'s SIRET '\(id.value)' (\(id.bt)) \(en): probably a typing error. Check it in the company register and correct it.",
                       bt: id.bt, id.location)
    }

    static func recipientUnknown(_ id: PartyIdentification) -> Finding {
        finding("LIASSE-CPP-07", .addressing,
                "Le destinataire \(id.value) (\(id.bt)) n'est pas dans l'annuaire des structures publiques : la facture ne peut être acheminée. Vérifiez le SIRET du destinataire sur son bon de commande ; s'il est juste, faites mettre l'annuaire à jour (liasse directory import).",
                "Recipient \(id.value) (\(id.bt)) is not in the directory of public structures: the invoice cannot be routed. Check the recipient's SIRET on its purchase order; if it is right, have the directory updated (liasse directory import).",
                bt: id.bt, id.location)
    }

    static func recipientInactive(_ recipient: Recipient, _ id: PartyIdentification) -> Finding {
        finding("LIASSE-CPP-08", .addressing,
                "Le destinataire \(recipient.siret) « \(recipient.name) » (\(id.bt)) est inactif dans l'annuaire : il ne reçoit plus de factures. Demandez à votre client le SIRET de la structure qui le remplace.",
                "Recipient \(recipient.siret) '\(recipient.name)' (\(id.bt)) is inactive in the directory: it no longer receives invoices. Ask your customer for the SIRET of the structure that replaces it.",
                bt: id.bt, id.location)
    }

    static func serviceList(_ recipient: Recipient) -> String {
        let active = recipient.services.filter(\.active).map(\.code)
        return active.isEmpty ? "aucun / none" : active.joined(separator: ", ")
    }

    static func serviceMissing(recipient: Recipient) -> Finding {
        finding("LIASSE-CPP-09", .addressing,
                "\(recipient.name) (\(recipient.siret)) exige un code service : indiquez-le dans la référence acheteur (BT-10). Services actifs : \(serviceList(recipient)).",
                "\(recipient.name) (\(recipient.siret)) requires a service code: write it in the buyer reference (BT-10). Active services: \(serviceList(recipient)).",
                bt: "BT-10", nil)
    }

    static func serviceUnknown(_ code: Text, recipient: Recipient) -> Finding {
        finding("LIASSE-CPP-10", .addressing,
                "Le code service « \(code.value) » (BT-10) n'existe pas chez \(recipient.name) (\(recipient.siret)). Services actifs : \(serviceList(recipient)). Corrigez BT-10 avec le code donné sur le bon de commande.",
                "Service code '\(code.value)' (BT-10) does not exist at \(recipient.name) (\(recipient.siret)). Active services: \(serviceList(recipient)). Correct BT-10 with the code given on the purchase order.",
                bt: "BT-10", code.location)
    }

    static func serviceInactive(_ service: RecipientService, recipient: Recipient, text: Text) -> Finding {
        finding("LIASSE-CPP-11", .addressing,
                "Le service « \(service.code) » (\(service.name)) de \(recipient.name) est inactif (BT-10) : il ne reçoit plus de factures. Services actifs : \(serviceList(recipient)).",
                "Service '\(service.code)' (\(service.name)) of \(recipient.name) is inactive (BT-10): it no longer receives invoices. Active services: \(serviceList(recipient)).",
                bt: "BT-10", text.location)
    }

    static func engagementMissing(recipient: Recipient, service: RecipientService?) -> Finding {
        let who = service.map { "le service « \($0.code) » de \(recipient.name)" } ?? "\(recipient.name) (\(recipient.siret))"
        let whoEn = service.map { "service '\($0.code)' of \(recipient.name)" } ?? "\(recipient.name) (\(recipient.siret))"
        return finding("LIASSE-CPP-12", .b2g,
                       "\(who.prefix(1).uppercased() + who.dropFirst()) exige un numéro d'engagement : indiquez dans la référence de commande (BT-13) le numéro figurant sur le bon de commande.",
                       "\(whoEn.prefix(1).uppercased() + whoEn.dropFirst()) requires an engagement number: write the number given on the purchase order in the order reference (BT-13).",
                       bt: "BT-13", nil)
    }

    static func engagementTooLong(_ text: Text) -> Finding {
        finding("LIASSE-CPP-13", .b2g,
                "Le numéro d'engagement (BT-13) fait \(text.value.count) caractères ; Chorus Pro en accepte au plus 50. Reprenez-le tel qu'il figure sur le bon de commande.",
                "The engagement number (BT-13) is \(text.value.count) characters long; Chorus Pro accepts at most 50. Copy it as written on the purchase order.",
                bt: "BT-13", text.location)
    }

    static func serviceOrEngagementMissing(recipient: Recipient) -> Finding {
        finding("LIASSE-CPP-14", .addressing,
                "\(recipient.name) (\(recipient.siret)) exige un code service (BT-10) ou un numéro d'engagement (BT-13) ; la facture n'a ni l'un ni l'autre. Indiquez au moins l'un des deux.",
                "\(recipient.name) (\(recipient.siret)) requires a service code (BT-10) or an engagement number (BT-13); the invoice has neither. Give at least one of them.",
                bt: "BT-10", nil)
    }

    static func currency(_ text: Text?) -> Finding {
        let value = text?.value ?? ""
        return finding("LIASSE-CPP-15", .coherence,
                       "La devise « \(value) » (BT-5) n'est pas acceptée : une facture au secteur public est en euros (EUR), ou porte l'EUR comme devise de comptabilisation de la TVA (BT-6).",
                       "Currency '\(value)' (BT-5) is not accepted: an invoice to the public sector is in euros (EUR), or gives EUR as its VAT accounting currency (BT-6).",
                       bt: "BT-5", text?.location)
    }

    static func paymentMeansMissing(_ location: SourceLocation?) -> Finding {
        finding("LIASSE-CPP-16", .coherence,
                "Le moyen de paiement (BT-81) est absent. Indiquez-le : 30 ou 58 pour un virement (avec l'IBAN en BT-84), 49 pour un prélèvement, 48 pour une carte…",
                "The payment means (BT-81) is missing. Give it: 30 or 58 for a credit transfer (with the IBAN in BT-84), 49 for a direct debit, 48 for a card…",
                bt: "BT-81", location)
    }

    static func paymentMeansNotAccepted(_ code: Text) -> Finding {
        finding("LIASSE-CPP-17", .coherence,
                "Le moyen de paiement « \(code.value) » (BT-81) n'est pas accepté. Codes acceptés : 01, 10, 20, 30, 31, 42, 48, 49, 58, 59, 97.",
                "Payment means '\(code.value)' (BT-81) is not accepted. Accepted codes: 01, 10, 20, 30, 31, 42, 48, 49, 58, 59, 97.",
                bt: "BT-81", code.location)
    }

    static func ibanMissing(code: Text, location: SourceLocation) -> Finding {
        finding("LIASSE-CPP-18", .coherence,
                "Le moyen de paiement \(code.value) (virement, BT-81) exige l'IBAN du compte à créditer (BT-84). Indiquez-le.",
                "Payment means \(code.value) (credit transfer, BT-81) requires the IBAN of the account to pay into (BT-84). Give it.",
                bt: "BT-84", location)
    }

    static func ibanInvalid(_ text: Text) -> Finding {
        finding("LIASSE-CPP-18", .coherence,
                "« \(text.value) » (BT-84) n'est pas un IBAN valide (clé de contrôle fausse ou format). Recopiez l'IBAN depuis le RIB.",
                "'\(text.value)' (BT-84) is not a valid IBAN (wrong check digits or format). Copy the IBAN from the bank details.",
                bt: "BT-84", text.location)
    }

    static func paymentMeansOnCreditNote(_ instruction: PaymentInstructions) -> Finding {
        finding("LIASSE-CPP-19", .coherence,
                "Un avoir ne porte pas de moyen de paiement (BT-81) : c'est le destinataire qui rembourse. Retirez le bloc des instructions de paiement (BG-16).",
                "A credit note carries no payment means (BT-81): the recipient pays back. Remove the payment instructions (BG-16).",
                bt: "BT-81", instruction.location)
    }

    static func vatRegimeUnknown(_ code: Text, syntax: InvoiceSyntax) -> Finding {
        let codes = syntax == .cii ? "5 (TVA sur les débits), 72 (TVA sur les encaissements), 29 (à la livraison)"
                                   : "3 (TVA sur les débits), 432 (TVA sur les encaissements), 35 (à la livraison)"
        let codesEn = syntax == .cii ? "5 (VAT on invoicing), 72 (VAT on receipt of payment), 29 (on delivery)"
                                     : "3 (VAT on invoicing), 432 (VAT on receipt of payment), 35 (on delivery)"
        return finding("LIASSE-CPP-20", .coherence,
                       "Le code de régime de TVA « \(code.value) » (BT-8) n'est pas reconnu. Codes acceptés : \(codes) ; ou omettez BT-8.",
                       "VAT regime code '\(code.value)' (BT-8) is not recognised. Accepted codes: \(codesEn); or leave BT-8 out.",
                       bt: "BT-8", code.location)
    }
}
