import Foundation
import GRDB

/// The durable record of deposits: one row per accepted invoice, holding its certificate.
///
/// The uniqueness rule (one accepted invoice per supplier, number and year of issue) is a
/// unique index, not a read-then-write, so two workers or two processes racing on one
/// number give exactly one deposit.
public protocol Ledger: Sendable {
    /// The deposit recorded for these exact bytes, if any.
    func deposit(forSource sha256: String) throws -> Certificate?
    /// The accepted deposit that holds this (supplier, number, year), if any.
    func deposit(supplier: String, number: String, year: Int) throws -> Certificate?
    /// Records a deposit, building its certificate inside the ledger's transaction so the
    /// chain has no gap. Returns `.duplicate` when the uniqueness rule refuses it, and
    /// `.resent` when these bytes were already deposited.
    func record(_ draft: DepositDraft, signer: CertificateSigner) throws -> RecordOutcome
    /// Every certificate, in chain order.
    func certificates() throws -> [Certificate]
}

/// What the ledger needs to record a deposit; the chain fields are filled in the transaction.
public struct DepositDraft: Sendable {
    public var supplierKey: String
    public var invoiceNumber: String
    public var issueYear: Int
    public var recipientKey: String?
    /// The certificate body, without `sequence` and `previousFingerprint` yet.
    public var body: CertificateBody
}

/// The ledger's answer to a deposit.
public enum RecordOutcome: Sendable {
    case recorded(Certificate)
    case resent(Certificate)
    case duplicate(Certificate?)
}

/// The embedded ledger: SQLite in WAL mode, every commit that acknowledges a deposit
/// durable (`synchronous=FULL`).
public final class SQLiteLedger: Ledger {
    private let pool: DatabasePool

    /// Opens (creating and migrating) the ledger at `path`.
    public init(path: String) throws {
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-deposits") { db in
            try db.execute(sql: """
                CREATE TABLE deposit (
                    sequence INTEGER PRIMARY KEY,
                    fingerprint TEXT NOT NULL UNIQUE,
                    supplier_key TEXT NOT NULL,
                    invoice_number TEXT NOT NULL,
                    issue_year INTEGER NOT NULL,
                    recipient_key TEXT,
                    source_sha256 TEXT NOT NULL UNIQUE,
                    lot TEXT NOT NULL,
                    entry TEXT NOT NULL,
                    deposited_at TEXT NOT NULL,
                    status TEXT NOT NULL,
                    certificate TEXT NOT NULL
                );
                -- A_RECYCLER (wrong addressing) frees the number for a new deposit.
                CREATE UNIQUE INDEX deposit_uniqueness ON deposit(supplier_key, invoice_number, issue_year)
                    WHERE status <> 'A_RECYCLER';
                """)
        }
        return migrator
    }

    public func deposit(forSource sha256: String) throws -> Certificate? {
        try pool.read { db in
            try Self.certificate(db, sql: "SELECT certificate FROM deposit WHERE source_sha256 = ?", [sha256])
        }
    }

    public func deposit(supplier: String, number: String, year: Int) throws -> Certificate? {
        try pool.read { db in
            try Self.certificate(db, sql: """
                SELECT certificate FROM deposit
                WHERE supplier_key = ? AND invoice_number = ? AND issue_year = ? AND status <> 'A_RECYCLER'
                """, [supplier, number, year])
        }
    }

    public func record(_ draft: DepositDraft, signer: CertificateSigner) throws -> RecordOutcome {
        try pool.write { db -> RecordOutcome in
            if let existing = try Self.certificate(db, sql: "SELECT certificate FROM deposit WHERE source_sha256 = ?",
                                                   [draft.body.sourceSha256]) {
                return .resent(existing)
            }
            let last = try Row.fetchOne(db, sql: "SELECT sequence, fingerprint FROM deposit ORDER BY sequence DESC LIMIT 1")
            var body = draft.body
            body.sequence = (last?["sequence"] as Int? ?? 0) + 1
            body.previousFingerprint = last?["fingerprint"]
            let certificate = try signer.seal(body)
            let json = String(decoding: try certificate.fileBytes(), as: UTF8.self)
            do {
                try db.execute(sql: """
                    INSERT INTO deposit (sequence, fingerprint, supplier_key, invoice_number, issue_year, recipient_key,
                                         source_sha256, lot, entry, deposited_at, status, certificate)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [body.sequence, certificate.fingerprint, draft.supplierKey, draft.invoiceNumber,
                                     draft.issueYear, draft.recipientKey, body.sourceSha256, body.lot, body.entry,
                                     body.depositedAt, body.status, json])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                let holder = try Self.certificate(db, sql: """
                    SELECT certificate FROM deposit
                    WHERE supplier_key = ? AND invoice_number = ? AND issue_year = ? AND status <> 'A_RECYCLER'
                    """, [draft.supplierKey, draft.invoiceNumber, draft.issueYear])
                return .duplicate(holder)
            }
            return .recorded(certificate)
        }
    }

    public func certificates() throws -> [Certificate] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT certificate FROM deposit ORDER BY sequence").map(Self.decode)
        }
    }

    private static func certificate(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> Certificate? {
        try String.fetchOne(db, sql: sql, arguments: arguments).map(decode)
    }

    private static func decode(_ json: String) throws -> Certificate {
        try JSONDecoder().decode(Certificate.self, from: Data(json.utf8))
    }
}
