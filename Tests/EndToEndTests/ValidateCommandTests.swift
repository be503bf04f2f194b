import Foundation
import Testing

/// `liasse validate`, its exit statuses and its `--json` contract (README).
@Suite("liasse validate")
struct ValidateCommandTests {
    private func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func reportsTheContractFieldsAndExitStatuses() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = Checkout.inboxExample.appendingPathComponent("03-facture-F2026-0107.xml").path
        // A Chorus Pro invoice (cadre A1): judged by the EN 16931 rules, not by the B2B ones.
        let valid = try Checkout.liasse(["validate", "--json", "--rules", "en16931", good])
        #expect(valid.status == 0, "\(valid.out) \(valid.err)")
        let object = try #require(try jsonLines(valid.out).first)
        #expect(object["file"] as? String == good)
        #expect(object["syntax"] as? String == "cii")
        #expect(object["profile"] as? String == "urn:cen.eu:en16931:2017")
        #expect(object["valid"] as? Bool == true)
        #expect((object["findings"] as? [Any])?.isEmpty == true)
        let stamps = try #require(object["rulePacks"] as? [[String: Any]])
        #expect(stamps.map { $0["id"] as? String } == ["en16931"])
        #expect(stamps.first?["version"] as? String == "1.3.16")
        #expect(stamps.first?["artefact"] as? String == "EN16931-CII-validation.xslt")
        #expect((stamps.first?["sha256"] as? String)?.count == 64)

        let broken = folder.appendingPathComponent("broken.xml")
        try Data("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">\n<Nonsense/>\n</Invoice>".utf8).write(to: broken)
        let invalid = try Checkout.liasse(["validate", "--json", "--rules", "en16931", good, broken.path])
        #expect(invalid.status == 1)
        let lines = try jsonLines(invalid.out)
        #expect(lines.count == 2)
        let finding = try #require((lines[1]["findings"] as? [[String: Any]])?.first)
        #expect(finding["rule"] as? String == "XSD")
        #expect(finding["severity"] as? String == "fatal")
        #expect(finding["line"] as? Int == 2)
        #expect((finding["message"] as? String)?.isEmpty == false)
        #expect(lines[1]["valid"] as? Bool == false)

        let unreadable = try Checkout.liasse(["validate", folder.appendingPathComponent("missing.xml").path])
        #expect(unreadable.status == 2)
        let usage = try Checkout.liasse(["validate", "--bogus"])
        #expect(usage.status == 2 || usage.status == 64)
    }

    /// One amount written the French way on every line: the JSON keeps one finding per line,
    /// each with libxml2's text in `detail` and none in its messages; the text output writes the
    /// fault once with its lines.
    @Test func aRepeatedSchemaFaultIsOneLineForPeopleAndOneFindingPerOccurrenceInJSON() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Checkout.root.appendingPathComponent("Tests/Fixtures/invoices/pair-F2026-0500.cii.xml")
        let text = try String(contentsOf: source, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "(<ram:SpecifiedTradeSettlementLineMonetarySummation>\\s*<ram:LineTotalAmount>)[0-9.]+")
        let broken = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$11 234,50")
        let lineCount = pattern.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(lineCount >= 2)
        let file = folder.appendingPathComponent("virgules.xml")
        try Data(broken.utf8).write(to: file)

        let json = try Checkout.liasse(["validate", "--json", "--rules", "none", file.path])
        let findings = try #require(try jsonLines(json.out).first?["findings"] as? [[String: Any]])
        #expect(findings.count == lineCount)
        for finding in findings {
            #expect(finding["bt"] as? String == "BT-131")
            #expect((finding["detail"] as? String)?.contains("xs:decimal") == true)
            #expect((finding["message"] as? String)?.contains("Ici : 1234.50") == true)
            #expect((finding["message"] as? String)?.contains("Element '") == false)
        }

        let human = try Checkout.liasse(["validate", "--rules", "none", file.path])
        let lines = human.out.split(separator: "\n")
        #expect(lines.count == 2, "\(human.out)")
        #expect(human.out.contains("(same fault \(lineCount) times, lines "))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Checkout.shared.appendingPathComponent("corpus/cen").path),
                   "../shared/corpus/cen is absent: the official examples cannot be checked here"))
    func everyOfficialExamplePassesTheSchemaLayer() throws {
        var files: [String] = []
        for syntax in ["ubl", "cii"] {
            let folder = Checkout.shared.appendingPathComponent("corpus/cen/\(syntax)")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".xml") {
                files.append(folder.appendingPathComponent(name).path)
            }
        }
        #expect(files.count > 20)
        let run = try Checkout.liasse(["validate", "--json", "--rules", "none"] + files)
        let lines = try jsonLines(run.out)
        #expect(lines.count == files.count)
        for line in lines {
            #expect(line["valid"] as? Bool == true, "\(line["file"] ?? "?"): \(line["findings"] ?? "")")
        }
        #expect(run.status == 0)
    }
}

@Suite("systemd unit")
struct SystemdUnitTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/systemd-analyze"), "systemd-analyze is not installed"))
    func verifyPrintsNothing() throws {
        let unit = try String(contentsOf: Checkout.root.appendingPathComponent("systemd/liasse.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/liasse run --config /etc/liasse/liasse.toml"))
        // verify checks that ExecStart's binary exists: point it at the binary just built.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("liasse.service")
        try unit.replacingOccurrences(of: "/usr/local/bin/liasse", with: Checkout.binary.path).write(to: copy, atomically: true, encoding: .utf8)
        let verify = try Checkout.run("/usr/bin/systemd-analyze", ["verify", copy.path])
        #expect(verify.status == 0)
        #expect(verify.out.isEmpty && verify.err.isEmpty, "systemd-analyze verify said: \(verify.out)\(verify.err)")

        let security = try Checkout.run("/usr/bin/systemd-analyze", ["security", "--offline=true", copy.path])
        let exposure = security.out.split(separator: "\n").last { $0.contains("Overall exposure level") }
        let score = exposure.flatMap { line in line.split(separator: " ").compactMap { Double($0) }.first }
        #expect(score != nil && score! <= 1.0, "\(exposure ?? "no exposure line")")
    }
}
