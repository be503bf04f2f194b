import LiasseRules

/// The recipient directory (annuaire): every structure invoices may be addressed to.
public struct RecipientDirectory: Sendable, Equatable {
    /// The structures, by SIRET.
    public private(set) var recipients: [String: Recipient]

    public init(_ recipients: [Recipient] = []) {
        var bySIRET: [String: Recipient] = [:]
        for recipient in recipients { bySIRET[recipient.siret] = recipient }
        self.recipients = bySIRET
    }

    /// The structure with this SIRET, if the directory knows it.
    public func recipient(_ siret: String) -> Recipient? { recipients[siret] }

    /// Every structure, by SIRET.
    public var sorted: [Recipient] { recipients.values.sorted { $0.siret < $1.siret } }
}


extension RecipientDirectory: RecipientLookup {
    public func recipient(siret: String) throws -> Recipient? { recipients[siret] }
}
