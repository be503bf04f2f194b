/// One rule Liasse can emit: its id, where it comes from, its reason code, and what it says in general (the emission site words the finding with the document's values).
public struct RegisteredRule: Sendable, Equatable {
    /// The stage that emits the rule:
    /// - `intake`: reading the file before any rule (LiasseIntake: the Factur-X container's
    ///   BR-HYBRID-* and LIASSE-FX-01…11, the attachments' LIASSE-PJ-*; LiasseJudge: the file
    ///   types, LIASSE-TYPE-*);
    /// - `lot`: the archive and its entries (LiasseDaemon's LotProcessor, and LiasseJudge for an
    ///   empty entry or a nested archive);
    /// - `xml`: reading the XML document (LiasseRules' Validator);
    /// - `schema`: the XML schema (LiasseRules' SchemaExplainer);
    /// - `facturX`: the Factur-X checks of the embedded invoice (LiasseJudge, LiasseRules/FacturX);
    /// - `deposit`: the deposit core (LiasseCore/DepositCore);
    /// - `chorus`: the Chorus Pro deposit rules (LiasseCore/Rules/ChorusFindings);
    /// - `daemon`: the daemon's own failures (LiasseDaemon/LiasseService);
    /// - `internal`: an internal error of a rule set (LiasseRules/Engine/RuleSet).
    public enum Origin: String, Sendable { case intake, lot, xml, schema, facturX = "facturx", deposit, chorus, daemon, `internal` }
    public let id: String
    public let origin: Origin
    public let code: ReasonCode
    public let french: String
    public let english: String

    public init(id: String, origin: Origin, code: ReasonCode, french: String, english: String) {
        self.id = id
        self.origin = origin
        self.code = code
        self.french = french
        self.english = english
    }
}

/// Every rule id Liasse emits under its own authority, with what it says. The official ids
/// (EN 16931, Factur-X, BR-FR…) come from the generated tables and are registered apart.
///
/// Tests/LiasseRulesTests/RuleRegistryTests.swift checks that every `LIASSE-…` id written in
/// Sources/ is here and that none here is gone from Sources/: an id added at an emission site
/// must be added here too, with its reason code and both texts.
public enum RuleRegistry {
    /// Liasse's own rules (LIASSE-*), and the intake rules it names after the Factur-X specification (BR-HYBRID-*), and XSD.
    public static let liasse: [RegisteredRule] = [
        // MARK: Factur-X container (LiasseIntake/FacturX/ContainerChecks.swift), named after the specification

        RegisteredRule(
            id: "BR-HYBRID-02", origin: .intake, code: .fileType,
            french: "Le PDF doit se déclarer PDF/A-3 (pdfaid:part = 3) ou PDF/A-4f dans des métadonnées XMP présentes et lisibles. Exportez-le en PDF/A-3 avec un outil Factur-X.",
            english: "The PDF must declare itself PDF/A-3 (pdfaid:part = 3) or PDF/A-4f in XMP metadata that is present and readable. Export it as PDF/A-3 with a Factur-X tool."),
        RegisteredRule(
            id: "BR-HYBRID-03", origin: .intake, code: .fileType,
            french: "Les métadonnées XMP doivent porter les propriétés Factur-X (fx:DocumentType, fx:DocumentFileName, fx:Version, fx:ConformanceLevel) et déclarer leur schéma d'extension PDF/A. Régénérez le PDF avec un outil Factur-X.",
            english: "The XMP metadata must carry the Factur-X properties (fx:DocumentType, fx:DocumentFileName, fx:Version, fx:ConformanceLevel) and declare their PDF/A extension schema. Generate the PDF again with a Factur-X tool."),
        RegisteredRule(
            id: "BR-HYBRID-04", origin: .intake, code: .fileType,
            french: "Les propriétés Factur-X des métadonnées XMP et leur schéma d'extension doivent être dans l'espace de noms « urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0# ».",
            english: "The XMP's Factur-X properties and their extension schema must be in the namespace 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#'."),
        RegisteredRule(
            id: "BR-HYBRID-05", origin: .intake, code: .fileType,
            french: "Le schéma d'extension Factur-X des métadonnées XMP doit déclarer le préfixe « fx ».",
            english: "The XMP's Factur-X extension schema must declare the prefix 'fx'."),
        RegisteredRule(
            id: "BR-HYBRID-06", origin: .intake, code: .fileType,
            french: "fx:DocumentType doit valoir « INVOICE » dans les métadonnées XMP.",
            english: "fx:DocumentType must be 'INVOICE' in the XMP metadata."),
        RegisteredRule(
            id: "BR-HYBRID-07", origin: .intake, code: .fileType,
            french: "fx:ConformanceLevel doit être l'un des profils Factur-X dans les métadonnées XMP : MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, XRECHNUNG.",
            english: "fx:ConformanceLevel must be one of the Factur-X profiles in the XMP metadata: MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, XRECHNUNG."),
        RegisteredRule(
            id: "BR-HYBRID-08", origin: .intake, code: .fileType,
            french: "fx:DocumentFileName doit valoir « factur-x.xml » dans les métadonnées XMP (« xrechnung.xml » pour XRECHNUNG).",
            english: "fx:DocumentFileName must be 'factur-x.xml' in the XMP metadata ('xrechnung.xml' for XRECHNUNG)."),
        RegisteredRule(
            id: "BR-HYBRID-09", origin: .intake, code: .fileType,
            french: "fx:Version doit être une version connue de Factur-X dans les métadonnées XMP ; écrivez « 1.0 ».",
            english: "fx:Version must be a known Factur-X version in the XMP metadata; write '1.0'."),
        RegisteredRule(
            id: "BR-HYBRID-10", origin: .intake, code: .fileType,
            french: "fx:Version est une ancienne forme tolérée ; Factur-X recommande « 1.0 ».",
            english: "fx:Version is an older, tolerated form; Factur-X recommends '1.0'."),
        RegisteredRule(
            id: "BR-HYBRID-11", origin: .intake, code: .fileType,
            french: "Le XML embarqué doit être rattaché avec l'AFRelationship que la spécification attend pour son profil : Data pour MINIMUM et BASIC WL ; Alternative, Source ou Data pour les autres.",
            english: "The embedded XML must be attached with the AFRelationship the specification expects for its profile: Data for MINIMUM and BASIC WL; Alternative, Source or Data for the others."),
        RegisteredRule(
            id: "BR-HYBRID-12", origin: .intake, code: .fileType,
            french: "Le XML de facture doit être listé à la fois dans /AF et dans /Names /EmbeddedFiles du catalogue du PDF. Régénérez le PDF avec un outil Factur-X.",
            english: "The invoice XML must be listed in both /AF and /Names /EmbeddedFiles of the PDF's catalog. Generate the PDF again with a Factur-X tool."),
        RegisteredRule(
            id: "BR-HYBRID-13", origin: .intake, code: .fileType,
            french: "Un Factur-X embarque son XML sous le nom « factur-x.xml » (ou « xrechnung.xml ») ; un PDF qui n'embarque du XML que sous d'autres noms n'en est pas un. Renommez le XML embarqué « factur-x.xml ».",
            english: "A Factur-X embeds its XML under the name 'factur-x.xml' (or 'xrechnung.xml'); a PDF embedding XML only under other names is not one. Name the embedded XML 'factur-x.xml'."),
        RegisteredRule(
            id: "BR-HYBRID-14", origin: .intake, code: .fileType,
            french: "fx:DocumentFileName doit correspondre au nom du fichier embarqué.",
            english: "fx:DocumentFileName must match the embedded file's name."),
        RegisteredRule(
            id: "BR-HYBRID-15", origin: .intake, code: .fileType,
            french: "Le profil annoncé par les métadonnées XMP (fx:ConformanceLevel) doit être celui du XML (BT-24). Alignez les deux.",
            english: "The profile the XMP metadata announces (fx:ConformanceLevel) must be the XML's (BT-24). Make them agree."),

        // MARK: Chorus Pro deposit rules (LiasseCore/Rules/ChorusFindings.swift)

        RegisteredRule(
            id: "LIASSE-CPP-01", origin: .chorus, code: .coherence,
            french: "Le cadre de facturation (BT-23) est obligatoire quand le dépôt n'a pas de cadre par défaut. Indiquez-le dans BT-23 (A1 pour une facture de fournisseur, A2 pour une facture déjà payée…).",
            english: "The billing framework (cadre de facturation, BT-23) is required when the inbox has no default. Write it in BT-23 (A1 for a supplier's invoice, A2 for an invoice already paid…)."),
        RegisteredRule(
            id: "LIASSE-CPP-02", origin: .chorus, code: .coherence,
            french: "Le cadre de facturation (BT-23) doit être un code accepté : A1 à A10 et A12 à A25 (A1 pour une facture de fournisseur) ; les codes de la réforme B2B (B1, S1, M1…) ne sont pas acceptés pour le secteur public.",
            english: "The billing framework (BT-23) must be an accepted code: A1 to A10 and A12 to A25 (A1 for a supplier's invoice); the B2B reform's codes (B1, S1, M1…) are not accepted for the public sector."),
        RegisteredRule(
            id: "LIASSE-CPP-03", origin: .chorus, code: .coherence,
            french: "Le cadre A2 (facture déjà payée) exige un montant à payer (BT-115) nul. Mettez BT-115 à 0 en portant le paiement dans BT-113, ou choisissez le cadre A1.",
            english: "Billing framework A2 (invoice already paid) requires a zero amount due (BT-115). Set BT-115 to 0 by recording the payment in BT-113, or use framework A1."),
        RegisteredRule(
            id: "LIASSE-CPP-04", origin: .chorus, code: .coherence,
            french: "Le numéro de facture (BT-1) doit compter au plus 20 caractères parmi les lettres sans accent, les chiffres, l'espace et + _ / -. Renumérotez la facture.",
            english: "The invoice number (BT-1) must be at most 20 characters among unaccented letters, digits, space and + _ / -. Renumber the invoice."),
        RegisteredRule(
            id: "LIASSE-CPP-05", origin: .chorus, code: .coherence,
            french: "Le SIRET du fournisseur (BT-30, schéma 0009) doit être présent, à 14 chiffres (pas un SIREN à 9 chiffres) et avec une clé juste. Indiquez-le ou corrigez-le ; un fournisseur étranger s'identifie par son numéro de TVA intracommunautaire (BT-31).",
            english: "The supplier's SIRET (BT-30, scheme 0009) must be present, 14 digits (not a 9-digit SIREN) and with a right key. Write or correct it; a foreign supplier is identified by its intra-EU VAT number (BT-31)."),
        RegisteredRule(
            id: "LIASSE-CPP-06", origin: .chorus, code: .addressing,
            french: "Le SIRET du destinataire (BT-47, schéma 0009) doit être présent, à 14 chiffres (pas un SIREN à 9 chiffres) et avec une clé juste. Indiquez-le ou corrigez-le.",
            english: "The recipient's SIRET (BT-47, scheme 0009) must be present, 14 digits (not a 9-digit SIREN) and with a right key. Write or correct it."),
        RegisteredRule(
            id: "LIASSE-CPP-07", origin: .chorus, code: .addressing,
            french: "Le destinataire doit figurer dans l'annuaire des structures publiques, sans quoi la facture ne peut être acheminée. Vérifiez son SIRET sur le bon de commande ; s'il est juste, faites mettre l'annuaire à jour.",
            english: "The recipient must be in the directory of public structures, or the invoice cannot be routed. Check its SIRET on the purchase order; if it is right, have the directory updated."),
        RegisteredRule(
            id: "LIASSE-CPP-08", origin: .chorus, code: .addressing,
            french: "Le destinataire est inactif dans l'annuaire : il ne reçoit plus de factures. Demandez à votre client le SIRET de la structure qui le remplace.",
            english: "The recipient is inactive in the directory: it no longer receives invoices. Ask your customer for the SIRET of the structure that replaces it."),
        RegisteredRule(
            id: "LIASSE-CPP-09", origin: .chorus, code: .addressing,
            french: "Le destinataire exige un code service : indiquez l'un de ses services actifs dans la référence acheteur (BT-10).",
            english: "The recipient requires a service code: write one of its active services in the buyer reference (BT-10)."),
        RegisteredRule(
            id: "LIASSE-CPP-10", origin: .chorus, code: .addressing,
            french: "Le code service (BT-10) doit être un service du destinataire. Corrigez BT-10 avec le code donné sur le bon de commande.",
            english: "The service code (BT-10) must be a service of the recipient. Correct BT-10 with the code given on the purchase order."),
        RegisteredRule(
            id: "LIASSE-CPP-11", origin: .chorus, code: .addressing,
            french: "Le service indiqué en BT-10 est inactif : il ne reçoit plus de factures. Indiquez l'un des services actifs du destinataire.",
            english: "The service given in BT-10 is inactive: it no longer receives invoices. Give one of the recipient's active services."),
        RegisteredRule(
            id: "LIASSE-CPP-12", origin: .chorus, code: .b2g,
            french: "Le destinataire, ou son service, exige un numéro d'engagement : indiquez dans la référence de commande (BT-13) le numéro figurant sur le bon de commande.",
            english: "The recipient, or its service, requires an engagement number: write the number given on the purchase order in the order reference (BT-13)."),
        RegisteredRule(
            id: "LIASSE-CPP-13", origin: .chorus, code: .b2g,
            french: "Le numéro d'engagement (BT-13) compte au plus 50 caractères. Reprenez-le tel qu'il figure sur le bon de commande.",
            english: "The engagement number (BT-13) is at most 50 characters long. Copy it as written on the purchase order."),
        RegisteredRule(
            id: "LIASSE-CPP-14", origin: .chorus, code: .addressing,
            french: "Le destinataire exige un code service (BT-10) ou un numéro d'engagement (BT-13). Indiquez au moins l'un des deux.",
            english: "The recipient requires a service code (BT-10) or an engagement number (BT-13). Give at least one of them."),
        RegisteredRule(
            id: "LIASSE-CPP-15", origin: .chorus, code: .coherence,
            french: "Une facture au secteur public est en euros (BT-5 = EUR), ou porte l'EUR comme devise de comptabilisation de la TVA (BT-6).",
            english: "An invoice to the public sector is in euros (BT-5 = EUR), or gives EUR as its VAT accounting currency (BT-6)."),
        RegisteredRule(
            id: "LIASSE-CPP-16", origin: .chorus, code: .coherence,
            french: "Le moyen de paiement (BT-81) est obligatoire. Indiquez-le : 30 ou 58 pour un virement (avec l'IBAN en BT-84), 49 pour un prélèvement, 48 pour une carte…",
            english: "The payment means (BT-81) is required. Give it: 30 or 58 for a credit transfer (with the IBAN in BT-84), 49 for a direct debit, 48 for a card…"),
        RegisteredRule(
            id: "LIASSE-CPP-17", origin: .chorus, code: .coherence,
            french: "Le moyen de paiement (BT-81) doit être un code accepté : 01, 10, 20, 30, 31, 42, 48, 49, 58, 59, 97.",
            english: "The payment means (BT-81) must be an accepted code: 01, 10, 20, 30, 31, 42, 48, 49, 58, 59, 97."),
        // Emitted for two faults: the IBAN missing, and an IBAN that is not valid.
        RegisteredRule(
            id: "LIASSE-CPP-18", origin: .chorus, code: .coherence,
            french: "Un paiement par virement (BT-81 : 30, 31, 42 ou 58) exige l'IBAN valide du compte à créditer (BT-84). Indiquez-le, en le recopiant depuis le RIB.",
            english: "Payment by credit transfer (BT-81: 30, 31, 42 or 58) requires the valid IBAN of the account to pay into (BT-84). Give it, copied from the bank details."),
        RegisteredRule(
            id: "LIASSE-CPP-19", origin: .chorus, code: .coherence,
            french: "Un avoir ne porte pas de moyen de paiement (BT-81) : c'est le destinataire qui rembourse. Retirez le bloc des instructions de paiement (BG-16).",
            english: "A credit note carries no payment means (BT-81): the recipient pays back. Remove the payment instructions (BG-16)."),
        RegisteredRule(
            id: "LIASSE-CPP-20", origin: .chorus, code: .coherence,
            french: "Le code de régime de TVA (BT-8) doit être reconnu : en CII 5, 72 ou 29, en UBL 3, 432 ou 35 (TVA sur les débits, sur les encaissements, à la livraison) ; ou omettez BT-8.",
            english: "The VAT regime code (BT-8) must be recognised: in CII 5, 72 or 29, in UBL 3, 432 or 35 (VAT on invoicing, on receipt of payment, on delivery); or leave BT-8 out."),

        // MARK: Deposit core (LiasseCore/DepositCore.swift)

        RegisteredRule(
            id: "LIASSE-DEP-01", origin: .deposit, code: .coherence,
            french: "Le dépôt exige le numéro de facture (BT-1), une date d'émission valide (BT-2) et l'identifiant du fournisseur (BT-30) ; la facture n'en porte pas un. Renseignez-le.",
            english: "A deposit needs the invoice number (BT-1), a valid issue date (BT-2) and the supplier identifier (BT-30); the invoice lacks one of them. Fill it in."),
        RegisteredRule(
            id: "LIASSE-DEP-02", origin: .deposit, code: .coherence,
            french: "Le fournisseur de la facture doit être la structure à qui appartient le dossier de dépôt : personne ne dépose au nom d'un autre. Déposez la facture dans le dossier de son fournisseur.",
            english: "The invoice's supplier must be the structure the inbox belongs to: nobody deposits in someone else's name. Drop the invoice in its supplier's inbox."),
        RegisteredRule(
            id: "LIASSE-DEP-UNI", origin: .deposit, code: .duplicate,
            french: "Une demande de paiement a déjà été déposée avec ce numéro de facture pour cette structure et cette année. Une facture acceptée ne peut pas être redéposée ; donnez un nouveau numéro à une nouvelle facture.",
            english: "A payment request has already been deposited with this invoice number for this structure and year. An accepted invoice cannot be deposited again; give a new invoice a new number."),

        // MARK: Factur-X (LiasseIntake/FacturX/ContainerChecks.swift; FX-12 LiasseJudge/Judge.swift; FX-13 LiasseRules/FacturX/FacturXProfile.swift)

        RegisteredRule(
            id: "LIASSE-FX-01", origin: .intake, code: .fileType,
            french: "Le fichier doit être un PDF lisible : l'extension et le contenu doivent concorder.",
            english: "The file must be a readable PDF: extension and content must agree."),
        RegisteredRule(
            id: "LIASSE-FX-02", origin: .intake, code: .fileType,
            french: "Le PDF ne doit pas être chiffré (protégé par mot de passe, même seulement pour les droits) : un Factur-X est un PDF/A-3, qui interdit le chiffrement. Déposez un PDF sans protection.",
            english: "The PDF must not be encrypted (password-protected, even if only for permissions): a Factur-X is a PDF/A-3, which forbids encryption. Send an unprotected PDF."),
        RegisteredRule(
            id: "LIASSE-FX-03", origin: .intake, code: .fileType,
            french: "Le PDF est endommagé (table des références croisées ou objet illisible) : Liasse ne le reconstruit pas, car deux lecteurs pourraient en tirer des factures différentes. Régénérez le PDF.",
            english: "The PDF is damaged (cross-reference table or object unreadable): Liasse does not rebuild it, since two readers could extract different invoices from it. Generate the PDF again."),
        RegisteredRule(
            id: "LIASSE-FX-04", origin: .intake, code: .fileType,
            french: "Un Factur-X embarque un seul XML de facture ; s'il en porte plusieurs, impossible de savoir lequel fait foi.",
            english: "A Factur-X embeds exactly one invoice XML; with several, which one is the invoice is ambiguous."),
        RegisteredRule(
            id: "LIASSE-FX-05", origin: .intake, code: .fileSize,
            french: "Le XML embarqué dépasse la taille admise une fois décompressé : il est refusé (possible bombe de décompression). Une facture XML tient en bien moins.",
            english: "The embedded XML is larger than allowed once inflated: it is refused (possible decompression bomb). An invoice XML takes far less."),
        RegisteredRule(
            id: "LIASSE-FX-06", origin: .intake, code: .fileType,
            french: "Le XML embarqué doit être encodé avec /FlateDecode ou sans filtre. Régénérez le PDF avec un outil Factur-X.",
            english: "The embedded XML must be encoded with /FlateDecode or no filter. Generate the PDF again with a Factur-X tool."),
        RegisteredRule(
            id: "LIASSE-FX-07", origin: .intake, code: .fileType,
            french: "Les données compressées du XML embarqué sont corrompues. Régénérez le PDF.",
            english: "The compressed data of the embedded XML is corrupt. Generate the PDF again."),
        RegisteredRule(
            id: "LIASSE-FX-08", origin: .intake, code: .fileType,
            french: "L'arbre /EmbeddedFiles du PDF boucle sur lui-même (/Kids), ou il est trop profond ou trop grand : sa lecture a été écourtée. Régénérez le PDF.",
            english: "The PDF's /EmbeddedFiles tree loops back on itself (/Kids), or is too deep or too large: reading it was cut short. Generate the PDF again."),
        RegisteredRule(
            id: "LIASSE-FX-09", origin: .intake, code: .fileType,
            french: "Les noms de l'arbre /EmbeddedFiles ne sont pas triés : les lecteurs qui y font une recherche dichotomique ne trouveront pas la facture. Régénérez le PDF.",
            english: "The names of the /EmbeddedFiles tree are not sorted: readers that binary-search it will miss the invoice. Generate the PDF again."),
        RegisteredRule(
            id: "LIASSE-FX-10", origin: .intake, code: .fileType,
            french: "La lecture du PDF a relevé des anomalies de structure, tolérées.",
            english: "Reading the PDF met structure problems, which were tolerated."),
        RegisteredRule(
            id: "LIASSE-FX-11", origin: .intake, code: .fileType,
            french: "Le XML embarqué porte un ancien nom ZUGFeRD ; Factur-X le nomme « factur-x.xml ».",
            english: "The embedded XML has a legacy ZUGFeRD name; Factur-X names it 'factur-x.xml'."),
        RegisteredRule(
            id: "LIASSE-FX-12", origin: .facturX, code: .syntax,
            french: "Un Factur-X porte une facture CII (UN/CEFACT CrossIndustryInvoice), pas une facture UBL. Déposez le XML UBL seul, ou générez un Factur-X CII.",
            english: "A Factur-X carries a CII invoice (UN/CEFACT CrossIndustryInvoice), not a UBL one. Send the UBL XML on its own, or generate a CII Factur-X."),
        RegisteredRule(
            id: "LIASSE-FX-13", origin: .facturX, code: .semantic,
            french: "Le profil Factur-X (BT-24) doit être accepté par le dossier de dépôt ; MINIMUM et BASIC WL ne portent pas de lignes et ne sont pas des factures au sens de la norme EN 16931. Générez la facture au profil EN 16931 (ou BASIC, EXTENDED).",
            english: "The Factur-X profile (BT-24) must be accepted by the inbox; MINIMUM and BASIC WL carry no lines and are not invoices under EN 16931. Generate the invoice in the EN 16931 profile (or BASIC, EXTENDED)."),

        // MARK: Internal error (LiasseRules/Engine/RuleSet.swift)

        RegisteredRule(
            id: "LIASSE-INTERNAL", origin: .`internal`, code: .semantic,
            french: "Erreur interne de Liasse dans un jeu de règles : la facture n'a pas pu être jugée, elle n'est donc pas acceptée. Signalez-le à l'exploitant.",
            english: "Internal error of Liasse in a rule set: the invoice could not be judged, so it is not accepted. Report it to the operator."),

        // MARK: Lots and drops (LiasseDaemon/LotProcessor.swift; LOT-01 and LOT-07 also LiasseJudge/JudgeFindings.swift; LOT-09 LiasseDaemon/LiasseService.swift)

        RegisteredRule(
            id: "LIASSE-LOT-01", origin: .lot, code: .emptyFile,
            french: "Le fichier déposé, ou une entrée du lot, est vide. Déposez la facture complète.",
            english: "The dropped file, or an entry of the lot, is empty. Send the complete invoice."),
        RegisteredRule(
            id: "LIASSE-LOT-02", origin: .lot, code: .fileSize,
            french: "Le fichier dépasse la taille acceptée par dépôt. Découpez-le en lots plus petits.",
            english: "The file is larger than accepted per drop. Split it into smaller lots."),
        RegisteredRule(
            id: "LIASSE-LOT-03", origin: .lot, code: .fileType,
            french: "Le dépôt doit être un fichier ordinaire, pas un lien, un tube, un périphérique ou un dossier : il est refusé sans être lu. Déposez le fichier lui-même.",
            english: "The drop must be a plain file, not a link, FIFO, device or folder: it is refused without being read. Drop the file itself."),
        RegisteredRule(
            id: "LIASSE-LOT-04", origin: .lot, code: .fileType,
            french: "L'archive est tronquée ou endommagée (trailer gzip faux, répertoire zip incohérent ou hors du fichier, entrée dont le CRC ne correspond pas, octets après la fin) : aucune de ses factures n'est déposée. Renvoyez le lot complet.",
            english: "The archive is truncated or damaged (a wrong gzip trailer, a zip directory inconsistent or outside the file, an entry failing its CRC, bytes after the end): none of its invoices is deposited. Send the complete lot again."),
        RegisteredRule(
            id: "LIASSE-LOT-05", origin: .lot, code: .fileSize,
            french: "Le lot dépasse une limite : trop d'entrées, trop gros une fois décompressé, ou taux de compression d'une bombe de décompression. Découpez-le en lots plus petits.",
            english: "The lot exceeds a limit: too many entries, too large once decompressed, or the compression ratio of a decompression bomb. Split it into smaller lots."),
        RegisteredRule(
            id: "LIASSE-LOT-06", origin: .lot, code: .emptyFile,
            french: "Le lot ne contient aucun fichier. Mettez vos factures XML ou Factur-X dans l'archive.",
            english: "The lot holds no file. Put your XML or Factur-X invoices in the archive."),
        RegisteredRule(
            id: "LIASSE-LOT-07", origin: .lot, code: .fileType,
            french: "Un lot ne contient que des factures XML et Factur-X, pas d'autres archives. Déposez l'archive imbriquée séparément.",
            english: "A lot holds only XML and Factur-X invoices, not other archives. Drop the nested archive on its own."),
        RegisteredRule(
            id: "LIASSE-LOT-08", origin: .lot, code: .fileType,
            french: "Le fichier porte l'extension d'une archive (zip, tar.gz) mais n'en est pas une lisible. L'extension et le contenu doivent concorder.",
            english: "The file is named as an archive (zip, tar.gz) but is not a readable one. Extension and content must agree."),
        RegisteredRule(
            id: "LIASSE-LOT-09", origin: .daemon, code: .fileType,
            french: "Le dépôt n'a pas pu être traité ; il est conservé dans failed/. Renvoyez-le ou contactez l'exploitant : les factures déjà déposées seront reconnues.",
            english: "The drop could not be processed; it is kept in failed/. Send it again or contact the operator: invoices already deposited will be recognised."),
        RegisteredRule(
            id: "LIASSE-LOT-10", origin: .lot, code: .fileType,
            french: "Une entrée du lot n'est pas un fichier ordinaire (lien, périphérique, tube) ; un lot ne doit contenir que des fichiers de factures.",
            english: "An entry of the lot is not a regular file (link, device, pipe); a lot must hold only invoice files."),
        RegisteredRule(
            id: "LIASSE-LOT-11", origin: .lot, code: .fileType,
            french: "Une entrée du lot est chiffrée ; déposez des lots sans mot de passe.",
            english: "An entry of the lot is encrypted; drop lots without a password."),
        RegisteredRule(
            id: "LIASSE-LOT-12", origin: .lot, code: .fileType,
            french: "Le chemin d'une entrée est absolu, contient une barre oblique inverse ou remonte avec « .. » ; utilisez des noms relatifs simples.",
            english: "An entry's path is absolute, holds a backslash or climbs up with '..'; use plain relative names."),
        RegisteredRule(
            id: "LIASSE-LOT-13", origin: .lot, code: .fileType,
            french: "Le nom d'une entrée est inutilisable ; nommez les fichiers en UTF-8.",
            english: "An entry's name is unusable; name the files in UTF-8."),
        RegisteredRule(
            id: "LIASSE-LOT-14", origin: .lot, code: .fileType,
            french: "Deux entrées du lot portent le même nom ; chaque facture doit avoir son propre nom de fichier.",
            english: "Two entries of the lot have the same name; each invoice must have its own file name."),
        RegisteredRule(
            id: "LIASSE-LOT-15", origin: .lot, code: .fileSize,
            french: "Une entrée du lot dépasse la taille admise une fois décompressée.",
            english: "An entry of the lot is larger than allowed once decompressed."),

        // MARK: Attachments of XML invoices (LiasseIntake/FacturX/AttachmentChecks.swift)

        RegisteredRule(
            id: "LIASSE-PJ-01", origin: .intake, code: .attachmentSize,
            french: "Une pièce jointe dépasse la taille admise une fois décodée (10 Mo pour Chorus Pro). Réduisez-la ou déposez-la à part.",
            english: "An attachment is larger than allowed once decoded (10 MB for Chorus Pro). Make it smaller or send it separately."),
        RegisteredRule(
            id: "LIASSE-PJ-02", origin: .intake, code: .attachmentName,
            french: "Le nom d'une pièce jointe (BT-125-2) dépasse la longueur admise (50 caractères pour Chorus Pro). Raccourcissez-le.",
            english: "An attachment's name (BT-125-2) is longer than allowed (50 characters for Chorus Pro). Shorten it."),
        RegisteredRule(
            id: "LIASSE-PJ-03", origin: .intake, code: .attachmentExtension,
            french: "Le nom d'une pièce jointe doit porter l'une des extensions acceptées (pdf, png, jpg, xml, csv, docx…).",
            english: "An attachment's name must have one of the accepted extensions (pdf, png, jpg, xml, csv, docx…)."),
        RegisteredRule(
            id: "LIASSE-PJ-04", origin: .intake, code: .syntax,
            french: "Le contenu d'une pièce jointe doit être du base64 valide. Réencodez-la.",
            english: "An attachment's content must be valid base64. Encode it again."),

        // MARK: File types (LiasseJudge/JudgeFindings.swift)

        RegisteredRule(
            id: "LIASSE-TYPE-01", origin: .intake, code: .fileType,
            french: "Type de fichier non accepté. Fichiers acceptés : .xml (UBL, CII) et .pdf (Factur-X), et hors d'un lot les archives .zip, .tar.gz, .tgz.",
            english: "File type not accepted. Accepted files: .xml (UBL, CII) and .pdf (Factur-X), and outside a lot the archives .zip, .tar.gz, .tgz."),
        RegisteredRule(
            id: "LIASSE-TYPE-02", origin: .intake, code: .fileType,
            french: "Seuls les PDF Factur-X portant leur facture XML sont acceptés ; ce PDF n'en porte pas de lisible. Déposez la facture au format Factur-X ou XML.",
            english: "Only Factur-X PDFs carrying their invoice XML are accepted; this PDF carries no readable one. Send the invoice as Factur-X or XML."),

        // MARK: Reading the XML (LiasseRules/Validator.swift)

        RegisteredRule(
            id: "LIASSE-XML-00", origin: .xml, code: .emptyFile,
            french: "Le fichier est vide. Déposez la facture complète.",
            english: "The file is empty. Send the complete invoice."),
        RegisteredRule(
            id: "LIASSE-XML-01", origin: .xml, code: .syntax,
            french: "Le fichier doit être un XML bien formé ; le message donne la ligne, la colonne et l'erreur.",
            english: "The file must be well-formed XML; the message gives the line, column and error."),
        RegisteredRule(
            id: "LIASSE-XML-02", origin: .xml, code: .syntax,
            french: "Version de syntaxe non prise en charge (UBL autre que 2.1, ZUGFeRD 1.0 ou 2.0). Déposez une facture UBL 2.1, CII EN 16931 ou Factur-X 1.0 ou ultérieur.",
            english: "Unsupported syntax version (UBL other than 2.1, ZUGFeRD 1.0 or 2.0). Send a UBL 2.1, EN 16931 CII or Factur-X 1.0 or later invoice."),
        RegisteredRule(
            id: "LIASSE-XML-03", origin: .xml, code: .syntax,
            french: "Ce fichier n'est pas une facture. Déposez une facture UBL 2.1, CII ou Factur-X.",
            english: "This file is not an invoice. Send a UBL 2.1, CII or Factur-X invoice."),
        RegisteredRule(
            id: "LIASSE-XML-04", origin: .xml, code: .fileSize,
            french: "Le document XML dépasse la taille admise.",
            english: "The XML document is larger than allowed."),
        RegisteredRule(
            id: "LIASSE-XML-05", origin: .xml, code: .syntax,
            french: "Une facture ne doit pas contenir de déclaration DOCTYPE. Retirez-la.",
            english: "An invoice must not carry a DOCTYPE declaration. Remove it."),
        RegisteredRule(
            id: "LIASSE-XML-06", origin: .xml, code: .syntax,
            french: "Le document XML est trop complexe pour être lu (mémoire du lecteur épuisée).",
            english: "The XML document is too complex to read (the parser ran out of memory)."),

        // MARK: The XML schema (LiasseRules/Schema/SchemaFindings.swift)

        RegisteredRule(
            id: "LIASSE-XML-07", origin: .xml, code: .syntax,
            french: "Le fichier contient un octet nul, interdit en XML (souvent des octets ajoutés après la facture) : les octets qui le suivent ne seraient pas jugés. Renvoyez la facture telle que votre logiciel l'a produite.",
            english: "The file holds a NUL byte, which XML never allows (often bytes added after the invoice): the bytes after it would not be judged. Send the invoice as your software produced it."),
        RegisteredRule(
            id: "LIASSE-XML-08", origin: .xml, code: .syntax,
            french: "Le document a une forme qu'aucune facture n'a (trop d'attributs ou de déclarations d'espaces de noms sur un élément, nom, valeur ou texte trop long, imbrication trop profonde) : il est refusé avant d'être lu, pour que son coût reste borné.",
            english: "The document has a shape no invoice has (too many attributes or namespace declarations on one element, a name, value or text too long, nesting too deep): it is refused before being read, so that its cost stays bounded."),
        RegisteredRule(
            id: "XSD", origin: .schema, code: .syntax,
            french: "Le fichier doit être conforme au schéma XML de sa syntaxe (UBL 2.1, CII ou le profil Factur-X) ; le message nomme l'élément et le terme métier, ce qui a été trouvé et la forme attendue. Corrigez l'élément indiqué.",
            english: "The file must follow the XML schema of its syntax (UBL 2.1, CII or the Factur-X profile); the message names the element and business term, what was found and the form expected. Correct the element shown."),
    ]

    /// The registered rule `id`, if any.
    public static func rule(_ id: String) -> RegisteredRule? {
        liasse.first { $0.id == id }
    }
}
