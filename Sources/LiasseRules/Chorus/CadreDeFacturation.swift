/// The cadre de facturation (billing framework) of a B2G invoice, read from BT-23.
public struct CadreDeFacturation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The code, `A1` … `A25`.
    public let code: String

    /// The codes Chorus Pro accepts, with their meaning: A1–A10 and A12–A25 (there is no A11).
    public static let accepted: [String: String] = [
        "A1": "Dépôt par un fournisseur d'une facture",
        "A2": "Dépôt par un fournisseur d'une facture déjà payée",
        "A3": "Dépôt par un fournisseur d'un mémoire de frais de justice",
        "A4": "Dépôt par un fournisseur d'un projet de décompte mensuel",
        "A5": "Dépôt par un fournisseur d'un état d'acompte",
        "A6": "Dépôt par un fournisseur d'une facture de travaux au service financier",
        "A7": "Dépôt par un fournisseur d'un projet de décompte final",
        "A8": "Dépôt par un fournisseur d'un décompte général et définitif",
        "A9": "Dépôt par un sous-traitant d'une facture",
        "A10": "Dépôt par un sous-traitant d'un projet de décompte mensuel",
        "A12": "Dépôt par un cotraitant d'une facture",
        "A13": "Dépôt par un cotraitant d'un projet de décompte mensuel",
        "A14": "Dépôt par un cotraitant d'un projet de décompte final",
        "A15": "Dépôt par une MOE d'un état d'acompte",
        "A16": "Dépôt par une MOE d'un état d'acompte validé",
        "A17": "Dépôt par une MOE d'un projet de décompte général",
        "A18": "Dépôt par une MOE d'un décompte général",
        "A19": "Dépôt par une MOA d'un état d'acompte validé",
        "A20": "Dépôt par une MOA d'un décompte général",
        "A21": "Dépôt par un fournisseur d'une demande de remboursement de la TIC",
        "A22": "Dépôt par un fournisseur d'un projet de décompte général dans le cadre d'une procédure tacite",
        "A23": "Dépôt par un fournisseur d'un décompte général et définitif tacite",
        "A24": "Dépôt par une MOE d'un décompte général et définitif tacite",
        "A25": "Dépôt par une MOA d'un décompte général et définitif tacite",
    ]

    /// The cadre for `code`, or nil when Chorus Pro does not accept it.
    public init?(_ code: String) {
        guard Self.accepted[code] != nil else { return nil }
        self.code = code
    }

    /// What the cadre means, in French.
    public var label: String { Self.accepted[code] ?? code }

    /// A1, a supplier's invoice.
    public static let a1 = CadreDeFacturation("A1")!
    /// A2, an invoice already paid: its amount due must be zero.
    public static let a2 = CadreDeFacturation("A2")!

    public var description: String { code }

    /// Whether `code` looks like one of the 2026 reform's business-process codes (B1, S3,
    /// M4…), which are not accepted for B2G deposits.
    static func isReformCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 2 || bytes.count == 3, (65...90).contains(bytes[0]), bytes[0] != UInt8(ascii: "A") else { return false }
        return bytes.dropFirst().allSatisfy { (48...57).contains($0) }
    }
}
