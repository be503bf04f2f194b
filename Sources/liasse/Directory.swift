import ArgumentParser
import Foundation
import LiasseCore
import LiasseRules

extension Liasse {
    /// `liasse directory`: the recipient directory (annuaire) the Chorus Pro rules address invoices by.
    struct Directory: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import, check and show the recipient directory (annuaire).",
            discussion: "The directory file format is described in docs/DIRECTORY.md; Config/annuaire.example.csv is an example.",
            subcommands: [Import.self, Check.self, Show.self])
    }
}

extension Liasse.Directory {
    /// `liasse directory import FILE`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a directory file and make it the ledger's directory.",
            discussion: """
                Every line is checked first; one bad line refuses the whole file (exit status 1), with \
                every error listed by line number, and the ledger keeps its directory. Note: when the \
                configuration names a `directory` file, the service imports that file at start whenever \
                its content changed.
                """)

        @OptionGroup var ledger: LedgerOptions

        @Argument(help: "The directory file (CSV, UTF-8).")
        var file: String

        func run() throws {
            let opened = try ledger.open()
            do {
                let outcome = try DirectoryImporter.importFile(path: file, into: opened)
                if case .imported(let record) = outcome {
                    print("Imported \(file): \(record.structures) structure(s), \(record.services) service(s) into \(opened.path).")
                }
            } catch let failure as DirectoryImporter.Failure {
                FileHandle.standardError.write(Data("liasse: \(failure)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// `liasse directory check FILE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a directory file without importing it (exit status 1 when refused).")

        @Argument(help: "The directory file (CSV, UTF-8).")
        var file: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("liasse: cannot read \(file)\n".utf8))
                throw ExitCode(2)
            }
            do {
                let directory = try DirectoryCSV.parse(String(decoding: data, as: UTF8.self))
                let services = directory.recipients.values.reduce(0) { $0 + $1.services.count }
                print("\(file): valid, \(directory.recipients.count) structure(s), \(services) service(s).")
            } catch {
                FileHandle.standardError.write(Data("liasse: \(file): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// `liasse directory show SIRET`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a structure of the directory, with its services.",
            discussion: "Exit status 1 when the directory does not know the SIRET.")

        @OptionGroup var ledger: LedgerOptions

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        @Argument(help: "The structure's SIRET (14 digits).")
        var siret: String

        func run() throws {
            let opened = try ledger.open()
            guard let recipient = try opened.recipient(siret: siret) else {
                var message = "liasse: \(siret) is not in the directory"
                if let problem = SIRET.problem(siret) { message += " (and it is not a valid SIRET: \(problem))" }
                if let last = try opened.lastDirectoryImport() {
                    message += "; directory imported from \(last.source) on \(last.importedAt)"
                } else {
                    message += "; no directory was ever imported (liasse directory import FILE)"
                }
                FileHandle.standardError.write(Data((message + "\n").utf8))
                throw ExitCode(1)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(recipient), as: UTF8.self))
                return
            }
            print("\(recipient.siret)  \(recipient.name)")
            print("  active:   \(recipient.active ? "yes" : "NO (receives no invoices)")")
            print("  requires: \(Self.describe(recipient.requires))")
            if recipient.services.isEmpty {
                print("  services: none")
            } else {
                print("  services:")
                for service in recipient.services {
                    var flags: [String] = []
                    if !service.active { flags.append("INACTIVE") }
                    if service.engagementRequired { flags.append("engagement number required") }
                    print("    \(service.code.padding(toLength: max(20, service.code.count), withPad: " ", startingAt: 0))  \(service.name)"
                          + (flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]"))
                }
            }
        }

        static func describe(_ requirement: AddressingRequirement) -> String {
            switch requirement {
            case .none: return "nothing beyond the SIRET"
            case .service: return "a service code (BT-10)"
            case .engagement: return "an engagement number (BT-13)"
            case .serviceAndEngagement: return "a service code (BT-10) and an engagement number (BT-13)"
            case .serviceOrEngagement: return "a service code (BT-10) or an engagement number (BT-13)"
            }
        }
    }
}
