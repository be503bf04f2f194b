import Foundation
import Testing

/// Two daemons on one inbox tree: every drop is claimed and processed by exactly one of
/// them, and every invoice number is deposited once.
@Suite("Two daemons on one inbox tree")
struct ConcurrencyEndToEndTests {
    @Test func twoProcessesNeverProcessOneDropTwice() async throws {
        let tree = try TemporaryTree()
        let example = Checkout.inboxExample
        // Several copies of the example lots, and the same single invoice under many names:
        // the copies of one invoice must give one deposit and re-sends, never two deposits.
        for copy in 1...4 {
            for name in ["01-lot-2026-11-novembre.zip", "02-lot-2026-11-corrections.tar.gz", "03-facture-F2026-0107.xml"] {
                try tree.drop(example.appendingPathComponent(name), as: "\(copy)-\(name)")
            }
        }
        let arguments = ["run", "--config", tree.config.path, "--once"]
        async let first = Task.detached { try Checkout.liasse(arguments) }.value
        async let second = Task.detached { try Checkout.liasse(arguments) }.value
        let (a, b) = try await (first, second)
        #expect(a.status == 0, "\(a.err)")
        #expect(b.status == 0, "\(b.err)")

        let reports = try tree.reports()
        #expect(reports.count == 12, "one report per drop, got \(reports.count)")
        var deposits: [String: Int] = [:]
        for report in reports.values {
            for entry in report["entries"] as? [[String: Any]] ?? [] where entry["outcome"] as? String == "deposited" {
                if entry["resent"] as? Bool != true {
                    deposits[entry["invoiceNumber"] as? String ?? "?", default: 0] += 1
                }
            }
        }
        // F2026-0101…0104 and 0107, each deposited once whichever daemon won.
        #expect(deposits.keys.sorted() == ["AV2026-0104", "F2026-0101", "F2026-0102", "F2026-0103", "F2026-0107"])
        #expect(deposits.values.allSatisfy { $0 == 1 }, "\(deposits)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.archive.path).count == 12)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.inbox.appendingPathComponent(".work").path).isEmpty)

    }
}
