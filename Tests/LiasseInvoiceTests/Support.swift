import Foundation
import LiasseInvoice
import LiasseXML

enum Fixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let invoices = root.appendingPathComponent("Tests/Fixtures/invoices")
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
    static let cen = shared.appendingPathComponent("corpus/cen")
    static var hasCEN: Bool { FileManager.default.fileExists(atPath: cen.path) }

    /// The project's own invoice fixtures, plus the official CEN examples when present.
    static func allInvoiceFiles(includeCEN: Bool) throws -> [URL] {
        var files = try FileManager.default.contentsOfDirectory(atPath: invoices.path)
            .filter { $0.hasSuffix(".xml") }.sorted().map { invoices.appendingPathComponent($0) }
        files.append(root.appendingPathComponent("Inbox.example/03-facture-F2026-0107.xml"))
        if includeCEN && hasCEN {
            for syntax in ["ubl", "cii"] {
                let folder = cen.appendingPathComponent(syntax)
                files += try FileManager.default.contentsOfDirectory(atPath: folder.path)
                    .filter { $0.hasSuffix(".xml") }.sorted().map { folder.appendingPathComponent($0) }
            }
        }
        return files
    }

    static func document(_ url: URL) throws -> XMLDocument {
        try XMLDocument.parse([UInt8](try Data(contentsOf: url)), name: url.lastPathComponent)
    }

    static func invoice(_ document: XMLDocument) throws -> Invoice {
        guard case .invoice(let invoice) = InvoiceReader.read(document) else {
            throw FixtureError.notAnInvoice
        }
        return invoice
    }

    static func invoice(_ text: String) throws -> Invoice {
        try invoice(try XMLDocument.parse(Array(text.utf8)))
    }

    enum FixtureError: Error { case notAnInvoice }
}
