import Foundation
import Glibc

/// Speaks systemd's notify protocol: one `AF_UNIX` datagram of `KEY=VALUE` lines to
/// `$NOTIFY_SOCKET` (a leading `@` names the abstract namespace). Without the variable
/// (not under systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    private let socketPath: String?
    /// Half of `$WATCHDOG_USEC`, when the unit has a watchdog.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        if let usec = environment["WATCHDOG_USEC"].flatMap(Int64.init), usec > 0 {
            watchdogInterval = .microseconds(usec / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// Startup is complete: configuration read, schemas compiled, recovery done.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    /// The poll loop is alive.
    public func watchdog() { send("WATCHDOG=1") }
    /// A graceful stop has begun.
    public func stopping() { send("STOPPING=1\nSTATUS=stopping") }
    public func status(_ text: String) { send("STATUS=\(text)") }

    /// Sends one message; returns whether it was delivered (false when not under systemd).
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard let socketPath, socketPath.utf8.count < 108 else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count)
        let payload = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                sendto(fd, payload, payload.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length)
            }
        }
        return sent == payload.count
    }
}
