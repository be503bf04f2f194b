import LiasseRules
import Testing
@testable import LiasseDaemon

/// The text rejection report, for people: a fault repeated at one path pattern is written once
/// with its lines; the JSON report keeps every occurrence.
@Suite("Rejection report text")
struct RejectReportTextTests {
    @Test func aRepeatedFaultIsWrittenOnceWithItsLines() throws {
        func amount(line: Int, position: Int) -> Finding {
            Finding(rule: "XSD", severity: .fatal, code: .syntax, message: "montant invalide", messageEn: "invalid amount",
                    bt: "BT-131", path: "/rsm:CrossIndustryInvoice/ram:IncludedSupplyChainTradeLineItem[\(position)]/ram:LineTotalAmount",
                    line: line, detail: "libxml2 text")
        }
        let report = RejectReport(lot: "LOT-1", file: "lot.zip", entry: "f.xml", sha256: nil, rejectedAt: "2026-11-27T10:00:00Z",
                                  syntax: "cii", invoiceNumber: "F-1", code: "IRR_SYNTAX",
                                  findings: [amount(line: 56, position: 1), amount(line: 83, position: 2), amount(line: 110, position: 3)], rulePacks: [])
        let text = report.text
        #expect(text.components(separatedBy: "FR : montant invalide").count == 2, "\(text)")
        #expect(text.contains("(même erreur 3 fois, lignes 56, 83, 110 / same fault 3 times, lines 56, 83, 110)"))
        #expect(!text.contains("libxml2 text"))
        #expect(report.findings.count == 3)
    }
}
