import ArgumentParser
import Foundation
import LiasseInvoice
import LiasseRules
import LiasseXML

extension Liasse {
    /// `liasse bench`: where the time of validating one invoice goes, stage by stage.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time each validation stage (parse, XSD, model, EN 16931 rules, BR-FR) on invoice files.",
            discussion: """
                Runs every stage on each file --iterations times (after one warm-up) and prints the \
                median time per stage and per file, then the mean over the files. The EN 16931 \
                rules are shown in two parts: the model rules (BR-*) and the rules read from the \
                CEN tables over the document (BR-CL-*, UBL-*, CII-*, node index included). For the whole \
                pipeline with deposits and outputs, and beside the official one, see `make bench`.
                """)

        @Option(name: .long, help: "Runs per file and stage.")
        var iterations = 200

        @Option(name: .long, help: "The official artefacts folder (default: as for validate).")
        var artefacts: String?

        @Option(name: .long, help: "Also time each pattern of a pack's table alone (br-fr, extended-ctc-fr), slowest first.")
        var patterns: String?

        @Argument(help: "XML invoice files.")
        var files: [String]

        func run() throws {
            let folder = artefacts ?? ArtefactLocator.find()
            let schemas = try SchemaCatalog(root: folder)
            let ruleSet = EN16931RuleSet()
            var totals = [Double](repeating: 0, count: 6)
            var measured = 0
            print("file                                     bytes    parse      XSD    model BR-rules   tables    total    BR-FR (µs, median; total = EN 16931 validation)")
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
                let bytes = [UInt8](data)
                var samples: [[Double]] = [[], [], [], [], [], []]
                for iteration in 0...iterations {
                    let clock = ContinuousClock()
                    var document: XMLDocument!
                    let parse = try clock.measure { document = try XMLDocument.parse(bytes, name: file) }
                    var invoice: Invoice!
                    let read = clock.measure {
                        if case .invoice(let read) = InvoiceReader.read(document) { invoice = read }
                    }
                    guard let invoice else { throw ValidationError("\(file) is not an invoice") }
                    let xsd = clock.measure { _ = schemas.schema(for: invoice.syntax).validate(document) }
                    var findings: [Finding] = []
                    let context = RuleContext(invoice: invoice, document: document)
                    let model = clock.measure { ruleSet.checkModel(context, into: &findings) }
                    let tables = clock.measure { ruleSet.checkTables(context, into: &findings) }
                    let kind = DocumentKind(syntax: invoice.syntax, profile: invoice.profile, inFacturX: false)
                    let brFR = clock.measure { findings += RuleSets.judge(context, pack: .brFR, mode: .fatal, kind: kind).findings }
                    if iteration > 0 {
                        for (index, duration) in [parse, xsd, read, model, tables, brFR].enumerated() {
                            samples[index].append(Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6)
                        }
                    }
                }
                let medians = samples.map { $0.sorted()[$0.count / 2] }
                for index in 0..<6 { totals[index] += medians[index] }
                measured += 1
                let name = (file as NSString).lastPathComponent
                let columns = medians[0..<5].map { String(format: "%8.1f", $0) }.joined(separator: " ")
                print("\(name.padding(toLength: 38, withPad: " ", startingAt: 0)) \(String(format: "%7d", bytes.count)) \(columns) \(String(format: "%8.1f", medians[0..<5].reduce(0, +))) \(String(format: "%8.1f", medians[5]))")
            }
            if let patterns, let id = RulePack.ID(rawValue: patterns) {
                for file in files {
                    let data = FileManager.default.contents(atPath: file) ?? Data()
                    let document = try XMLDocument.parse([UInt8](data), name: file)
                    guard case .invoice(let invoice) = InvoiceReader.read(document) else { continue }
                    let times = try RuleSets.patternTimes(id, document: document, syntax: invoice.syntax, iterations: iterations)
                    print("\((file as NSString).lastPathComponent): \(id.rawValue) patterns, µs (median, each alone):")
                    for (pattern, time) in times.prefix(15) { print(String(format: "  %8.1f  %@", time, pattern)) }
                }
            }
            guard measured > 0 else { return }
            let means = totals.map { $0 / Double(measured) }
            print("mean over \(measured) files:".padding(toLength: 46, withPad: " ", startingAt: 0)
                  + means[0..<5].map { String(format: " %8.1f", $0) }.joined() + String(format: " %8.1f %8.1f", means[0..<5].reduce(0, +), means[5]))
            let withoutBRFR = means[0..<5].reduce(0, +)
            print(String(format: "BR-FR adds %.1f %% to the validation time of EN 16931 alone (%.1f µs on %.1f µs).",
                         100 * means[5] / withoutBRFR, means[5], withoutBRFR))
        }
    }
}
