import Crypto
import Foundation

/// Checks a certificate file offline: its fingerprint against its content, its signature
/// against its public key (and, when given, against the key the verifier trusts), and its
/// bytes against the canonical rendering of its content, so that any changed byte shows.
public enum CertificateVerifier {
    /// One thing that does not match.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The file is not strict JSON, or not an object.
        case unreadable(String)
        /// A field a certificate must have is absent or not of its type.
        case missingField(String)
        /// The fingerprint written in the file is not the SHA-256 of its content.
        case fingerprintMismatch(written: String, computed: String)
        case unsupportedAlgorithm(String)
        /// `publicKey` is not a base64 32-byte Ed25519 key.
        case badPublicKey
        /// The signature does not verify with the file's public key.
        case signatureInvalid
        /// The file was signed by another key than the one the verifier trusts.
        case publicKeyMismatch(trusted: String, found: String)
        /// The content is intact but the file's bytes were changed (spacing, order, escapes),
        /// first at this line.
        case layoutChanged(line: Int)
        /// The ledger's copy of this certificate differs in these fields.
        case differsFromLedger([String])
        /// The ledger holds no certificate with this number.
        case unknownToLedger

        public var description: String {
            switch self {
            case .unreadable(let why):
                return "the file is not a readable certificate: \(why)"
            case .missingField(let field):
                return "the field `\(field)` is missing or of the wrong type"
            case .fingerprintMismatch(let written, let computed):
                return "the content does not match its certificate number: the file says \(written), its content hashes to \(computed); the certificate was altered after it was issued"
            case .unsupportedAlgorithm(let name):
                return "signature algorithm \(name) is not supported (expected Ed25519)"
            case .badPublicKey:
                return "`publicKey` is not a base64 Ed25519 public key"
            case .signatureInvalid:
                return "the signature does not match the content and the public key written in the file"
            case .publicKeyMismatch(let trusted, let found):
                return "signed by key \(found), not by the trusted key \(trusted)"
            case .layoutChanged(let line):
                return "the signed content is intact, but the file's bytes were changed from line \(line) (it is no longer the file Liasse wrote)"
            case .differsFromLedger(let fields):
                return "differs from the ledger's copy in: \(fields.joined(separator: ", "))"
            case .unknownToLedger:
                return "the ledger holds no certificate with this number"
            }
        }
    }

    /// What verifying one file found.
    public struct Report: Sendable {
        /// The certificate number written in the file, when readable.
        public var fingerprint: String?
        /// Its position in the chain and the previous certificate's number, when readable.
        public var sequence: Int?
        public var previousFingerprint: String?
        public var invoiceNumber: String?
        /// The parsed file, when it is JSON.
        public var content: JSONValue?
        public var problems: [Problem]

        public var isValid: Bool { problems.isEmpty }
    }

    /// Verifies the bytes of a certificate file; `trustedPublicKey` (base64) is the key the
    /// certificates must have been signed with, when known.
    public static func verify(_ bytes: [UInt8], trustedPublicKey: String? = nil) -> Report {
        var report = Report(problems: [])
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            report.problems.append(.unreadable(error.description))
            return report
        }
        guard case .object(let members) = value else {
            report.problems.append(.unreadable("not a JSON object"))
            return report
        }
        report.content = value
        report.fingerprint = members["fingerprint"]?.stringValue
        report.previousFingerprint = members["previousFingerprint"]?.stringValue
        report.invoiceNumber = members["invoiceNumber"]?.stringValue
        if case .number(let text)? = members["sequence"] { report.sequence = Int(text) }

        for field in ["fingerprint", "signatureAlgorithm", "signature", "publicKey", "depositedAt", "invoiceNumber",
                      "status", "sourceSha256", "lot", "entry", "issueDate"] where members[field]?.stringValue == nil {
            report.problems.append(.missingField(field))
        }
        for field in ["supplier", "recipient", "amounts"] {
            guard case .object? = members[field] else { report.problems.append(.missingField(field)); continue }
        }
        if report.sequence == nil { report.problems.append(.missingField("sequence")) }

        let body = JSONValue.object(members.filter { !Certificate.sealFields.contains($0.key) })
        let canonical = body.canonicalBytes()
        let computed = Data(SHA256.hash(data: canonical)).base64EncodedString()
        if let written = report.fingerprint, written != computed {
            report.problems.append(.fingerprintMismatch(written: written, computed: computed))
        }
        if let algorithm = members["signatureAlgorithm"]?.stringValue, algorithm != "Ed25519" {
            report.problems.append(.unsupportedAlgorithm(algorithm))
        }
        if let keyText = members["publicKey"]?.stringValue, let signatureText = members["signature"]?.stringValue {
            if let keyData = canonicalBase64(keyText), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyData) {
                let signature = canonicalBase64(signatureText) ?? Data()
                if !key.isValidSignature(signature, for: Data(canonical)) {
                    report.problems.append(.signatureInvalid)
                }
            } else {
                report.problems.append(.badPublicKey)
            }
            if let trustedPublicKey, trustedPublicKey != keyText {
                report.problems.append(.publicKeyMismatch(trusted: trustedPublicKey, found: keyText))
            }
        }
        let rendered = value.prettyBytes()
        if rendered != bytes {
            report.problems.append(.layoutChanged(line: firstDifferingLine(rendered, bytes)))
        }
        return report
    }

    /// Decodes base64 only in its canonical form: the last character of a padded base64
    /// string has unused bits, and a text that differs only there must not pass for the
    /// original (any changed byte of a certificate fails verification).
    static func canonicalBase64(_ text: String) -> Data? {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else { return nil }
        return data
    }

    /// The paths of the fields whose values differ between two JSON values.
    public static func differences(_ a: JSONValue, _ b: JSONValue, path: String = "") -> [String] {
        if case .object(let left) = a, case .object(let right) = b {
            let keys = Set(left.keys).union(right.keys).sorted()
            return keys.flatMap { key -> [String] in
                let childPath = path.isEmpty ? key : path + "." + key
                guard let l = left[key], let r = right[key] else { return [childPath] }
                return differences(l, r, path: childPath)
            }
        }
        return a == b ? [] : [path.isEmpty ? "(whole file)" : path]
    }

    static func firstDifferingLine(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var line = 1
        for index in 0..<min(a.count, b.count) {
            if a[index] != b[index] { return line }
            if a[index] == UInt8(ascii: "\n") { line += 1 }
        }
        return line
    }
}

/// Checks that certificates form an unbroken chain: each one names the fingerprint of the
/// one before it, so a removed, replaced or inserted certificate shows.
public enum CertificateChain {
    /// A break in the chain.
    public enum Break: Sendable, Equatable, CustomStringConvertible {
        /// Certificates `from`…`to` are absent: the next present one (`before`, number
        /// `beforeFingerprint`) names `expectedPrevious` as its predecessor.
        case missing(from: Int, to: Int, before: Int, beforeFingerprint: String, expectedPrevious: String?)
        /// Certificate `sequence` names `written` as its predecessor, but the certificate at
        /// `sequence - 1` has number `actual`: one of the two was replaced.
        case wrongLink(sequence: Int, fingerprint: String, written: String?, actual: String)
        /// Two different certificates claim the same position.
        case fork(sequence: Int, fingerprints: [String])
        /// The first certificate of the chain names a predecessor.
        case firstHasPredecessor(fingerprint: String)

        public var description: String {
            switch self {
            case .missing(let from, let to, let before, let fingerprint, let expected):
                let range = from == to ? "certificate #\(from) is" : "certificates #\(from) to #\(to) are"
                return "\(range) missing: #\(before) (\(fingerprint)) names \(expected ?? "nothing") as its predecessor, which is not among the certificates checked"
            case .wrongLink(let sequence, let fingerprint, let written, let actual):
                return "#\(sequence) (\(fingerprint)) names \(written ?? "no predecessor") as its predecessor, but #\(sequence - 1) is \(actual): one of them was replaced"
            case .fork(let sequence, let fingerprints):
                return "several certificates claim position #\(sequence): \(fingerprints.joined(separator: ", "))"
            case .firstHasPredecessor(let fingerprint):
                return "the first certificate (\(fingerprint)) names a predecessor: earlier certificates are missing"
            }
        }
    }

    /// One link of a chain: a certificate's position, its number and its predecessor's.
    public struct Link: Sendable, Equatable {
        public var sequence: Int
        public var fingerprint: String
        public var previousFingerprint: String?

        public init(sequence: Int, fingerprint: String, previousFingerprint: String?) {
            self.sequence = sequence
            self.fingerprint = fingerprint
            self.previousFingerprint = previousFingerprint
        }
    }

    /// The breaks among `links` (in any order; the same certificate twice counts once).
    /// With `fromStart`, the chain must begin at #1.
    public static func check(_ links: [Link], fromStart: Bool) -> [Break] {
        var byFingerprint: [String: Link] = [:]
        for link in links { byFingerprint[link.fingerprint] = link }
        let bySequence = Dictionary(grouping: byFingerprint.values, by: \.sequence)
        var breaks: [Break] = []
        var ordered: [Link] = []
        for sequence in bySequence.keys.sorted() {
            let group = bySequence[sequence]!
            if group.count > 1 { breaks.append(.fork(sequence: sequence, fingerprints: group.map(\.fingerprint).sorted())) }
            ordered.append(group.sorted { $0.fingerprint < $1.fingerprint }[0])
        }
        guard let first = ordered.first else { return breaks }
        if fromStart {
            if first.sequence > 1 {
                breaks.append(.missing(from: 1, to: first.sequence - 1, before: first.sequence,
                                       beforeFingerprint: first.fingerprint, expectedPrevious: first.previousFingerprint))
            } else if first.previousFingerprint != nil {
                breaks.append(.firstHasPredecessor(fingerprint: first.fingerprint))
            }
        }
        for (previous, link) in zip(ordered, ordered.dropFirst()) {
            if link.sequence == previous.sequence + 1 {
                if link.previousFingerprint != previous.fingerprint {
                    breaks.append(.wrongLink(sequence: link.sequence, fingerprint: link.fingerprint,
                                             written: link.previousFingerprint, actual: previous.fingerprint))
                }
            } else {
                breaks.append(.missing(from: previous.sequence + 1, to: link.sequence - 1, before: link.sequence,
                                       beforeFingerprint: link.fingerprint, expectedPrevious: link.previousFingerprint))
            }
        }
        return breaks
    }
}
