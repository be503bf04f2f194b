import Foundation
import LiasseXML
@testable import LiasseRules

/// Helpers of the syntax and code-list rule tests: run the compiled schematron programs on a
/// document and report which rules failed.
enum SchematronRun {
    static let ublNamespaces = """
        xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" \
        xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" \
        xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
        """
    static let ciiNamespaces = """
        xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" \
        xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" \
        xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
        """

    static func document(_ xml: String) throws -> XMLDocument {
        try XMLDocument.parse(Array(xml.utf8), name: "test.xml")
    }

    /// `id:severity` of every failed assert of the syntax and code-list programs of `binding`.
    static func failures(_ xml: String, _ binding: SchematronTable.Binding) throws -> Set<String> {
        let parsed = try document(xml)
        let index = parsed.nodeIndex()
        var result: Set<String> = []
        for program in [try SchematronPrograms.cen(binding).get()] {
            for failure in program.run(on: index) {
                result.insert("\(failure.assert.id):\(failure.assert.flag.rawValue)")
            }
        }
        return result
    }

    /// Ids (without severity) of the failed asserts whose id starts with `prefix`.
    static func ids(_ xml: String, _ binding: SchematronTable.Binding, prefix: String = "") throws -> Set<String> {
        Set(try failures(xml, binding).map { String($0.split(separator: ":")[0]) }.filter { $0.hasPrefix(prefix) })
    }

    /// A UBL invoice with `body` inside the root element.
    static func ubl(_ body: String) -> String {
        "<Invoice \(ublNamespaces)>\(body)</Invoice>"
    }

    /// A CII invoice with `body` inside rsm:CrossIndustryInvoice.
    static func cii(_ body: String) -> String {
        "<rsm:CrossIndustryInvoice \(ciiNamespaces)>\(body)</rsm:CrossIndustryInvoice>"
    }
}

/// The sibling `shared` folder with the official artefacts and examples, when present.
enum SharedArtefacts {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static var cenCorpus: URL { root.appendingPathComponent("corpus/cen") }
    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: cenCorpus.path) }

    static func cenExamples() throws -> [URL] {
        var files: [URL] = []
        for syntax in ["ubl", "cii"] {
            let folder = cenCorpus.appendingPathComponent(syntax)
            files += try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension.lowercased() == "xml" }
        }
        return files.sorted { $0.path < $1.path }
    }
}
