import Crypto
import Foundation

/// Signs certificate bodies with the service's Ed25519 key, kept in the state folder.
public struct CertificateSigner: Sendable {
    // The raw 32 bytes: CryptoKit's key type is not Sendable, its bytes are.
    private let rawKey: Data
    /// The public key, base64 of its 32 raw bytes.
    public let publicKeyBase64: String

    public init(key: Curve25519.Signing.PrivateKey) {
        self.rawKey = key.rawRepresentation
        self.publicKeyBase64 = key.publicKey.rawRepresentation.base64EncodedString()
    }

    /// Loads the key at `path`, creating it (mode 0600) on first start.
    public static func loadOrCreate(at path: String) throws -> CertificateSigner {
        let url = URL(fileURLWithPath: path)
        if let data = try? Data(contentsOf: url) {
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else {
                throw CoreError.badSigningKey(path: path)
            }
            return CertificateSigner(key: key)
        }
        let key = Curve25519.Signing.PrivateKey()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written whole under a temporary name, then linked into place: another process
        // starting at the same time sees no key or a complete one, never a partial file.
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CoreError.io("cannot create the signing key \(temporary): errno \(errno)") }
        defer { unlink(temporary) }
        let raw = [UInt8](key.rawRepresentation)
        let written = write(fd, raw, raw.count) == raw.count && fsync(fd) == 0
        close(fd)
        guard written else { throw CoreError.io("cannot write the signing key \(temporary)") }
        if link(temporary, path) != 0 {
            // Another process created it first: use theirs.
            if errno == EEXIST { return try loadOrCreate(at: path) }
            throw CoreError.io("cannot create the signing key \(path): errno \(errno)")
        }
        let directory = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { fsync(directory); close(directory) }
        return CertificateSigner(key: key)
    }

    /// The public key (base64 of its 32 raw bytes) of the signing key at `path`, without
    /// creating one: what verifiers of this service's certificates must trust.
    public static func publicKey(at path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CoreError.io("no signing key at \(path): the service creates it at its first start")
        }
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data) else {
            throw CoreError.badSigningKey(path: path)
        }
        return key.publicKey.rawRepresentation.base64EncodedString()
    }

    /// Seals `body`: fingerprint, signature and public key.
    public func seal(_ body: CertificateBody) throws -> Certificate {
        let canonical = try body.canonicalBytes()
        let fingerprint = Data(SHA256.hash(data: canonical)).base64EncodedString()
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
        let signature = try key.signature(for: canonical)
        return Certificate(body: body, fingerprint: fingerprint, signatureAlgorithm: "Ed25519",
                           signature: Data(signature).base64EncodedString(), publicKey: publicKeyBase64)
    }
}

/// Errors of the deposit core that are not a verdict on an invoice.
public enum CoreError: Error, CustomStringConvertible {
    case badSigningKey(path: String)
    case io(String)
    case ledger(String)
    case pdf(String)

    public var description: String {
        switch self {
        case .badSigningKey(let path): return "the signing key \(path) is not a 32-byte Ed25519 key"
        case .io(let what): return what
        case .ledger(let what): return "ledger: \(what)"
        case .pdf(let what): return "certificate PDF: \(what)"
        }
    }
}
