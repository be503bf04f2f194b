import Foundation
import Testing

/// The real daemon under a notify socket of our own, as systemd runs it: READY once
/// started, WATCHDOG from the poll loop, STOPPING and a clean exit on SIGTERM.
@Suite("Daemon lifecycle under systemd's notify protocol")
struct SystemdLifecycleTests {
    @Test func notifiesReadyWatchdogAndStoppingThenExitsOnSIGTERM() throws {
        let tree = try TemporaryTree()
        let socketPath = tree.root.appendingPathComponent("notify.sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(socketPath.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        try tree.drop(Checkout.inboxExample.appendingPathComponent("03-facture-F2026-0107.xml"))
        let process = Process()
        process.executableURL = Checkout.binary
        process.arguments = ["run", "--config", tree.config.path]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = socketPath
        environment["WATCHDOG_USEC"] = "1000000"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        func receive(until deadline: Date, matching prefix: String) -> Bool {
            var buffer = [UInt8](repeating: 0, count: 512)
            while Date() < deadline {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count > 0, String(decoding: buffer[0..<count], as: UTF8.self).hasPrefix(prefix) { return true }
            }
            return false
        }
        #expect(receive(until: Date().addingTimeInterval(60), matching: "READY=1"), "no READY=1")
        #expect(receive(until: Date().addingTimeInterval(30), matching: "WATCHDOG=1"), "no WATCHDOG=1")
        // The drop present at start is processed by the first poll.
        let deadline = Date().addingTimeInterval(60)
        while (try? tree.reports().count) != 1 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect((try? tree.reports().count) == 1)

        process.terminate()  // SIGTERM
        #expect(receive(until: Date().addingTimeInterval(30), matching: "STOPPING=1"), "no STOPPING=1")
        let exitDeadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < exitDeadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(!process.isRunning, "still running 30 s after SIGTERM")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
