import Glibc

/// A linear pass over a document's bytes before libxml2 parses it, refusing the shapes whose
/// parsing costs far more than their size (libxml2 checks an element's attributes against each
/// other: 100,000 attributes on one element take minutes) or whose values would hold the
/// memory of the service: too many attributes or namespace declarations on one element, names,
/// attribute values or text nodes too long, elements nested too deep.
///
/// It reads only the structure (tags, quotes, comments, processing instructions, CDATA) and
/// stops at anything it does not expect, leaving the verdict on well-formedness to libxml2.
/// Documents in UTF-16 or UTF-32 are left to libxml2's own limits.
enum XMLStructureScan {
    static func check(_ bytes: UnsafeBufferPointer<UInt8>, limits: XMLLimits) -> XMLParseError? {
        let count = bytes.count
        guard count >= 2, XMLDocument.isASCIICompatible(bytes), let base = bytes.baseAddress else { return nil }
        let comment: [UInt8] = [0x2D, 0x2D, 0x3E], cdata: [UInt8] = [0x5D, 0x5D, 0x3E], instruction: [UInt8] = [0x3F, 0x3E]
        var i = 0
        var depth = 0
        var line = 1
        func lines(_ from: Int, _ to: Int) {
            var at = from
            while at < to, let found = memchr(base + at, 0x0A, to - at) {
                line += 1
                at = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            }
        }
        func find(_ needle: [UInt8], from: Int) -> Int? {
            var at = from
            while at + needle.count <= count {
                guard let found = memchr(base + at, Int32(needle[0]), count - at) else { return nil }
                let position = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if position + needle.count > count { return nil }
                if memcmp(base + position, needle, needle.count) == 0 { return position }
                at = position + 1
            }
            return nil
        }
        @inline(__always) func byte(_ position: Int) -> UInt8 { position < count ? bytes[position] : 0 }
        while i < count {
            // Text up to the next tag.
            let next: Int
            if let found = memchr(base + i, 0x3C, count - i) {
                next = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            } else {
                next = count
            }
            if next - i > limits.maxTextBytes {
                lines(0, i)
                return .structureLimit(what: "a text node of \(next - i) bytes", limit: "\(limits.maxTextBytes) bytes", line: line)
            }
            lines(i, next)
            i = next
            guard i < count else { return nil }
            let second = byte(i + 1)
            if second == 0x21, byte(i + 2) == 0x2D, byte(i + 3) == 0x2D {  // <!--
                guard let end = find(comment, from: i + 4) else { return nil }
                lines(i, end)
                i = end + 3
            } else if second == 0x21, byte(i + 2) == 0x5B, i + 9 <= count, memcmp(base + i, "<![CDATA[", 9) == 0 {
                guard let end = find(cdata, from: i + 9) else { return nil }
                if end - i - 9 > limits.maxTextBytes {
                    return .structureLimit(what: "a CDATA section of \(end - i - 9) bytes", limit: "\(limits.maxTextBytes) bytes", line: line)
                }
                lines(i, end)
                i = end + 3
            } else if second == 0x3F {  // <?
                guard let end = find(instruction, from: i + 2) else { return nil }
                lines(i, end)
                i = end + 2
            } else if second == 0x21 {  // <!
                // A DOCTYPE: libxml2 reads it, Liasse refuses it after.
                return nil
            } else if second == 0x2F {  // </
                guard let found = memchr(base + i, 0x3E, count - i) else { return nil }
                let end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if end - i - 2 > limits.maxNameBytes {
                    return .structureLimit(what: "an element name of \(end - i - 2) bytes", limit: "\(limits.maxNameBytes) bytes", line: line)
                }
                depth -= 1
                i = end + 1
            } else {
                // A start tag: its name, then its attributes.
                var at = i + 1
                let nameStart = at
                while at < count, !isXMLSpace(bytes[at]), bytes[at] != 0x3E, bytes[at] != 0x2F { at += 1 }
                if at - nameStart > limits.maxNameBytes {
                    return .structureLimit(what: "an element name of \(at - nameStart) bytes", limit: "\(limits.maxNameBytes) bytes", line: line)
                }
                var attributes = 0
                var namespaces = 0
                while true {
                    while at < count, isXMLSpace(bytes[at]) {
                        if bytes[at] == 0x0A { line += 1 }
                        at += 1
                    }
                    guard at < count else { return nil }
                    if bytes[at] == 0x3E || bytes[at] == 0x2F { break }
                    let attributeStart = at
                    while at < count, bytes[at] != 0x3D, !isXMLSpace(bytes[at]), bytes[at] != 0x3E { at += 1 }
                    if at - attributeStart > limits.maxNameBytes {
                        return .structureLimit(what: "an attribute name of \(at - attributeStart) bytes", limit: "\(limits.maxNameBytes) bytes", line: line)
                    }
                    if at - attributeStart >= 5, memcmp(base + attributeStart, "xmlns", 5) == 0 { namespaces += 1 }
                    attributes += 1
                    if attributes > limits.maxAttributesPerElement {
                        return .structureLimit(what: "more than \(limits.maxAttributesPerElement) attributes on one element",
                                               limit: "\(limits.maxAttributesPerElement)", line: line)
                    }
                    if namespaces > limits.maxNamespaceDeclarations {
                        return .structureLimit(what: "more than \(limits.maxNamespaceDeclarations) namespace declarations on one element",
                                               limit: "\(limits.maxNamespaceDeclarations)", line: line)
                    }
                    while at < count, isXMLSpace(bytes[at]) { at += 1 }
                    guard at < count, bytes[at] == 0x3D else { return nil }
                    at += 1
                    while at < count, isXMLSpace(bytes[at]) { at += 1 }
                    guard at < count, bytes[at] == 0x22 || bytes[at] == 0x27 else { return nil }
                    guard let found = memchr(base + at + 1, Int32(bytes[at]), count - at - 1) else { return nil }
                    let end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    if end - at - 1 > limits.maxAttributeValueBytes {
                        return .structureLimit(what: "an attribute value of \(end - at - 1) bytes", limit: "\(limits.maxAttributeValueBytes) bytes", line: line)
                    }
                    lines(at, end)
                    at = end + 1
                }
                let selfClosing = bytes[at] == 0x2F
                guard let found = memchr(base + at, 0x3E, count - at) else { return nil }
                i = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
                if depth + 1 > limits.maxDepth {
                    return .structureLimit(what: "elements nested more than \(limits.maxDepth) deep", limit: "\(limits.maxDepth)", line: line)
                }
                if !selfClosing { depth += 1 }
            }
        }
        return nil
    }
}

/// Whether a UTF-8 byte is XML whitespace (space, tab, line feed, carriage return): the only
/// characters `normalize-space` and the schema's whitespace collapsing touch.
@inlinable
public func isXMLSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}
