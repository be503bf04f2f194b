internal import CLibXML2
import Synchronization

/// The element and attribute names met by the process, each spelled once.
///
/// Indexing a document used to turn each of its distinct names into strings and hash them
/// (about a microsecond a name, a hundred names an invoice): a fifth of the cost of the table
/// rules. The names of invoices are few and always the same, so the catalog keeps, for each
/// spelling (namespace URI, local name, prefix), the strings and a process-wide number of
/// the expanded name. A document then costs one hash of the bytes libxml2 already holds per
/// distinct name, and no string at all.
///
/// Bounded: past `capacity` spellings a hostile stream of invented names is no longer
/// remembered, and the index spells those names itself (correct, only slower). Names a
/// compiled program asks for (`number(of:)`) are always numbered.
public final class XMLNameCatalog: Sendable {
    /// The catalog of this process.
    public static let shared = XMLNameCatalog(capacity: 16_384)

    /// One way a document writes a name.
    struct Spelling: Sendable {
        let name: XMLNodeIndex.Name
        /// `prefix:local` as written, or `local`.
        let qualified: String
        /// The prefix as written, empty when there is none.
        let prefix: String
        /// The process-wide number of the expanded name; -1 when the catalog is full and
        /// the expanded name was never seen.
        let number: Int32
    }

    private struct State: ~Copyable {
        /// Open addressing over `spellings`: index + 1, 0 for an empty slot.
        var slots: [Int32] = Array(repeating: 0, count: 1024)
        var hashes: [UInt64] = []
        var spellings: [Spelling] = []
        var numbers: [XMLNodeIndex.Name: Int32] = [:]
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The process-wide number of `name`, given one if it has none.
    public func number(of name: XMLNodeIndex.Name) -> Int32 {
        state.withLock { state in
            if let known = state.numbers[name] { return known }
            let number = Int32(state.numbers.count)
            state.numbers[name] = number
            return number
        }
    }

    /// Hash of a C string, chained from `seed` (FNV-1a; a terminator byte separates parts).
    static func hash(_ bytes: UnsafePointer<xmlChar>?, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = seed
        if var pointer = bytes {
            while pointer.pointee != 0 {
                hash = (hash ^ UInt64(pointer.pointee)) &* 0x0000_0100_0000_01b3
                pointer += 1
            }
        }
        return (hash ^ 0xff) &* 0x0000_0100_0000_01b3
    }

    /// The spelling of the name `local` in the namespace `href` (with `hrefHash`, its `hash`)
    /// written with `prefix`.
    func spelling(local: UnsafePointer<xmlChar>, href: UnsafePointer<xmlChar>?, hrefHash: UInt64,
                  prefix: UnsafePointer<xmlChar>?) -> Spelling {
        let hash = Self.hash(prefix, seed: Self.hash(local, seed: hrefHash))
        let found: Spelling? = state.withLock { state in
            let mask = state.slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while state.slots[slot] != 0 {
                let index = Int(state.slots[slot]) - 1
                if state.hashes[index] == hash, Self.matches(state.spellings[index], local, href, prefix) {
                    return state.spellings[index]
                }
                slot = (slot + 1) & mask
            }
            return nil
        }
        if let found { return found }
        // A new spelling: its strings are made outside the lock.
        let localName = String(cString: local)
        let name = XMLNodeIndex.Name(namespace: href.map { String(cString: $0) } ?? "", local: localName)
        let prefixText = prefix.map { String(cString: $0) } ?? ""
        let qualified = prefixText.isEmpty ? localName : prefixText + ":" + localName
        return state.withLock { state in
            let full = state.spellings.count >= capacity
            let number: Int32
            if let known = state.numbers[name] {
                number = known
            } else if full {
                number = -1
            } else {
                number = Int32(state.numbers.count)
                state.numbers[name] = number
            }
            let spelling = Spelling(name: name, qualified: qualified, prefix: prefixText, number: number)
            guard !full else { return spelling }
            // Another task may have added it meanwhile.
            let mask = state.slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while state.slots[slot] != 0 {
                let index = Int(state.slots[slot]) - 1
                if state.hashes[index] == hash, Self.matches(state.spellings[index], local, href, prefix) {
                    return state.spellings[index]
                }
                slot = (slot + 1) & mask
            }
            state.spellings.append(spelling)
            state.hashes.append(hash)
            state.slots[slot] = Int32(state.spellings.count)
            if state.spellings.count * 2 > state.slots.count { Self.grow(&state) }
            return spelling
        }
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

    private static func matches(_ spelling: Spelling, _ local: UnsafePointer<xmlChar>, _ href: UnsafePointer<xmlChar>?,
                                _ prefix: UnsafePointer<xmlChar>?) -> Bool {
        XMLElement.equal(local, spelling.name.local)
            && (href.map { XMLElement.equal($0, spelling.name.namespace) } ?? spelling.name.namespace.isEmpty)
            && (prefix.map { XMLElement.equal($0, spelling.prefix) } ?? spelling.prefix.isEmpty)
    }
}
