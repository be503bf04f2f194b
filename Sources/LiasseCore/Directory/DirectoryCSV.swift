import Foundation
import LiasseRules

/// Reads the recipient directory from its CSV file (format in docs/DIRECTORY.md).
///
/// One line per structure (`type` = `structure`) and one per service (`type` = `service`),
/// comma-separated, RFC 4180 quoting, UTF-8, a header line first:
///
///     type,siret,code,name,active,requires
///     structure,21730412000017,,Commune de Saint-Aubin-des-Prés,oui,service
///     service,21730412000017,SERVICES-TECHNIQUES,Services techniques,oui,none
///
/// Every line is checked; one bad line refuses the whole file, with every error listed by
/// line number, so a directory is never half imported.
public enum DirectoryCSV {
    /// The header the file must start with.
    public static let header = ["type", "siret", "code", "name", "active", "requires"]

    /// Longest service code accepted (Chorus Pro allows 100 characters).
    public static let maxServiceCodeLength = 100

    /// One problem of a directory file.
    public struct LineError: Error, Sendable, Equatable, CustomStringConvertible {
        /// 1-based line number in the file.
        public var line: Int
        public var message: String

        public var description: String { "line \(line): \(message)" }
    }

    /// The directory file was refused: every problem found, in line order.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var errors: [LineError]

        public var description: String {
            "the directory file is refused (\(errors.count) error\(errors.count == 1 ? "" : "s"), nothing imported):\n"
                + errors.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    /// Parses and checks a whole directory file.
    public static func parse(_ text: String) throws(Refusal) -> RecipientDirectory {
        var errors: [LineError] = []
        let rows: [(line: Int, fields: [String])]
        do {
            rows = try records(text)
        } catch {
            throw Refusal(errors: [error])
        }
        guard let first = rows.first else {
            throw Refusal(errors: [LineError(line: 1, message: "the file is empty; it must start with the header \(header.joined(separator: ","))")])
        }
        let headerFields = first.fields.map { $0.trimmingSpaces.lowercased() }
        guard headerFields == header else {
            throw Refusal(errors: [LineError(line: first.line, message: "the header must be exactly \(header.joined(separator: ",")) (found \(first.fields.joined(separator: ",")))")])
        }

        var structures: [String: (line: Int, recipient: Recipient)] = [:]
        var order: [String] = []
        var services: [(line: Int, siret: String, service: RecipientService)] = []
        for (line, fields) in rows.dropFirst() {
            if fields.count == 1 && fields[0].trimmingSpaces.isEmpty { continue }
            guard fields.count == header.count else {
                errors.append(LineError(line: line, message: "expected \(header.count) fields (\(header.joined(separator: ","))), found \(fields.count)"))
                continue
            }
            let values = fields.map(\.trimmingSpaces)
            let (type, siret, code, name, activeText, requiresText) = (values[0].lowercased(), values[1], values[2], values[3], values[4], values[5])
            var lineErrors: [String] = []
            if let problem = SIRET.problem(siret) {
                lineErrors.append("SIRET \"\(siret)\" \(describe(problem))")
            }
            let active = boolean(activeText)
            if active == nil {
                lineErrors.append("active must be oui/non (or yes/no, true/false, 1/0), found \"\(activeText)\"")
            }
            if name.isEmpty { lineErrors.append("the name is empty") }
            switch type {
            case "structure":
                if !code.isEmpty { lineErrors.append("a structure line leaves `code` empty (services have their own lines)") }
                let requires = AddressingRequirement(rawValue: requiresText.lowercased())
                if requires == nil {
                    lineErrors.append("requires must be one of none, service, engagement, service+engagement, service|engagement; found \"\(requiresText)\"")
                }
                if let previous = structures[siret] {
                    lineErrors.append("structure \(siret) is already declared on line \(previous.line)")
                }
                if lineErrors.isEmpty, let active, let requires {
                    structures[siret] = (line, Recipient(siret: siret, name: name, active: active, requires: requires))
                    order.append(siret)
                }
            case "service":
                if code.isEmpty { lineErrors.append("a service line needs its service code in `code`") }
                if code.count > maxServiceCodeLength { lineErrors.append("the service code is longer than \(maxServiceCodeLength) characters") }
                let engagement: Bool?
                switch requiresText.lowercased() {
                case "none", "": engagement = false
                case "engagement": engagement = true
                default:
                    engagement = nil
                    lineErrors.append("a service's requires is none or engagement; found \"\(requiresText)\"")
                }
                if lineErrors.isEmpty, let active, let engagement {
                    services.append((line, siret, RecipientService(code: code, name: name, active: active, engagementRequired: engagement)))
                }
            default:
                lineErrors.append("type must be structure or service, found \"\(values[0])\"")
            }
            errors += lineErrors.map { LineError(line: line, message: $0) }
        }
        var seenCodes: [String: Int] = [:]
        for (line, siret, service) in services {
            guard structures[siret] != nil else {
                errors.append(LineError(line: line, message: "service \(service.code) belongs to structure \(siret), which no structure line declares"))
                continue
            }
            let key = siret + "\u{0}" + service.code
            if let previous = seenCodes[key] {
                errors.append(LineError(line: line, message: "service \(service.code) of \(siret) is already declared on line \(previous)"))
                continue
            }
            seenCodes[key] = line
            structures[siret]!.recipient.services.append(service)
        }
        if errors.isEmpty && structures.isEmpty {
            errors.append(LineError(line: first.line, message: "the file declares no structure"))
        }
        guard errors.isEmpty else {
            throw Refusal(errors: errors.sorted { $0.line < $1.line })
        }
        return RecipientDirectory(order.map { structures[$0]!.recipient })
    }

    /// Renders a directory back as a file `parse` reads.
    public static func render(_ directory: RecipientDirectory) -> String {
        var lines = [header.joined(separator: ",")]
        func yesNo(_ value: Bool) -> String { value ? "oui" : "non" }
        for recipient in directory.sorted {
            lines.append(["structure", recipient.siret, "", recipient.name, yesNo(recipient.active), recipient.requires.rawValue]
                .map(quote).joined(separator: ","))
            for service in recipient.services {
                lines.append(["service", recipient.siret, service.code, service.name, yesNo(service.active),
                              service.engagementRequired ? "engagement" : "none"].map(quote).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ problem: SIRET.Problem) -> String {
        switch problem {
        case .notFourteenDigits: return "is not 14 digits"
        case .sirenOnly: return "is a 9-digit SIREN; the directory needs the 14-digit SIRET of the establishment"
        case .sirenChecksum: return "has a wrong SIREN key (Luhn sum of the first 9 digits)"
        case .siretChecksum: return "has a wrong SIRET key (Luhn sum of the 14 digits)"
        case .laPosteChecksum: return "is a La Poste SIRET whose digit sum is not a multiple of 5"
        }
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "oui", "yes", "true", "1", "o", "y": return true
        case "non", "no", "false", "0", "n": return false
        default: return nil
        }
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Splits RFC 4180 text into records, each with the line it starts on.
    static func records(_ text: String) throws(LineError) -> [(line: Int, fields: [String])] {
        var result: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var quotedField = false
        var line = 1
        var recordLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        // A byte-order mark is tolerated at the start (spreadsheets write one).
        if let first = next(), first != "\u{FEFF}" { pending = first }
        while let scalar = next() {
            if inQuotes {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = following }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.trimmingSpaces.isEmpty && !quotedField else {
                    throw LineError(line: line, message: "a quote inside an unquoted field; quote the whole field and double inner quotes")
                }
                field = ""
                inQuotes = true
                quotedField = true
            case ",":
                fields.append(field)
                field = ""
                quotedField = false
            case "\r":
                continue
            case "\n":
                fields.append(field)
                result.append((recordLine, fields))
                fields = []
                field = ""
                quotedField = false
                line += 1
                recordLine = line
            default:
                if quotedField && scalar != " " && scalar != "\t" {
                    throw LineError(line: line, message: "text after a closing quote; quote the whole field")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { throw LineError(line: recordLine, message: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            result.append((recordLine, fields))
        }
        return result
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
