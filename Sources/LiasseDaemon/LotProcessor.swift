import Crypto
import Foundation
import Glibc
import Synchronization
import LiasseConfiguration
import LiasseCore
import LiasseIntake
import LiasseInvoice
import LiasseJudge
import LiasseRules

/// Turns one claimed drop into outcomes: unpacks it, validates each entry, deposits the
/// valid invoices through the core, and writes certificates, rejections and the lot report.
///
/// Verdicts on input are values (rejections in the reports); only failures of the
/// machine itself (disk, ledger) are thrown.
struct LotProcessor: Sendable {
    let inbox: InboxConfiguration
    let validator: Validator
    let core: DepositCore
    let limits: LotLimits
    /// Entries judged in parallel.
    var workers: Int = 1
    /// What rejections and reports are stamped with.
    var clock: WallClock = .system
    /// Raised when the service stops (SIGTERM): a lot in progress stops between two entries.
    var stop = StopSignal()

    /// A claimed file in the work folder.
    struct Claim: Sendable {
        /// The lot identifier given at claim time.
        var lot: String
        /// The name the file was dropped under.
        var originalName: String
        /// Its path in the work folder.
        var path: String
        var receivedAt: Date
    }

    func process(_ claim: Claim) throws(DaemonError) -> LotReport {
        var context = LotContext(claim: claim, inbox: inbox, clock: clock)
        let fd = open(claim.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP || errno == ENXIO {
                context.lotError(Self.notRegular("a symbolic link or a special file"))
                return try context.finish(sha256: "", writer: writer)
            }
            throw .io("cannot open \(claim.path)", errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io("cannot stat \(claim.path)", errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            context.lotError(Self.notRegular("a FIFO, device or folder"))
            return try context.finish(sha256: "", writer: writer)
        }
        guard info.st_nlink == 1 else {
            context.lotError(Self.notRegular("a hard link to another file"))
            return try context.finish(sha256: "", writer: writer)
        }
        let size = Int(info.st_size)
        let sha256 = try Self.hash(fd: fd, path: claim.path)
        if size == 0 {
            context.lotError(Finding(rule: "LIASSE-LOT-01", severity: .fatal, code: .emptyFile,
                                     message: "Le fichier déposé est vide. Déposez-le à nouveau, complet.",
                                     messageEn: "The dropped file is empty. Drop it again, complete."))
            return try context.finish(sha256: sha256, writer: writer)
        }
        if size > limits.maxDropBytes {
            context.lotError(Finding(rule: "LIASSE-LOT-02", severity: .fatal, code: .fileSize,
                                     message: "Le fichier fait \(size) octets, au-delà des \(limits.maxDropBytes) octets acceptés par dépôt. Découpez-le en lots plus petits.",
                                     messageEn: "The file is \(size) bytes, above the \(limits.maxDropBytes) bytes accepted per drop. Split it into smaller lots."))
            return try context.finish(sha256: sha256, writer: writer)
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw .io("cannot rewind \(claim.path)", errno) }

        let kind = DropKind(fileName: claim.originalName)
        switch kind {
        case .zip, .tarGz:
            try processLot(fd: fd, kind: kind, size: size, context: &context)
        case .xml, .pdf:
            let bytes = try Self.readAll(fd: fd, size: size, path: claim.path)
            try processEntry(path: claim.originalName, bytes: bytes, inLot: false, context: &context)
        case .unsupported(let ext):
            context.lotError(JudgeFindings.unsupportedType(ext, inLot: false))
        }
        return try context.finish(sha256: sha256, writer: writer)
    }

    var writer: OutboxWriter { OutboxWriter(outbox: inbox.outboxDirectory) }

    /// Every check on one file (container, XML, attachments, the inbox's Factur-X profiles).
    private var judge: Judge {
        Judge(validator: validator, selection: RuleSelection(xsd: true, packs: inbox.rulePacks),
              profilePolicy: inbox.facturXProfiles)
    }

    private func processLot(fd: Int32, kind: DropKind, size: Int, context: inout LotContext) throws(DaemonError) {
        // The whole container first: nothing of a lot that is not whole is deposited.
        if let problem = ContainerIntegrity.check(fileDescriptor: fd, kind: kind, size: size, limits: limits) {
            Self.report(problem, kind: kind, recognised: false, context: &context)
            return
        }
        let reader: LotReader
        do {
            reader = try LotReader(fileDescriptor: fd, kind: kind, limits: limits)
        } catch {
            Self.report(error, kind: kind, recognised: false, context: &context)
            return
        }
        var sawHeader = false
        // Entries go through the pipeline a batch at a time (see `Pipeline`): judged in
        // parallel, deposited in lot order, their outputs written while the next is deposited.
        var batch: [BatchItem] = []
        var batchBytes = 0
        var pipeline = Pipeline()
        // Nothing of this lot may still run once it returns, even on an error.
        defer { pipeline.wait() }
        let batchLimit = max(1, workers) * 8
        while true {
            // A stop leaves the lot between two entries: the next start takes it up again.
            if stop.isRaised { throw .stopping }
            let item: LotItem?
            do {
                item = try reader.next()
            } catch {
                Self.report(error, kind: kind, recognised: sawHeader, context: &context)
                try pipeline.drain(&batch, processor: self, context: &context)
                return
            }
            guard let item else { break }
            sawHeader = true
            switch item {
            case .directory:
                continue
            case .refused(let path, let refusal):
                batch.append(.refused(path: path, Self.entryRefusal(refusal)))
            case .file(let path, let bytes):
                if Self.isPlatformJunk(path) { continue }
                batchBytes += bytes.count
                batch.append(.file(path: path, bytes: bytes))
            }
            if batch.count >= batchLimit || batchBytes >= Self.batchByteLimit {
                try pipeline.advance(&batch, processor: self, context: &context)
                batchBytes = 0
            }
        }
        try pipeline.drain(&batch, processor: self, context: &context)
        if context.entries.isEmpty && context.errors.isEmpty {
            context.lotError(Finding(rule: "LIASSE-LOT-06", severity: .fatal, code: .emptyFile,
                                     message: "Le lot ne contient aucun fichier. Mettez vos factures XML ou Factur-X dans l'archive.",
                                     messageEn: "The lot holds no file. Put your XML or Factur-X invoices in the archive."))
        }
    }

    /// One entry waiting in a batch.
    enum BatchItem: Sendable {
        case file(path: String, bytes: [UInt8])
        case refused(path: String, Finding)
    }

    /// What the checks said of one entry, before anything is deposited.
    enum Judgement: Sendable {
        case reject(sha256: String?, syntax: String?, number: String?, findings: [Finding], rulePacks: [RulePackStamp])
        case deposit(sha256: String, syntax: String?, invoice: Invoice, findings: [Finding], syntaxCode: ChorusSyntaxCode,
                     rulePacks: [RulePackStamp])
    }

    /// Most bytes of entries judged together.
    static let batchByteLimit = 16 * 1024 * 1024

    /// The three stages a lot's entries go through, a batch at a time: judged in parallel,
    /// deposited in lot order (an earlier entry's number wins over a later one's), then their
    /// outputs written. While one batch is deposited, the next is judged on the other threads
    /// and the previous one's certificates are rendered and written: at most three batches
    /// are in flight, and only the one being judged holds entry bytes.
    struct Pipeline {
        private var judging: JudgingBatch?
        private var output: OutputBatch?

        /// Moves the pipeline one step: starts judging `batch` (if any), deposits the batch
        /// judged before it (if any) and starts writing its outputs, and appends the lines of
        /// the batch written before that.
        mutating func advance(_ batch: inout [BatchItem], processor: LotProcessor,
                              context: inout LotContext) throws(DaemonError) {
            let next = batch.isEmpty ? nil : JudgingBatch(batch, processor: processor)
            batch.removeAll(keepingCapacity: true)
            let previous = judging
            judging = next
            if let previous {
                try deposit(previous, processor: processor, context: &context)
            }
            // A batch of big entries is finished before more is read: memory holds one batch's
            // bytes (and one entry of up to the entry cap), never two batches of big entries.
            if let next, next.bytes >= LotProcessor.batchByteLimit {
                judging = nil
                try deposit(next, processor: processor, context: &context)
            }
        }

        /// Sends `batch` (if any) and everything in flight through to the end.
        mutating func drain(_ batch: inout [BatchItem], processor: LotProcessor,
                            context: inout LotContext) throws(DaemonError) {
            try advance(&batch, processor: processor, context: &context)
            try advance(&batch, processor: processor, context: &context)
            try appendWritten(&context)
        }

        /// Waits for every stage to end, whatever their outcome.
        func wait() {
            judging?.waitForJudges()
            output?.wait()
        }

        private mutating func deposit(_ judged: JudgingBatch, processor: LotProcessor,
                                      context: inout LotContext) throws(DaemonError) {
            let outputs = try processor.deposit(judged.judgements(), context: &context)
            try appendWritten(&context)
            output = OutputBatch(outputs, writer: processor.writer)
        }

        private mutating func appendWritten(_ context: inout LotContext) throws(DaemonError) {
            guard let written = output else { return }
            output = nil
            context.append(try written.lines())
        }
    }

    /// A batch whose entries are being judged in parallel, on other threads.
    final class JudgingBatch: @unchecked Sendable {
        private let paths: [String]
        private let slots: Slots<(judgement: Judgement, judging: Duration)>
        private let group = DispatchGroup()
        /// Bytes of the entries judged.
        let bytes: Int

        init(_ items: [BatchItem], processor: LotProcessor) {
            bytes = items.reduce(0) { total, item in
                if case .file(_, let bytes) = item { return total + bytes.count }
                return total
            }
            paths = items.map { item in
                switch item {
                case .file(let path, _), .refused(let path, _): return path
                }
            }
            let slots = Slots<(judgement: Judgement, judging: Duration)>(count: items.count)
            self.slots = slots
            DispatchQueue.global().async(group: group) {
                DispatchQueue.concurrentPerform(iterations: items.count) { index in
                    let started = ContinuousClock.now
                    let judgement: Judgement
                    switch items[index] {
                    case .file(let path, let bytes):
                        judgement = processor.judge(path: path, bytes: bytes, inLot: true)
                    case .refused(_, let finding):
                        judgement = .reject(sha256: nil, syntax: nil, number: nil, findings: [finding], rulePacks: [])
                    }
                    slots.set(index, (judgement, ContinuousClock.now - started))
                }
            }
        }

        func waitForJudges() {
            group.wait()
        }

        /// The judgements, in entry order, once every judge is done.
        func judgements() -> [(path: String, judgement: Judgement, judging: Duration)] {
            group.wait()
            return paths.enumerated().map { index, path in
                let slot = slots.get(index)
                return (path, slot.judgement, slot.judging)
            }
        }
    }

    private func processEntry(path: String, bytes: [UInt8], inLot: Bool, context: inout LotContext) throws(DaemonError) {
        let started = ContinuousClock.now
        let judgement = judge(path: path, bytes: bytes, inLot: inLot)
        let outputs = try deposit([(path, judgement, ContinuousClock.now - started)], context: &context)
        context.append(try EntryOutput.write(outputs, writer: writer))
    }

    /// Every check on one entry (the judge's), with the digest of its bytes; touches
    /// nothing, so entries are judged in parallel.
    func judge(path: String, bytes: [UInt8], inLot: Bool) -> Judgement {
        let sha256 = SHA256.hash(data: bytes).hexString
        let verdict = judge.judge(entry: bytes, name: path, inLot: inLot)
        let result = verdict.result
        guard let invoice = result.invoice, result.isValid else {
            return .reject(sha256: sha256, syntax: verdict.reportedSyntax, number: result.invoice?.number?.value,
                           findings: result.findings, rulePacks: verdict.rulePacks)
        }
        return .deposit(sha256: sha256, syntax: verdict.reportedSyntax, invoice: invoice, findings: result.findings,
                        syntaxCode: verdict.syntaxCode ?? ChorusSyntaxCode(syntax: invoice.syntax, inFacturX: false, mixed: false),
                        rulePacks: verdict.rulePacks)
    }

    /// Deposits judged entries through the core, all in one ledger transaction, and plans
    /// their outputs in lot order. The outputs are written after the commit: a certificate is
    /// never written for a deposit the ledger might not hold.
    ///
    /// Each entry's processing time in the lot report is its own judging time, its share of
    /// the batch's ledger transaction and rendering, and the writing of its outputs: the work
    /// done for it, whichever thread did it and however the batches overlapped.
    func deposit(_ judged: [(path: String, judgement: Judgement, judging: Duration)],
                 context: inout LotContext) throws(DaemonError) -> [EntryOutput] {
        let batchStarted = ContinuousClock.now
        var deposits: [(invoice: Invoice, source: DepositCore.Source)] = []
        for (path, judgement, _) in judged {
            if case .deposit(let sha256, _, let invoice, _, let syntaxCode, let rulePacks) = judgement {
                deposits.append((invoice, DepositCore.Source(lot: context.claim.lot, entry: path, sha256: sha256,
                                                             syntaxCode: syntaxCode, rulePacks: rulePacks)))
            }
        }
        let verdicts: [DepositCore.Verdict]
        do {
            verdicts = try core.depositAll(deposits)
        } catch {
            throw .io("ledger: \(error)", EIO)
        }
        let share = (ContinuousClock.now - batchStarted) / max(1, judged.count)
        var next = verdicts.makeIterator()
        return judged.map { path, judgement, judging in
            let before = judging + share
            switch judgement {
            case .reject(let sha256, let syntax, let number, let findings, let rulePacks):
                return context.planReject(path: path, sha256: sha256, syntax: syntax, number: number, findings: findings,
                                          rulePacks: rulePacks, before: before)
            case .deposit(let sha256, let syntax, let invoice, let findings, _, let rulePacks):
                switch next.next()! {
                case .deposited(let certificate):
                    return context.planDeposit(path: path, sha256: sha256, syntax: syntax, certificate: certificate,
                                               resent: false, warnings: findings, before: before)
                case .resent(let certificate):
                    return context.planDeposit(path: path, sha256: sha256, syntax: syntax, certificate: certificate,
                                               resent: true, warnings: findings, before: before)
                case .refused(let refusals):
                    return context.planReject(path: path, sha256: sha256, syntax: syntax, number: invoice.number?.value,
                                              findings: findings + refusals,
                                              rulePacks: rulePacks + (inbox.rulePacks.isOn(.chorus) ? [ChorusRules.stamp] : []),
                                              before: before)
                }
            }
        }
    }

    /// Files that archivers add on their own and nobody means to deposit.
    static func isPlatformJunk(_ path: String) -> Bool {
        path.hasPrefix("__MACOSX/") || path == ".DS_Store" || path.hasSuffix("/.DS_Store")
    }

    static func hash(fd: Int32, path: String) throws(DaemonError) -> String {
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw .io("cannot read \(path)", errno) }
            if n == 0 { break }
            hasher.update(data: buffer[0..<n])
        }
        return hasher.finalize().hexString
    }

    static func readAll(fd: Int32, size: Int, path: String) throws(DaemonError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, size - offset) }
            if n < 0 { if errno == EINTR { continue }; throw .io("cannot read \(path)", errno) }
            if n == 0 { break }
            offset += n
        }
        return Array(bytes[0..<offset])
    }
}

extension LotProcessor {
    static func notRegular(_ what: String) -> Finding {
        Finding(rule: "LIASSE-LOT-03", severity: .fatal, code: .fileType,
                message: "Le dépôt est \(frenchWhat(what)), pas un fichier ordinaire : il est refusé sans être lu. Déposez le fichier lui-même.",
                messageEn: "The drop is \(what), not a plain file: refused without reading it. Drop the file itself.")
    }

    private static func frenchWhat(_ what: String) -> String {
        switch what {
        case "a hard link to another file": return "un lien physique vers un autre fichier"
        case "a FIFO, device or folder": return "un tube, un périphérique ou un dossier"
        default: return "un lien symbolique ou un fichier spécial"
        }
    }

    /// A lot-wide error as the lot's outcome: not an archive (unreadable before any entry was
    /// `recognised`), damaged (an incident: send it again), or over a limit.
    static func report(_ error: LotError, kind: DropKind, recognised: Bool, context: inout LotContext) {
        switch error {
        case .unreadable where !recognised:
            context.lotError(notAnArchive(kind: kind, error))
        case .unreadable, .damaged:
            context.incident(damaged(error))
        case .tooManyEntries, .tooLarge, .compressionBomb:
            context.lotError(lotLimit(error))
        }
    }

    /// A lot that breaks a lot-wide limit: refused whole.
    static func lotLimit(_ error: LotError) -> Finding {
        Finding(rule: "LIASSE-LOT-05", severity: .fatal, code: .fileSize,
                message: Self.frenchLotLimit(error),
                messageEn: error.description.prefix(1).uppercased() + error.description.dropFirst() + ".")
    }

    /// A lot cut short or damaged: nothing of it is deposited, it needs a new drop.
    static func damaged(_ error: LotError) -> Finding {
        let why: String
        switch error {
        case .unreadable(let reason), .damaged(let reason): why = reason
        default: why = error.description
        }
        return Finding(rule: "LIASSE-LOT-04", severity: .fatal, code: .fileType,
                       message: "L'archive est tronquée ou endommagée (\(why)) : aucune de ses factures n'a été déposée. Renvoyez le lot complet.",
                       messageEn: "The archive is truncated or damaged (\(why)): none of its invoices was deposited. Send the complete lot again.")
    }

    static func notAnArchive(kind: DropKind, _ error: LotError) -> Finding {
        let name = kind == .zip ? "zip" : "tar.gz"
        return Finding(rule: "LIASSE-LOT-08", severity: .fatal, code: .fileType,
                       message: "Le fichier porte l'extension d'une archive \(name) mais n'en est pas une lisible (\(error)). L'extension et le contenu doivent concorder.",
                       messageEn: "The file is named as a \(name) archive but is not a readable one (\(error)). Extension and content must agree.")
    }

    static func entryRefusal(_ refusal: EntryRefusal) -> Finding {
        let (rule, code, french): (String, ReasonCode, String)
        switch refusal {
        case .notARegularFile:
            (rule, code, french) = ("LIASSE-LOT-10", .fileType, "L'entrée n'est pas un fichier ordinaire (lien, périphérique, tube) ; un lot ne doit contenir que des fichiers de factures.")
        case .encrypted:
            (rule, code, french) = ("LIASSE-LOT-11", .fileType, "L'entrée est chiffrée ; déposez des lots sans mot de passe.")
        case .pathTraversal:
            (rule, code, french) = ("LIASSE-LOT-12", .fileType, "Le chemin de l'entrée est absolu, contient une barre oblique inverse ou remonte avec « .. » ; utilisez des noms relatifs simples.")
        case .badName(let why):
            (rule, code, french) = ("LIASSE-LOT-13", .fileType, "Le nom de l'entrée est inutilisable (\(why)) ; nommez les fichiers en UTF-8.")
        case .duplicateName:
            (rule, code, french) = ("LIASSE-LOT-14", .fileType, "Une autre entrée du lot porte le même nom ; chaque facture doit avoir son propre nom de fichier.")
        case .tooLarge(let limit):
            (rule, code, french) = ("LIASSE-LOT-15", .fileSize, "L'entrée dépasse \(limit) octets une fois décompressée.")
        }
        return Finding(rule: rule, severity: .fatal, code: code, message: french,
                       messageEn: refusal.description.prefix(1).uppercased() + refusal.description.dropFirst() + ".")
    }

    static func frenchLotLimit(_ error: LotError) -> String {
        switch error {
        case .tooManyEntries(let limit): return "Le lot contient plus de \(limit) entrées ; découpez-le en lots plus petits."
        case .tooLarge(let limit): return "Le lot dépasse \(limit) octets une fois décompressé ; découpez-le en lots plus petits."
        case .compressionBomb(let ratio): return "Le lot se décompresse plus de \(ratio) fois sa taille : refusé comme bombe de décompression."
        case .unreadable(let why): return "L'archive est illisible : \(why)."
        case .damaged(let why): return "L'archive est tronquée ou endommagée : \(why)."
        }
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String {
        var result = ""
        for byte in self {
            let digits = String(byte, radix: 16)
            result += digits.count == 1 ? "0" + digits : digits
        }
        return result
    }
}

extension SHA256.Digest {
    var hexString: String { Array(self).hexString }
}

/// Where parallel workers leave their results (judgements, rendered certificates): each
/// index is written by one worker only, and read after all of them are done.
final class Slots<Value>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func get(_ index: Int) -> Value {
        lock.lock()
        defer { lock.unlock() }
        return values[index]!
    }
}

/// Raised once, when the service stops; read by the lots in progress.
final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    func raise() { raised.store(true, ordering: .relaxed) }
}
