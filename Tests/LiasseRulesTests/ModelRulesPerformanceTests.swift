import Foundation
import LiasseInvoice
@testable import LiasseRules
import LiasseXML
import Testing

/// How long the model rules take on a 20 KB invoice (issue target: parse + XSD + all rules
/// within 1 ms). Debug builds are several times slower than release: the bound here only
/// catches a gross regression; the figure is printed.
@Suite(.enabled(if: ModelCorpus.isPresent, "needs ../shared/corpus/cen"))
struct ModelRulesPerformanceTests {
    @Test(arguments: [("ubl", "Invoice-Max_content.xml"), ("cii", "CII_example1.xml")])
    func modelRulesOnATypicalInvoice(syntax: String, name: String) throws {
        let xml = try ModelRun.example(syntax, name)
        let (invoice, document) = try ModelRun.invoice(xml)
        let context = RuleContext(invoice: invoice, document: document)
        let rounds = 200
        var findings: [Finding] = []
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                findings.removeAll(keepingCapacity: true)
                ModelRules.check(context, into: &findings)
            }
        }
        let perInvoice = elapsed / rounds
        print("model rules, \(name) (\(xml.utf8.count) bytes): \(perInvoice) per invoice")
        #expect(findings.isEmpty)
        #expect(perInvoice < .milliseconds(50))
    }

    @Test(arguments: [("ubl", "Invoice-Max_content.xml"), ("cii", "CII_example1.xml")])
    func parseReadAndModelRules(syntax: String, name: String) throws {
        let bytes = Array(try ModelRun.example(syntax, name).utf8)
        let rounds = 100
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<rounds {
                let document = try XMLDocument.parse(bytes)
                guard case .invoice(let invoice) = InvoiceReader.read(document) else { return }
                var findings: [Finding] = []
                ModelRules.check(RuleContext(invoice: invoice, document: document), into: &findings)
            }
        }
        print("parse + read + model rules, \(name): \(elapsed / rounds) per invoice")
        #expect(elapsed / rounds < .milliseconds(200))
    }
}
