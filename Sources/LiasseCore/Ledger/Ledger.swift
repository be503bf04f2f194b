import Foundation
import LiasseRules

/// The durable record of deposits: one row per accepted invoice, holding its certificate,
/// its current status and its status history; and the recipient directory.
///
/// The uniqueness rule (one accepted invoice per supplier, number and year of issue) is a
/// unique index, not a read-then-write, so two workers or two processes racing on one
/// number give exactly one deposit.
public protocol Ledger: RecipientLookup {
    /// The live deposit recorded for these exact bytes, if any.
    func deposit(forSource sha256: String) throws -> Certificate?
    /// The accepted deposit that holds this (supplier, number, year), if any.
    func deposit(supplier: String, number: String, year: Int) throws -> Certificate?
    /// Records a deposit, building its certificate inside the ledger's transaction so the
    /// chain has no gap. Returns `.duplicate` when the uniqueness rule refuses it, and
    /// `.resent` when these bytes were already deposited.
    func record(_ draft: DepositDraft, signer: CertificateSigner) throws -> RecordOutcome
    /// Records several deposits in one transaction, in order, each exactly as `record` would
    /// (a later draft sees the earlier ones: the same number twice gives one `.duplicate`):
    /// one commit, so one disk flush, for all of them. Nothing is recorded if it throws.
    func recordAll(_ drafts: [DepositDraft], signer: CertificateSigner) throws -> [RecordOutcome]
    /// Every certificate, in chain order.
    func certificates() throws -> [Certificate]
    /// The certificate with this number, if any.
    func certificate(fingerprint: String) throws -> Certificate?
    /// The deposits matching `query`, most recent first.
    func search(_ query: DepositQuery) throws -> [DepositRecord]
    /// Records a recipient-side status change, refusing moves the status model forbids.
    func setStatus(fingerprint: String, to status: InvoiceStatus, effectiveAt: String, note: String?,
                   recordedAt: Date) throws(StatusChangeError) -> DepositRecord
    /// The status changes of a deposit, oldest first (its deposit included).
    func statusHistory(fingerprint: String) throws -> [StatusChange]
    /// Replaces the whole recipient directory, in one transaction.
    func importDirectory(_ directory: RecipientDirectory, source: String, sha256: String, at: Date) throws
    /// The last directory import, if any.
    func lastDirectoryImport() throws -> DirectoryImport?
}

extension Ledger {
    public func recordAll(_ drafts: [DepositDraft], signer: CertificateSigner) throws -> [RecordOutcome] {
        try drafts.map { try record($0, signer: signer) }
    }
}

/// What the ledger needs to record a deposit; the chain fields are filled in the transaction.
public struct DepositDraft: Sendable {
    /// The supplier's SIRET (or VAT identifier for a foreign supplier).
    public var supplierKey: String
    public var invoiceNumber: String
    public var issueYear: Int
    public var recipientKey: String?
    /// The certificate body, without `sequence` and `previousFingerprint` yet.
    public var body: CertificateBody

    public init(supplierKey: String, invoiceNumber: String, issueYear: Int, recipientKey: String?, body: CertificateBody) {
        self.supplierKey = supplierKey
        self.invoiceNumber = invoiceNumber
        self.issueYear = issueYear
        self.recipientKey = recipientKey
        self.body = body
    }
}

/// The ledger's answer to a deposit.
public enum RecordOutcome: Sendable {
    case recorded(Certificate)
    case resent(Certificate)
    /// The number is taken; the certificate of the deposit that holds it.
    case duplicate(Certificate?)
}

/// A search over deposits; nil fields do not filter.
public struct DepositQuery: Sendable, Equatable {
    /// The supplier's SIRET, or part of its name.
    public var supplier: String?
    /// The recipient's SIRET, or part of its name.
    public var recipient: String?
    /// Part of the invoice number.
    public var number: String?
    public var status: InvoiceStatus?
    /// Deposit dates, inclusive, `YYYY-MM-DD`.
    public var from: String?
    public var to: String?
    public var limit: Int?

    public init(supplier: String? = nil, recipient: String? = nil, number: String? = nil, status: InvoiceStatus? = nil,
                from: String? = nil, to: String? = nil, limit: Int? = nil) {
        self.supplier = supplier
        self.recipient = recipient
        self.number = number
        self.status = status
        self.from = from
        self.to = to
        self.limit = limit
    }
}

/// One deposit as the ledger knows it now: its certificate and its current status.
public struct DepositRecord: Sendable, Codable, Equatable {
    public var certificate: String
    public var sequence: Int
    public var invoiceNumber: String
    public var issueDate: String
    public var typeCode: String
    public var supplier: PartyReference
    public var recipient: RecipientReference
    public var amounts: CertificateAmounts
    public var depositedAt: String
    public var status: InvoiceStatus
    /// The date of the current status (the deposit time for `DEPOSEE`).
    public var statusAt: String
    public var lot: String
    public var entry: String
}

/// One status of a deposit's history.
public struct StatusChange: Sendable, Codable, Equatable {
    public var status: InvoiceStatus
    /// When it took effect on the recipient's side (as given).
    public var effectiveAt: String
    /// When the ledger recorded it.
    public var recordedAt: String
    public var note: String?
}

/// Why a status change was refused.
public enum StatusChangeError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownCertificate(String)
    case notAllowed(from: InvoiceStatus, to: InvoiceStatus)
    case badDate(String)
    case dateBeforeCurrent(date: String, current: String)
    case ledger(String)

    public var description: String {
        switch self {
        case .unknownCertificate(let fingerprint):
            return "no deposit has certificate number \(fingerprint)"
        case .notAllowed(let from, let to):
            let allowed = from.next.map(\.rawValue).sorted()
            return "an invoice \(from.rawValue) cannot become \(to.rawValue); from \(from.rawValue) it may become: \(allowed.isEmpty ? "nothing (final status)" : allowed.joined(separator: ", "))"
        case .badDate(let text):
            return "\"\(text)\" is not a date (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ssZ)"
        case .dateBeforeCurrent(let date, let current):
            return "the date \(date) is before the current status's date \(current)"
        case .ledger(let what):
            return "ledger: \(what)"
        }
    }
}

/// A directory import the ledger remembers.
public struct DirectoryImport: Sendable, Codable, Equatable {
    public var source: String
    public var sha256: String
    public var importedAt: String
    public var structures: Int
    public var services: Int
}
