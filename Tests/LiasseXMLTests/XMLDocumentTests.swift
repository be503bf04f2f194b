import Foundation
import Testing
@testable import LiasseXML

@Suite("Hardened XML parsing")
struct XMLDocumentTests {
    private func parse(_ text: String, limits: XMLLimits = .default) throws(XMLParseError) -> XMLDocument {
        try XMLDocument.parse(Array(text.utf8), name: "test.xml", limits: limits)
    }

    @Test func parsesAWellFormedDocumentWithLinesAndPaths() throws {
        let document = try parse("""
            <?xml version="1.0"?>
            <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:ID>F1</cbc:ID>
              <cbc:Note>a</cbc:Note>
              <cbc:Note>b</cbc:Note>
            </Invoice>
            """)
        let root = try #require(document.root)
        #expect(root.localName == "Invoice")
        #expect(root.namespaceURI == "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2")
        let cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
        let id = try #require(root.firstChild("ID", in: cbc))
        #expect(id.text == "F1")
        #expect(id.line == 4)
        let notes = root.children("Note", in: cbc)
        #expect(notes.map(\.text) == ["a", "b"])
        #expect(notes[1].path.hasSuffix("cbc:Note[2]"))
    }

    @Test func reportsTheLineOfAMalformedDocument() {
        #expect(throws: XMLParseError.self) { try parse("<a>\n<b>\n</a>") }
        do {
            _ = try parse("<a>\n<b>\n</a>")
        } catch {
            #expect(error.line == 3)
        }
    }

    @Test func refusesEmptyAndOversizedInputBeforeParsing() {
        #expect(throws: XMLParseError.empty) { try XMLDocument.parse([UInt8](), name: "e.xml") }
        #expect(throws: XMLParseError.tooLarge(bytes: 20, limit: 10)) {
            try parse("<a>0123456789012</a>", limits: XMLLimits(maxDocumentBytes: 10))
        }
    }

    @Test func refusesAnyDoctype() {
        #expect(throws: XMLParseError.self) { try parse("<!DOCTYPE a [<!ELEMENT a ANY>]><a/>") }
        do { _ = try parse("<!DOCTYPE a [<!ELEMENT a ANY>]><a/>") } catch {
            guard case .doctypeForbidden = error else { Issue.record("expected a DOCTYPE refusal, got \(error)"); return }
        }
    }

    @Test func neverResolvesExternalEntities() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-xxe-\(UUID().uuidString)")
        try "TOP-SECRET".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let xxe = "<!DOCTYPE a [<!ENTITY x SYSTEM \"file://\(secret.path)\">]><a>&x;</a>"
        do {
            let document = try parse(xxe)
            Issue.record("an XXE document was accepted: \(document.root?.text ?? "")")
        } catch {
            #expect(!"\(error)".contains("TOP-SECRET"))
        }
        let parameterEntity = "<!DOCTYPE a [<!ENTITY % p SYSTEM \"file://\(secret.path)\"> %p;]><a/>"
        #expect(throws: XMLParseError.self) { try parse(parameterEntity) }
    }

    @Test func refusesBillionLaughs() {
        var entities = "<!ENTITY l0 \"lol\">"
        for level in 1...9 {
            entities += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        #expect(throws: XMLParseError.self) { try parse("<!DOCTYPE a [\(entities)]><a>&l9;</a>") }
    }

    @Test func refusesNestingDeeperThanLibxml2Allows() {
        let depth = 10_000
        let text = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        #expect(throws: XMLParseError.self) { try parse(text) }
    }

    @Test func evaluatesXPathWithRegisteredPrefixes() throws {
        let document = try parse("<r xmlns:p=\"urn:p\"><p:x>1</p:x><p:x>2</p:x></r>")
        let xpath = XPathEvaluator(document: document, namespaces: ["q": "urn:p"])
        #expect(try xpath.elements("/r/q:x").count == 2)
        #expect(try xpath.boolean("count(//q:x) = 2"))
        #expect(try xpath.string("sum(//q:x)") == "3")
        #expect(throws: XPathError.self) { try xpath.boolean("((") }
    }
}

/// The shapes refused before libxml2 reads a document, each at its limit and just over.
@Suite("XML structure limits")
struct XMLStructureScanTests {
    func error(_ xml: String, _ limits: XMLLimits = .default) -> XMLParseError? {
        do {
            _ = try XMLDocument.parse(Array(xml.utf8), limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func limitsAreCheckedAtTheirBoundary() {
        var limits = XMLLimits.default
        limits.maxAttributesPerElement = 3
        limits.maxNamespaceDeclarations = 2
        limits.maxNameBytes = 8
        limits.maxAttributeValueBytes = 5
        limits.maxTextBytes = 10
        limits.maxDepth = 3
        #expect(error(#"<a x="1" y="2" z="3"/>"#, limits) == nil)
        #expect(error(#"<a x="1" y="2" z="3" w="4"/>"#, limits) != nil)
        #expect(error(#"<a xmlns:p="u" xmlns:q="v"/>"#, limits) == nil)
        #expect(error(#"<a xmlns:p="u" xmlns:q="v" xmlns:r="w"/>"#, limits) != nil)
        #expect(error("<abcdefgh/>", limits) == nil)
        #expect(error("<abcdefghi/>", limits) != nil)
        #expect(error(#"<a x="12345"/>"#, limits) == nil)
        #expect(error(#"<a x="123456"/>"#, limits) != nil)
        #expect(error("<a>0123456789</a>", limits) == nil)
        #expect(error("<a>0123456789X</a>", limits) != nil)
        #expect(error("<a><![CDATA[0123456789X]]></a>", limits) != nil)
        #expect(error("<a><b><c/></b></a>", limits) == nil)
        #expect(error("<a><b><c><d/></c></b></a>", limits) != nil)
    }

    @Test func commentsInstructionsAndQuotedBracketsAreNotTags() {
        var limits = XMLLimits.default
        limits.maxAttributesPerElement = 1
        limits.maxDepth = 2
        #expect(error(#"<?xml version="1.0"?><!-- <x a="1" b="2"> --><a v="b> c='1' d='2'"><?pi <x y="1" z="2"?></a>"#, limits) == nil)
    }

    @Test func theLineOfTheShapeIsReported() {
        var limits = XMLLimits.default
        limits.maxAttributesPerElement = 1
        #expect(error("<a>\n<!-- \n -->\n<b x=\"1\"\n y=\"2\"/></a>", limits) == .structureLimit(what: "more than 1 attributes on one element", limit: "1", line: 5))
    }
}
