import ArgumentParser
import Foundation
import LiasseRules

extension Liasse {
    /// `liasse rules`: the rule packs Liasse applies, their versions and what each judges.
    struct RulesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "List the rule packs, their versions, their artefacts and what each judges.",
            discussion: """
                The ids are those of an inbox's `rules` and of `liasse validate --rules`. With --json, prints \
                one JSON object per pack: {"id", "version", "publisher", "modes", "appliesTo", \
                "artefacts": [{"name", "sha256"}]}.
                """)

        @Flag(name: .long, help: "Print one JSON object per pack.")
        var json = false

        func run() {
            for pack in RulePack.all {
                if json {
                    let line = PackLine(id: pack.id.rawValue, version: pack.version, publisher: pack.publisher,
                                        modes: pack.modes.map(\.rawValue), appliesTo: pack.appliesTo, artefacts: pack.artefacts)
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    print((try? String(decoding: encoder.encode(line), as: UTF8.self)) ?? "{}")
                } else {
                    print("\(pack.id.rawValue) \(pack.version) — \(pack.publisher)")
                    print("  judges: \(pack.appliesTo)")
                    print("  modes: \(pack.modes.map(\.rawValue).joined(separator: ", "))")
                    for artefact in pack.artefacts {
                        print("  \(artefact.name) sha256 \(artefact.sha256)")
                    }
                }
            }
        }
    }
}

private struct PackLine: Encodable {
    var id: String
    var version: String
    var publisher: String
    var modes: [String]
    var appliesTo: String
    var artefacts: [RulePack.Artefact]
}
