/// Invoice statuses of Chorus Pro, and the moves between them the core allows.
///
/// `DEPOSEE` is given at deposit; the others are recorded when the recipient's side
/// reports them (`liasse invoices set-status`). The payment delay runs from
/// `MISE_A_DISPOSITION`. `A_RECYCLER` (wrong addressing) frees the invoice number: the
/// supplier may deposit a corrected invoice under the same number.
public enum InvoiceStatus: String, Sendable, Codable, CaseIterable {
    case deposee = "DEPOSEE"
    case enCoursAcheminement = "EN_COURS_ACHEMINEMENT"
    case miseADisposition = "MISE_A_DISPOSITION"
    case aRecycler = "A_RECYCLER"
    case suspendue = "SUSPENDUE"
    case rejetee = "REJETEE"
    case mandatee = "MANDATEE"
    case miseEnPaiement = "MISE_EN_PAIEMENT"
    case comptabilisee = "COMPTABILISEE"

    /// The statuses an invoice may move to from this one. Kept as one table so the model
    /// reads in one place; `A_RECYCLER`, `REJETEE` and `MISE_EN_PAIEMENT` are final.
    public var next: Set<InvoiceStatus> {
        switch self {
        case .deposee: return [.enCoursAcheminement, .miseADisposition, .aRecycler, .rejetee]
        case .enCoursAcheminement: return [.miseADisposition, .aRecycler, .rejetee]
        case .miseADisposition: return [.aRecycler, .suspendue, .rejetee, .mandatee, .comptabilisee, .miseEnPaiement]
        case .suspendue: return [.miseADisposition, .rejetee, .mandatee, .comptabilisee]
        case .mandatee: return [.comptabilisee, .miseEnPaiement]
        case .comptabilisee: return [.miseEnPaiement]
        case .aRecycler, .rejetee, .miseEnPaiement: return []
        }
    }

    /// Whether an invoice in this status may move to `status`.
    public func allows(_ status: InvoiceStatus) -> Bool { next.contains(status) }

    /// What the status means, in French (the portal's words).
    public var label: String {
        switch self {
        case .deposee: return "Déposée"
        case .enCoursAcheminement: return "En cours d'acheminement"
        case .miseADisposition: return "Mise à disposition du destinataire"
        case .aRecycler: return "À recycler (adressage erroné)"
        case .suspendue: return "Suspendue"
        case .rejetee: return "Rejetée par le destinataire"
        case .mandatee: return "Mandatée"
        case .miseEnPaiement: return "Mise en paiement"
        case .comptabilisee: return "Comptabilisée"
        }
    }
}
