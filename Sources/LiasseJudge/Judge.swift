import LiasseIntake
import LiasseInvoice
import LiasseRules

/// The verdict on one invoice file, XML or PDF: container, XML layers, attachments and
/// the inbox's profile policy, in that order.
public struct DocumentVerdict: Sendable {
    /// The XML layers' result, with the container and attachment findings merged in.
    public var result: ValidationResult
    /// What the reports call the file's syntax: `facturx` for a PDF, else the XML syntax.
    public var reportedSyntax: String?
    /// The Chorus Pro syntax code a deposit of this file carries, when it was read.
    public var syntaxCode: ChorusSyntaxCode?
    /// The Factur-X container facts, for a PDF that was one.
    public var container: FacturXContainer?

    /// The rule packs that judged the file (the `rulePacks` stamp of its outputs).
    public var rulePacks: [RulePackStamp] { result.rulePacks }

    /// A refusal before any rule: the file is not something Liasse judges.
    static func refused(_ finding: Finding, syntax: String? = nil) -> DocumentVerdict {
        DocumentVerdict(result: ValidationResult(syntax: nil, invoice: nil, findings: [finding]),
                        reportedSyntax: syntax, syntaxCode: nil, container: nil)
    }
}

/// Judges one invoice file before deposit: every check Liasse makes, in the order the
/// platform makes them. The daemon and `liasse validate` share it, so that both judge a file
/// the same way; the daemon hands it each entry through ``judge(entry:name:inLot:)``, the one
/// call between the daemon and the rules.
public struct Judge: Sendable {
    public var validator: Validator
    public var selection: RuleSelection
    public var facturXLimits: FacturXLimits
    /// Attachment caps; nil skips the attachment checks.
    public var attachmentLimits: AttachmentLimits?
    /// The Factur-X profiles accepted for deposit; nil accepts every profile.
    public var profilePolicy: FacturXProfilePolicy?

    public init(validator: Validator, selection: RuleSelection, facturXLimits: FacturXLimits? = nil,
                attachmentLimits: AttachmentLimits? = .chorusPro, profilePolicy: FacturXProfilePolicy? = .chorusPro) {
        self.validator = validator
        self.selection = selection
        self.facturXLimits = facturXLimits ?? FacturXLimits(maxEmbeddedXMLBytes: validator.limits.maxDocumentBytes)
        self.attachmentLimits = attachmentLimits
        self.profilePolicy = profilePolicy
    }

    /// Judges one entry, a dropped file or a member of a lot, by its name and bytes: an XML
    /// invoice, a Factur-X PDF, or a refusal of anything else (empty, nested archive, other
    /// type). It touches nothing, so entries are judged in parallel.
    public func judge(entry bytes: [UInt8], name: String, inLot: Bool) -> DocumentVerdict {
        if bytes.isEmpty { return .refused(JudgeFindings.empty) }
        switch DropKind(fileName: name) {
        case .xml:
            return check(xml: bytes, name: name)
        case .pdf:
            return check(pdf: bytes, name: name, inLot: inLot)
        case .zip, .tarGz:
            return .refused(JudgeFindings.nestedArchive)
        case .unsupported(let ext):
            return .refused(JudgeFindings.unsupportedType(ext, inLot: inLot))
        }
    }

    /// Checks an XML invoice (UBL or CII), mixed (with an embedded PDF image) or not.
    public func check(xml bytes: [UInt8], name: String) -> DocumentVerdict {
        var result = validator.validate(xml: bytes, name: name, selection: selection)
        var mixed = false
        if let invoice = result.invoice {
            let attachments = checkAttachments(of: invoice)
            mixed = attachments.mixed
            result.findings += attachments.findings
            result.findings += policyFindings(for: invoice)
        }
        return DocumentVerdict(result: result, reportedSyntax: result.syntax?.rawValue,
                               syntaxCode: result.syntax.map { ChorusSyntaxCode(syntax: $0, inFacturX: false, mixed: mixed) },
                               container: nil)
    }

    /// Checks a PDF: it must be a Factur-X, whose container and XML are then both judged.
    public func check(pdf bytes: [UInt8], name: String, inLot: Bool) -> DocumentVerdict {
        let container: FacturXContainer
        switch FacturXReader.read(bytes, limits: facturXLimits) {
        case .refused(let findings):
            return DocumentVerdict(result: ValidationResult(syntax: nil, invoice: nil, findings: findings),
                                   reportedSyntax: "facturx", syntaxCode: nil, container: nil)
        case .plainPDF:
            return .refused(JudgeFindings.plainPDF(inLot: inLot))
        case .facturX(let read):
            container = read
        }
        var findings = container.findings
        let xml = validator.validate(xml: container.xml, name: name + "/" + container.embeddedName,
                                     selection: selection, facturX: true)
        if let syntax = xml.syntax, syntax != .cii {
            findings.append(Finding(
                rule: "LIASSE-FX-12", severity: .fatal, code: .syntax,
                message: "Le XML embarqué « \(container.embeddedName) » est une facture UBL ; un Factur-X porte une facture CII (UN/CEFACT CrossIndustryInvoice). Déposez le XML UBL seul, ou générez un Factur-X CII.",
                messageEn: "The embedded XML '\(container.embeddedName)' is a UBL invoice; a Factur-X carries a CII invoice (UN/CEFACT CrossIndustryInvoice). Send the UBL XML on its own, or generate a CII Factur-X."))
        }
        let level = xml.invoice.flatMap { FacturXLevel(InvoiceProfile(specificationIdentifier: $0.specification?.value)) }
        findings += container.profileFindings(level: level)
        findings += xml.findings
        if let invoice = xml.invoice {
            findings += policyFindings(for: invoice)
        }
        var result = ValidationResult(syntax: xml.syntax, invoice: xml.invoice, findings: findings)
        result.rulePacks = xml.rulePacks
        return DocumentVerdict(result: result, reportedSyntax: "facturx",
                               syntaxCode: xml.syntax == .cii ? .facturX : nil, container: container)
    }

    private func policyFindings(for invoice: Invoice) -> [Finding] {
        guard let profilePolicy, let profile = FacturXProfile(of: invoice) else { return [] }
        return profilePolicy.findings(for: profile)
    }

    private func checkAttachments(of invoice: Invoice) -> (mixed: Bool, findings: [Finding]) {
        var mixed = false
        var findings: [Finding] = []
        for (index, document) in invoice.supportingDocuments.enumerated() {
            guard let attachment = document.attachment else { continue }
            let label = document.reference?.value ?? "#\(index + 1)"
            let check = AttachmentChecks.check(base64: attachment.raw, fileName: document.fileName, label: label,
                                               limits: attachmentLimits ?? .chorusPro)
            mixed = mixed || check.isPDF || document.mimeCode == "application/pdf"
            if attachmentLimits != nil {
                findings += check.findings.map { finding in
                    var converted = finding
                    converted.bt = "BT-125"
                    converted.line = attachment.location.line
                    return converted
                }
            }
        }
        return (mixed, findings)
    }
}

extension FacturXLevel {
    /// The Factur-X level of a BT-24 profile, nil for profiles outside Factur-X.
    init?(_ profile: InvoiceProfile) {
        if let facturX = FacturXProfile(profile) {
            self.init(rawValue: facturX.rawValue)
        } else if case .xrechnung = profile {
            self = .xrechnung
        } else {
            return nil
        }
    }
}
