// The recipient structures of the Chorus Pro directory (annuaire), as the deposit rules look
// them up: the directory itself is the deposit core's (LiasseCore), imported from its CSV.

/// What a recipient structure requires on the invoices addressed to it (Chorus Pro's
/// directory flags).
public enum AddressingRequirement: String, Sendable, Codable, CaseIterable {
    /// Nothing beyond the SIRET.
    case none
    /// A service code (BT-10).
    case service
    /// An engagement number (BT-13).
    case engagement
    /// Both a service code and an engagement number.
    case serviceAndEngagement = "service+engagement"
    /// A service code or an engagement number, at least one.
    case serviceOrEngagement = "service|engagement"

    /// Whether a service code is required whatever the rest.
    public var requiresService: Bool { self == .service || self == .serviceAndEngagement }
    /// Whether an engagement number is required whatever the rest.
    public var requiresEngagement: Bool { self == .engagement || self == .serviceAndEngagement }
}

/// A service of a recipient structure: the code invoices carry in BT-10.
public struct RecipientService: Sendable, Codable, Equatable {
    /// The service code, as invoices must write it in BT-10.
    public var code: String
    public var name: String
    /// An inactive service receives no invoices.
    public var active: Bool
    /// Whether invoices to this service need an engagement number (BT-13).
    public var engagementRequired: Bool

    public init(code: String, name: String, active: Bool, engagementRequired: Bool) {
        self.code = code
        self.name = name
        self.active = active
        self.engagementRequired = engagementRequired
    }
}

/// A public structure that receives invoices, as the directory (annuaire) knows it.
public struct Recipient: Sendable, Codable, Equatable {
    /// Its SIRET, the identifier invoices address it by (BT-47 / BT-49).
    public var siret: String
    public var name: String
    /// An inactive structure receives no invoices.
    public var active: Bool
    public var requires: AddressingRequirement
    /// Its services, in the order of the directory file.
    public var services: [RecipientService]

    public init(siret: String, name: String, active: Bool, requires: AddressingRequirement, services: [RecipientService] = []) {
        self.siret = siret
        self.name = name
        self.active = active
        self.requires = requires
        self.services = services
    }

    /// The service with this code, compared exactly as written.
    public func service(_ code: String) -> RecipientService? {
        services.first { $0.code == code }
    }
}

/// Where deposit rules look recipients up: an in-memory directory, or the ledger's copy.
public protocol RecipientLookup: Sendable {
    /// The structure with this SIRET, if known.
    func recipient(siret: String) throws -> Recipient?
}
