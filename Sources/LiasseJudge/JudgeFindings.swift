import LiasseRules

/// The refusals of the judge that come before any rule: what the file is not.
public enum JudgeFindings {
    static let empty = Finding(
        rule: "LIASSE-LOT-01", severity: .fatal, code: .emptyFile,
        message: "Le fichier est vide. Déposez la facture complète.",
        messageEn: "The file is empty. Send the complete invoice.")

    static let nestedArchive = Finding(
        rule: "LIASSE-LOT-07", severity: .fatal, code: .fileType,
        message: "Archive imbriquée refusée : un lot ne contient que des factures XML et Factur-X, pas d'autres archives. Déposez cette archive séparément.",
        messageEn: "Nested archive refused: a lot holds only XML and Factur-X invoices, not other archives. Drop this archive on its own.")

    public static func unsupportedType(_ ext: String, inLot: Bool) -> Finding {
        let shown = ext.isEmpty ? "sans extension" : "« \(ext) »"
        let shownEn = ext.isEmpty ? "without an extension" : "'\(ext)'"
        let accepted = inLot ? ".xml (UBL, CII) et .pdf (Factur-X)" : ".xml, .pdf (Factur-X), .zip, .tar.gz, .tgz"
        let acceptedEn = inLot ? ".xml (UBL, CII) and .pdf (Factur-X)" : ".xml, .pdf (Factur-X), .zip, .tar.gz, .tgz"
        return Finding(rule: "LIASSE-TYPE-01", severity: .fatal, code: .fileType,
                       message: "Type de fichier \(shown) non accepté. Fichiers acceptés : \(accepted).",
                       messageEn: "File type \(shownEn) is not accepted. Accepted files: \(acceptedEn).")
    }

    static func plainPDF(inLot: Bool) -> Finding {
        Finding(rule: "LIASSE-TYPE-02", severity: .fatal, code: .fileType,
                message: inLot
                    ? "PDF refusé : un lot n'accepte que des factures XML (UBL, CII) et des PDF Factur-X ; ce PDF ne porte pas de facture XML lisible. Déposez la facture au format Factur-X ou XML."
                    : "PDF refusé : seuls les PDF Factur-X portant leur facture XML sont acceptés. Déposez la facture au format Factur-X ou XML.",
                messageEn: inLot
                    ? "PDF refused: a lot accepts only XML invoices (UBL, CII) and Factur-X PDFs; this PDF carries no readable invoice XML. Send the invoice as Factur-X or XML."
                    : "PDF refused: only Factur-X PDFs carrying their invoice XML are accepted. Send the invoice as Factur-X or XML.")
    }
}
