import Foundation
import GRDB
import LiasseRules

/// The embedded ledger: SQLite in WAL mode, every commit that acknowledges a deposit
/// durable (`synchronous=FULL`), each write in an immediate transaction so that writers in
/// several processes queue on the database lock instead of failing.
public final class SQLiteLedger: Ledger {
    private let pool: DatabasePool
    /// The ledger's file.
    public let path: String

    /// Opens (creating and migrating) the ledger at `path`.
    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        // The migrator checks which migrations are applied outside its transactions: two
        // processes opening a new ledger at once would both run them.
        try FileLock.withExclusiveLock(path + ".migration-lock") { try Self.migrator.migrate(pool) }
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
                CREATE UNIQUE INDEX deposit_uniqueness ON deposit(supplier_key, invoice_number, issue_year)
                    WHERE status <> 'A_RECYCLER';
                """)
        }
        migrator.registerMigration("v2-statuses-directory") { db in
            // The source hash becomes unique among live deposits only: an invoice sent back
            // for readdressing (A_RECYCLER) may be deposited again, even byte for byte.
            try db.execute(sql: """
                ALTER TABLE deposit RENAME TO deposit_v1;
                DROP INDEX deposit_uniqueness;
                CREATE TABLE deposit (
                    sequence INTEGER PRIMARY KEY,
                    fingerprint TEXT NOT NULL UNIQUE,
                    supplier_key TEXT NOT NULL,
                    supplier_name TEXT NOT NULL,
                    invoice_number TEXT NOT NULL,
                    issue_year INTEGER NOT NULL,
                    issue_date TEXT NOT NULL,
                    type_code TEXT NOT NULL,
                    recipient_key TEXT,
                    recipient_name TEXT NOT NULL,
                    source_sha256 TEXT NOT NULL,
                    lot TEXT NOT NULL,
                    entry TEXT NOT NULL,
                    deposited_at TEXT NOT NULL,
                    status TEXT NOT NULL,
                    status_at TEXT NOT NULL,
                    certificate TEXT NOT NULL
                );
                -- The uniqueness rule of Chorus Pro; A_RECYCLER frees the number.
                CREATE UNIQUE INDEX deposit_uniqueness ON deposit(supplier_key, invoice_number, issue_year)
                    WHERE status <> 'A_RECYCLER';
                CREATE UNIQUE INDEX deposit_source ON deposit(source_sha256) WHERE status <> 'A_RECYCLER';
                CREATE INDEX deposit_recipient ON deposit(recipient_key);
                CREATE INDEX deposit_date ON deposit(deposited_at);
                CREATE TABLE status_change (
                    id INTEGER PRIMARY KEY,
                    sequence INTEGER NOT NULL REFERENCES deposit(sequence),
                    status TEXT NOT NULL,
                    effective_at TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    note TEXT
                );
                CREATE INDEX status_change_deposit ON status_change(sequence);
                CREATE TABLE recipient (
                    siret TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    active INTEGER NOT NULL,
                    requires TEXT NOT NULL
                );
                CREATE TABLE recipient_service (
                    siret TEXT NOT NULL REFERENCES recipient(siret),
                    position INTEGER NOT NULL,
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    active INTEGER NOT NULL,
                    engagement_required INTEGER NOT NULL,
                    PRIMARY KEY (siret, code)
                );
                CREATE TABLE directory_import (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    structures INTEGER NOT NULL,
                    services INTEGER NOT NULL
                );
                """)
            for row in try Row.fetchAll(db, sql: "SELECT * FROM deposit_v1 ORDER BY sequence") {
                let certificate = try decode(row["certificate"])
                try insert(db, certificate: certificate, json: row["certificate"], supplierKey: row["supplier_key"],
                           invoiceNumber: row["invoice_number"], issueYear: row["issue_year"],
                           recipientKey: row["recipient_key"], status: row["status"], statusAt: row["deposited_at"])
            }
            try db.execute(sql: "DROP TABLE deposit_v1")
        }
        return migrator
    }

    /// Runs `body` in an immediate transaction: the write lock is taken at once, so a
    /// writer in another process makes us wait (busy timeout) rather than fail mid-way.
    private func immediate<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    public func deposit(forSource sha256: String) throws -> Certificate? {
        try pool.read { db in
            try Self.certificate(db, sql: "SELECT certificate FROM deposit WHERE source_sha256 = ? AND status <> 'A_RECYCLER'", [sha256])
        }
    }

    public func deposit(supplier: String, number: String, year: Int) throws -> Certificate? {
        try pool.read { db in try Self.holder(db, supplier: supplier, number: number, year: year) }
    }

    private static func holder(_ db: Database, supplier: String, number: String, year: Int) throws -> Certificate? {
        try certificate(db, sql: """
            SELECT certificate FROM deposit
            WHERE supplier_key = ? AND invoice_number = ? AND issue_year = ? AND status <> 'A_RECYCLER'
            """, [supplier, number, year])
    }

    public func record(_ draft: DepositDraft, signer: CertificateSigner) throws -> RecordOutcome {
        try immediate { db in try Self.record(db, draft, signer: signer) }
    }

    public func recordAll(_ drafts: [DepositDraft], signer: CertificateSigner) throws -> [RecordOutcome] {
        guard !drafts.isEmpty else { return [] }
        return try immediate { db in try drafts.map { try Self.record(db, $0, signer: signer) } }
    }

    /// One deposit inside the caller's transaction.
    private static func record(_ db: Database, _ draft: DepositDraft, signer: CertificateSigner) throws -> RecordOutcome {
        if let existing = try certificate(db, sql: "SELECT certificate FROM deposit WHERE source_sha256 = ? AND status <> 'A_RECYCLER'",
                                          [draft.body.sourceSha256]) {
            return .resent(existing)
        }
        // Checked before signing so a duplicate costs no signature; the unique index
        // below remains the rule's guarantee.
        if let holder = try holder(db, supplier: draft.supplierKey, number: draft.invoiceNumber, year: draft.issueYear) {
            return .duplicate(holder)
        }
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, fingerprint FROM deposit ORDER BY sequence DESC LIMIT 1"))
        var body = draft.body
        body.sequence = (last?["sequence"] as Int? ?? 0) + 1
        body.previousFingerprint = last?["fingerprint"]
        let certificate = try signer.seal(body)
        let json = String(decoding: try certificate.fileBytes(), as: UTF8.self)
        do {
            // A savepoint, so a refused insert undoes only itself when several deposits
            // share the transaction.
            try db.inSavepoint {
                try insert(db, certificate: certificate, json: json, supplierKey: draft.supplierKey,
                           invoiceNumber: draft.invoiceNumber, issueYear: draft.issueYear,
                           recipientKey: draft.recipientKey, status: body.status, statusAt: body.depositedAt)
                return .commit
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            if let holder = try holder(db, supplier: draft.supplierKey, number: draft.invoiceNumber, year: draft.issueYear) {
                return .duplicate(holder)
            }
            throw error
        }
        return .recorded(certificate)
    }

    private static func insert(_ db: Database, certificate: Certificate, json: String, supplierKey: String,
                               invoiceNumber: String, issueYear: Int, recipientKey: String?, status: String,
                               statusAt: String) throws {
        let body = certificate.body
        try db.cachedStatement(sql: """
            INSERT INTO deposit (sequence, fingerprint, supplier_key, supplier_name, invoice_number, issue_year, issue_date,
                                 type_code, recipient_key, recipient_name, source_sha256, lot, entry, deposited_at,
                                 status, status_at, certificate)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [body.sequence, certificate.fingerprint, supplierKey, body.supplier.name, invoiceNumber,
                             issueYear, body.issueDate, body.typeCode, recipientKey, body.recipient.name,
                             body.sourceSha256, body.lot, body.entry, body.depositedAt, status, statusAt, json])
    }

    public func certificates() throws -> [Certificate] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT certificate FROM deposit ORDER BY sequence").map(Self.decode)
        }
    }

    /// Every certificate file as stored, in chain order.
    public func certificateFiles() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT certificate FROM deposit ORDER BY sequence") }
    }

    public func certificate(fingerprint: String) throws -> Certificate? {
        try pool.read { db in
            try Self.certificate(db, sql: "SELECT certificate FROM deposit WHERE fingerprint = ?", [fingerprint])
        }
    }

    public func search(_ query: DepositQuery) throws -> [DepositRecord] {
        var clauses: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        func like(_ text: String) -> String {
            "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        if let supplier = query.supplier {
            clauses.append("(supplier_key = ? OR supplier_name LIKE ? ESCAPE '\\')")
            arguments += [supplier, like(supplier)]
        }
        if let recipient = query.recipient {
            clauses.append("(recipient_key = ? OR recipient_name LIKE ? ESCAPE '\\')")
            arguments += [recipient, like(recipient)]
        }
        if let number = query.number {
            clauses.append("invoice_number LIKE ? ESCAPE '\\'")
            arguments.append(like(number))
        }
        if let status = query.status {
            clauses.append("status = ?")
            arguments.append(status.rawValue)
        }
        if let from = query.from {
            clauses.append("substr(deposited_at, 1, 10) >= ?")
            arguments.append(from)
        }
        if let to = query.to {
            clauses.append("substr(deposited_at, 1, 10) <= ?")
            arguments.append(to)
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let limit = query.limit.map { " LIMIT \($0)" } ?? ""
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT certificate, status, status_at FROM deposit \(filter) ORDER BY sequence DESC\(limit)",
                             arguments: StatementArguments(arguments))
                .map(Self.record)
        }
    }

    private static func record(_ row: Row) throws -> DepositRecord {
        let certificate = try decode(row["certificate"])
        let body = certificate.body
        let statusText: String = row["status"]
        guard let status = InvoiceStatus(rawValue: statusText) else { throw CoreError.ledger("unknown status \(statusText)") }
        return DepositRecord(certificate: certificate.fingerprint, sequence: body.sequence, invoiceNumber: body.invoiceNumber,
                             issueDate: body.issueDate, typeCode: body.typeCode, supplier: body.supplier,
                             recipient: body.recipient, amounts: body.amounts, depositedAt: body.depositedAt,
                             status: status, statusAt: row["status_at"], lot: body.lot, entry: body.entry)
    }

    public func setStatus(fingerprint: String, to status: InvoiceStatus, effectiveAt: String, note: String?,
                          recordedAt: Date) throws(StatusChangeError) -> DepositRecord {
        guard Self.isDate(effectiveAt) else { throw .badDate(effectiveAt) }
        do {
            return try immediate { db -> Result<DepositRecord, StatusChangeError> in
                guard let row = try Row.fetchOne(db, sql: "SELECT sequence, status, status_at FROM deposit WHERE fingerprint = ?",
                                                 arguments: [fingerprint]) else {
                    return .failure(.unknownCertificate(fingerprint))
                }
                let currentText: String = row["status"]
                guard let current = InvoiceStatus(rawValue: currentText) else { return .failure(.ledger("unknown status \(currentText)")) }
                guard current.allows(status) else { return .failure(.notAllowed(from: current, to: status)) }
                let currentAt: String = row["status_at"]
                if effectiveAt.prefix(10) < currentAt.prefix(10) {
                    return .failure(.dateBeforeCurrent(date: effectiveAt, current: currentAt))
                }
                let sequence: Int = row["sequence"]
                try db.execute(sql: "INSERT INTO status_change (sequence, status, effective_at, recorded_at, note) VALUES (?, ?, ?, ?, ?)",
                               arguments: [sequence, status.rawValue, effectiveAt, WallClock.timestamp(recordedAt), note])
                try db.execute(sql: "UPDATE deposit SET status = ?, status_at = ? WHERE sequence = ?",
                               arguments: [status.rawValue, effectiveAt, sequence])
                let updated = try Row.fetchOne(db, sql: "SELECT certificate, status, status_at FROM deposit WHERE sequence = ?",
                                               arguments: [sequence])!
                return .success(try Self.record(updated))
            }.get()
        } catch let error as StatusChangeError {
            throw error
        } catch {
            throw .ledger("\(error)")
        }
    }

    public func statusHistory(fingerprint: String) throws -> [StatusChange] {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT sequence, deposited_at FROM deposit WHERE fingerprint = ?",
                                             arguments: [fingerprint]) else { return [] }
            let depositedAt: String = row["deposited_at"]
            var history = [StatusChange(status: .deposee, effectiveAt: depositedAt, recordedAt: depositedAt, note: nil)]
            for change in try Row.fetchAll(db, sql: "SELECT status, effective_at, recorded_at, note FROM status_change WHERE sequence = ? ORDER BY id",
                                           arguments: [row["sequence"] as Int]) {
                history.append(StatusChange(status: InvoiceStatus(rawValue: change["status"]) ?? .deposee,
                                            effectiveAt: change["effective_at"], recordedAt: change["recorded_at"],
                                            note: change["note"]))
            }
            return history
        }
    }

    public func importDirectory(_ directory: RecipientDirectory, source: String, sha256: String, at date: Date) throws {
        try immediate { db in
            try db.execute(sql: "DELETE FROM recipient_service; DELETE FROM recipient")
            var services = 0
            for recipient in directory.sorted {
                try db.execute(sql: "INSERT INTO recipient (siret, name, active, requires) VALUES (?, ?, ?, ?)",
                               arguments: [recipient.siret, recipient.name, recipient.active, recipient.requires.rawValue])
                for (position, service) in recipient.services.enumerated() {
                    try db.execute(sql: """
                        INSERT INTO recipient_service (siret, position, code, name, active, engagement_required)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [recipient.siret, position, service.code, service.name, service.active,
                                         service.engagementRequired])
                    services += 1
                }
            }
            try db.execute(sql: "INSERT INTO directory_import (source, sha256, imported_at, structures, services) VALUES (?, ?, ?, ?, ?)",
                           arguments: [source, sha256, WallClock.timestamp(date), directory.recipients.count, services])
        }
    }

    public func lastDirectoryImport() throws -> DirectoryImport? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM directory_import ORDER BY id DESC LIMIT 1").map { row in
                DirectoryImport(source: row["source"], sha256: row["sha256"], importedAt: row["imported_at"],
                                structures: row["structures"], services: row["services"])
            }
        }
    }

    public func recipient(siret: String) throws -> Recipient? {
        try pool.read { db in
            // Looked up for every deposit: the statements are compiled once per connection.
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM recipient WHERE siret = ?"),
                                             arguments: [siret]) else { return nil }
            let services = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM recipient_service WHERE siret = ? ORDER BY position"),
                                            arguments: [siret]).map { service in
                RecipientService(code: service["code"], name: service["name"], active: service["active"],
                                 engagementRequired: service["engagement_required"])
            }
            return Recipient(siret: row["siret"], name: row["name"], active: row["active"],
                             requires: AddressingRequirement(rawValue: row["requires"]) ?? .none, services: services)
        }
    }

    /// The whole directory as imported.
    public func directory() throws -> RecipientDirectory {
        let sirets = try pool.read { db in try String.fetchAll(db, sql: "SELECT siret FROM recipient ORDER BY siret") }
        return RecipientDirectory(try sirets.compactMap { try recipient(siret: $0) })
    }

    /// The certificate the query finds. The statement is compiled once per connection and
    /// kept: these queries run several times per deposit.
    private static func certificate(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> Certificate? {
        try String.fetchOne(db.cachedStatement(sql: sql), arguments: arguments).map(decode)
    }

    private static func decode(_ json: String) throws -> Certificate {
        try Certificate.read(Data(json.utf8))
    }

    /// `YYYY-MM-DD`, optionally followed by a time (`THH:MM:SS` and a zone).
    static func isDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ (48...57).contains(bytes[$0]) }) else { return false }
        let month = Int(bytes[5] - 48) * 10 + Int(bytes[6] - 48)
        let day = Int(bytes[8] - 48) * 10 + Int(bytes[9] - 48)
        guard (1...12).contains(month), (1...31).contains(day) else { return false }
        if bytes.count == 10 { return true }
        return bytes[10] == UInt8(ascii: "T") && (try? Date(text, strategy: .iso8601)) != nil
    }
}
