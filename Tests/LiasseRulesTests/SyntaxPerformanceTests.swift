import Foundation
import Testing
import LiasseXML
@testable import LiasseRules

/// Cost of the syntax and code-list layers per invoice, on the ~20 KB official examples. The
/// bound is loose (debug builds, shared machines); the printed figures are what to look at.
@Suite("Schematron layers: cost per invoice")
struct SyntaxPerformanceTests {
    @Test(.enabled(if: SharedArtefacts.hasCorpus, "../shared/corpus/cen is absent: no example invoice to time"))
    func syntaxAndCodeListLayersAreCheap() throws {
        let names = ["ubl/Invoice-Max_content.xml", "ubl/ubl-tc434-example1.xml", "cii/CII_example1.xml", "cii/XRechnung-O.xml"]
        for name in names {
            let bytes = Array(try Data(contentsOf: SharedArtefacts.cenCorpus.appendingPathComponent(name)))
            let document = try XMLDocument.parse(bytes, name: name)
            let binding: SchematronTable.Binding = name.hasPrefix("cii") ? .cii : .ubl
            let program = try SchematronPrograms.cen(binding).get()
            let rounds = 50
            var index = document.nodeIndex()
            let clock = ContinuousClock()
            let indexing = clock.measure { for _ in 0..<rounds { index = XMLNodeIndex(document: document) } }
            var count = 0
            let rulesTime = clock.measure { for _ in 0..<rounds { count += program.run(on: index).count } }
            func micro(_ d: Duration) -> Int { Int(d / .microseconds(1)) / rounds }
            print("\(name) (\(bytes.count) bytes, \(index.count) nodes): index \(micro(indexing)) µs, syntax and code lists \(micro(rulesTime)) µs")
            #expect(count == 0)
            #expect(rulesTime / rounds < .milliseconds(50))
        }
    }
}
