import CShims
import Foundation
import Glibc

/// Writes files so that they appear whole or not at all, and survive a crash once written:
/// temporary name, fsync, rename, fsync of the folder.
enum DurableFile {
    /// Writes `data` to `path` whole or not at all; with `sync` (the default) the file and
    /// its folder are fsynced, so the write survives a crash once this returns.
    static func write(_ data: Data, to path: String, sync: Bool = true) throws(DaemonError) {
        let directory = (path as NSString).deletingLastPathComponent
        try makeDirectory(directory)
        let temporary = directory + "/." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw .io("cannot create \(temporary)", errno) }
        var written = 0
        let ok = data.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
        let saved = errno
        guard ok, !sync || fsync(fd) == 0 else {
            close(fd)
            unlink(temporary)
            throw .io("cannot write \(path)", ok ? errno : saved)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let saved = errno
            unlink(temporary)
            throw .io("cannot rename \(temporary) to \(path)", saved)
        }
        if sync { try syncDirectory(directory) }
    }

    /// Removes the temporary files a crash left under `folder` (ours are `.<name>.<pid>.tmp`).
    static func removeStaleTemporaries(under folder: String) -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return 0 }
        var removed = 0
        for case let relative as String in enumerator where isStaleTemporary((relative as NSString).lastPathComponent) {
            if unlink(folder + "/" + relative) == 0 { removed += 1 }
        }
        return removed
    }

    /// Removes the temporary copies a crash left of the one file `path` (`.<name>.<pid>.tmp`
    /// beside it), for files that live outside the outbox (the metrics text file).
    static func removeStaleTemporaries(of path: String) -> Int {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let prefix = "." + (path as NSString).lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) && isStaleTemporary(name) {
            if unlink(folder + "/" + name) == 0 { removed += 1 }
        }
        return removed
    }

    /// Whether `name` is one of our temporary files that no live process is writing: another
    /// live process (same tree, second daemon) may be writing its own right now.
    private static func isStaleTemporary(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.split(separator: ".")
        if parts.count >= 3, let pid = Int32(parts[parts.count - 2]), pid != getpid(), kill(pid, 0) == 0 { return false }
        return true
    }

    static func makeDirectory(_ path: String) throws(DaemonError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create folder \(path)", errno)
        }
    }

    /// Makes every write made so far on the file system holding `folder` durable, in one
    /// call (syncfs): how a lot's many outputs are made durable before its report.
    static func syncFileSystem(of folder: String) throws(DaemonError) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io("cannot open folder \(folder)", errno) }
        defer { close(fd) }
        guard liasse_syncfs(fd) == 0 else { throw .io("cannot sync the file system of \(folder)", errno) }
    }

    static func syncDirectory(_ path: String) throws(DaemonError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io("cannot open folder \(path)", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io("cannot sync folder \(path)", errno) }
    }
}

/// Errors of the daemon that are not verdicts on input: the disk, the ledger, the setup.
public enum DaemonError: Error, CustomStringConvertible {
    case io(String, Int32)
    case setup(String)
    /// The service is stopping: the drop was left in the work folder, to be taken up again
    /// (from its start; what it deposited is recognised, never deposited twice) at the next start.
    case stopping

    public var description: String {
        switch self {
        case .io(let what, let code): return "\(what): \(String(cString: strerror(code)))"
        case .setup(let what): return what
        case .stopping: return "the service is stopping"
        }
    }
}
