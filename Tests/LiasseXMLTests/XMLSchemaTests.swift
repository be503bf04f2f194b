import Foundation
import Testing
@testable import LiasseXML

@Suite("XSD validation")
struct XMLSchemaTests {
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-xsd-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try? """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t"
                       elementFormDefault="qualified">
              <xs:include schemaLocation="types.xsd"/>
              <xs:element name="doc"><xs:complexType><xs:sequence>
                <xs:element name="id" type="Code"/>
                <xs:element name="amount" type="xs:decimal"/>
              </xs:sequence></xs:complexType></xs:element>
            </xs:schema>
            """.write(to: url.appendingPathComponent("main.xsd"), atomically: true, encoding: .utf8)
        try? """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
              <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:maxLength value="5"/></xs:restriction></xs:simpleType>
            </xs:schema>
            """.write(to: url.appendingPathComponent("types.xsd"), atomically: true, encoding: .utf8)
        XMLSecurity.restrictEntityLoading(to: url.path)
        return url
    }()

    @Test func validatesAndGivesLineNumbersAndPaths() throws {
        let schema = try XMLSchema(path: Self.folder.appendingPathComponent("main.xsd").path)
        let good = try XMLDocument.parse(Array("<doc xmlns=\"urn:t\"><id>A</id><amount>1.5</amount></doc>".utf8))
        #expect(schema.validate(good).isEmpty)
        let bad = try XMLDocument.parse(Array("<doc xmlns=\"urn:t\">\n<id>TOOLONG</id>\n<amount>x</amount></doc>".utf8))
        let issues = schema.validate(bad)
        #expect(issues.map(\.line) == [2, 3])
        #expect(issues.allSatisfy { $0.path != nil })
    }

    @Test func anIssueCarriesTheElementAndItsSiblings() throws {
        let schema = try XMLSchema(path: Self.folder.appendingPathComponent("main.xsd").path)
        let swapped = try XMLDocument.parse(Array("<doc xmlns=\"urn:t\"><amount>1</amount><id>A</id></doc>".utf8))
        let issue = try #require(schema.validate(swapped).first)
        #expect(issue.ancestry.map(\.local) == ["doc", "amount"])
        #expect(issue.ancestry.last?.namespace == "urn:t")
        #expect(issue.followingSiblings.map(\.local) == ["id"])
        #expect(issue.precedingSiblings.isEmpty)
    }

    /// A hostile document: 50,000 siblings around the faulty element. Its issue keeps a
    /// bounded number of their names, on each side.
    @Test func theNamesAroundAnIssueAreBounded() throws {
        let schema = try XMLSchema(path: Self.folder.appendingPathComponent("main.xsd").path)
        let flood = String(repeating: "<x/>", count: 25_000)
        let text = "<doc xmlns=\"urn:t\">\(flood)<id>A</id>\(flood)</doc>"
        let document = try XMLDocument.parse(Array(text.utf8))
        let issues = schema.validate(document)
        let first = try #require(issues.first)
        #expect(first.followingSiblings.count == XMLIssue.Name.siblingCap)
        #expect(issues.allSatisfy { $0.precedingSiblings.count <= XMLIssue.Name.siblingCap })
    }

    @Test func neverFollowsAnInstanceSchemaLocationOrAnImportOutsideTheSchemaFolder() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("liasse-outside-\(UUID().uuidString).xsd")
        try "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>".write(to: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: outside) }
        let importing = Self.folder.appendingPathComponent("escape.xsd")
        try """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:include schemaLocation="\(outside.path)"/>
            </xs:schema>
            """.write(to: importing, atomically: true, encoding: .utf8)
        #expect(throws: XMLSchemaError.self) { try XMLSchema(path: importing.path) }
        #expect(!XMLSecurity.isAllowed(outside.path))
        #expect(XMLSecurity.isAllowed(Self.folder.appendingPathComponent("types.xsd").path))
    }
}
