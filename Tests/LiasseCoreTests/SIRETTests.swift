import Testing
@testable import LiasseCore
@testable import LiasseRules

@Suite struct SIRETTests {
    @Test(arguments: ["83241795000017", "21730412000017", "26690158600013", "73282932000074", "44306184100047"])
    func knownGoodSIRETs(_ siret: String) {
        #expect(SIRET.problem(siret) == nil)
    }

    @Test func laPosteHeadOfficeKeepsItsLuhnKey() {
        #expect(SIRET.problem("35600000000048") == nil)
    }

    @Test func laPosteEstablishmentsUseTheSumOfDigits() {
        // Luhn fails on these, the sum of their digits is a multiple of 5.
        #expect(!SIRET.luhn(Array("35600000049837".utf8.map { Int($0) - 48 })[...]))
        #expect(SIRET.problem("35600000049837") == nil)
        #expect(SIRET.problem("35600000000001") == nil)
        #expect(SIRET.problem("35600000000002") == .laPosteChecksum)
    }

    @Test func badSIRETsSayWhy() {
        #expect(SIRET.problem("83241795000018") == .siretChecksum)
        #expect(SIRET.problem("83241795110006") == .sirenChecksum)
        #expect(SIRET.problem("832417950") == .sirenOnly)
        #expect(SIRET.problem("8324179500001") == .notFourteenDigits)
        #expect(SIRET.problem("8324179500001A") == .notFourteenDigits)
        #expect(SIRET.problem("832 417 950 00017") == .notFourteenDigits)
        #expect(SIRET.problem("") == .notFourteenDigits)
    }

    @Test func ibanCheckKey() {
        #expect(IBAN.isValid("FR7630006000011234567890189"))
        #expect(IBAN.isValid("FR76 3000 6000 0112 3456 7890 189"))
        #expect(!IBAN.isValid("FR7630006000011234567890188"))
        #expect(!IBAN.isValid("FR76"))
        #expect(!IBAN.isValid("1234567890123456"))
    }
}
