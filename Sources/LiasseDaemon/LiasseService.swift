import CShims
import Foundation
import Glibc
import LiasseCore
import LiasseRules
import Logging
import ServiceLifecycle

/// The long-running service: polls every inbox, claims complete drops, processes them, and
/// moves each input to `archive/` (or `failed/`) once its outcome is durable.
public final class LiasseService: Service, Sendable {
    public let configuration: Configuration
    private let processors: [String: LotProcessor]
    private let logger: Logger

    /// Prepares everything before the first poll: schemas compiled, ledger open, signing
    /// key loaded, folders created.
    public init(configuration: Configuration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let schemas: SchemaCatalog
        do {
            schemas = try SchemaCatalog(root: configuration.artefactsDirectory)
        } catch {
            throw DaemonError.setup("\(error). Fetch the official artefacts with scripts/fetch-artefacts.sh, or set `artefacts` in the configuration.")
        }
        let ledger = try SQLiteLedger(path: configuration.ledgerPath)
        let signer = try CertificateSigner.loadOrCreate(at: configuration.signingKeyPath)
        if let directoryFile = configuration.directoryFile {
            do {
                _ = try DirectoryImporter.importIfChanged(path: directoryFile, into: ledger)
            } catch {
                throw DaemonError.setup("\(error)")
            }
        }
        let validator = Validator(schemas: schemas, limits: configuration.xmlLimits)
        var processors: [String: LotProcessor] = [:]
        for inbox in configuration.inboxes {
            for folder in [inbox.inboxDirectory, inbox.workDirectory, inbox.archiveDirectory, inbox.failedDirectory,
                           inbox.outboxDirectory + "/certificates", inbox.outboxDirectory + "/rejects",
                           inbox.outboxDirectory + "/reports"] {
                try DurableFile.makeDirectory(folder)
            }
            let core = DepositCore(ledger: ledger, signer: signer, policy: inbox.depositPolicy)
            processors[inbox.name] = LotProcessor(inbox: inbox, validator: validator, core: core,
                                                  limits: configuration.limits)
        }
        self.processors = processors
    }

    /// Polls until graceful shutdown (SIGTERM), finishing the drop in hand before stopping.
    public func run() async throws {
        let notifier = SystemdNotifier()
        var scanners = configuration.inboxes.map { InboxScanner(inbox: $0) }
        _ = try recover()
        notifier.ready(status: "watching \(configuration.inboxes.count) inbox(es)")
        logger.info("liasse started", metadata: ["inboxes": "\(configuration.inboxes.count)"])
        var interval = configuration.inboxes.map(\.pollInterval).min() ?? .seconds(2)
        if let watchdog = notifier.watchdogInterval, watchdog < interval { interval = watchdog }
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                for index in scanners.indices where !Task.isShuttingDownGracefully {
                    do {
                        _ = try poll(&scanners[index])
                    } catch {
                        logger.error("cannot poll an inbox", metadata: ["inbox": "\(scanners[index].inbox.name)", "error": "\(error)"])
                    }
                }
                notifier.watchdog()
                try? await Task.sleep(for: interval)
            }
        } onGracefulShutdown: {
            notifier.stopping()
        }
        logger.info("liasse stopped")
    }

    /// Processes what is present now, once: leftovers of the work folders first, then every
    /// complete drop of every inbox. Returns the reports written.
    public func runOnce() throws -> [LotReport] {
        var reports = try recover()
        for inbox in configuration.inboxes {
            var scanner = InboxScanner(inbox: inbox)
            if inbox.stabilityDelay > .zero {
                // A one-shot run cannot wait for files to settle across polls: take the
                // signatures, wait the delay once, and claim what did not change.
                _ = try scanner.readyFiles()
                Thread.sleep(forTimeInterval: Double(inbox.stabilityDelay.components.seconds)
                             + Double(inbox.stabilityDelay.components.attoseconds) / 1e18)
            }
            reports += try poll(&scanner)
        }
        return reports
    }

    private func recover() throws -> [LotReport] {
        var reports: [LotReport] = []
        for inbox in configuration.inboxes {
            let scanner = InboxScanner(inbox: inbox)
            for claim in try scanner.leftovers() {
                logger.notice("recovering a drop claimed before the last stop", metadata: ["lot": "\(claim.lot)", "file": "\(claim.originalName)"])
                if let report = handle(claim, inbox: inbox) { reports.append(report) }
            }
        }
        return reports
    }

    private func poll(_ scanner: inout InboxScanner) throws -> [LotReport] {
        var reports: [LotReport] = []
        for name in try scanner.readyFiles() {
            guard let claim = try scanner.claim(name) else { continue }
            if let report = handle(claim, inbox: scanner.inbox) { reports.append(report) }
        }
        return reports
    }

    /// Processes one claimed drop and moves it out of the work folder; a failure of the
    /// machine sends it to `failed/` with its reason instead.
    private func handle(_ claim: LotProcessor.Claim, inbox: InboxConfiguration) -> LotReport? {
        guard let processor = processors[inbox.name] else { return nil }
        let workName = (claim.path as NSString).lastPathComponent
        do {
            let report = try processor.process(claim)
            try move(claim.path, to: inbox.archiveDirectory + "/" + workName)
            logger.info("lot processed", metadata: [
                "lot": "\(report.lot)", "file": "\(report.file)", "status": "\(report.status.rawValue)",
                "deposited": "\(report.counts.deposited)", "rejected": "\(report.counts.rejected)",
            ])
            return report
        } catch {
            logger.error("cannot process a drop; moved to failed/", metadata: [
                "lot": "\(claim.lot)", "file": "\(claim.originalName)", "error": "\(error)",
            ])
            let reason = "lot: \(claim.lot)\nfile: \(claim.originalName)\nerror: \(error)\n"
            try? DurableFile.write(Data(reason.utf8), to: inbox.failedDirectory + "/" + workName + ".reason.txt")
            try? move(claim.path, to: inbox.failedDirectory + "/" + workName)
            return nil
        }
    }

    private func move(_ source: String, to destination: String) throws(DaemonError) {
        if liasse_rename_noreplace(AT_FDCWD, source, AT_FDCWD, destination) != 0 {
            throw .io("cannot move \(source) to \(destination)", errno)
        }
        try DurableFile.syncDirectory((destination as NSString).deletingLastPathComponent)
        try DurableFile.syncDirectory((source as NSString).deletingLastPathComponent)
    }
}
