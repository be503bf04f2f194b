import CArchive
import Glibc

/// Reads the entries of a `.zip` or `.tar.gz` lot one at a time, into memory, under limits.
///
/// Only the zip and tar formats and the gzip filter are enabled: anything else fails as an
/// unrecognised archive. Nothing is ever extracted to disk. Entries that are not plain
/// files, or whose names could escape a folder, are refused one by one; the lot itself
/// fails only when the archive cannot be read on.
public final class LotReader {
    private let archive: OpaquePointer
    private let limits: LotLimits
    private var entriesSeen = 0
    private var bytesRead = 0
    private var namesSeen = Set<String>()
    private var finished = false
    /// A lot-wide failure met while draining a refused entry: thrown by the next call, so
    /// that the refusal itself is still reported.
    private var pendingError: LotError?

    /// Opens the lot held by the open file descriptor `fd` (not closed by the reader).
    public init(fileDescriptor fd: Int32, kind: DropKind, limits: LotLimits) throws(LotError) {
        guard let archive = archive_read_new() else { throw .unreadable("cannot allocate an archive reader") }
        self.archive = archive
        self.limits = limits
        switch kind {
        case .zip:
            archive_read_support_format_zip(archive)
            archive_read_support_filter_none(archive)
        case .tarGz:
            archive_read_support_format_tar(archive)
            archive_read_support_filter_gzip(archive)
        default:
            // Every stored property is set: deinit frees the handle.
            throw .unreadable("not a lot")
        }
        if archive_read_open_fd(archive, fd, 64 * 1024) != ARCHIVE_OK {
            throw LotReader.failure(archive)
        }
    }

    deinit {
        archive_read_free(archive)
    }

    /// The next entry of the lot, or nil at its end.
    ///
    /// - Throws: `LotError` when the archive itself is damaged or breaks a lot-wide limit;
    ///   entries already returned stay valid.
    public func next() throws(LotError) -> LotItem? {
        if let error = pendingError {
            pendingError = nil
            finished = true
            throw error
        }
        guard !finished else { return nil }
        var entryPointer: OpaquePointer?
        let status = archive_read_next_header(archive, &entryPointer)
        if status == ARCHIVE_EOF {
            finished = true
            return nil
        }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry = entryPointer else {
            finished = true
            throw LotReader.failure(archive)
        }
        entriesSeen += 1
        if entriesSeen > limits.maxEntries {
            finished = true
            throw .tooManyEntries(limit: limits.maxEntries)
        }

        let name = LotReader.entryName(entry)
        if archive_entry_filetype(entry) == CA_IFDIR {
            return .directory(name.display)
        }
        if let refusal = refusal(for: entry, name: name) {
            if refusal == .encrypted {
                archive_read_data_skip(archive)
            } else {
                drain(name.display)
            }
            return .refused(path: name.display, refusal)
        }
        return try readData(of: entry, name: name.display)
    }

    private func refusal(for entry: OpaquePointer, name: EntryName) -> EntryRefusal? {
        if archive_entry_hardlink(entry) != nil {
            return .notARegularFile("a hard link")
        }
        let type = archive_entry_filetype(entry)
        if type != CA_IFREG {
            return .notARegularFile(type == CA_IFLNK ? "a symbolic link" : "a special file (device, FIFO or socket)")
        }
        if archive_entry_is_encrypted(entry) != 0 {
            return .encrypted
        }
        guard name.isUTF8 else { return .badName("the name is not valid UTF-8") }
        let path = name.display
        if path.hasPrefix("/") || path.contains("\\") || path.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return .pathTraversal
        }
        if path.utf8.contains(0) || path.isEmpty {
            return .badName("the name is empty or holds a NUL byte")
        }
        if !namesSeen.insert(path).inserted {
            return .duplicateName
        }
        return nil
    }

    private func readData(of entry: OpaquePointer, name: String) throws(LotError) -> LotItem {
        var bytes: [UInt8] = []
        // The announced size only sizes the buffer (growing by doubling would hold up to twice
        // the entry at once); what is read is still counted, and a false size costs nothing:
        // untouched pages are never resident.
        if archive_entry_size_is_set(entry) != 0 {
            bytes.reserveCapacity(Int(min(max(archive_entry_size(entry), 0), Int64(limits.maxEntryBytes))))
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                archive_read_data(archive, raw.baseAddress, raw.count)
            }
            if count == 0 { break }
            if count < 0 {
                let message = LotReader.errorString(archive)
                if archive_entry_is_encrypted(entry) != 0 || message.lowercased().contains("encrypt") {
                    return .refused(path: name, .encrypted)
                }
                finished = true
                throw LotReader.failure(archive, entry: name)
            }
            try account(count)
            if bytes.count + count > limits.maxEntryBytes {
                drain(name)
                return .refused(path: name, .tooLarge(limit: limits.maxEntryBytes))
            }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return .file(path: name, bytes: bytes)
    }

    /// Counts `count` more decompressed bytes against the lot's caps.
    private func account(_ count: Int) throws(LotError) {
        bytesRead += count
        if bytesRead > limits.maxLotBytes {
            finished = true
            throw .tooLarge(limit: limits.maxLotBytes)
        }
        let compressed = max(Int(archive_filter_bytes(archive, -1)), 1024 * 1024)
        if bytesRead / compressed > limits.maxCompressionRatio {
            finished = true
            throw .compressionBomb(ratio: limits.maxCompressionRatio)
        }
    }

    /// Reads the rest of a refused entry without keeping it, counting it like any other.
    /// Skipping is not enough: in a gzip stream a skip decompresses the entry all the same,
    /// uncounted, so a refused name or an oversized entry could hide a bomb of any size.
    private func drain(_ name: String) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                archive_read_data(archive, raw.baseAddress, raw.count)
            }
            if count == 0 { return }
            if count < 0 {
                pendingError = LotReader.failure(archive, entry: name)
                return
            }
            do {
                try account(count)
            } catch {
                pendingError = error
                return
            }
        }
    }

    private struct EntryName {
        var display: String
        var isUTF8: Bool
    }

    private static func entryName(_ entry: OpaquePointer) -> EntryName {
        if let utf8 = archive_entry_pathname_utf8(entry) {
            let raw = UnsafeRawPointer(utf8).assumingMemoryBound(to: UInt8.self)
            let bytes = UnsafeBufferPointer(start: raw, count: strlen(utf8))
            if let valid = String(validating: bytes, as: UTF8.self) {
                return EntryName(display: valid, isUTF8: true)
            }
        }
        guard let raw = archive_entry_pathname(entry) else { return EntryName(display: "", isUTF8: false) }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
        return EntryName(display: String(decoding: bytes, as: UTF8.self), isUTF8: false)
    }

    /// An archive whose format was never recognised is unreadable; one that was recognised
    /// (or a gzip stream cut short) and then failed is damaged.
    private static func failure(_ archive: OpaquePointer, entry: String? = nil) -> LotError {
        let message = errorString(archive)
        if archive_errno(archive) == EILSEQ && archive_format(archive) == 0 {
            return .unreadable(message)
        }
        return .damaged(entry.map { "entry \($0): \(message)" } ?? message)
    }

    private static func errorString(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown archive error"
    }
}

/// One item of a lot, in archive order.
public enum LotItem: Sendable {
    /// A regular file, read whole.
    case file(path: String, bytes: [UInt8])
    /// A directory entry: carries nothing, ignored.
    case directory(String)
    /// An entry refused without reading it (or abandoned while reading).
    case refused(path: String, EntryRefusal)
}

/// Why one entry of a lot was refused.
public enum EntryRefusal: Sendable, Equatable, CustomStringConvertible {
    case notARegularFile(String)
    case encrypted
    case pathTraversal
    case badName(String)
    case duplicateName
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .notARegularFile(let what):
            return "the entry is \(what), not a plain file; a lot must hold only invoice files"
        case .encrypted:
            return "the entry is encrypted; send lots without a password"
        case .pathTraversal:
            return "the entry's path is absolute, holds a backslash or climbs out with '..'; use plain relative names"
        case .badName(let why):
            return "the entry's name cannot be used: \(why)"
        case .duplicateName:
            return "another entry of the lot has the same name; each invoice file needs its own name"
        case .tooLarge(let limit):
            return "the entry is larger than \(limit) bytes once decompressed"
        }
    }
}

/// Why a whole lot could not be read on.
public enum LotError: Error, Equatable, CustomStringConvertible {
    /// Not an archive of the expected format.
    case unreadable(String)
    /// An archive of the expected format, truncated or damaged.
    case damaged(String)
    case tooManyEntries(limit: Int)
    case tooLarge(limit: Int)
    case compressionBomb(ratio: Int)

    public var description: String {
        switch self {
        case .unreadable(let why):
            return "the archive cannot be read: \(why)"
        case .damaged(let why):
            return "the archive is truncated or damaged: \(why)"
        case .tooManyEntries(let limit):
            return "the lot holds more than \(limit) entries; split it into smaller lots"
        case .tooLarge(let limit):
            return "the lot decompresses to more than \(limit) bytes; split it into smaller lots"
        case .compressionBomb(let ratio):
            return "the lot decompresses more than \(ratio) times its size: refused as a compression bomb"
        }
    }
}
