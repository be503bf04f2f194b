import CShims
import Foundation
import Glibc
import LiasseConfiguration
import LiasseCore

/// Finds complete drops in an inbox and claims them by an atomic, no-replace rename into
/// the inbox's work folder: the only way a file ever leaves the inbox.
struct InboxScanner {
    let inbox: InboxConfiguration
    /// The raw bytes of names that are not valid UTF-8, by the display name they are
    /// claimed under (their invalid bytes replaced by `_`).
    private var rawNames: [String: [UInt8]] = [:]
    /// Files seen but not yet stable: (size, mtime, inode) and when that signature was first seen.
    private var pending: [String: (signature: FileSignature, since: ContinuousClock.Instant)] = [:]

    /// What claims (their lot id and `receivedAt`) are stamped with.
    let clock: WallClock

    init(inbox: InboxConfiguration, clock: WallClock = .system) {
        self.inbox = inbox
        self.clock = clock
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
        let listed = try Self.list(inbox.inboxDirectory)
        rawNames = Dictionary(listed.map { ($0.name, $0.raw) }, uniquingKeysWith: { first, _ in first })
        let names = listed.map(\.name)
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
            guard Self.withPath(inbox.inboxDirectory, rawNames[name] ?? Array(name.utf8), { lstat($0, &info) }) == 0 else { continue }
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

    /// A name in a folder: its bytes as the file system holds them, and a valid UTF-8 name
    /// to report it under.
    struct ListedName {
        var name: String
        var raw: [UInt8]
    }

    /// Lists `folder` with readdir, so that names that are not valid UTF-8 are seen (and
    /// claimed) too, instead of being skipped.
    static func list(_ folder: String) throws(DaemonError) -> [ListedName] {
        guard let directory = opendir(folder) else { throw .io("cannot list \(folder)", errno) }
        defer { closedir(directory) }
        var result: [ListedName] = []
        while let entry = readdir(directory) {
            let raw: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                Array(buffer.prefix { $0 != 0 })
            }
            if raw == Array(".".utf8) || raw == Array("..".utf8) { continue }
            if let valid = String(validating: raw, as: UTF8.self) {
                result.append(ListedName(name: valid, raw: raw))
            } else {
                let shown = String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "\u{FFFD}", with: "_")
                result.append(ListedName(name: shown, raw: raw))
            }
        }
        return result
    }

    /// Calls `body` with `folder/name` as a C path, using the raw bytes of the name when it
    /// is not valid UTF-8.
    static func withPath<T>(_ folder: String, _ raw: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        let bytes = Array(folder.utf8) + [UInt8(ascii: "/")] + raw + [0]
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { body($0) }
        }
    }

    /// Claims `name`: renames it, never replacing anything, into the work folder under a
    /// fresh lot id. Returns nil when another worker or process claimed it first.
    func claim(_ name: String) throws(DaemonError) -> LotProcessor.Claim? {
        try DurableFile.makeDirectory(inbox.workDirectory)
        let receivedAt = clock.now()
        let lot = Self.newLotID(at: receivedAt)
        let workName = Self.workName(lot: lot, name: name)
        let result = Self.withPath(inbox.inboxDirectory, rawNames[name] ?? Array(name.utf8)) { source in
            liasse_rename_noreplace(AT_FDCWD, source, AT_FDCWD, inbox.workDirectory + "/" + workName)
        }
        if result != 0 {
            if errno == ENOENT || errno == EEXIST { return nil }
            throw .io("cannot claim \(name)", errno)
        }
        if inbox.doneMarker {
            unlink(inbox.inboxDirectory + "/" + name + Self.markerSuffix)
        }
        try DurableFile.syncDirectory(inbox.workDirectory)
        try DurableFile.syncDirectory(inbox.inboxDirectory)
        return LotProcessor.Claim(lot: lot, originalName: name, path: inbox.workDirectory + "/" + workName, receivedAt: receivedAt)
    }

    /// The longest work name: NAME_MAX (255 bytes on Linux file systems) less the
    /// `.reason.txt` a drop set aside in failed/ gets beside it.
    static let nameMax = 255 - ".reason.txt".utf8.count

    /// The name of a claimed drop in the work folder (then in archive/ or failed/):
    /// `<lot>__<name as dropped>`, or when that would pass NAME_MAX, the lot id, the start of
    /// the name and its extension (`<lot>__<start>~.tar.gz`): a name the producer chose never
    /// makes a name Liasse cannot create. The full name is in the journal and the reports.
    static func workName(lot: String, name: String) -> String {
        let full = "\(lot)__\(name)"
        guard full.utf8.count > nameMax else { return full }
        let lower = name.lowercased()
        let ext: String
        if let known = [".tar.gz", ".tgz", ".zip", ".xml", ".pdf"].first(where: { lower.hasSuffix($0) }) {
            ext = String(name.suffix(known.count))
        } else if let dot = name.lastIndex(of: "."), dot != name.startIndex, name[dot...].utf8.count <= 16 {
            ext = String(name[dot...])
        } else {
            ext = ""
        }
        let room = nameMax - lot.utf8.count - 2 - 1 - ext.utf8.count
        var start = ""
        for character in name {
            guard start.utf8.count + String(character).utf8.count <= room else { break }
            start.append(character)
        }
        return "\(lot)__\(start)~\(ext)"
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
            return LotProcessor.Claim(lot: lot, originalName: original, path: inbox.workDirectory + "/" + workName, receivedAt: clock.now())
        }
    }

    /// `LOT-20261127T153012.123Z-3fa9c1`: sortable by claim time (to the millisecond, so a
    /// recovery finishes drops in the order they were claimed), unique by its random part.
    static func newLotID(at date: Date) -> String {
        let time = date.formatted(Date.ISO8601FormatStyle(dateSeparator: .omitted, dateTimeSeparator: .standard,
                                                              timeSeparator: .omitted, includingFractionalSeconds: true))
        let random = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return "LOT-\(time)-\(random)"
    }
}
