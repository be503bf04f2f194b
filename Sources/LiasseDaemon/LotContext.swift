import Foundation
import LiasseCore
import LiasseRules

/// What one lot has produced so far: its entries' outcomes and its lot-level errors.
struct LotContext {
    let claim: LotProcessor.Claim
    let inbox: InboxConfiguration
    let now: @Sendable () -> Date
    private(set) var entries: [EntryReport] = []
    private(set) var errors: [Reason] = []
    private var incidentOccurred = false

    init(claim: LotProcessor.Claim, inbox: InboxConfiguration, now: @escaping @Sendable () -> Date) {
        self.claim = claim
        self.inbox = inbox
        self.now = now
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
    private func outputName(for path: String) -> String {
        let index = String(format: "%04d", entries.count + 1)
        var safe = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": safe.unicodeScalars.append(scalar)
            default: safe.append("_")
            }
        }
        return "\(index)-\(String(safe.suffix(100)))"
    }

    mutating func reject(path: String, sha256: String?, syntax: String?, number: String?,
                         findings: [Finding], work: EntryWork, writer: OutboxWriter) throws(DaemonError) {
        let name = outputName(for: path)
        let code = (findings.first { $0.severity == .fatal } ?? findings.first)?.code.rawValue ?? ReasonCode.semantic.rawValue
        let report = RejectReport(lot: claim.lot, file: claim.originalName, entry: path, sha256: sha256,
                                  rejectedAt: Self.timestamp(now()), syntax: syntax, invoiceNumber: number,
                                  code: code, findings: findings)
        let relative = try writer.writeReject(report, lot: claim.lot, name: name)
        entries.append(EntryReport(path: path, sha256: sha256, outcome: .rejected, syntax: syntax,
                                   invoiceNumber: number, certificate: nil, fingerprint: nil, resent: nil,
                                   reject: relative, reasons: findings.map(Reason.init),
                                   processingMicroseconds: work.microseconds()))
    }

    mutating func deposited(path: String, sha256: String, syntax: String?, certificate: Certificate,
                            rendered: OutboxWriter.RenderedCertificate,
                            resent: Bool, warnings: [Finding], work: EntryWork, writer: OutboxWriter) throws(DaemonError) {
        let name = outputName(for: path)
        let relative = try writer.writeCertificate(rendered, lot: claim.lot, name: name)
        entries.append(EntryReport(path: path, sha256: sha256, outcome: .deposited, syntax: syntax,
                                   invoiceNumber: certificate.body.invoiceNumber, certificate: relative,
                                   // A deposit this very lot made before a crash is its own, not a re-send.
                                   fingerprint: certificate.fingerprint,
                                   resent: resent && certificate.body.lot != claim.lot ? true : nil,
                                   reject: nil, reasons: warnings.map(Reason.init),
                                   processingMicroseconds: work.microseconds()))
    }


    /// Writes the lot report and returns it.
    func finish(sha256: String, writer: OutboxWriter) throws(DaemonError) -> LotReport {
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
            receivedAt: Self.timestamp(claim.receivedAt), finishedAt: Self.timestamp(now()),
            status: status, errors: errors, entries: entries,
            counts: .init(entries: entries.count, deposited: deposited, rejected: entries.count - deposited))
        try writer.writeReport(report)
        return report
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }
}

/// The work done for one entry: what came before its outputs (judging, its share of the batch's
/// deposit), and the writing of its outputs, from `started`.
struct EntryWork {
    let before: Duration
    let started = ContinuousClock.now

    func microseconds() -> Int {
        let total = before + (ContinuousClock.now - started)
        return Int(total.components.seconds * 1_000_000 + total.components.attoseconds / 1_000_000_000_000)
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
    /// copy (ARCHITECTURE.md §5). Pure, so a batch's certificates are rendered in parallel.
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

    func writeCertificate(_ rendered: RenderedCertificate, lot: String, name: String) throws(DaemonError) -> String {
        let relative = "certificates/\(lot)/\(name).certificate.json"
        try DurableFile.write(rendered.json, to: outbox + "/" + relative, sync: false)
        try DurableFile.write(rendered.pdf, to: outbox + "/certificates/\(lot)/\(name).certificate.pdf", sync: false)
        return relative
    }

    func writeReject(_ report: RejectReport, lot: String, name: String) throws(DaemonError) -> String {
        let relative = "rejects/\(lot)/\(name).reject.json"
        try DurableFile.write(try encode(report), to: outbox + "/" + relative, sync: false)
        try DurableFile.write(Data(report.text.utf8), to: outbox + "/rejects/\(lot)/\(name).reject.txt", sync: false)
        return relative
    }

    /// Writes the lot report durably, after making every output of its entries durable
    /// (they are written without a sync each, and flushed together here).
    func writeReport(_ report: LotReport) throws(DaemonError) {
        try DurableFile.syncFileSystem(of: outbox)
        try DurableFile.write(try encode(report), to: outbox + "/reports/\(report.lot).report.json")
    }
}
