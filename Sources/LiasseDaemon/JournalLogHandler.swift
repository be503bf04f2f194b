import Foundation
import LiasseFindings
import Logging
import Synchronization

/// A swift-log handler writing one line per message to stderr with the `<N>` priority
/// prefix journald reads, so `journalctl -p warning` works on Liasse's logs.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private static let lock = Mutex<Void>(())

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        // Names of drops and entries are the producer's: escaped, they cannot forge a line.
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\("\($0.value)".escapedForDisplay)" }.joined(separator: " ")
        let line = "<\(Self.priority(event.level))>\("\(event.message)".escapedForDisplay)\(fields.isEmpty ? "" : " " + fields)\n"
        Self.lock.withLock { _ in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// syslog priorities: 2 critical, 3 error, 4 warning, 5 notice, 6 info, 7 debug.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: return 2
        case .error: return 3
        case .warning: return 4
        case .notice: return 5
        case .info: return 6
        case .debug, .trace: return 7
        }
    }
}
