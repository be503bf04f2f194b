import Foundation
import LiasseInvoice
@testable import LiasseRules
import LiasseXML

/// Runs the EN 16931 model rules alone on documents built from the official examples.
enum ModelRun {
    /// An official example, as text.
    static func example(_ syntax: String, _ name: String) throws -> String {
        let url = ModelCorpus.cen.appendingPathComponent(syntax).appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The model read from `xml`.
    static func invoice(_ xml: String) throws -> (Invoice, XMLDocument) {
        let document = try XMLDocument.parse(Array(xml.utf8))
        guard case .invoice(let invoice) = InvoiceReader.read(document) else {
            throw ModelRunError.notAnInvoice
        }
        return (invoice, document)
    }

    /// The model rule findings on `xml`, as the set of `rule/severity` the comparison with the
    /// official schematron uses.
    static func findings(_ xml: String) throws -> Set<String> {
        let (invoice, document) = try invoice(xml)
        var findings: [Finding] = []
        ModelRules.check(RuleContext(invoice: invoice, document: document), into: &findings)
        return Set(findings.map { "\($0.rule)/\($0.severity.rawValue)" })
    }

    /// The ids fired on `xml`, whatever their severity.
    static func ids(_ xml: String) throws -> Set<String> {
        Set(try findings(xml).map { String($0.split(separator: "/")[0]) })
    }

    /// `xml` with the first occurrence of `old` replaced by `new`; fails when `old` is absent,
    /// so a test never passes on a fixture that did not change.
    static func replacing(_ xml: String, _ old: String, _ new: String, occurrence: Int = 1) throws -> String {
        var from = xml.startIndex
        var found: Range<String.Index>?
        for _ in 0..<occurrence {
            guard let range = xml.range(of: old, range: from..<xml.endIndex) else { throw ModelRunError.fixtureMissing(old) }
            found = range
            from = range.upperBound
        }
        return xml.replacingCharacters(in: found!, with: new)
    }
}

enum ModelRunError: Error {
    case notAnInvoice
    case fixtureMissing(String)
}

/// The sibling `shared` folder with the official artefacts and examples, when present.
enum ModelCorpus {
    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")
    static var cen: URL { shared.appendingPathComponent("corpus/cen") }
    static var isPresent: Bool { FileManager.default.fileExists(atPath: cen.path) }

    static func examples() throws -> [URL] {
        var files: [URL] = []
        for syntax in ["ubl", "cii"] {
            files += try FileManager.default.contentsOfDirectory(at: cen.appendingPathComponent(syntax), includingPropertiesForKeys: nil)
                .filter { $0.pathExtension.lowercased() == "xml" }
        }
        return files.sorted { $0.path < $1.path }
    }
}
