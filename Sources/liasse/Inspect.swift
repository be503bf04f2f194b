import ArgumentParser
import Foundation
import LiasseIntake
import LiasseInvoice
import LiasseRules
import LiasseXML

extension Liasse {
    /// `liasse inspect`: what Liasse understood of an invoice, business term by business term.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the EN 16931 business terms Liasse reads from an invoice.",
            discussion: """
                Prints the syntax, the profile and every business term found (BT number, name, value, \
                and where it is in the file). With --json, one object: {"file", "syntax", "profile", \
                "profileName", "chorusSyntaxCode", "terms": [{"term", "name", "group", "value", "qualifier", "path", "line"}]}.
                """)

        @Flag(name: .long, help: "Print JSON.")
        var json = false

        @Argument(help: "The invoice file (UBL or CII XML, or a Factur-X PDF).")
        var file: String

        struct Output: Encodable {
            var file: String
            var syntax: String
            var profile: String?
            var profileName: String
            var chorusSyntaxCode: String
            var terms: [TermValue]
        }

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            var xml = [UInt8](data)
            var inFacturX = false
            var embeddedName: String?
            if file.lowercased().hasSuffix(".pdf") {
                switch FacturXReader.read(xml) {
                case .facturX(let container):
                    xml = container.xml
                    inFacturX = true
                    embeddedName = container.embeddedName
                case .plainPDF:
                    FileHandle.standardError.write(Data("\(file): a PDF without an invoice XML (not a Factur-X)\n".utf8))
                    throw ExitCode(1)
                case .refused(let findings):
                    let reasons = findings.map { "  \($0.rule): \($0.messageEn)" }.joined(separator: "\n")
                    FileHandle.standardError.write(Data("\(file): the Factur-X container is refused\n\(reasons)\n".utf8))
                    throw ExitCode(1)
                }
            }
            let document: XMLDocument
            do {
                document = try XMLDocument.parse(xml, name: embeddedName.map { file + "/" + $0 } ?? file)
            } catch {
                FileHandle.standardError.write(Data("\(file): \(error)\n".utf8))
                throw ExitCode(1)
            }
            let invoice: Invoice
            switch InvoiceReader.read(document) {
            case .invoice(let read):
                invoice = read
            case .unsupportedVersion(let what):
                FileHandle.standardError.write(Data("\(file): unsupported version: \(what)\n".utf8))
                throw ExitCode(1)
            case .notAnInvoice(let what):
                FileHandle.standardError.write(Data("\(file): not an invoice: this is \(what.english)\n".utf8))
                throw ExitCode(1)
            }
            let output = Output(file: file, syntax: invoice.syntax.rawValue, profile: invoice.specification?.value,
                                profileName: invoice.profile.name,
                                chorusSyntaxCode: ChorusSyntaxCode(syntax: invoice.syntax, inFacturX: inFacturX, mixed: false).rawValue,
                                terms: invoice.terms)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(output), as: UTF8.self))
                return
            }
            print("\(file)")
            print("  syntax: \(output.syntax) (\(output.chorusSyntaxCode)), profile: \(output.profileName)")
            var lastGroup: String?
            for term in output.terms {
                if term.group != lastGroup, let group = term.group {
                    print("  \(group)")
                }
                lastGroup = term.group
                let indent = term.group == nil ? "  " : "    "
                let qualifier = term.qualifier.map { " [\($0)]" } ?? ""
                print("\(indent)\(term.term.padding(toLength: 7, withPad: " ", startingAt: 0)) \(term.name): \(term.value)\(qualifier)  (line \(term.line))")
            }
        }
    }
}
