import Foundation
import LiasseConfiguration
import LiasseCore
import LiasseRules

/// What one lot has produced so far: its entries' outcomes and its lot-level errors.
struct LotContext {
    let claim: LotProcessor.Claim
    let inbox: InboxConfiguration
    let clock: WallClock
    private(set) var entries: [EntryReport] = []
    private(set) var errors: [Reason] = []
    private var incidentOccurred = false
    /// Entries given an output name so far; their lines are appended once their outputs are
    /// written (`append`), in the same order.
    private var named = 0

    init(claim: LotProcessor.Claim, inbox: InboxConfiguration, clock: WallClock) {
        self.claim = claim
        self.inbox = inbox
        self.clock = clock
    }

    /// The lot as a whole is refused.
    mutating func lotError(_ finding: Finding) {
        errors.append(Reason(finding))
    }

    /// The lot could not be read to its end: it must be sent again.
    mutating func incident(_ finding: Finding) {
        errors.append(Reason(finding))
        incidentOccurred = true
    }

    /// The name an entry's outputs take: its position in the lot and a safe form of its path.
    /// Names are given in lot order as entries are planned, before their outputs are written.
    private mutating func nextOutputName(for path: String) -> String {
        named += 1
        let index = String(format: "%04d", named)
        var safe = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": safe.unicodeScalars.append(scalar)
            default: safe.append("_")
            }
        }
        return "\(index)-\(String(safe.suffix(100)))"
    }

    /// Plans a rejected entry's outputs (its rejection report) and its line in the lot report.
    mutating func planReject(path: String, sha256: String?, syntax: String?, number: String?,
                             findings: [Finding], rulePacks: [RulePackStamp], before: Duration) -> EntryOutput {
        let name = nextOutputName(for: path)
        let code = (findings.first { $0.severity == .fatal } ?? findings.first)?.code.rawValue ?? ReasonCode.semantic.rawValue
        let report = RejectReport(lot: claim.lot, file: claim.originalName, entry: path, sha256: sha256,
                                  rejectedAt: clock.timestamp(), syntax: syntax, invoiceNumber: number,
                                  code: code, findings: findings, rulePacks: rulePacks)
        let line = EntryReport(path: path, sha256: sha256, outcome: .rejected, syntax: syntax,
                               invoiceNumber: number, certificate: nil, fingerprint: nil, resent: nil,
                               reject: OutboxWriter.rejectPath(lot: claim.lot, name: name),
                               reasons: findings.map(Reason.init), processingMicroseconds: nil, rulePacks: rulePacks)
        return EntryOutput(files: .reject(report), lot: claim.lot, name: name, line: line, before: before)
    }

    /// Plans a deposited entry's outputs (its certificate) and its line in the lot report.
    mutating func planDeposit(path: String, sha256: String, syntax: String?, certificate: Certificate,
                              resent: Bool, warnings: [Finding], before: Duration) -> EntryOutput {
        let name = nextOutputName(for: path)
        let line = EntryReport(path: path, sha256: sha256, outcome: .deposited, syntax: syntax,
                               invoiceNumber: certificate.body.invoiceNumber,
                               certificate: OutboxWriter.certificatePath(lot: claim.lot, name: name),
                               fingerprint: certificate.fingerprint,
                               // A deposit this very lot made before a crash is its own, not a re-send.
                               resent: resent && certificate.body.lot != claim.lot ? true : nil,
                               reject: nil, reasons: warnings.map(Reason.init), processingMicroseconds: nil,
                               rulePacks: certificate.body.rulePacks ?? [])
        return EntryOutput(files: .certificate(certificate), lot: claim.lot, name: name, line: line, before: before)
    }

    /// Adds the lines of entries whose outputs are written, in lot order.
    mutating func append(_ lines: [EntryReport]) {
        entries += lines
    }

    /// Writes the lot report and returns it.
    func finish(sha256: String, writer: OutboxWriter) throws(DaemonError) -> LotReport {
        precondition(named == entries.count, "a lot report written before all its entries' outputs")
        let deposited = entries.filter { $0.outcome == .deposited }.count
        let status: FluxStatus
        if incidentOccurred {
            status = .incidente
        } else if deposited == 0 {
            status = .rejete
        } else if deposited == entries.count && errors.isEmpty {
            status = .integre
        } else {
            status = .integrePartiel
        }
        let report = LotReport(
            lot: claim.lot, file: claim.originalName, inbox: inbox.name, sha256: sha256,
            receivedAt: WallClock.timestamp(claim.receivedAt), finishedAt: clock.timestamp(),
            status: status, errors: errors, entries: entries,
            counts: .init(entries: entries.count, deposited: deposited, rejected: entries.count - deposited),
            rulePacks: Self.union(entries.map(\.rulePacks)))
        try writer.writeReport(report)
        return report
    }
}

extension LotContext {
    /// Each stamp once, in the order packs run.
    static func union(_ stamps: [[RulePackStamp]]) -> [RulePackStamp] {
        var seen: Set<RulePackStamp> = []
        return stamps.joined().filter { seen.insert($0).inserted }.sorted { ($0.id, $0.artefact ?? "") < ($1.id, $1.artefact ?? "") }
    }
}

/// One entry's outputs, planned in lot order on the deposit stage (name, report line) and
/// written on the output stage: its rejection report, or its certificate (JSON and PDF).
struct EntryOutput: Sendable {
    enum Files: Sendable {
        case reject(RejectReport)
        case certificate(Certificate)
    }

    var files: Files
    var lot: String
    var name: String
    /// The entry's line in the lot report, its processing time still to fill in.
    var line: EntryReport
    /// The work done for the entry before its outputs: its judging and its share of its
    /// batch's deposit.
    var before: Duration

    /// Renders the certificates (in parallel) and writes every output, in order; returns the
    /// entries' report lines with their processing time: the work done before, the share of
    /// the rendering, and the writing of the entry's own files.
    static func write(_ outputs: [EntryOutput], writer: OutboxWriter) throws(DaemonError) -> [EntryReport] {
        let renderStarted = ContinuousClock.now
        let certificates = outputs.compactMap { output -> Certificate? in
            if case .certificate(let certificate) = output.files { return certificate }
            return nil
        }
        var rendered = try OutboxWriter.render(certificates).makeIterator()
        let renderShare = (ContinuousClock.now - renderStarted) / max(1, outputs.count)
        var lines: [EntryReport] = []
        lines.reserveCapacity(outputs.count)
        for output in outputs {
            let started = ContinuousClock.now
            switch output.files {
            case .reject(let report): try writer.writeReject(report, lot: output.lot, name: output.name)
            case .certificate: try writer.writeCertificate(rendered.next()!, lot: output.lot, name: output.name)
            }
            var line = output.line
            let total = output.before + renderShare + (ContinuousClock.now - started)
            line.processingMicroseconds = Int(total.components.seconds * 1_000_000 + total.components.attoseconds / 1_000_000_000_000)
            lines.append(line)
        }
        return lines
    }
}

/// A batch's outputs being rendered and written on another thread, while the deposit stage
/// goes on with the next batch (creating files is the slowest step on some filesystems).
final class OutputBatch: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written by the output thread, read after `group.wait()`.
    private var outcome: Result<[EntryReport], DaemonError> = .success([])

    init(_ outputs: [EntryOutput], writer: OutboxWriter) {
        DispatchQueue.global().async(group: group) { [self] in
            do throws(DaemonError) {
                outcome = .success(try EntryOutput.write(outputs, writer: writer))
            } catch {
                outcome = .failure(error)
            }
        }
    }

    /// The entries' report lines, in order, once all their outputs are written.
    func lines() throws(DaemonError) -> [EntryReport] {
        group.wait()
        return try outcome.get()
    }

    /// Waits for the writes to end, whatever their outcome.
    func wait() {
        group.wait()
    }
}

/// Writes the outbox files whole or not at all (temporary name, rename). Entry outputs are
/// flushed together with one syncfs before the lot report, which is written last: a crash
/// before it leaves the lot in the work folder, and recovery writes everything again.
struct OutboxWriter {
    let outbox: String

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }()

    private func encode(_ value: some Encodable) throws(DaemonError) -> Data {
        do {
            var data = try Self.encoder.encode(value)
            data.append(UInt8(ascii: "\n"))
            return data
        } catch {
            throw .setup("cannot encode a report: \(error)")
        }
    }

    /// A certificate's two files, made before they are written: the JSON and its readable
    /// copy (README, "How to read the reports"). Pure, so a batch's certificates are rendered in parallel.
    struct RenderedCertificate: Sendable {
        var json: Data
        var pdf: Data
    }

    static func render(_ certificate: Certificate) throws(DaemonError) -> RenderedCertificate {
        do {
            return RenderedCertificate(json: try certificate.fileBytes(), pdf: try CertificatePDF.render(certificate))
        } catch {
            throw .setup("cannot render a certificate: \(error)")
        }
    }

    /// Renders several certificates on every core; in order.
    static func render(_ certificates: [Certificate]) throws(DaemonError) -> [RenderedCertificate] {
        let results = Slots<Result<RenderedCertificate, DaemonError>>(count: certificates.count)
        DispatchQueue.concurrentPerform(iterations: certificates.count) { index in
            do throws(DaemonError) { results.set(index, .success(try render(certificates[index]))) } catch { results.set(index, .failure(error)) }
        }
        return try certificates.indices.map { index throws(DaemonError) in try results.get(index).get() }
    }

    /// Where an entry's certificate goes, relative to the outbox (its PDF sits beside it).
    static func certificatePath(lot: String, name: String) -> String {
        "certificates/\(lot)/\(name).certificate.json"
    }

    /// Where an entry's rejection report goes, relative to the outbox (its text sits beside it).
    static func rejectPath(lot: String, name: String) -> String {
        "rejects/\(lot)/\(name).reject.json"
    }

    func writeCertificate(_ rendered: RenderedCertificate, lot: String, name: String) throws(DaemonError) {
        try DurableFile.write(rendered.json, to: outbox + "/" + Self.certificatePath(lot: lot, name: name), sync: false)
        try DurableFile.write(rendered.pdf, to: outbox + "/certificates/\(lot)/\(name).certificate.pdf", sync: false)
    }

    func writeReject(_ report: RejectReport, lot: String, name: String) throws(DaemonError) {
        try DurableFile.write(try encode(report), to: outbox + "/" + Self.rejectPath(lot: lot, name: name), sync: false)
        try DurableFile.write(Data(report.text.utf8), to: outbox + "/rejects/\(lot)/\(name).reject.txt", sync: false)
    }

    /// Writes the lot report durably, after making every output of its entries durable
    /// (they are written without a sync each, and flushed together here).
    func writeReport(_ report: LotReport) throws(DaemonError) {
        try DurableFile.syncFileSystem(of: outbox)
        try DurableFile.write(try encode(report), to: outbox + "/reports/\(report.lot).report.json")
    }
}
