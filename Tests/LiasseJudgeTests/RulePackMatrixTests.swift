import LiasseInvoice
import LiasseRules
import Testing

/// Which packs judge which document: the official France RFE matrix.
struct RulePackMatrixTests {
    let all = RulePackSelection(enabling: RulePack.ID.allCases.filter { $0 != .chorus })

    @Test func aFacturXExtendedInvoiceIsJudgedByItsProfileAndBRFRWithoutCEN() {
        let kind = DocumentKind(syntax: .cii, profile: .facturXExtended, inFacturX: true)
        #expect(all.packs(for: kind) == [.facturx, .brFR])
    }

    @Test func facturXMinimumAndBasicHaveNoBRFRVariant() {
        #expect(all.packs(for: DocumentKind(syntax: .cii, profile: .facturXMinimum, inFacturX: true)) == [.facturx])
        #expect(all.packs(for: DocumentKind(syntax: .cii, profile: .facturXBasic, inFacturX: true)) == [.facturx])
        #expect(all.packs(for: DocumentKind(syntax: .cii, profile: .facturXBasicWL, inFacturX: true)) == [.facturx, .brFR])
    }

    @Test func extendedCTCFRInvoicesGetTheirProfileRulesAndBRFR() {
        for syntax in [InvoiceSyntax.cii, .ublInvoice, .ublCreditNote] {
            #expect(all.packs(for: DocumentKind(syntax: syntax, profile: .extendedCTCFR, inFacturX: false)) == [.extendedCTCFR, .brFR])
        }
    }

    @Test func otherXMLInvoicesGetCENAndBRFR() {
        #expect(all.packs(for: DocumentKind(syntax: .ublInvoice, profile: .en16931, inFacturX: false)) == [.en16931, .brFR])
        // A bare CII naming a Factur-X profile is judged as an XML invoice, not as a Factur-X.
        #expect(all.packs(for: DocumentKind(syntax: .cii, profile: .facturXExtended, inFacturX: false)) == [.en16931, .brFR])
    }

    @Test func onlyEnabledPacksRun() {
        let b2g = RulePackSelection(enabling: [.en16931, .facturx, .chorus])
        #expect(b2g.packs(for: DocumentKind(syntax: .ublInvoice, profile: .en16931, inFacturX: false)) == [.en16931])
        #expect(b2g.packs(for: DocumentKind(syntax: .cii, profile: .en16931, inFacturX: true)) == [.facturx])
    }

    @Test func everyPackOfTheCatalogueHasAVersionAndPinnedArtefacts() {
        #expect(Set(RulePack.all.map(\.id)) == Set(RulePack.ID.allCases))
        for pack in RulePack.all {
            #expect(!pack.version.isEmpty)
            for artefact in pack.artefacts {
                #expect(artefact.sha256.count == 64, "\(pack.id) \(artefact.name)")
            }
        }
    }
}
