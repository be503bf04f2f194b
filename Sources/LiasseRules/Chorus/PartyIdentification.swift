import LiasseInvoice

/// How a party of an invoice is identified for Chorus Pro: its SIRET (ISO 6523 scheme
/// `0009`, or the Chorus scheme `1`), or, for a foreign supplier, its VAT identifier.
public struct PartyIdentification: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case siret
        case siren
        case vat
        case other
    }

    public var kind: Kind
    /// The identifier as written (whitespace normalised).
    public var value: String
    /// The business term it was read from (`BT-30`, `BT-29`, `BT-34`, `BT-31`…).
    public var bt: String
    public var location: SourceLocation

    /// Schemes that carry a SIRET: ISO 6523 `0009`, and `1` in Chorus Pro's own vocabulary.
    static let siretSchemes: Set<String> = ["0009", "1"]

    /// The SIRET a party claims, with where it was read; a SIREN (scheme `0002`, or nine
    /// digits without a scheme) is returned as `.siren` so the rule can say what is wrong.
    /// `isBuyer` selects the buyer's business terms for the messages.
    public static func siret(of party: Party, isBuyer: Bool) -> PartyIdentification? {
        let legalBT = isBuyer ? "BT-47" : "BT-30"
        let idBT = isBuyer ? "BT-46" : "BT-29"
        let addressBT = isBuyer ? "BT-49" : "BT-34"
        var candidates: [(Text, String)] = []
        if let legal = party.legalRegistration { candidates.append((legal, legalBT)) }
        candidates += party.identifiers.map { ($0, idBT) }
        if let address = party.electronicAddress { candidates.append((address, addressBT)) }
        for (text, bt) in candidates where !text.isEmpty {
            let scheme = text.scheme?.normalizedSpace
            let isLegalWithoutScheme = scheme == nil && bt == legalBT
            if let scheme, siretSchemes.contains(scheme) {
                return PartyIdentification(kind: .siret, value: text.value, bt: bt, location: text.location)
            }
            if isLegalWithoutScheme {
                let digitsOnly = text.value.utf8.allSatisfy { (48...57).contains($0) }
                let kind: Kind = digitsOnly && text.value.utf8.count == 9 ? .siren : .siret
                return PartyIdentification(kind: kind, value: text.value, bt: bt, location: text.location)
            }
        }
        for (text, bt) in candidates where !text.isEmpty && text.scheme?.normalizedSpace == "0002" {
            return PartyIdentification(kind: .siren, value: text.value, bt: bt, location: text.location)
        }
        return nil
    }

    /// The supplier's identification: its SIRET when it has one, else its VAT identifier
    /// (foreign suppliers), else its first identifier of any kind.
    public static func supplier(_ party: Party) -> PartyIdentification? {
        if let siret = siret(of: party, isBuyer: false) { return siret }
        if let vat = party.vatIdentifier, !vat.isEmpty {
            return PartyIdentification(kind: .vat, value: vat.value, bt: "BT-31", location: vat.location)
        }
        let others = [party.legalRegistration, party.identifiers.first].compactMap { $0 }
        if let other = others.first(where: { !$0.isEmpty }) {
            return PartyIdentification(kind: .other, value: other.value, bt: "BT-29", location: other.location)
        }
        return nil
    }
}
