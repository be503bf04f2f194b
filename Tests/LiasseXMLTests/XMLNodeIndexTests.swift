import Testing
@testable import LiasseXML

@Suite("Node index and name catalog")
struct XMLNodeIndexTests {
    /// One expanded name written with two prefixes (and redeclared on a child), one name
    /// in no namespace, attributes with and without a namespace.
    static let xml = """
        <r:Root xmlns:r="urn:test:root" xmlns:a="urn:test:a" xmlns:b="urn:test:a" xmlns:x="urn:test:x">
          <a:Item x:code="1" code="2">one</a:Item>
          <b:Item>two</b:Item>
          <Plain xmlns:a="urn:test:a"><a:Item>three</a:Item></Plain>
          <Plain/>
        </r:Root>
        """

    private func tables(_ catalog: XMLNameCatalog) throws -> (XMLDocument, NodeIndexTables) {
        let document = try XMLDocument.parse(Array(Self.xml.utf8), name: "test.xml")
        return (document, NodeIndexTables(document.doc, catalog: catalog))
    }

    private func check(_ tables: NodeIndexTables) {
        // Root, Item ×3, Plain ×2: three expanded element names.
        #expect(tables.count == 7)
        #expect(tables.names.map(\.local) == ["Root", "Item", "Plain"])
        #expect(tables.names[1].namespace == "urn:test:a")
        #expect(tables.names[2].namespace == "")
        #expect(tables.name == [-1, 0, 1, 1, 2, 1, 2])
        #expect(tables.qualifiedName.dropFirst().map { tables.qualifiedNames[Int($0)] }
                == ["r:Root", "a:Item", "b:Item", "Plain", "a:Item", "Plain"])
        #expect(tables.attributeNames.map(\.local) == ["code", "code"])
        #expect(tables.attributeNames.map(\.namespace) == ["urn:test:x", ""])
    }

    @Test func namesAreGroupedByExpandedNameWhateverTheirPrefix() throws {
        let catalog = XMLNameCatalog(capacity: 100)
        let (document, first) = try tables(catalog)
        check(first)
        // A second document finds every spelling in the catalog: the same numbers.
        let (_, second) = try tables(catalog)
        check(second)
        #expect(first.nameNumbers == second.nameNumbers)
        #expect(Set(first.nameNumbers).count == 3)
        #expect(catalog.number(of: XMLNodeIndex.Name(namespace: "urn:test:a", local: "Item")) == first.nameNumbers[1])
        // The locator derived from the tables spells paths as written.
        let locator = document.locator
        #expect(locator.path(of: 5) == "/r:Root/Plain[1]/a:Item")
        #expect(locator.path(of: 3) == "/r:Root/b:Item[2]")
    }

    @Test func aFullCatalogStillIndexesCorrectly() throws {
        // Room for two spellings: the other names of the document go unnumbered, and the
        // index spells and groups them itself.
        let catalog = XMLNameCatalog(capacity: 2)
        let (_, tables) = try tables(catalog)
        check(tables)
        #expect(tables.nameNumbers.contains(-1))
        // A name a program asks for is numbered even when the catalog is full.
        #expect(catalog.number(of: XMLNodeIndex.Name(namespace: "urn:test:new", local: "Later")) >= 0)
    }

    @Test func theDocumentKeepsOneIndexAndTheIndexKeepsTheDocument() throws {
        var index: XMLNodeIndex?
        do {
            let document = try XMLDocument.parse(Array(Self.xml.utf8), name: "test.xml")
            #expect(document.nodeIndex().tables === document.nodeIndex().tables)
            index = document.nodeIndex()
        }
        // The document is gone from this scope; the index still reads it.
        #expect(index?.stringValue(2) == "one")
        #expect(index?.element(4)?.path == "/r:Root/Plain[1]")
    }
}
