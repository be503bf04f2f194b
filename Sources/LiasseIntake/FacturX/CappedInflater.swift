import CZlib

/// Inflates zlib (`/FlateDecode`) data in chunks, and stops as soon as the output would pass
/// a cap: memory stays bounded by the cap whatever the compressed data claims.
enum CappedInflater {
    /// Why data could not be inflated.
    enum Failure: Error, Equatable {
        /// The output passed `limit` bytes: abandoned there.
        case tooLarge(limit: Int)
        /// The data is not a valid zlib (or raw deflate) stream.
        case corrupt(String)
    }

    /// Inflates `input`, a zlib stream (a gzip header and raw deflate are accepted too: some
    /// producers write them), into at most `limit` bytes.
    ///
    /// Two passes: the first only counts (64 KB of memory, whatever the data), so a bomb is
    /// refused without ever holding its output; the second fills a buffer of the exact size.
    static func inflate(_ input: [UInt8], limit: Int) -> Result<[UInt8], Failure> {
        // 15 + 32: zlib or gzip header, detected. Raw deflate (-15) is the fallback.
        var windowBits: Int32 = 15 + 32
        var counted = run(input, windowBits: windowBits, limit: limit, keep: false)
        if case .failure(.corrupt) = counted {
            let raw = run(input, windowBits: -15, limit: limit, keep: false)
            if case .success = raw {
                counted = raw
                windowBits = -15
            }
        }
        guard case .success(let (_, size)) = counted else {
            return counted.map { $0.bytes }
        }
        return run(input, windowBits: windowBits, limit: limit, keep: true, capacity: size).map { $0.bytes }
    }

    private static func run(_ input: [UInt8], windowBits: Int32, limit: Int, keep: Bool,
                            capacity: Int = 0) -> Result<(bytes: [UInt8], count: Int), Failure> {
        var stream = z_stream()
        guard cz_inflate_init(&stream, windowBits) == Z_OK else {
            return .failure(.corrupt("cannot initialise zlib"))
        }
        defer { inflateEnd(&stream) }
        let chunkSize = 64 * 1024
        var output: [UInt8] = []
        output.reserveCapacity(capacity)
        var total = 0
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var status: Int32 = Z_OK
        var input = input
        return input.withUnsafeMutableBufferPointer { source -> Result<(bytes: [UInt8], count: Int), Failure> in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { target -> Int in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(chunkSize)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return chunkSize - Int(stream.avail_out)
                }
                switch status {
                case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                    break
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(.corrupt(reason))
                }
                total += produced
                if total > limit {
                    return .failure(.tooLarge(limit: limit))
                }
                if keep { output.append(contentsOf: chunk[0..<produced]) }
                if status == Z_BUF_ERROR && produced == 0 {
                    // No progress and no end marker: the data stops short. Producers that drop
                    // the final checksum are common; what was inflated is kept (a cut XML then
                    // fails to parse, with its own message).
                    if stream.avail_in == 0 && total > 0 { return .success((output, total)) }
                    return .failure(.corrupt("the compressed data ends before its end marker"))
                }
            } while status != Z_STREAM_END
            return .success((output, total))
        }
    }
}
