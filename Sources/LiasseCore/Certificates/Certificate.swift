import Crypto
import Foundation
import LiasseRules

/// The proof of one deposit: what was deposited, when, by whom, for whom, and for how much,
/// sealed by its fingerprint (the certificate number) and an Ed25519 signature, and chained
/// to the previous certificate of the ledger.
///
/// The file is one flat JSON object: the body's fields beside the seal's
/// (`fingerprint`, `signatureAlgorithm`, `signature`, `publicKey`). The body is everything
/// but the seal, so a verifier needs no knowledge of the body's fields.
public struct Certificate: Codable, Sendable, Equatable {
    /// What the fingerprint and the signature cover.
    public var body: CertificateBody
    /// The certificate number: base64 of the SHA-256 of the canonical body (44 characters).
    public var fingerprint: String
    /// Always `Ed25519`.
    public var signatureAlgorithm: String
    /// Base64 Ed25519 signature of the canonical body.
    public var signature: String
    /// Base64 raw Ed25519 public key that verifies `signature`.
    public var publicKey: String

    /// The names of the seal's fields: every other field of the file belongs to the body.
    public static let sealFields: Set<String> = ["fingerprint", "signatureAlgorithm", "signature", "publicKey"]

    public init(body: CertificateBody, fingerprint: String, signatureAlgorithm: String, signature: String, publicKey: String) {
        self.body = body
        self.fingerprint = fingerprint
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
        self.publicKey = publicKey
    }

    private enum SealKeys: String, CodingKey {
        case fingerprint, signatureAlgorithm, signature, publicKey
    }

    public init(from decoder: any Decoder) throws {
        body = try CertificateBody(from: decoder)
        let container = try decoder.container(keyedBy: SealKeys.self)
        fingerprint = try container.decode(String.self, forKey: .fingerprint)
        signatureAlgorithm = try container.decode(String.self, forKey: .signatureAlgorithm)
        signature = try container.decode(String.self, forKey: .signature)
        publicKey = try container.decode(String.self, forKey: .publicKey)
    }

    public func encode(to encoder: any Encoder) throws {
        try body.encode(to: encoder)
        var container = encoder.container(keyedBy: SealKeys.self)
        try container.encode(fingerprint, forKey: .fingerprint)
        try container.encode(signatureAlgorithm, forKey: .signatureAlgorithm)
        try container.encode(signature, forKey: .signature)
        try container.encode(publicKey, forKey: .publicKey)
    }

    /// The certificate as one JSON object.
    public func jsonValue() throws -> JSONValue {
        guard case .object(var members) = try body.jsonValue() else { throw CoreError.io("a certificate body is not an object") }
        members["fingerprint"] = .string(fingerprint)
        members["signatureAlgorithm"] = .string(signatureAlgorithm)
        members["signature"] = .string(signature)
        members["publicKey"] = .string(publicKey)
        return .object(members)
    }

    /// The bytes of the certificate file: sorted keys, two-space indentation, a final
    /// newline. A file whose bytes differ from this rendering of its own content has been
    /// altered.
    public func fileBytes() throws -> Data {
        Data(try jsonValue().prettyBytes())
    }

    /// Reads a certificate file.
    public static func read(_ data: Data) throws -> Certificate {
        try JSONDecoder().decode(Certificate.self, from: data)
    }
}

/// The content of a certificate, the part its fingerprint and signature cover.
public struct CertificateBody: Codable, Sendable, Equatable {
    /// The format of this body: 2 since canonical JSON of our own.
    public var certificateVersion: Int
    /// The position of this certificate in the ledger's chain (1 for the first).
    public var sequence: Int
    /// The fingerprint of the certificate before this one in the chain, nil for the first.
    public var previousFingerprint: String?
    /// The lot the invoice came in, and its path inside the lot.
    public var lot: String
    public var entry: String
    /// When the deposit was recorded (UTC, ISO 8601).
    public var depositedAt: String
    /// BT-1, BT-2 and BT-3.
    public var invoiceNumber: String
    public var issueDate: String
    public var typeCode: String
    /// The Chorus Pro syntax code (`IN_DP_E1_UBL_INVOICE`…) and the profile name.
    public var syntaxCode: String
    public var profile: String
    /// BT-23, the cadre de facturation, when the Chorus Pro rules ran.
    public var cadreDeFacturation: String?
    /// True when the cadre is the inbox's default because BT-23 was absent.
    public var cadreDefaulted: Bool?
    public var supplier: PartyReference
    public var recipient: RecipientReference
    /// BT-13, the engagement number, when given.
    public var engagementNumber: String?
    /// BT-12, the contract (marché) number, when given.
    public var contractReference: String?
    /// The VAT regime read from BT-8 (`debits`, `encaissements`, `livraison`), when given.
    public var vatRegime: String?
    public var amounts: CertificateAmounts
    /// The invoice's status at deposit: `DEPOSEE`.
    public var status: String
    /// SHA-256 (hex) of the invoice file as dropped: the idempotency key.
    public var sourceSha256: String
    /// The rule packs that judged the invoice, with their versions, modes and the digest of
    /// the official artefact each ran (docs/CONTRACTS.md). Absent from certificates made
    /// before Liasse stamped them.
    public var rulePacks: [RulePackStamp]?

    public init(certificateVersion: Int = 2, sequence: Int = 0, previousFingerprint: String? = nil,
                lot: String, entry: String, depositedAt: String, invoiceNumber: String, issueDate: String,
                typeCode: String, syntaxCode: String, profile: String, cadreDeFacturation: String? = nil,
                cadreDefaulted: Bool? = nil, supplier: PartyReference, recipient: RecipientReference,
                engagementNumber: String? = nil, contractReference: String? = nil, vatRegime: String? = nil,
                amounts: CertificateAmounts, status: String = InvoiceStatus.deposee.rawValue, sourceSha256: String,
                rulePacks: [RulePackStamp]? = nil) {
        self.certificateVersion = certificateVersion
        self.sequence = sequence
        self.previousFingerprint = previousFingerprint
        self.lot = lot
        self.entry = entry
        self.depositedAt = depositedAt
        self.invoiceNumber = invoiceNumber
        self.issueDate = issueDate
        self.typeCode = typeCode
        self.syntaxCode = syntaxCode
        self.profile = profile
        self.cadreDeFacturation = cadreDeFacturation
        self.cadreDefaulted = cadreDefaulted
        self.supplier = supplier
        self.recipient = recipient
        self.engagementNumber = engagementNumber
        self.contractReference = contractReference
        self.vatRegime = vatRegime
        self.amounts = amounts
        self.status = status
        self.sourceSha256 = sourceSha256
        self.rulePacks = rulePacks
    }

    /// The body as a JSON object (absent optionals are left out): the same content as its
    /// `Codable` encoding (a test holds the two equal), built directly because it is built
    /// twice per deposit (signature, then file) and the encoder round trip cost more than the
    /// signature.
    public func jsonValue() throws -> JSONValue {
        var members: [String: JSONValue] = [
            "certificateVersion": .number(String(certificateVersion)),
            "sequence": .number(String(sequence)),
            "lot": .string(lot),
            "entry": .string(entry),
            "depositedAt": .string(depositedAt),
            "invoiceNumber": .string(invoiceNumber),
            "issueDate": .string(issueDate),
            "typeCode": .string(typeCode),
            "syntaxCode": .string(syntaxCode),
            "profile": .string(profile),
            "supplier": .object(["siret": .string(supplier.siret), "name": .string(supplier.name)]),
            "recipient": recipient.jsonValue,
            "amounts": .object(["ht": .string(amounts.ht), "tva": .string(amounts.tva), "ttc": .string(amounts.ttc),
                                "due": .string(amounts.due), "currency": .string(amounts.currency)]),
            "status": .string(status),
            "sourceSha256": .string(sourceSha256),
        ]
        members["previousFingerprint"] = previousFingerprint.map(JSONValue.string)
        members["cadreDeFacturation"] = cadreDeFacturation.map(JSONValue.string)
        members["cadreDefaulted"] = cadreDefaulted.map(JSONValue.bool)
        members["engagementNumber"] = engagementNumber.map(JSONValue.string)
        members["contractReference"] = contractReference.map(JSONValue.string)
        members["vatRegime"] = vatRegime.map(JSONValue.string)
        members["rulePacks"] = rulePacks.map { .array($0.map(\.jsonValue)) }
        return .object(members)
    }

    /// The bytes the fingerprint and the signature are computed over: the body alone, as
    /// canonical JSON (sorted keys, no whitespace).
    public func canonicalBytes() throws -> Data { Data(try jsonValue().canonicalBytes()) }

    /// base64(SHA-256(canonical body)), 44 characters.
    public func fingerprint() throws -> String {
        Data(SHA256.hash(data: try canonicalBytes())).base64EncodedString()
    }
}

/// The supplier on a certificate.
public struct PartyReference: Codable, Sendable, Equatable {
    public var siret: String
    public var name: String

    public init(siret: String, name: String) {
        self.siret = siret
        self.name = name
    }
}

/// The recipient on a certificate, with the service code (BT-10) when given.
public struct RecipientReference: Codable, Sendable, Equatable {
    public var siret: String
    public var name: String
    public var service: String?
    /// The service's name in the directory, when known.
    public var serviceName: String?

    public init(siret: String, name: String, service: String? = nil, serviceName: String? = nil) {
        self.siret = siret
        self.name = name
        self.service = service
        self.serviceName = serviceName
    }

    var jsonValue: JSONValue {
        var members: [String: JSONValue] = ["siret": .string(siret), "name": .string(name)]
        members["service"] = service.map(JSONValue.string)
        members["serviceName"] = serviceName.map(JSONValue.string)
        return .object(members)
    }
}

/// The amounts on a certificate, exactly as written in the invoice.
public struct CertificateAmounts: Codable, Sendable, Equatable {
    /// BT-109 total without VAT (after document allowances and charges).
    public var ht: String
    /// BT-110 total VAT.
    public var tva: String
    /// BT-112 total with VAT.
    public var ttc: String
    /// BT-115 amount due.
    public var due: String
    /// BT-5.
    public var currency: String

    public init(ht: String, tva: String, ttc: String, due: String, currency: String) {
        self.ht = ht
        self.tva = tva
        self.ttc = ttc
        self.due = due
        self.currency = currency
    }
}

extension RulePackStamp {
    /// The stamp as a JSON object (absent optionals left out), as its `Codable` encoding.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = ["id": .string(id.rawValue), "version": .string(version), "mode": .string(mode.rawValue)]
        members["artefact"] = artefact.map(JSONValue.string)
        members["sha256"] = sha256.map(JSONValue.string)
        return .object(members)
    }
}
