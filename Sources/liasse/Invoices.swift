import ArgumentParser
import Foundation
import LiasseCore
import LiasseConfiguration
import LiasseDaemon

/// Where the commands that read the ledger find it: `--state`, else the configuration's
/// state folder (`--config`, `$LIASSE_CONFIG`, or /etc/liasse/liasse.toml).
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $LIASSE_CONFIG, else /etc/liasse/liasse.toml).")
    var config: String?

    @Option(name: .long, help: "The state folder holding ledger.sqlite and the signing key (overrides the configuration's).")
    var state: String?

    func stateDirectory() throws -> String {
        if let state { return state }
        let path = config ?? ProcessInfo.processInfo.environment["LIASSE_CONFIG"] ?? "/etc/liasse/liasse.toml"
        do {
            return try LiasseConfiguration.Configuration.load(path: path).stateDirectory
        } catch {
            throw ValidationError("\(error) (or pass --state)")
        }
    }

    func ledgerPath() throws -> String { try stateDirectory() + "/ledger.sqlite" }
    func signingKeyPath() throws -> String { try stateDirectory() + "/certificate-signing.key" }

    func open() throws -> SQLiteLedger {
        let path = try ledgerPath()
        do {
            return try SQLiteLedger(path: path)
        } catch {
            throw ValidationError("cannot open the ledger \(path): \(error)")
        }
    }
}

extension Liasse {
    /// `liasse invoices`: the deposits of the ledger and their statuses.
    struct Invoices: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List and search deposits, and record their statuses.",
            subcommands: [List.self, SetStatus.self, History.self],
            defaultSubcommand: List.self)
    }
}

extension Liasse.Invoices {
    /// `liasse invoices [list]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List deposits, most recent first, filtered by the options given.",
            discussion: """
                With --json, one JSON object per line: {"certificate", "sequence", "invoiceNumber", "issueDate", \
                "typeCode", "supplier", "recipient", "amounts", "depositedAt", "status", "statusAt", "lot", "entry"}.
                """)

        @OptionGroup var ledger: LedgerOptions

        @Option(name: .long, help: "The supplier's SIRET, or part of its name.")
        var supplier: String?

        @Option(name: .long, help: "The recipient's SIRET, or part of its name.")
        var recipient: String?

        @Option(name: .long, help: "Part of the invoice number.")
        var number: String?

        @Option(name: .long, help: "A status: \(InvoiceStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
        var status: String?

        @Option(name: .long, help: "Deposited on or after this date (YYYY-MM-DD).")
        var from: String?

        @Option(name: .long, help: "Deposited on or before this date (YYYY-MM-DD).")
        var to: String?

        @Option(name: .long, help: "At most this many deposits.")
        var limit: Int?

        @Flag(name: .long, help: "Print one JSON object per deposit and line.")
        var json = false

        func validate() throws {
            if let status, InvoiceStatus(rawValue: status.uppercased()) == nil {
                throw ValidationError("unknown status \(status); one of \(InvoiceStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            for date in [from, to].compactMap({ $0 }) where !Self.isDay(date) {
                throw ValidationError("\(date) is not a date YYYY-MM-DD")
            }
        }

        static func isDay(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
                && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { (48...57).contains(bytes[$0]) }
        }

        func run() throws {
            let query = DepositQuery(supplier: supplier, recipient: recipient, number: number,
                                     status: status.flatMap { InvoiceStatus(rawValue: $0.uppercased()) },
                                     from: from, to: to, limit: limit)
            let records = try ledger.open().search(query)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for record in records { print(String(decoding: try encoder.encode(record), as: UTF8.self)) }
                return
            }
            print(Self.table(records))
        }

        static func table(_ records: [DepositRecord]) -> String {
            guard !records.isEmpty else { return "No deposit matches." }
            let header = ["DEPOSITED", "NUMBER", "ISSUED", "SUPPLIER", "RECIPIENT", "TOTAL (TTC)", "STATUS", "CERTIFICATE"]
            let rows = records.map { record in
                [String(record.depositedAt.prefix(10)), record.invoiceNumber, record.issueDate,
                 record.supplier.siret, clip(record.recipient.name, 28),
                 "\(record.amounts.ttc) \(record.amounts.currency)", record.status.rawValue, record.certificate]
            }
            var widths = header.map(\.count)
            for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { index, cell in
                    index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
            }
            return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n\(records.count) deposit(s)."
        }

        static func clip(_ text: String, _ width: Int) -> String {
            text.count <= width ? text : String(text.prefix(width - 1)) + "…"
        }
    }

    /// `liasse invoices set-status`.
    struct SetStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status",
            abstract: "Record a status reported by the recipient's side, with its date.",
            discussion: """
                The invoice is named by its certificate number, or by its invoice number (with --supplier \
                and --year when several suppliers or years share it). Allowed moves: \
                \(InvoiceStatus.allCases.map { "\($0.rawValue) → \($0.next.isEmpty ? "(final)" : $0.next.map(\.rawValue).sorted().joined(separator: "|"))" }.joined(separator: "; ")). \
                A_RECYCLER frees the invoice number for a corrected deposit. Exit status 1 when the move is refused.
                """)

        @OptionGroup var ledger: LedgerOptions

        @Option(name: .long, help: "When the status took effect (YYYY-MM-DD or ISO 8601 time; default: today, UTC).")
        var date: String?

        @Option(name: .long, help: "A note kept with the change (a reason for a suspension or rejection…).")
        var note: String?

        @Option(name: .long, help: "The supplier's SIRET, when the invoice is named by its number.")
        var supplier: String?

        @Option(name: .long, help: "The issue year, when the invoice is named by its number.")
        var year: Int?

        @Argument(help: "The certificate number, or the invoice number.")
        var invoice: String

        @Argument(help: "The new status.")
        var status: String

        func run() throws {
            guard let newStatus = InvoiceStatus(rawValue: status.uppercased()) else {
                throw ValidationError("unknown status \(status); one of \(InvoiceStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let opened = try ledger.open()
            let fingerprint = try resolve(invoice, in: opened)
            let clock = WallClock.system
            let effective = date ?? clock.today()
            do {
                let record = try opened.setStatus(fingerprint: fingerprint, to: newStatus, effectiveAt: effective,
                                                  note: note, recordedAt: clock.now())
                print("\(record.invoiceNumber) (\(record.certificate)): \(record.status.rawValue) since \(record.statusAt)")
            } catch {
                FileHandle.standardError.write(Data("liasse: refused: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }

        func resolve(_ name: String, in ledger: SQLiteLedger) throws -> String {
            if name.count == 44, name.hasSuffix("="), try ledger.certificate(fingerprint: name) != nil { return name }
            let matches = try ledger.search(DepositQuery(supplier: supplier, number: name)).filter {
                $0.invoiceNumber == name && (year == nil || $0.issueDate.hasPrefix("\(year!)-"))
                    && (supplier == nil || $0.supplier.siret == supplier)
            }
            // A number recycled and deposited again names its live deposit first.
            let live = matches.filter { $0.status != .aRecycler }
            let candidates = live.isEmpty ? matches : live
            guard !candidates.isEmpty else { throw ValidationError("no deposit has certificate or invoice number \(name)") }
            guard candidates.count == 1 else {
                let list = candidates.map { "\($0.supplier.siret) \($0.issueDate) \($0.certificate)" }.joined(separator: "; ")
                throw ValidationError("\(candidates.count) deposits have number \(name) (\(list)): name it by its certificate number, or add --supplier / --year")
            }
            return candidates[0].certificate
        }
    }

    /// `liasse invoices history CERTIFICATE`.
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the statuses a deposit went through.")

        @OptionGroup var ledger: LedgerOptions

        @Argument(help: "The certificate number.")
        var certificate: String

        func run() throws {
            let history = try ledger.open().statusHistory(fingerprint: certificate)
            guard !history.isEmpty else {
                FileHandle.standardError.write(Data("liasse: no deposit has certificate number \(certificate)\n".utf8))
                throw ExitCode(1)
            }
            for change in history {
                print("\(change.effectiveAt.padding(toLength: 20, withPad: " ", startingAt: 0))  \(change.status.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0))  recorded \(change.recordedAt)\(change.note.map { "  — \($0)" } ?? "")")
            }
        }
    }
}
