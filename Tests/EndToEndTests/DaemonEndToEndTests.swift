import Foundation
import Testing

/// The real `liasse run --once` over a temporary inbox tree, read back from the outbox.
@Suite("Daemon end to end")
struct DaemonEndToEndTests {
    @Test func theExampleDropsBecomeCertificatesRejectionsAndReports() throws {
        let tree = try TemporaryTree()
        for name in try FileManager.default.contentsOfDirectory(atPath: Checkout.inboxExample.path).sorted() where name.hasPrefix("0") {
            try tree.drop(Checkout.inboxExample.appendingPathComponent(name))
        }
        let run = try tree.runOnce()
        #expect(run.status == 0, "\(run.err)")

        let reports = try tree.reports()
        #expect(reports.count == 5)
        #expect(reports["01-lot-2026-11-novembre.zip"]?["status"] as? String == "IN_INTEGRE")
        #expect(reports["02-lot-2026-11-corrections.tar.gz"]?["status"] as? String == "IN_REJETE")
        #expect(reports["03-facture-F2026-0107.xml"]?["status"] as? String == "IN_INTEGRE")
        #expect(reports["04-lot-scan.zip"]?["status"] as? String == "IN_REJETE")
        #expect(reports["05-facture-F2026-0108.pdf"]?["status"] as? String == "IN_INTEGRE")

        let corrections = try #require(reports["02-lot-2026-11-corrections.tar.gz"]?["entries"] as? [[String: Any]])
        let codes = corrections.compactMap { ($0["reasons"] as? [[String: Any]])?.first?["code"] as? String }.sorted()
        #expect(codes == ["IRR_SYNTAX", "REJ_UNI"])
        let scan = try #require(reports["04-lot-scan.zip"]?["entries"] as? [[String: Any]])
        #expect((scan.first?["reasons"] as? [[String: Any]])?.first?["code"] as? String == "IRR_TYPE_F")

        let certificates = tree.files(under: tree.outbox.appendingPathComponent("certificates"), suffix: ".certificate.json")
        #expect(certificates.count == 6)
        let rejects = tree.files(under: tree.outbox.appendingPathComponent("rejects"), suffix: ".reject.json")
        #expect(rejects.count == 3)
        #expect(tree.files(under: tree.outbox.appendingPathComponent("rejects"), suffix: ".reject.txt").count == 3)

        // Every certificate carries the §5 fields, and a 44-character fingerprint.
        for path in certificates {
            let data = try Data(contentsOf: tree.outbox.appendingPathComponent("certificates").appendingPathComponent(path))
            let certificate = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            for key in ["fingerprint", "depositedAt", "invoiceNumber", "supplier", "recipient", "amounts", "status", "sourceSha256", "signature"] {
                #expect(certificate[key] != nil, "certificate \(path) lacks \(key)")
            }
            #expect((certificate["fingerprint"] as? String)?.count == 44)
            #expect(certificate["status"] as? String == "DEPOSEE")
            if path.contains("F2026-0108.pdf") {
                #expect(certificate["syntaxCode"] as? String == "IN_DP_E2_CII_FACTURX")
            }
        }
        #expect(certificates.contains { $0.contains("F2026-0108.pdf") })
        // The inputs left the inbox and the work folder for archive/, nothing was lost.
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.archive.path).count == 5)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.inbox.path).filter { !$0.hasPrefix(".") }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.inbox.appendingPathComponent(".work").path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.failed.path).isEmpty)

        // The Prometheus text file says what was done.
        let metrics = try String(contentsOf: tree.root.appendingPathComponent("state/liasse.prom"), encoding: .utf8)
        #expect(metrics.contains("liasse_lots_total{inbox=\"test\",status=\"IN_INTEGRE\"} 3"))
        #expect(metrics.contains("liasse_entries_total{inbox=\"test\",outcome=\"deposited\",reason=\"\"} 6"))
        #expect(metrics.contains("liasse_entries_total{inbox=\"test\",outcome=\"rejected\",reason=\"REJ_UNI\"} 1"))
        #expect(metrics.contains("liasse_lot_duration_seconds_count{inbox=\"test\"} 5"))
        #expect(metrics.contains("liasse_queue_depth"))
    }

    /// A lot of several batches goes through the three stages (judged in parallel, deposited
    /// in lot order, outputs written while the next batch is deposited): every entry has its
    /// line in lot order, its outputs named by its position, the ledger's sequence follows the
    /// lot's order, and an earlier entry's number wins over a later one in another batch.
    @Test func aLotOfManyBatchesKeepsTheLotsOrderThroughThePipeline() throws {
        let tree = try TemporaryTree()
        let lot = tree.root.appendingPathComponent("big-lot.zip")
        try Crafted.python("""
            import sys, zipfile
            sys.path.insert(0, sys.argv[2])
            import invoice_builder as ib
            from datetime import date
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                for i in range(1, 71):
                    # Entry 40 reuses entry 5's number (other lines, so other bytes).
                    number = "T2026-0005" if i == 40 else f"T2026-{i:04d}"
                    p = ib.InvoiceParams(number=number, issue_date=date(2026, 3, 1 + i % 28),
                                         lines=ib.catalogue_lines(1 + i % 5, rates=["20", "10"]))
                    xml = ib.build(p, "ubl" if i % 2 else "cii")
                    if i == 25:
                        xml = ib.break_schema(xml, "unknown")
                    z.writestr(f"factures/{i:03d}-{number}.xml", xml)
            """, [lot.path, Checkout.root.appendingPathComponent("scripts/fixtures").path])
        try tree.drop(lot)
        let run = try tree.runOnce()
        #expect(run.status == 0, "\(run.err)")

        let report = try #require(try tree.reports()["big-lot.zip"])
        let entries = try #require(report["entries"] as? [[String: Any]])
        #expect(entries.count == 70)
        var lastSequence = 0
        for (offset, entry) in entries.enumerated() {
            let position = offset + 1
            let path = try #require(entry["path"] as? String)
            #expect(path.hasPrefix(String(format: "factures/%03d-", position)), "entry \(position) is \(path)")
            #expect((entry["processingMicroseconds"] as? Int ?? 0) > 0)
            let output = try #require((entry["certificate"] ?? entry["reject"]) as? String)
            #expect(output.split(separator: "/").last?.hasPrefix(String(format: "%04d-", position)) == true, "\(output)")
            #expect(FileManager.default.fileExists(atPath: tree.outbox.appendingPathComponent(output).path), "\(output)")
            let code = (entry["reasons"] as? [[String: Any]])?.first?["code"] as? String
            switch position {
            case 25:
                #expect(entry["outcome"] as? String == "rejected")
                #expect(code == "IRR_SYNTAX")
            case 40:
                #expect(entry["outcome"] as? String == "rejected")
                #expect(code == "REJ_UNI")
            default:
                #expect(entry["outcome"] as? String == "deposited", "entry \(position): \(entry["reasons"] ?? "")")
                let data = try Data(contentsOf: tree.outbox.appendingPathComponent(output))
                let certificate = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                let sequence = try #require(certificate["sequence"] as? Int)
                #expect(sequence == lastSequence + 1, "entry \(position) has sequence \(sequence) after \(lastSequence)")
                lastSequence = sequence
            }
        }
        #expect(lastSequence == 68)
        #expect(report["status"] as? String == "IN_INTEGRE_PARTIEL")
        #expect(tree.files(under: tree.outbox.appendingPathComponent("certificates"), suffix: ".certificate.pdf").count == 68)
        #expect(tree.files(under: tree.outbox.appendingPathComponent("rejects"), suffix: ".reject.txt").count == 2)
    }

    @Test func reDroppingTheSameBytesIsAnsweredFromTheLedger() throws {
        let tree = try TemporaryTree()
        let invoice = Checkout.inboxExample.appendingPathComponent("03-facture-F2026-0107.xml")
        try tree.drop(invoice)
        #expect(try tree.runOnce().status == 0)
        try tree.drop(invoice, as: "again.xml")
        #expect(try tree.runOnce().status == 0)
        let reports = try tree.reports()
        let first = try #require((reports["03-facture-F2026-0107.xml"]?["entries"] as? [[String: Any]])?.first)
        let second = try #require((reports["again.xml"]?["entries"] as? [[String: Any]])?.first)
        #expect(second["outcome"] as? String == "deposited")
        #expect(second["resent"] as? Bool == true)
        #expect(second["fingerprint"] as? String == first["fingerprint"] as? String)
    }

    @Test func anInvoiceOfAnotherSupplierIsRefused() throws {
        let tree = try TemporaryTree(suppliers: ["35600000000048"])
        try tree.drop(Checkout.inboxExample.appendingPathComponent("03-facture-F2026-0107.xml"))
        #expect(try tree.runOnce().status == 0)
        let entry = try #require((try tree.reports()["03-facture-F2026-0107.xml"]?["entries"] as? [[String: Any]])?.first)
        #expect(entry["outcome"] as? String == "rejected")
        #expect((entry["reasons"] as? [[String: Any]])?.first?["rule"] as? String == "LIASSE-DEP-02")
    }

    @Test func badInputGetsAClearRefusalAndTheServiceGoesOn() throws {
        let tree = try TemporaryTree(limits: "max_entry_bytes = 4096")
        try tree.drop(bytes: Data("<Invoice><cbc:ID>".utf8), as: "malformed.xml")
        try tree.drop(bytes: Data("this is not a zip archive at all".utf8), as: "not-a-zip.zip")
        try tree.drop(bytes: Data("PK".utf8), as: "invoice.docx")
        try tree.drop(bytes: Data(), as: "empty.xml")
        try tree.drop(bytes: Data("<html><body>hello</body></html>".utf8), as: "page.xml")
        let traversal = tree.inbox.appendingPathComponent("traversal.zip").path
        try Crafted.python("""
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                z.writestr("../../escaped.xml", "<a/>")
                z.writestr("/etc/absolute.xml", "<a/>")
                z.writestr("big.xml", "<a>" + "x" * 10000 + "</a>")
                z.writestr("same.xml", "<a/>")
                z.writestr("same.xml", "<b/>")
                z.writestr("nested.zip", "PK")
                z.writestr("notes.txt", "hello")
            """, [traversal])
        // Producers' partial uploads and dotfiles are never claimed.
        try tree.drop(bytes: Data("partial".utf8), as: "upload.xml.part")
        try tree.drop(bytes: Data("hidden".utf8), as: ".hidden.xml")

        let run = try tree.runOnce()
        #expect(run.status == 0, "\(run.err)")
        let reports = try tree.reports()
        #expect(reports.count == 6)
        func lotCode(_ file: String) -> String? {
            ((reports[file]?["errors"] as? [[String: Any]])?.first?["code"] as? String)
                ?? (((reports[file]?["entries"] as? [[String: Any]])?.first?["reasons"] as? [[String: Any]])?.first?["code"] as? String)
        }
        #expect(lotCode("malformed.xml") == "IRR_SYNTAX")
        #expect(lotCode("not-a-zip.zip") == "IRR_TYPE_F")
        #expect(lotCode("invoice.docx") == "IRR_TYPE_F")
        #expect(lotCode("empty.xml") == "IRR_VIDE_F")
        #expect(lotCode("page.xml") == "IRR_SYNTAX")
        for file in reports.keys { #expect(reports[file]?["status"] as? String == "IN_REJETE", "\(file)") }

        let entries = try #require(reports["traversal.zip"]?["entries"] as? [[String: Any]])
        var rules: [String: String] = [:]
        for entry in entries {
            rules[entry["path"] as? String ?? "?", default: ""] += ((entry["reasons"] as? [[String: Any]])?.first?["rule"] as? String ?? "") + " "
        }
        #expect(rules["../../escaped.xml"]?.contains("LIASSE-LOT-12") == true)
        #expect(rules["/etc/absolute.xml"]?.contains("LIASSE-LOT-12") == true)
        #expect(rules["big.xml"]?.contains("LIASSE-LOT-15") == true)
        #expect(rules["same.xml"]?.contains("LIASSE-LOT-14") == true)
        #expect(rules["nested.zip"]?.contains("LIASSE-LOT-07") == true)
        #expect(rules["notes.txt"]?.contains("LIASSE-TYPE-01") == true)
        #expect(!FileManager.default.fileExists(atPath: tree.root.appendingPathComponent("escaped.xml").path))

        // Ignored files stay where the producer left them; every claimed input is archived.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: tree.inbox.path)) == [".work", "upload.xml.part", ".hidden.xml"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.archive.path).count == 6)
    }

    @Test func aSymlinkDroppedInTheInboxIsRefusedNotFollowed() throws {
        let tree = try TemporaryTree()
        let secret = tree.root.appendingPathComponent("secret.xml")
        try Data("<secret/>".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(at: tree.inbox.appendingPathComponent("link.xml"), withDestinationURL: secret)
        #expect(try tree.runOnce().status == 0)
        let report = try #require(try tree.reports()["link.xml"])
        #expect(report["status"] as? String == "IN_REJETE")
        #expect((report["errors"] as? [[String: Any]])?.first?["rule"] as? String == "LIASSE-LOT-03")
        #expect(FileManager.default.fileExists(atPath: secret.path))
    }

    @Test func aBadConfigurationIsRefusedWithItsReason() throws {
        let tree = try TemporaryTree()
        try "state = \"s\"\nstaet = \"typo\"\n[[inbox]]\nroot = \"drop\"\n".write(to: tree.config, atomically: true, encoding: .utf8)
        let run = try tree.runOnce()
        #expect(run.status != 0)
        #expect(run.err.contains("staet"))
    }
}
