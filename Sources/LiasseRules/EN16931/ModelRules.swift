import LiasseInvoice
import LiasseXML

/// BR-01…BR-65, BR-CO-*, BR-DEC-* and the VAT-category families of CEN release 1.3.16, over
/// the model.
///
/// Each rule is written once per binding, as the official UBL and CII schematrons state it:
/// where the two bindings differ (contexts, tolerances, which elements count), each syntax
/// gets its own test, so that the findings are exactly the official ones. The differences
/// are listed in docs/rules/DEVIATIONS.md.
enum ModelRules {
    static func check(_ context: RuleContext, into findings: inout [Finding]) {
        var report = ModelReport()
        let invoice = context.invoice
        if invoice.syntax == .cii {
            CIIModelRules(invoice: invoice).check(&report)
        } else {
            UBLModelRules(invoice: invoice).check(&report)
        }
        findings += report.findings
    }
}

/// Collects the findings of the model rules, with the catalogue's messages.
struct ModelReport {
    var findings: [Finding] = []

    /// Records that rule `id` failed at `location`. `severity` overrides the catalogue's for
    /// the few rules whose two bindings disagree on it (BR-51).
    mutating func fire(_ id: String, _ location: SourceLocation?, severity: Severity? = nil) {
        guard let definition = ModelCatalogue.rules[id] else {
            findings.append(Finding.internalError("en16931", ModelCatalogueError.missing(id)))
            return
        }
        var finding = definition.finding(at: location)
        if let severity { finding.severity = severity }
        findings.append(finding)
    }

    /// Fires rule `id` when `holds` is false.
    mutating func require(_ holds: Bool, _ id: String, _ location: SourceLocation?, severity: Severity? = nil) {
        if !holds { fire(id, location, severity: severity) }
    }
}

enum ModelCatalogueError: Error, CustomStringConvertible {
    case missing(String)

    var description: String {
        switch self {
        case .missing(let id): return "rule \(id) has no catalogue entry"
        }
    }
}

/// Small predicates the rules of both bindings share. They run on every invoice: each has a
/// fast path for the usual text without spaces, so that no string is built.
extension Optional where Wrapped == Text {
    /// XPath `normalize-space(x)`: the normalised text, empty when absent.
    var normalized: String {
        guard let raw = self?.raw else { return "" }
        return raw.utf8.contains(where: isXMLSpace) ? raw.normalizedSpace : raw
    }
    /// `normalize-space(x) = ''`.
    var isBlank: Bool {
        guard let raw = self?.raw else { return true }
        return raw.utf8.allSatisfy(isXMLSpace)
    }
    /// The raw text (an untyped comparison in XPath compares it as written).
    var raw: String? { self?.raw }
}

/// The rule prefix of a VAT category family, by category code (`K` is `BR-IC`).
func vatFamilyPrefix(_ code: String) -> String {
    ModelCatalogue.vatFamilyCodes.first { $0.code == code }?.prefix ?? "BR-" + code
}

extension Text {
    /// `normalize-space(upper-case(x)) = 'VAT'` (UBL tax schemes, CII BR-CO-17).
    var isVATNormalized: Bool { raw == "VAT" || raw.uppercased().normalizedSpace == "VAT" }
    /// `upper-case(x) = 'VAT'` without trimming (most CII contexts).
    var isVATExact: Bool { raw == "VAT" || (raw.utf8.count == 3 && raw.uppercased() == "VAT") }
}

extension Amount {
    /// The cast of the text to `xs:double`, as an untyped comparison (`x > 0`) does.
    var double: Double? { XPathMath.double(text.raw) }
}

/// `xs:boolean` of a charge indicator (`true`/`1`, `false`/`0`), nil when absent or invalid.
extension AllowanceCharge {
    var indicatorValue: Bool? {
        switch indicator?.value {
        case "true", "1": return true
        case "false", "0": return false
        default: return nil
        }
    }
}
