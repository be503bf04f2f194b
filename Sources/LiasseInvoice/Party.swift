/// BG-4 Seller, BG-7 Buyer, BG-10 Payee, BG-11 Seller tax representative.
///
/// Every group uses the subset of these terms the standard gives it.
public struct Party: Sendable, Hashable {
    /// BT-27 / BT-44 / BT-59 / BT-62 name.
    public var name: Text?
    /// BT-28 / BT-45 trading name.
    public var tradingName: Text?
    /// BT-29 / BT-46 / BT-60 identifiers, each with its scheme (BT-29-1 …).
    public var identifiers: [Text] = []
    /// BT-30 / BT-47 / BT-61 legal registration identifier, with its scheme.
    public var legalRegistration: Text?
    /// BT-31 / BT-48 / BT-63 VAT identifier.
    public var vatIdentifier: Text?
    /// BT-32 Seller tax registration identifier.
    public var taxRegistration: Text?
    /// BT-33 Seller additional legal information.
    public var additionalLegalInformation: Text?
    /// BT-34 / BT-49 electronic address, with its scheme.
    public var electronicAddress: Text?
    /// BG-5 / BG-8 / BG-12 postal address.
    public var address: PostalAddress?
    /// BG-6 / BG-9 contact.
    public var contact: Contact?
    /// The legal name as the syntax's legal-name element writes it (UBL
    /// `cac:PartyLegalEntity/cbc:RegistrationName`, CII `ram:Name`).
    public var legalName: Text?
    /// Every party name element (UBL `cac:PartyName/cbc:Name`, CII `ram:Name`).
    public var partyNames: [Text] = []
    /// Every party identifier element as written, SEPA creditor identifiers included (UBL
    /// `cac:PartyIdentification/cbc:ID`, CII `ram:ID`).
    public var identifierElements: [Text] = []
    /// Every global identifier (CII `ram:GlobalID`; UBL has none).
    public var globalIdentifiers: [Text] = []
    /// Every tax registration (BT-31, BT-32, BT-48, BT-63) with the scheme it is declared under.
    public var taxRegistrations: [TaxRegistration] = []
    /// Whether the electronic address group is present, even without an address in it.
    public var hasElectronicAddressGroup = false
    /// Where the party's group starts in the document.
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }

    /// The SIRET Chorus Pro identifies the party by: the legal registration identifier
    /// when its scheme is 0009 (or absent), else the first identifier in scheme 0009.
    public var siret: Text? {
        if let legal = legalRegistration, legal.scheme == nil || legal.scheme == "0009" { return legal }
        return identifiers.first { $0.scheme == "0009" }
    }
}

/// A tax registration of a party: the identifier and the tax scheme it belongs to (UBL
/// `cac:PartyTaxScheme` with its `cac:TaxScheme/cbc:ID`; CII `ram:SpecifiedTaxRegistration`
/// whose identifier's `schemeID` is `VA` or `FC`).
public struct TaxRegistration: Sendable, Hashable {
    /// The identifier (UBL `cbc:CompanyID`, CII `ram:ID`), nil when the group has none.
    public var identifier: Text?
    /// The scheme as written (UBL tax scheme identifier, CII `schemeID` attribute).
    public var taxScheme: Text?
    public var location: SourceLocation

    public init(identifier: Text?, taxScheme: Text?, location: SourceLocation) {
        self.identifier = identifier
        self.taxScheme = taxScheme
        self.location = location
    }
}

/// BG-5 / BG-8 / BG-12 / BG-15 postal address.
public struct PostalAddress: Sendable, Hashable {
    /// BT-35 / BT-50 / BT-64 / BT-75 address line 1.
    public var line1: Text?
    /// BT-36 / BT-51 / BT-65 / BT-76 address line 2.
    public var line2: Text?
    /// BT-162 / BT-163 / BT-164 / BT-165 address line 3.
    public var line3: Text?
    /// BT-37 / BT-52 / BT-66 / BT-77 city.
    public var city: Text?
    /// BT-38 / BT-53 / BT-67 / BT-78 post code.
    public var postCode: Text?
    /// BT-39 / BT-54 / BT-68 / BT-79 country subdivision.
    public var countrySubdivision: Text?
    /// BT-40 / BT-55 / BT-69 / BT-80 country code.
    public var countryCode: Text?
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// BG-6 / BG-9 contact.
public struct Contact: Sendable, Hashable {
    /// BT-41 / BT-56 contact point.
    public var name: Text?
    /// BT-42 / BT-57 telephone.
    public var telephone: Text?
    /// BT-43 / BT-58 e-mail address.
    public var email: Text?
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// BG-13 Delivery information.
public struct Delivery: Sendable, Hashable {
    /// BT-70 Deliver to party name.
    public var partyName: Text?
    /// BT-71 Deliver to location identifier.
    public var locationIdentifier: Text?
    /// BT-72 Actual delivery date.
    public var actualDeliveryDate: DateValue?
    /// BG-15 Deliver to address.
    public var address: PostalAddress?
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}
