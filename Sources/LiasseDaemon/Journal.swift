import Foundation
import GRDB
import LiasseConfiguration
import LiasseCore

/// The daemon's journal: the state of every claimed drop, recorded before each side effect,
/// so that a restart after a crash knows what it holds, how many times it was tried, and
/// when it was received. Kept beside the ledger in the state folder.
///
/// States: `claimed` (renamed into the work folder) → `reported` (outputs durable) →
/// `archived` (input moved out), or `failed` (moved to `failed/` after too many attempts).
final class Journal: Sendable {
    private let pool: DatabasePool
    /// What each row's `updated_at` is stamped with.
    private let clock: WallClock

    init(path: String, clock: WallClock = .system) throws {
        self.clock = clock
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-lots") { db in
            try db.execute(sql: """
                CREATE TABLE lot (
                    lot TEXT PRIMARY KEY,
                    inbox TEXT NOT NULL,
                    file TEXT NOT NULL,
                    received_at TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX lot_state ON lot(state);
                """)
        }
        migrator.registerMigration("v2-interruptions") { db in
            // `attempts` counts failures; `interruptions` counts attempts cut short by a
            // crash or a kill (the row was still `processing` at the next start).
            try db.execute(sql: "ALTER TABLE lot ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0")
        }
        // Two processes starting on a fresh state folder must not both migrate.
        try FileLock.withExclusiveLock(path + ".migration-lock") { try migrator.migrate(pool) }
    }

    struct Entry: Sendable {
        var receivedAt: Date
        /// Attempts that failed for a transient reason.
        var failures: Int
        /// Attempts cut short by a crash or a kill.
        var interruptions: Int
        var lastError: String?
    }

    /// Records the start of an attempt at `lot` (creating its row the first time): its state
    /// becomes `processing`. An attempt that finds it already `processing` knows the previous
    /// one was cut short, and counts an interruption.
    func beginAttempt(lot: String, inbox: String, file: String, receivedAt: Date) throws -> Entry {
        let now = Self.timestamp(clock.now())
        return try pool.write { db in
            try db.execute(sql: """
                INSERT INTO lot (lot, inbox, file, received_at, state, attempts, updated_at)
                VALUES (?, ?, ?, ?, 'processing', 0, ?)
                ON CONFLICT(lot) DO UPDATE SET
                    interruptions = interruptions + (state = 'processing'),
                    state = 'processing', updated_at = excluded.updated_at
                """, arguments: [lot, inbox, file, Self.timestamp(receivedAt), now])
            let row = try Row.fetchOne(db, sql: "SELECT received_at, attempts, interruptions, last_error FROM lot WHERE lot = ?",
                                       arguments: [lot])
            let received = (row?["received_at"] as String?).flatMap { try? Date($0, strategy: .iso8601) } ?? receivedAt
            return Entry(receivedAt: received, failures: row?["attempts"] ?? 0, interruptions: row?["interruptions"] ?? 0,
                         lastError: row?["last_error"])
        }
    }

    /// Records a transient failure of the current attempt; returns the failures so far.
    func recordFailure(lot: String, error: String) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "UPDATE lot SET state = 'claimed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE lot = ?",
                           arguments: [error, Self.timestamp(clock.now()), lot])
            return try Int.fetchOne(db, sql: "SELECT attempts FROM lot WHERE lot = ?", arguments: [lot]) ?? 1
        }
    }

    func mark(lot: String, state: String, error: String? = nil) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE lot SET state = ?, last_error = COALESCE(?, last_error), updated_at = ? WHERE lot = ?",
                           arguments: [state, error, Self.timestamp(clock.now()), lot])
        }
    }

    /// The name `lot` was dropped under, as recorded at its first attempt.
    func file(of lot: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT file FROM lot WHERE lot = ?", arguments: [lot]) }
    }

    func state(of lot: String) throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT state FROM lot WHERE lot = ?", arguments: [lot]) }
    }

    /// Counts of lots by state, for metrics and tests.
    func counts() throws -> [String: Int] {
        try pool.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM lot GROUP BY state") {
                result[row["state"]] = row["n"]
            }
            return result
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
