import ArgumentParser
import Foundation
import LiasseConfiguration
import LiasseDaemon
import Logging
import ServiceLifecycle

extension Liasse {
    /// `liasse run`: the service.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Watch the configured inboxes and process every drop.",
            discussion: """
                Without --once, polls until SIGTERM (as a systemd service). With --once, processes \
                what is present in the inboxes, prints a summary of each lot and exits: 0 when every \
                drop was processed, 1 when one could not be (see failed/).
                """)

        @Option(name: .long, help: "The configuration file (TOML).")
        var config: String

        @Flag(name: .long, help: "Process what is present, then exit.")
        var once = false

        func run() async throws {
            LoggingSystem.bootstrap { JournalLogHandler(label: $0) }
            let logger = Logger(label: "liasse")
            let configuration: LiasseConfiguration.Configuration
            do {
                configuration = try LiasseConfiguration.Configuration.load(path: config)
            } catch {
                throw ValidationError("\(error)")
            }
            let service = try LiasseService(configuration: configuration, logger: logger)
            if once {
                let reports = try await service.runOnce()
                print(RunSummary.render(reports, configuration: configuration))
                return
            }
            let group = ServiceGroup(configuration: .init(
                services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }
}

/// The text `liasse run --once` prints: one line per lot, then where the outputs are.
enum RunSummary {
    static func render(_ reports: [LotReport], configuration: LiasseConfiguration.Configuration) -> String {
        var lines: [String] = []
        if reports.isEmpty { lines.append("Nothing to process.") }
        for report in reports {
            lines.append("\(report.status.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0)) \(report.file.escapedForDisplay)  "
                         + "(\(report.counts.deposited) deposited, \(report.counts.rejected) rejected)  lot \(report.lot)")
            for error in report.errors {
                lines.append("    lot: \(error.code) \(error.rule): \(error.messageEn)")
            }
            for entry in report.entries {
                let detail: String
                if entry.outcome == .deposited {
                    detail = "deposited  \(entry.invoiceNumber ?? "")  certificate \(entry.fingerprint ?? "")\(entry.resent == true ? " (re-send)" : "")"
                } else {
                    let first = entry.reasons.first { $0.severity == .fatal } ?? entry.reasons.first
                    detail = "rejected   \(first.map { "\($0.code) \($0.rule): \($0.messageEn)" } ?? "")"
                }
                lines.append("    \(entry.path.escapedForDisplay): \(detail.escapedForDisplay)")
            }
        }
        for inbox in configuration.inboxes {
            lines.append("")
            lines.append("Inbox \(inbox.name):")
            lines.append("  certificates: \(inbox.outboxDirectory)/certificates/")
            lines.append("  rejections:   \(inbox.outboxDirectory)/rejects/")
            lines.append("  lot reports:  \(inbox.outboxDirectory)/reports/")
            lines.append("  inputs:       \(inbox.archiveDirectory)/ (processed), \(inbox.failedDirectory)/ (could not be processed)")
        }
        return lines.joined(separator: "\n")
    }
}
