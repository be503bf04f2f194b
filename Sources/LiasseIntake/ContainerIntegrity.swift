import CZlib
import Glibc

/// Checks a whole lot before any of its entries is judged: a lot is deposited whole or not at
/// all, and a certificate never attests bytes of an archive that was not whole.
///
/// In order, each on the bytes of the file, whatever its name says:
/// 1. **its type**: a `.zip` starts with a zip local header (or is an empty zip), a
///    `.tar.gz`/`.tgz` with the gzip magic;
/// 2. **its framing**: every gzip member's trailer (CRC-32 and length of its data) to the very
///    end of the file, nothing after the last member; a zip's end-of-central-directory record
///    at the end of the file, a central directory inside the file whose every entry points at
///    a local header, with the same name, whose data ends before the directory;
/// 3. **every entry**: read through to its end (the zip entries' CRC-32, the tar headers'
///    checksums, the lot's limits), without keeping anything.
///
/// The file descriptor is read with `pread` from offset 0, and rewound for the reading after.
public enum ContainerIntegrity {
    /// The first problem of the lot held by `fd` (`size` bytes), or nil when it is whole:
    /// `.unreadable` when it is not what its name says, `.damaged` when it is truncated or
    /// damaged, a limit error when it breaks one.
    public static func check(fileDescriptor fd: Int32, kind: DropKind, size: Int, limits: LotLimits) -> LotError? {
        let head = read(fd, at: 0, count: 4)
        switch kind {
        case .zip:
            let local: [UInt8] = [0x50, 0x4B, 0x03, 0x04], empty: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
            guard head == local || head == empty else {
                return .unreadable("the file is named .zip but is not a zip archive (it does not start with a zip header)")
            }
            if let problem = zipStructure(fd, size: size) { return .damaged(problem) }
        case .tarGz:
            guard head.count >= 2, head[0] == 0x1F, head[1] == 0x8B else {
                return .unreadable("the file is named .tar.gz but is not gzip-compressed")
            }
            if let problem = gzipMembers(fd, size: size, limit: limits.maxLotBytes) { return problem }
        default:
            return .unreadable("not a lot")
        }
        defer { lseek(fd, 0, SEEK_SET) }
        lseek(fd, 0, SEEK_SET)
        do {
            let reader = try LotReader(fileDescriptor: fd, kind: kind, limits: limits)
            while try reader.next() != nil {}
        } catch {
            return error
        }
        return nil
    }

    // MARK: gzip

    /// Inflates every gzip member of the file, checking each one's CRC-32 and length, to the
    /// end of the file; nil when all are whole and nothing follows the last.
    static func gzipMembers(_ fd: Int32, size: Int, limit: Int) -> LotError? {
        var stream = z_stream()
        // 15 + 16: a gzip header and trailer, checked by zlib.
        guard cz_inflate_init(&stream, 15 + 16) == Z_OK else { return .damaged("cannot initialise zlib") }
        defer { inflateEnd(&stream) }
        let chunkSize = 64 * 1024
        var input = [UInt8](repeating: 0, count: chunkSize)
        var output = [UInt8](repeating: 0, count: chunkSize)
        var fileOffset = 0
        // The unread input is input[start..<end].
        var start = 0
        var end = 0
        var produced = 0
        var member = 1
        func refill() -> Bool {
            if start > 0 {
                input.replaceSubrange(0..<(end - start), with: input[start..<end])
                end -= start
                start = 0
            }
            let more = read(fd, at: fileOffset, count: min(chunkSize - end, size - fileOffset))
            input.replaceSubrange(end..<(end + more.count), with: more)
            end += more.count
            fileOffset += more.count
            return !more.isEmpty
        }
        func truncated() -> LotError {
            .damaged("the gzip stream ends before its member \(member) is complete (the file is truncated)")
        }
        while true {
            if start == end {
                guard fileOffset < size else { return truncated() }
                guard refill() else { return .damaged("cannot read the file at byte \(fileOffset)") }
            }
            let (result, consumed, out) = input.withUnsafeMutableBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    stream.next_in = source.baseAddress! + start
                    stream.avail_in = UInt32(end - start)
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, (end - start) - Int(stream.avail_in), target.count - Int(stream.avail_out))
                }
            }
            start += consumed
            produced += out
            if produced > limit { return .tooLarge(limit: limit) }
            switch result {
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress without more input.
                if start == end { continue }
                return .damaged("gzip member \(member) cannot be decompressed on")
            case Z_STREAM_END:
                // The member's CRC-32 and length matched. Another member may follow, nothing else.
                if start == end && fileOffset >= size { return nil }
                if end - start < 2 && fileOffset < size { _ = refill() }
                guard end - start >= 2, input[start] == 0x1F, input[start + 1] == 0x8B else {
                    return .damaged("\(size - fileOffset + (end - start)) bytes follow the end of the gzip stream")
                }
                member += 1
                inflateReset(&stream)
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(result)"
                return .damaged("gzip member \(member): \(message)")
            }
        }
    }

    // MARK: zip

    /// Checks that the zip's central directory is whole, inside the file, and agrees with the
    /// local headers; a description of the first inconsistency, or nil.
    static func zipStructure(_ fd: Int32, size: Int) -> String? {
        guard size >= 22 else { return "the file is too short to hold a zip directory (truncated)" }
        let tailLength = min(size, 22 + 65_535)
        let tail = read(fd, at: size - tailLength, count: tailLength)
        guard tail.count == tailLength else { return "cannot read the end of the file" }
        // The end-of-central-directory record: the last signature whose comment reaches the end.
        var eocd: Int?
        var position = tail.count - 22
        while position >= 0 {
            if tail[position] == 0x50, tail[position + 1] == 0x4B, tail[position + 2] == 0x05, tail[position + 3] == 0x06,
               position + 22 + Int(le16(tail, position + 20)) == tail.count {
                eocd = position
                break
            }
            position -= 1
        }
        guard let record = eocd else {
            return "no end-of-central-directory record at the end of the file (truncated, or bytes appended)"
        }
        let recordOffset = size - tailLength + record
        guard le16(tail, record + 4) == 0, le16(tail, record + 6) == 0 else { return "a zip split over several disks" }
        var entries = Int(le16(tail, record + 10))
        var directorySize = Int(le32(tail, record + 12))
        var directoryOffset = Int(le32(tail, record + 16))
        var directoryEnd = recordOffset
        if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // Zip64: the locator just before the record gives the zip64 end record.
            guard recordOffset >= 20 else { return "a zip64 archive without its locator" }
            let locator = read(fd, at: recordOffset - 20, count: 20)
            guard locator.count == 20, le32(locator, 0) == 0x0706_4B50 else { return "a zip64 archive without its locator" }
            let zip64Offset = Int(le64(locator, 8))
            guard zip64Offset >= 0, zip64Offset + 56 <= recordOffset - 20 else { return "the zip64 end record is outside the file" }
            let zip64 = read(fd, at: zip64Offset, count: 56)
            guard zip64.count == 56, le32(zip64, 0) == 0x0606_4B50 else { return "the zip64 end record is missing" }
            entries = Int(le64(zip64, 32))
            directorySize = Int(le64(zip64, 40))
            directoryOffset = Int(le64(zip64, 48))
            directoryEnd = zip64Offset
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset + directorySize <= directoryEnd else {
            return "the central directory (\(directorySize) bytes at \(directoryOffset)) is not inside the file (truncated, or its end record lies)"
        }
        guard entries <= 1_000_000 else { return "the central directory announces \(entries) entries" }
        let directory = read(fd, at: directoryOffset, count: directorySize)
        guard directory.count == directorySize else { return "cannot read the central directory" }
        var at = 0
        for index in 0..<entries {
            guard at + 46 <= directory.count, le32(directory, at) == 0x0201_4B50 else {
                return "the central directory ends before its entry \(index + 1) of \(entries)"
            }
            var compressed = Int(le32(directory, at + 20))
            let uncompressedField = le32(directory, at + 24)
            let nameLength = Int(le16(directory, at + 28))
            let extraLength = Int(le16(directory, at + 30))
            let commentLength = Int(le16(directory, at + 32))
            var localOffset = Int(le32(directory, at + 42))
            guard at + 46 + nameLength + extraLength + commentLength <= directory.count else {
                return "the central directory's entry \(index + 1) runs past the directory"
            }
            let name = Array(directory[(at + 46)..<(at + 46 + nameLength)])
            if compressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF || uncompressedField == 0xFFFF_FFFF {
                // The zip64 extra field holds, in order, the fields set to 0xFFFFFFFF.
                let extra = Array(directory[(at + 46 + nameLength)..<(at + 46 + nameLength + extraLength)])
                var fieldAt = 0
                var values: [Int] = []
                while fieldAt + 4 <= extra.count {
                    let id = le16(extra, fieldAt), length = Int(le16(extra, fieldAt + 2))
                    if id == 0x0001 {
                        var value = fieldAt + 4
                        while value + 8 <= min(fieldAt + 4 + length, extra.count) { values.append(Int(le64(extra, value))); value += 8 }
                    }
                    fieldAt += 4 + length
                }
                var next = values.makeIterator()
                if uncompressedField == 0xFFFF_FFFF { _ = next.next() }
                if compressed == 0xFFFF_FFFF { guard let value = next.next() else { return "a zip64 entry without its sizes" }; compressed = value }
                if localOffset == 0xFFFF_FFFF { guard let value = next.next() else { return "a zip64 entry without its offset" }; localOffset = value }
            }
            guard localOffset >= 0, localOffset + 30 <= directoryOffset else {
                return "entry \(index + 1) points outside the file's data (offset \(localOffset))"
            }
            let local = read(fd, at: localOffset, count: 30)
            guard local.count == 30, le32(local, 0) == 0x0403_4B50 else {
                return "entry \(index + 1) of the central directory has no local header at offset \(localOffset)"
            }
            let localNameLength = Int(le16(local, 26)), localExtraLength = Int(le16(local, 28))
            let localName = read(fd, at: localOffset + 30, count: localNameLength)
            guard localName == name else {
                return "entry \(index + 1): the local header and the central directory name different files"
            }
            guard localOffset + 30 + localNameLength + localExtraLength + compressed <= directoryOffset else {
                return "entry \(index + 1)'s data runs into the central directory (truncated or overlapping entries)"
            }
            at += 46 + nameLength + extraLength + commentLength
        }
        return nil
    }

    // MARK: Bytes

    private static func read(_ fd: Int32, at offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 { if errno == EINTR { continue }; break }
            if n == 0 { break }
            done += n
        }
        return Array(bytes[0..<done])
    }

    private static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    private static func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32
    }
}
