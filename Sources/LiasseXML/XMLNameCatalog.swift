internal import CLibXML2
import Glibc
import Synchronization

/// The element and attribute names met by the process, each spelling kept once.
///
/// Indexing a document used to turn each of its distinct names into strings and hash them
/// (about a microsecond a name, a hundred names an invoice): a fifth of the cost of the table
/// rules. The names of invoices are few and always the same, so the catalog keeps, for each
/// spelling (namespace URI, local name, prefix), the strings and a process-wide number of
/// the expanded name. A document then costs, per distinct name, one hash of the bytes
/// libxml2 already holds and a comparison of two short C strings, and no string at all.
///
/// Bounded: past `capacity` spellings (or as many namespace URIs) a hostile stream of
/// invented names is no longer remembered, and each document spells those names itself
/// (correct, only slower). Names a compiled program asks for (`number(of:)`) are always
/// numbered.
public final class XMLNameCatalog: Sendable {
    /// The catalog of this process.
    public static let shared = XMLNameCatalog(capacity: 16_384)

    /// One way a document writes a name.
    final class Spelling: Sendable {
        let name: XMLNodeIndex.Name
        /// `prefix:local` as written, or `local`.
        let qualified: String
        /// The process-wide number of the expanded name; -1 when the catalog is full and
        /// the expanded name was never seen.
        let number: Int32
        /// The catalog's number of the namespace URI (`Namespaces.none` for none).
        let namespace: Int32
        /// The local name and the prefix as C strings (the prefix empty when there is none).
        let local: [CChar]
        let prefix: [CChar]

        init(name: XMLNodeIndex.Name, qualified: String, number: Int32, namespace: Int32, local: [CChar], prefix: [CChar]) {
            self.name = name
            self.qualified = qualified
            self.number = number
            self.namespace = namespace
            self.local = local
            self.prefix = prefix
        }
    }

    /// Namespace numbers with a meaning of their own.
    enum Namespaces {
        /// The name is in no namespace.
        static let none: Int32 = -1
        /// The URI is not in the catalog (full): spellings in it are not remembered.
        static let unknown: Int32 = -2
    }

    private struct State: ~Copyable {
        /// Open addressing over `spellings`: index + 1, 0 for an empty slot.
        var slots: [Int32] = Array(repeating: 0, count: 1024)
        var hashes: [UInt64] = []
        var spellings: [Spelling] = []
        var numbers: [XMLNodeIndex.Name: Int32] = [:]
        /// Namespace URIs as C strings, by number.
        var namespaces: [[CChar]] = []
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The process-wide number of `name`, given one if it has none.
    public func number(of name: XMLNodeIndex.Name) -> Int32 {
        state.withLock { state in Self.number(of: name, in: &state, full: false) }
    }

    private static func number(of name: XMLNodeIndex.Name, in state: inout State, full: Bool) -> Int32 {
        if let known = state.numbers[name] { return known }
        guard !full else { return -1 }
        let number = Int32(state.numbers.count)
        state.numbers[name] = number
        return number
    }

    /// The number of the namespace URI `href` (a handful per document: each document asks
    /// once per declaration), `Namespaces.unknown` when the catalog is full.
    func namespace(_ href: UnsafePointer<xmlChar>) -> Int32 {
        let uri = UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self)
        return state.withLock { state in
            for (number, known) in state.namespaces.enumerated() where strcmp(known, uri) == 0 {
                return Int32(number)
            }
            guard state.namespaces.count < 256 else { return Namespaces.unknown }
            state.namespaces.append(Self.cString(href))
            return Int32(state.namespaces.count - 1)
        }
    }

    /// The spelling of the name `local` in the namespace numbered `namespace` (see
    /// `namespace(_:)`; `href` is its URI) written with `prefix`.
    func spelling(local: UnsafePointer<xmlChar>, namespace: Int32, href: UnsafePointer<xmlChar>?,
                  prefix: UnsafePointer<xmlChar>?) -> Spelling {
        let hash = Self.hash(prefix, seed: Self.hash(local, seed: 0xcbf2_9ce4_8422_2325 ^ UInt64(bitPattern: Int64(namespace))))
        if namespace != Namespaces.unknown {
            let found: Spelling? = state.withLock { state in
                Self.find(hash, local, namespace, prefix, in: state).map { state.spellings[$0] }
            }
            if let found { return found }
        }
        // A new spelling: its strings are made outside the lock.
        let localName = String(cString: local)
        let name = XMLNodeIndex.Name(namespace: href.map { String(cString: $0) } ?? "", local: localName)
        let prefixText = prefix.map { String(cString: $0) } ?? ""
        let qualified = prefixText.isEmpty ? localName : prefixText + ":" + localName
        return state.withLock { state in
            let remembered = namespace != Namespaces.unknown && state.spellings.count < capacity
            let number = Self.number(of: name, in: &state, full: !remembered)
            let spelling = Spelling(name: name, qualified: qualified, number: number, namespace: namespace,
                                    local: Self.cString(local), prefix: Self.cString(prefix))
            guard remembered else { return spelling }
            // Another task may have added it meanwhile.
            if let index = Self.find(hash, local, namespace, prefix, in: state) { return state.spellings[index] }
            let mask = state.slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while state.slots[slot] != 0 { slot = (slot + 1) & mask }
            state.spellings.append(spelling)
            state.hashes.append(hash)
            state.slots[slot] = Int32(state.spellings.count)
            if state.spellings.count * 2 > state.slots.count { Self.grow(&state) }
            return spelling
        }
    }

    private static func find(_ hash: UInt64, _ local: UnsafePointer<xmlChar>, _ namespace: Int32,
                             _ prefix: UnsafePointer<xmlChar>?, in state: borrowing State) -> Int? {
        let mask = state.slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while state.slots[slot] != 0 {
            let index = Int(state.slots[slot]) - 1
            if state.hashes[index] == hash, matches(state.spellings[index], local, namespace, prefix) { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private static func grow(_ state: inout State) {
        var slots = [Int32](repeating: 0, count: state.slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in state.hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index + 1)
        }
        state.slots = slots
    }

    private static func matches(_ spelling: Spelling, _ local: UnsafePointer<xmlChar>, _ namespace: Int32,
                                _ prefix: UnsafePointer<xmlChar>?) -> Bool {
        guard spelling.namespace == namespace,
              strcmp(spelling.local, UnsafeRawPointer(local).assumingMemoryBound(to: CChar.self)) == 0 else { return false }
        guard let prefix else { return spelling.prefix.count == 1 }
        return strcmp(spelling.prefix, UnsafeRawPointer(prefix).assumingMemoryBound(to: CChar.self)) == 0
    }

    /// A C string's bytes with their terminator (just the terminator for nil).
    private static func cString(_ bytes: UnsafePointer<xmlChar>?) -> [CChar] {
        guard let bytes else { return [0] }
        let pointer = UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self)
        return Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer) + 1))
    }

    /// FNV-1a of a C string, chained from `seed`; a terminator byte separates parts.
    private static func hash(_ bytes: UnsafePointer<xmlChar>?, seed: UInt64) -> UInt64 {
        var hash = seed
        if var pointer = bytes {
            while pointer.pointee != 0 {
                hash = (hash ^ UInt64(pointer.pointee)) &* 0x0000_0100_0000_01b3
                pointer += 1
            }
        }
        return (hash ^ 0xff) &* 0x0000_0100_0000_01b3
    }
}
