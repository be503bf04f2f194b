import CShims
import Foundation
import Glibc

/// Finds complete drops in an inbox and claims them by an atomic, no-replace rename into
/// the inbox's work folder: the only way a file ever leaves the inbox.
struct InboxScanner {
    let inbox: InboxConfiguration
    /// Files seen but not yet stable: (size, mtime, inode) and when that signature was first seen.
    private var pending: [String: (signature: FileSignature, since: ContinuousClock.Instant)] = [:]

    init(inbox: InboxConfiguration) {
        self.inbox = inbox
    }

    struct FileSignature: Equatable {
        var size: Int64
        var mtimeSeconds: Int
        var mtimeNanoseconds: Int
        var inode: UInt64
    }

    /// Producers' temporary files and our own folders are never claimed.
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".part") || name.hasSuffix(".tmp")
    }

    /// The marker a producer creates beside a complete file in `done_marker` mode.
    static let markerSuffix = ".done"

    /// Files seen but not yet claimable (settling, or waiting for their marker).
    var pendingCount: Int { pending.count }

    /// The names in the inbox ready to be claimed, oldest first (then by name).
    mutating func readyFiles() throws(DaemonError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: inbox.inboxDirectory)
        } catch {
            throw .io("cannot list inbox \(inbox.inboxDirectory)", errno)
        }
        var ready: [(name: String, mtime: Int)] = []
        let clock = ContinuousClock()
        var stillPending: [String: (signature: FileSignature, since: ContinuousClock.Instant)] = [:]
        let present = Set(names)
        for name in names where !Self.isIgnored(name) {
            if inbox.doneMarker {
                if name.hasSuffix(Self.markerSuffix) { continue }
                guard present.contains(name + Self.markerSuffix) else {
                    stillPending[name] = (FileSignature(size: 0, mtimeSeconds: 0, mtimeNanoseconds: 0, inode: 0), clock.now)
                    continue
                }
            }
            var info = stat()
            guard lstat(inbox.inboxDirectory + "/" + name, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR { continue }
            let signature = FileSignature(size: Int64(info.st_size), mtimeSeconds: info.st_mtim.tv_sec,
                                          mtimeNanoseconds: info.st_mtim.tv_nsec, inode: UInt64(info.st_ino))
            if inbox.stabilityDelay > .zero {
                if let seen = pending[name], seen.signature == signature {
                    if clock.now - seen.since >= inbox.stabilityDelay {
                        ready.append((name, signature.mtimeSeconds))
                    } else {
                        stillPending[name] = seen
                    }
                } else {
                    stillPending[name] = (signature, clock.now)
                }
            } else {
                ready.append((name, signature.mtimeSeconds))
            }
        }
        pending = stillPending
        return ready.sorted { ($0.mtime, $0.name) < ($1.mtime, $1.name) }.map(\.name)
    }

    /// Claims `name`: renames it, never replacing anything, into the work folder under a
    /// fresh lot id. Returns nil when another worker or process claimed it first.
    func claim(_ name: String) throws(DaemonError) -> LotProcessor.Claim? {
        try DurableFile.makeDirectory(inbox.workDirectory)
        let lot = Self.newLotID()
        let workName = "\(lot)__\(name)"
        let result = liasse_rename_noreplace(AT_FDCWD, inbox.inboxDirectory + "/" + name,
                                             AT_FDCWD, inbox.workDirectory + "/" + workName)
        if result != 0 {
            if errno == ENOENT || errno == EEXIST { return nil }
            throw .io("cannot claim \(name)", errno)
        }
        if inbox.doneMarker {
            unlink(inbox.inboxDirectory + "/" + name + Self.markerSuffix)
        }
        try DurableFile.syncDirectory(inbox.workDirectory)
        try DurableFile.syncDirectory(inbox.inboxDirectory)
        return LotProcessor.Claim(lot: lot, originalName: name, path: inbox.workDirectory + "/" + workName, receivedAt: Date())
    }

    /// Files already in the work folder: claimed before a crash or a stop, to finish first.
    func leftovers() throws(DaemonError) -> [LotProcessor.Claim] {
        guard FileManager.default.fileExists(atPath: inbox.workDirectory) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: inbox.workDirectory)
        } catch {
            throw .io("cannot list \(inbox.workDirectory)", errno)
        }
        return names.sorted().compactMap { workName in
            guard !Self.isIgnored(workName), let separator = workName.range(of: "__") else { return nil }
            let lot = String(workName[..<separator.lowerBound])
            let original = String(workName[separator.upperBound...])
            return LotProcessor.Claim(lot: lot, originalName: original, path: inbox.workDirectory + "/" + workName, receivedAt: Date())
        }
    }

    /// `LOT-20261127T153012.123Z-3fa9c1`: sortable by claim time (to the millisecond, so a
    /// recovery finishes drops in the order they were claimed), unique by its random part.
    static func newLotID() -> String {
        let time = Date().formatted(Date.ISO8601FormatStyle(dateSeparator: .omitted, dateTimeSeparator: .standard,
                                                              timeSeparator: .omitted, includingFractionalSeconds: true))
        let random = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return "LOT-\(time)-\(random)"
    }
}
