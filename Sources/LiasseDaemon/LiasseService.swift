import CShims
import Foundation
import Glibc
import LiasseConfiguration
import LiasseCore
import LiasseRules
import Logging
import ServiceLifecycle
import Synchronization

/// The long-running service: polls every inbox, claims complete drops, processes them, and
/// moves each input to `archive/` (or `failed/`) once its outcome is durable.
public final class LiasseService: Service, Sendable {
    public let configuration: Configuration
    private let processors: [String: LotProcessor]
    private let logger: Logger
    private let journal: Journal
    /// Raised on SIGTERM: the lots in progress stop between two entries.
    private let stop = StopSignal()
    private let metrics: Metrics
    /// What every record of the service is stamped with (deposits, reports, lot ids, journal).
    private let clock: WallClock
    /// When each drop that failed for a transient reason may be tried again.
    private let retryAfter = Mutex<[String: PendingRetry]>([:])

    /// A drop waiting for its next attempt: its inbox and when it may be tried again.
    private struct PendingRetry: Sendable {
        var inbox: String
        var at: ContinuousClock.Instant
    }

    /// Prepares everything before the first poll: schemas compiled, ledger open, signing
    /// key loaded, folders created. `clock` is the system's but in tests.
    public init(configuration: Configuration, logger: Logger, clock: WallClock = .system) throws {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
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
                _ = try DirectoryImporter.importIfChanged(path: directoryFile, into: ledger, now: clock.now())
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
            let core = DepositCore(ledger: ledger, signer: signer, policy: inbox.depositPolicy, clock: clock)
            processors[inbox.name] = LotProcessor(inbox: inbox, validator: validator, core: core,
                                                  limits: configuration.limits, workers: configuration.workerCount, clock: clock,
                                                  stop: stop)
        }
        self.processors = processors
        journal = try Journal(path: configuration.stateDirectory + "/journal.sqlite", clock: clock)
        metrics = Metrics(path: configuration.metricsFile)
    }

    /// Polls until graceful shutdown (SIGTERM). A stop claims nothing new and leaves a lot in
    /// progress between two entries (within a second on this machine kind): it stays in the
    /// work folder and the next start takes it up again, like a drop abandoned by a harder
    /// stop; what it had deposited is recognised, never deposited twice.
    public func run() async throws {
        let notifier = SystemdNotifier()
        var scanners = configuration.inboxes.map { InboxScanner(inbox: $0, clock: clock) }
        // The reports of finished drops are in the outbox already; only the start matters here.
        _ = await recover()
        notifier.ready(status: "watching \(configuration.inboxes.count) inbox(es)")
        logger.info("liasse started", metadata: ["inboxes": "\(configuration.inboxes.count)", "workers": "\(configuration.workerCount)"])
        var interval = configuration.inboxes.map(\.pollInterval).min() ?? .seconds(2)
        if let watchdog = notifier.watchdogInterval, watchdog < interval { interval = watchdog }
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                var claims: [(LotProcessor.Claim, InboxConfiguration)] = []
                for index in scanners.indices where !Task.isShuttingDownGracefully {
                    do {
                        claims += try retriable(scanners[index].inbox).map { ($0, scanners[index].inbox) }
                        claims += try claimReady(&scanners[index])
                    } catch {
                        logger.error("cannot poll an inbox", metadata: ["inbox": "\(scanners[index].inbox.name)", "error": "\(error)"])
                    }
                }
                _ = await process(claims)
                metrics.write()
                notifier.watchdog()
                try? await Task.sleep(for: interval)
            }
        } onGracefulShutdown: {
            notifier.stopping()
            self.stop.raise()
        }
        logger.info("liasse stopped")
    }

    /// Processes what is present now, once: leftovers of the work folders first, then every
    /// complete drop of every inbox; a drop failing for a transient reason is retried with
    /// back-off up to `max_attempts` times. Returns the reports written.
    public func runOnce() async throws -> [LotReport] {
        var reports = await recover()
        var claims: [(LotProcessor.Claim, InboxConfiguration)] = []
        if let metricsFile = configuration.metricsFile {
            _ = DurableFile.removeStaleTemporaries(of: metricsFile)
        }
        for inbox in configuration.inboxes {
            var scanner = InboxScanner(inbox: inbox, clock: clock)
            if inbox.stabilityDelay > .zero {
                // A one-shot run cannot wait for files to settle across polls: take the
                // signatures, wait the delay once, and claim what did not change.
                _ = try scanner.readyFiles()
                try await Task.sleep(for: inbox.stabilityDelay)
            }
            claims += try claimReady(&scanner)
        }
        reports += await process(claims)
        // Transient failures: try again after their back-off, until done or failed/.
        while true {
            let pending = retryAfter.withLock { $0 }
            guard let next = pending.values.map(\.at).min() else { break }
            try await Task.sleep(until: next, clock: .continuous)
            var retries: [(LotProcessor.Claim, InboxConfiguration)] = []
            for inbox in configuration.inboxes {
                retries += try retriable(inbox).map { ($0, inbox) }
            }
            reports += await process(retries)
        }
        metrics.write()
        return reports
    }

    /// At start-up: removes temporary files a crash left behind, then finishes every drop
    /// the work folders hold.
    private func recover() async -> [LotReport] {
        var claims: [(LotProcessor.Claim, InboxConfiguration)] = []
        for inbox in configuration.inboxes {
            let removed = DurableFile.removeStaleTemporaries(under: inbox.outboxDirectory)
                + DurableFile.removeStaleTemporaries(under: inbox.failedDirectory)
            if removed > 0 { logger.notice("removed stale temporary files", metadata: ["inbox": "\(inbox.name)", "count": "\(removed)"]) }
            do {
                for claim in try leftovers(of: inbox) {
                    logger.notice("recovering a drop claimed before the last stop", metadata: ["lot": "\(claim.lot)", "file": "\(claim.originalName)"])
                    claims.append((claim, inbox))
                }
            } catch {
                logger.error("cannot list a work folder", metadata: ["inbox": "\(inbox.name)", "error": "\(error)"])
            }
        }
        return await process(claims)
    }

    /// The drops of `inbox`'s work folder, each with the name it was dropped under: a long
    /// name was shortened in the work folder, the journal has it whole.
    private func leftovers(of inbox: InboxConfiguration) throws(DaemonError) -> [LotProcessor.Claim] {
        try InboxScanner(inbox: inbox, clock: clock).leftovers().map { claim in
            var claim = claim
            if let recorded = try? journal.file(of: claim.lot) { claim.originalName = recorded }
            return claim
        }
    }

    /// Leftovers of the work folder whose back-off has expired (drops another process holds
    /// are skipped when processed: their lock is taken).
    private func retriable(_ inbox: InboxConfiguration) throws -> [LotProcessor.Claim] {
        let now = ContinuousClock.now
        let due = retryAfter.withLock { pending in
            pending.filter { $0.value.inbox == inbox.name && $0.value.at <= now }.map(\.key)
        }
        guard !due.isEmpty else { return [] }
        let dueSet = Set(due)
        let claims = try leftovers(of: inbox).filter { dueSet.contains($0.lot) }
        // Every due drop leaves the pending list: those still in the work folder are retried
        // now, those gone from it (another process finished them) are forgotten.
        retryAfter.withLock { pending in for lot in due { pending[lot] = nil } }
        return claims
    }

    private func claimReady(_ scanner: inout InboxScanner) throws -> [(LotProcessor.Claim, InboxConfiguration)] {
        var claims: [(LotProcessor.Claim, InboxConfiguration)] = []
        let ready = try scanner.readyFiles()
        for name in ready {
            // A drop that cannot be claimed is that drop's problem, not the poll pass's: the
            // other drops of the inbox are claimed all the same, and it is tried again at the
            // next pass (a permanent failure shows in the log at each pass).
            do {
                guard let claim = try scanner.claim(name) else { continue }
                claims.append((claim, scanner.inbox))
            } catch {
                logger.error("cannot claim a drop; the other drops go on", metadata: [
                    "inbox": "\(scanner.inbox.name)", "file": "\(name)", "error": "\(error)",
                ])
            }
        }
        // Claimed drops not yet finished, plus those still settling in the inbox.
        let inWork = (try? InboxScanner(inbox: scanner.inbox, clock: clock).leftovers().count) ?? claims.count
        metrics.queueDepth(inbox: scanner.inbox.name, waiting: inWork + scanner.pendingCount)
        return claims
    }

    /// Processes claims: the drops of one inbox one after the other, in claim order (an
    /// earlier drop's invoice number wins over a later drop's), different inboxes in
    /// parallel on up to `workers` tasks.
    private func process(_ claims: [(LotProcessor.Claim, InboxConfiguration)]) async -> [LotReport] {
        guard !claims.isEmpty else { return [] }
        var queues: [[(Int, LotProcessor.Claim, InboxConfiguration)]] = []
        var queueOfInbox: [String: Int] = [:]
        for (index, (claim, inbox)) in claims.enumerated() {
            if let queue = queueOfInbox[inbox.name] {
                queues[queue].append((index, claim, inbox))
            } else {
                queueOfInbox[inbox.name] = queues.count
                queues.append([(index, claim, inbox)])
            }
        }
        var reports: [(Int, LotReport)] = []
        await withTaskGroup(of: [(Int, LotReport)].self) { group in
            var next = 0
            func start() {
                guard next < queues.count else { return }
                let queue = queues[next]
                next += 1
                group.addTask {
                    var done: [(Int, LotReport)] = []
                    for (index, claim, inbox) in queue where !Task.isShuttingDownGracefully {
                        if let report = self.handle(claim, inbox: inbox) { done.append((index, report)) }
                    }
                    return done
                }
            }
            for _ in 0..<configuration.workerCount { start() }
            while let done = await group.next() {
                reports += done
                start()
            }
        }
        return reports.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Processes one claimed drop under its lock and moves it out of the work folder once
    /// its outcome is durable. A failure of the machine (disk, ledger) leaves it in the work
    /// folder for a retry after back-off; after `max_attempts` it goes to `failed/` with
    /// its reason.
    private func handle(_ claim: LotProcessor.Claim, inbox: InboxConfiguration) -> LotReport? {
        guard let processor = processors[inbox.name] else { return nil }
        let lock = ClaimLock(path: claim.path)
        guard lock.acquired else { return nil }
        // Another process may have finished it between our listing and our lock.
        guard lock.stillPresent else { return nil }
        let workName = (claim.path as NSString).lastPathComponent
        let clock = ContinuousClock()
        let started = clock.now
        var claim = claim
        let attempt: Journal.Entry
        do {
            attempt = try journal.beginAttempt(lot: claim.lot, inbox: inbox.name, file: claim.originalName, receivedAt: claim.receivedAt)
        } catch {
            logger.error("cannot write the journal; the drop stays in the work folder", metadata: ["lot": "\(claim.lot)", "error": "\(error)"])
            scheduleRetry(claim.lot, attempts: 1, inbox: inbox)
            return nil
        }
        claim.receivedAt = attempt.receivedAt
        if attempt.failures >= configuration.maxAttempts {
            moveToFailed(claim, inbox: inbox, reason: attempt.lastError ?? "too many failed attempts")
            return nil
        }
        if attempt.interruptions >= configuration.maxInterruptions {
            moveToFailed(claim, inbox: inbox, reason: "the service stopped \(attempt.interruptions) times while processing this drop (crash or kill); it is set aside so it cannot stop the service again")
            return nil
        }
        do {
            let report = try processor.process(claim)
            try journal.mark(lot: claim.lot, state: "reported")
            try move(claim.path, to: inbox.archiveDirectory + "/" + workName)
            try journal.mark(lot: claim.lot, state: "archived")
            metrics.lotProcessed(report, inbox: inbox.name, duration: clock.now - started)
            logger.info("lot processed", metadata: [
                "lot": "\(report.lot)", "file": "\(report.file)", "status": "\(report.status.rawValue)",
                "deposited": "\(report.counts.deposited)", "rejected": "\(report.counts.rejected)",
            ])
            return report
        } catch DaemonError.stopping {
            // Not a failure of the drop: it stays in the work folder, taken up at the next start.
            try? journal.mark(lot: claim.lot, state: "claimed")
            logger.notice("stopping: a drop in progress stays in the work folder", metadata: ["lot": "\(claim.lot)", "file": "\(claim.originalName)"])
            return nil
        } catch {
            let failures = (try? journal.recordFailure(lot: claim.lot, error: "\(error)")) ?? attempt.failures + 1
            if failures >= configuration.maxAttempts {
                moveToFailed(claim, inbox: inbox, reason: "\(error)")
            } else {
                logger.warning("cannot process a drop now; will retry", metadata: [
                    "lot": "\(claim.lot)", "file": "\(claim.originalName)", "attempt": "\(failures)", "error": "\(error)",
                ])
                metrics.retried(inbox: inbox.name)
                scheduleRetry(claim.lot, attempts: failures, inbox: inbox)
            }
            return nil
        }
    }

    /// Back-off: 1 s, 2 s, 4 s… capped at 5 minutes.
    private func scheduleRetry(_ lot: String, attempts: Int, inbox: InboxConfiguration) {
        let delay = Duration.seconds(min(300, 1 << min(attempts - 1, 9)))
        retryAfter.withLock { $0[lot] = PendingRetry(inbox: inbox.name, at: ContinuousClock.now + delay) }
    }

    /// Sends a drop to `failed/` with its reason. If even that fails, the drop stays where
    /// it is and is not retried by this process: a failure of the failure path never loops.
    private func moveToFailed(_ claim: LotProcessor.Claim, inbox: InboxConfiguration, reason: String) {
        let workName = (claim.path as NSString).lastPathComponent
        logger.error("cannot process a drop; moved to failed/", metadata: ["lot": "\(claim.lot)", "file": "\(claim.originalName)", "error": "\(reason)"])
        metrics.failed(inbox: inbox.name)
        let text = "lot: \(claim.lot)\nfile: \(claim.originalName)\nerror: \(reason)\n"
        do {
            try DurableFile.write(Data(text.utf8), to: inbox.failedDirectory + "/" + workName + ".reason.txt")
            // The producer learns it from the outbox too: the lot is incidenté, to send again.
            try? OutboxWriter(outbox: inbox.outboxDirectory).writeReport(LotReport(
                lot: claim.lot, file: claim.originalName, inbox: inbox.name, sha256: "",
                receivedAt: WallClock.timestamp(claim.receivedAt), finishedAt: clock.timestamp(),
                status: .incidente,
                errors: [Reason(Finding(rule: "LIASSE-LOT-09", severity: .fatal, code: .fileType,
                                        message: "Le dépôt n'a pas pu être traité (\(reason)). Il est conservé dans failed/ ; renvoyez-le ou contactez l'exploitant. Les factures déjà déposées seront reconnues.",
                                        messageEn: "The drop could not be processed (\(reason)). It is kept in failed/; send it again or contact the operator. Invoices already deposited will be recognised."))],
                entries: [], counts: .init(entries: 0, deposited: 0, rejected: 0), rulePacks: []))
            try move(claim.path, to: inbox.failedDirectory + "/" + workName)
            try journal.mark(lot: claim.lot, state: "failed", error: reason)
        } catch {
            logger.critical("cannot move a drop to failed/; it stays in the work folder until an operator acts",
                            metadata: ["lot": "\(claim.lot)", "path": "\(claim.path)", "error": "\(error)"])
            retryAfter.withLock { $0[claim.lot] = nil }
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

/// An exclusive lock on a claimed file, held while it is processed, so that two workers or
/// two processes (a recovery racing a live daemon) never process one drop twice. The lock
/// goes with the process: a killed daemon leaves nothing locked.
final class ClaimLock {
    private let fd: Int32
    let acquired: Bool
    private let path: String

    init(path: String) {
        self.path = path
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            // A symbolic link or special file cannot be locked: processing refuses it anyway.
            acquired = errno == ELOOP || errno == ENXIO
        } else {
            acquired = flock(fd, LOCK_EX | LOCK_NB) == 0
        }
    }

    /// Whether the locked file is still the one in the work folder (not moved out since).
    var stillPresent: Bool {
        guard fd >= 0 else {
            var link = stat()
            return lstat(path, &link) == 0
        }
        var opened = stat(), current = stat()
        guard fstat(fd, &opened) == 0, lstat(path, &current) == 0 else { return false }
        return opened.st_ino == current.st_ino && opened.st_dev == current.st_dev
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}
