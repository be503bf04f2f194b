import Foundation
import Testing
@testable import LiasseRules

/// The registry of Liasse's own rules (`RuleRegistry.liasse`): one entry per id, both texts,
/// and the same ids as the emission sites in Sources/ (none missing, none stale).
@Suite("Registry of Liasse's own rules")
struct RuleRegistryTests {
    @Test func idsAreUnique() {
        var seen: Set<String> = []
        var repeated: [String] = []
        for rule in RuleRegistry.liasse where !seen.insert(rule.id).inserted {
            repeated.append(rule.id)
        }
        #expect(repeated.isEmpty, "registered more than once: \(repeated.joined(separator: ", "))")
    }

    @Test func entriesAreSortedById() {
        let ids = RuleRegistry.liasse.map(\.id)
        #expect(ids == ids.sorted())
    }

    @Test func everyRuleHasAFrenchAndAnEnglishText() {
        for rule in RuleRegistry.liasse {
            let french = rule.french.trimmingCharacters(in: .whitespacesAndNewlines)
            let english = rule.english.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!french.isEmpty, "\(rule.id) has no French text")
            #expect(!english.isEmpty, "\(rule.id) has no English text")
            #expect(french != english, "\(rule.id): the French text is the English one")
        }
    }

    @Test func onlyLiasseHybridAndSchemaIdsAreHere() {
        for rule in RuleRegistry.liasse {
            let liasse = rule.id.hasPrefix("LIASSE-") && RegistryScan.liasseIds(in: rule.id) == [rule.id]
            #expect(liasse || rule.id.hasPrefix("BR-HYBRID-") || rule.id == "XSD", "\(rule.id) is not one of Liasse's own ids")
        }
    }

    @Test func theScannerTakesFullIdsOnly() {
        let text = """
            /// Liasse's own (`LIASSE-…`), `LIASSE-FX-nn` and `LIASSE-PJ-nn`, LIASSE-* or LIASSE-.
            rule: "LIASSE-CPP-05", $LIASSE_ARTEFACTS, XLIASSE-NOT-01, LIASSE-FX-01…11, (LIASSE-DEP-UNI).
            """
        #expect(RegistryScan.liasseIds(in: text) == ["LIASSE-CPP-05", "LIASSE-FX-01", "LIASSE-DEP-UNI"])
        #expect(RegistryScan.hybridIds(in: #"rule: "BR-HYBRID-12", BR-HYBRID-02…15, "BR-HYBRID-nn""#) == ["BR-HYBRID-12"])
    }

    @Test(.enabled(if: RegistryScan.hasSources, "Sources/ is absent: the emission sites cannot be compared"))
    func theRegistryHoldsTheLiasseIdsOfSourcesAndNoOther() throws {
        var found: [String: Set<String>] = [:]
        for file in try RegistryScan.files() {
            for id in RegistryScan.liasseIds(in: file.text) {
                found[id, default: []].insert(file.path)
            }
        }
        #expect(!found.isEmpty, "no LIASSE- id found under \(RegistryScan.sources.path)")
        let registered = Set(RuleRegistry.liasse.map(\.id).filter { $0.hasPrefix("LIASSE-") })
        let missing = found.keys.filter { !registered.contains($0) }.sorted()
        let wheres = missing.map { id in "\(id) (\(found[id, default: []].sorted().joined(separator: ", ")))" }
        #expect(missing.isEmpty, "emitted but not registered in LiasseRules/Registry/RuleRegistry.swift: \(wheres.joined(separator: "; "))")
        let stale = registered.filter { found[$0] == nil }.sorted()
        #expect(stale.isEmpty, "registered but written nowhere in Sources/: \(stale.joined(separator: ", "))")
    }

    @Test(.enabled(if: RegistryScan.hasSources, "Sources/ is absent: the emission sites cannot be compared"))
    func theRegistryHoldsTheHybridIdsOfSourcesAndXSD() throws {
        let files = try RegistryScan.files()
        let emitted = Set(files.flatMap { RegistryScan.hybridIds(in: $0.text) })
        #expect(!emitted.isEmpty, "no \"BR-HYBRID-nn\" literal found under \(RegistryScan.sources.path)")
        let registered = Set(RuleRegistry.liasse.map(\.id))
        #expect(emitted.subtracting(registered).isEmpty, "emitted but not registered: \(emitted.subtracting(registered).sorted())")
        for rule in RuleRegistry.liasse where !rule.id.hasPrefix("LIASSE-") {
            let literal = "\"\(rule.id)\""
            let written = files.contains { $0.text.contains(literal) }
            #expect(written, "\(rule.id) is registered but written nowhere in Sources/")
        }
    }

    /// Where an emission site writes its reason code right after the id (`rule: "ID", severity:
    /// .fatal, code: .syntax`, `reason: .fileType`, `finding("ID", .coherence`), it is the one
    /// registered.
    @Test(.enabled(if: RegistryScan.hasSources, "Sources/ is absent: the emission sites cannot be compared"))
    func emissionSitesUseTheRegisteredReasonCode() throws {
        let files = try RegistryScan.files()
        var checked = 0
        for rule in RuleRegistry.liasse {
            let expected = String(describing: rule.code)
            for file in files {
                for code in RegistryScan.codes(after: rule.id, in: file.text) {
                    checked += 1
                    #expect(code == expected, "\(rule.id) is emitted with .\(code) in \(file.path); the registry says .\(expected)")
                }
            }
        }
        #expect(checked > 0)
    }
}

/// Reads the Swift files under Sources/ for rule ids.
enum RegistryScan {
    /// The package root: Tests/LiasseRulesTests/RuleRegistryTests.swift, two folders up.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sources = root.appendingPathComponent("Sources")
    static let hasSources = FileManager.default.fileExists(atPath: sources.appendingPathComponent("LiasseRules").path)
    /// The registry itself, left out of every scan: its ids would otherwise always be found.
    static let registryFile = "LiasseRules/Registry/RuleRegistry.swift"

    struct SourceFile {
        /// Relative to Sources/.
        var path: String
        var text: String
    }

    /// Every Swift file under Sources/ but the registry.
    static func files() throws -> [SourceFile] {
        var files: [SourceFile] = []
        for path in try FileManager.default.subpathsOfDirectory(atPath: sources.path).sorted() {
            guard path.hasSuffix(".swift"), path != registryFile else { continue }
            let text = try String(contentsOfFile: sources.appendingPathComponent(path).path, encoding: .utf8)
            files.append(SourceFile(path: path, text: text))
        }
        return files
    }

    /// The full `LIASSE-` ids in `text`, in order: `LIASSE-` not preceded by a letter, digit or
    /// `_`, then letters, digits, `_` and `-`; the whole must be upper-case letters, digits and
    /// hyphens ending in a letter or digit. So `LIASSE-…`, `LIASSE-*`, `LIASSE-FX-nn` and the
    /// prefix alone are not ids.
    static func liasseIds(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        let prefix = Array("LIASSE-".utf8)
        var ids: [String] = []
        var i = 0
        while i + prefix.count <= bytes.count {
            guard bytes[i] == prefix[0], bytes[i..<(i + prefix.count)].elementsEqual(prefix),
                  i == 0 || !isWordByte(bytes[i - 1]) else {
                i += 1
                continue
            }
            var end = i + prefix.count
            while end < bytes.count, isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "-") {
                end += 1
            }
            let body = bytes[(i + prefix.count)..<end]
            if let last = body.last, isUpperOrDigit(last),
               body.allSatisfy({ isUpperOrDigit($0) || $0 == UInt8(ascii: "-") }) {
                ids.append(String(decoding: bytes[i..<end], as: UTF8.self))
            }
            i = end
        }
        return ids
    }

    /// The `"BR-HYBRID-nn"` string literals in `text` (digits only, in quotes).
    static func hybridIds(in text: String) -> [String] {
        text.components(separatedBy: "\"BR-HYBRID-").dropFirst().compactMap { (piece: String) -> String? in
            let digits = piece.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, piece.dropFirst(digits.count).hasPrefix("\"") else { return nil }
            return "BR-HYBRID-\(digits)"
        }
    }

    /// The reason codes written right after each `"id", ` in `text`: `severity: .x, ` is
    /// skipped, then `code: .name`, `reason: .name` or `.name` gives the case name.
    static func codes(after id: String, in text: String) -> [String] {
        var codes: [String] = []
        let quoted = "\"\(id)\", "
        var rest = text[...]
        while let range = rest.range(of: quoted) {
            var tail = rest[range.upperBound...]
            if tail.hasPrefix("severity: ."), let comma = tail.firstIndex(of: ",") {
                tail = tail[tail.index(after: comma)...].drop { $0 == " " }
            }
            for label in ["code: .", "reason: .", "."] where tail.hasPrefix(label) {
                let name = tail.dropFirst(label.count).prefix { $0.isLetter || $0.isNumber }
                if !name.isEmpty { codes.append(String(name)) }
                break
            }
            rest = rest[range.upperBound...]
        }
        return codes
    }

    private static func isUpperOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        isUpperOrDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_")
    }
}

/// The official half of the registry: every assert of every pack, with both texts.
@Suite("Registry of the official rules")
struct OfficialRuleRegistryTests {
    @Test func everyOfficialRuleHasBothTextsAndAPack() {
        let official = RuleRegistry.official
        // CEN (model, syntax, code lists), Factur-X, BR-FR and EXTENDED-CTC-FR together.
        #expect(official.count > 2_000)
        for rule in official.values {
            #expect(!rule.packs.isEmpty, "\(rule.id)")
            #expect(!rule.french.trimmingCharacters(in: .whitespaces).isEmpty, "\(rule.id) has no French text")
            #expect(!rule.english.trimmingCharacters(in: .whitespaces).isEmpty, "\(rule.id) has no English text")
        }
        for id in ["BR-CO-10", "BR-FR-01_BT-1", "BR-FREXT-CO-10", "FX-SCH-A-000390", "UBL-CR-001", "BR-CL-01"] {
            #expect(official[id] != nil, "\(id)")
        }
        #expect(official["BR-CO-10"]?.packs.contains(.facturx) == true)
        #expect(official["BR-FR-01_BT-1"]?.packs == [.brFR])
    }

    @Test func liasseIdsAndOfficialIdsDoNotMeet() {
        let own = Set(RuleRegistry.liasse.map(\.id))
        #expect(own.intersection(RuleRegistry.official.keys).isEmpty)
        #expect(RuleRegistry.allIDs.count == own.count + RuleRegistry.official.count)
    }
}

/// What people read never carries a producer's control characters or bidi overrides raw.
@Suite("Display text")
struct DisplayTextTests {
    @Test func controlsAndBidiAreEscapedTheRestKept() {
        #expect("lot\nFAUX: lot déposé OK\u{1B}[31m.zip".escapedForDisplay == "lot\\u{A}FAUX: lot déposé OK\\u{1B}[31m.zip")
        #expect("facture\u{202E}gpj.xml".escapedForDisplay == "facture\\u{202E}gpj.xml")
        #expect("a\u{85}b\u{2028}c\u{2066}d\td".escapedForDisplay == "a\\u{85}b\\u{2028}c\\u{2066}d\\u{9}d")
        #expect("Facture F-2026/001 — é ü 日本".escapedForDisplay == "Facture F-2026/001 — é ü 日本")
    }
}
