import Foundation
import Testing
@testable import LiasseCore

@Suite struct DirectoryCSVTests {
    let header = "type,siret,code,name,active,requires\n"

    @Test func theExampleDirectoryIsValidAndHoldsTheDemoBuyers() throws {
        let directory = try DirectoryCSV.parse(Fixtures.exampleDirectoryText)
        let commune = try #require(directory.recipient("21730412000017"))
        #expect(commune.name == "Commune de Saint-Aubin-des-Prés")
        #expect(commune.requires == .service)
        #expect(commune.service("SERVICES-TECHNIQUES")?.active == true)
        let hospital = try #require(directory.recipient("26690158600013"))
        #expect(hospital.service("DIR-ACHATS")?.engagementRequired == true)
        #expect(hospital.service("DIR-TRAVAUX")?.name == "Direction des travaux, du patrimoine et de la logistique")
    }

    @Test func renderThenParseGivesTheSameDirectory() throws {
        let directory = try DirectoryCSV.parse(Fixtures.exampleDirectoryText)
        #expect(try DirectoryCSV.parse(DirectoryCSV.render(directory)) == directory)
        #expect(try DirectoryCSV.parse(DirectoryCSV.render(Fixtures.directory)) == Fixtures.directory)
    }

    @Test func quotingBOMAndCRLFAreRead() throws {
        let text = "\u{FEFF}" + header.replacingOccurrences(of: "\n", with: "\r\n")
            + "structure,21730412000017,,\"Commune \"\"A\"\", B\",yes,none\r\n"
        let directory = try DirectoryCSV.parse(text)
        #expect(directory.recipient("21730412000017")?.name == "Commune \"A\", B")
    }

    func refusal(_ text: String) -> [DirectoryCSV.LineError] {
        do {
            _ = try DirectoryCSV.parse(text)
            Issue.record("the file was accepted")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func aBadHeaderIsRefused() {
        let errors = refusal("siret,name\n21730412000017,Commune\n")
        #expect(errors.map(\.line) == [1])
        #expect(errors.first?.message.contains("header") == true)
    }

    @Test func everyBadLineIsListedWithItsNumber() {
        let text = header + """
            structure,21730412000017,,Commune,oui,service
            structure,21730412000018,,Mauvais SIRET,oui,none
            structure,21730412000017,,Doublon,oui,none
            service,21730412000017,SERVICES-TECHNIQUES,Services techniques,peut-être,none
            service,26690158600013,DIR-ACHATS,Achats,oui,none
            structure,73282932000074,,Exigence inconnue,oui,tout
            service,21730412000017,,Sans code,oui,none
            structure,44306184100047,,Trop de champs,oui,none,extra
            service,21730412000017,ECOLES,Écoles,oui,service
            bateau,21730412000017,,Type inconnu,oui,none
            structure,832417950,,SIREN,oui,none
            structure,73282932000074,X,Code sur une structure,oui,none
            structure,35600000000048,,,oui,none
            """ + "\n"
        let errors = refusal(text)
        let lines = Set(errors.map(\.line))
        #expect(lines == Set(3...14))
        #expect(errors.contains { $0.line == 3 && $0.message.contains("Luhn") })
        #expect(errors.contains { $0.line == 4 && $0.message.contains("already declared on line 2") })
        #expect(errors.contains { $0.line == 5 && $0.message.contains("active must be") })
        #expect(errors.contains { $0.line == 6 && $0.message.contains("no structure line declares") })
        #expect(errors.contains { $0.line == 9 && $0.message.contains("expected 6 fields") })
        #expect(errors.contains { $0.line == 12 && $0.message.contains("SIREN") })
        #expect(errors.contains { $0.line == 14 && $0.message.contains("name is empty") })
    }

    @Test func duplicateServiceAndUnclosedQuote() {
        let duplicate = refusal(header + "structure,21730412000017,,C,oui,none\nservice,21730412000017,A,A,oui,none\nservice,21730412000017,A,B,oui,none\n")
        #expect(duplicate.map(\.line) == [4])
        let unclosed = refusal(header + "structure,21730412000017,,\"Commune,oui,none\n")
        #expect(unclosed.map(\.line) == [2])
        let empty = refusal("")
        #expect(empty.count == 1)
        let onlyHeader = refusal(header)
        #expect(onlyHeader.first?.message.contains("no structure") == true)
    }

    @Test func aRefusedImportLeavesTheLedgerDirectoryAsItWas() throws {
        let fixture = try CoreFixture()
        let before = try fixture.ledger.directory()
        let bad = fixture.folder.path("bad.csv")
        try (header + "structure,21730412000017,,Commune,oui,service\nstructure,1,,X,oui,none\n").write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: DirectoryImporter.Failure.self) { try DirectoryImporter.importFile(path: bad, into: fixture.ledger) }
        #expect(try fixture.ledger.directory() == before)

        let good = fixture.folder.path("good.csv")
        try Fixtures.exampleDirectoryText.write(toFile: good, atomically: true, encoding: .utf8)
        guard case .imported(let record) = try DirectoryImporter.importFile(path: good, into: fixture.ledger) else {
            Issue.record("not imported"); return
        }
        #expect(record.structures == 4)
        #expect(try fixture.ledger.recipient(siret: "26690158600013")?.services.count == 2)
        #expect(try fixture.ledger.recipient(siret: "73282932000074") == nil)
        guard case .unchanged = try DirectoryImporter.importIfChanged(path: good, into: fixture.ledger) else {
            Issue.record("imported twice"); return
        }
    }
}
