/// One embedded file of a PDF, as its file specification describes it.
struct EmbeddedFileSpec {
    /// The file name: `/UF` when present, else `/F`, else the name-tree key.
    var name: String
    /// `/AFRelationship` without its slash (`Alternative`), nil when absent.
    var relationship: String?
    /// Listed in the catalog's `/AF` array.
    var inCatalogAF: Bool
    /// Listed in the `/Names /EmbeddedFiles` name tree.
    var inNameTree: Bool
    /// The embedded file stream (`/EF /F`, else `/EF /UF`).
    var stream: PDFObject
    /// The stream's `/Subtype` (a MIME type written as a name, `text#2Fxml` decoded to `text/xml`).
    var subtype: String?
    /// What makes two listings the same file: the stream's object identity.
    var key: String
}

/// What walking the embedded-file listings of a PDF found.
struct EmbeddedFileDiscovery {
    var files: [EmbeddedFileSpec] = []
    /// A `/Kids` entry led back to a node already visited (the walk skipped it).
    var treeCycle = false
    /// The tree was deeper or larger than the limits (the walk stopped there).
    var treeTruncated = false
    /// A `/Names` array was not in ascending key order: readers that binary-search it (as
    /// the PDF specification allows) may not find every file.
    var treeUnsorted = false
}

/// Finds the embedded files of a PDF through the catalog's `/AF` array and the
/// `/Names /EmbeddedFiles` name tree.
///
/// The tree is scanned linearly, never binary-searched (real files have unsorted arrays),
/// with a visited set against `/Kids` cycles and caps on depth and node count.
enum EmbeddedFileFinder {
    static func discover(in pdf: PDFFile, limits: FacturXLimits) throws(PDFReadError) -> EmbeddedFileDiscovery {
        var discovery = EmbeddedFileDiscovery()
        var byKey: [String: Int] = [:]
        let root = try pdf.root()

        func record(_ spec: PDFObject, treeKey: String?, fromAF: Bool, position: String) throws(PDFReadError) {
            guard var file = try describe(spec, treeKey: treeKey, in: pdf, position: position) else { return }
            if let index = byKey[file.key] {
                if fromAF { discovery.files[index].inCatalogAF = true } else { discovery.files[index].inNameTree = true }
                return
            }
            file.inCatalogAF = fromAF
            file.inNameTree = !fromAF
            byKey[file.key] = discovery.files.count
            discovery.files.append(file)
        }

        if let af = try pdf.value(root, "/AF") {
            for (index, spec) in try pdf.items(af).prefix(limits.maxNameTreeNodes).enumerated() {
                try record(spec, treeKey: nil, fromAF: true, position: "AF[\(index)]")
            }
        }

        guard let names = try pdf.value(root, "/Names"), let tree = try pdf.value(names, "/EmbeddedFiles") else {
            return discovery
        }
        var visited = Set<PDFObjectID>()
        var nodes = 0
        func walk(_ node: PDFObject, depth: Int) throws(PDFReadError) {
            nodes += 1
            guard depth <= limits.maxNameTreeDepth, nodes <= limits.maxNameTreeNodes else {
                discovery.treeTruncated = true
                return
            }
            if let id = try pdf.identity(node) {
                guard visited.insert(id).inserted else {
                    discovery.treeCycle = true
                    return
                }
            }
            guard try pdf.isDictionary(node) else { return }
            if let pairs = try pdf.value(node, "/Names") {
                let items = try pdf.items(pairs)
                var previous: [UInt8]?
                var index = 0
                while index + 1 < items.count {
                    let rawKey = try pdf.rawText(items[index])
                    if let rawKey, let previous, rawKey.lexicographicallyPrecedes(previous) {
                        discovery.treeUnsorted = true
                    }
                    previous = rawKey ?? previous
                    let key = try pdf.text(items[index])
                    try record(items[index + 1], treeKey: key, fromAF: false, position: "tree#\(nodes).\(index)")
                    index += 2
                }
            }
            if let kids = try pdf.value(node, "/Kids") {
                for kid in try pdf.items(kids) {
                    try walk(kid, depth: depth + 1)
                    if discovery.treeTruncated { return }
                }
            }
        }
        try walk(tree, depth: 0)
        return discovery
    }

    /// Reads one file specification; nil when it is not one (a stray value in a tree).
    private static func describe(_ spec: PDFObject, treeKey: String?, in pdf: PDFFile, position: String) throws(PDFReadError) -> EmbeddedFileSpec? {
        guard try pdf.isDictionary(spec) else { return nil }
        var name = try pdf.textValue(spec, "/UF")
        if name == nil { name = try pdf.textValue(spec, "/F") }
        let relationship = try pdf.nameValue(spec, "/AFRelationship")
        guard let ef = try pdf.value(spec, "/EF") else { return nil }
        var found = try pdf.value(ef, "/F")
        if found == nil { found = try pdf.value(ef, "/UF") }
        guard let stream = found, try pdf.isStream(stream) else { return nil }
        let subtype = try pdf.nameValue(stream, "/Subtype")
        let key: String
        if let id = try pdf.identity(stream) {
            key = "stream \(id)"
        } else if let id = try pdf.identity(spec) {
            key = "spec \(id)"
        } else {
            key = position
        }
        return EmbeddedFileSpec(name: name ?? treeKey ?? "", relationship: relationship, inCatalogAF: false, inNameTree: false,
                                stream: stream, subtype: subtype.map(decodeNameEscapes), key: key)
    }

    /// Turns `#2F` escapes of a PDF name into their characters.
    static func decodeNameEscapes(_ name: String) -> String {
        guard name.contains("#") else { return name }
        var bytes: [UInt8] = []
        var utf8 = Array(name.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "#"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
