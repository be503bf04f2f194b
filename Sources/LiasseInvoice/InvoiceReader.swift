public import LiasseXML

/// Reads any supported invoice document into the EN 16931 model.
public enum InvoiceReader {
    /// What reading a document gave: an invoice, or why the document is not one Liasse reads.
    public enum Outcome: Sendable {
        case invoice(Invoice)
        case unsupportedVersion(String)
        case notAnInvoice(OtherDocument)
    }

    /// Detects the document's kind and binds it to the model.
    public static func read(_ document: XMLDocument) -> Outcome {
        guard let root = document.root else { return .notAnInvoice(.noRoot) }
        switch DocumentKind.detect(root) {
        case .invoice(let syntax):
            let invoice = syntax == .cii ? CIIReader.read(root) : UBLReader.read(root, syntax: syntax)
            if case .zugferd2(let value) = invoice.profile {
                return .unsupportedVersion("ZUGFeRD 2.0 (\(value)); send Factur-X 1.0 or later")
            }
            return .invoice(invoice)
        case .unsupportedVersion(let what):
            return .unsupportedVersion(what)
        case .notAnInvoice(let what):
            return .notAnInvoice(what)
        }
    }
}
