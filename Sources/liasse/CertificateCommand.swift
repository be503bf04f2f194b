import ArgumentParser
import Foundation
import LiasseCore

extension Liasse {
    /// `liasse certificate`: checking and re-issuing certificates.
    struct CertificateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "certificate",
            abstract: "Verify certificates, export them again from the ledger, and show the public key that signs them.",
            subcommands: [Verify.self, Export.self, PublicKey.self])
    }
}

extension Liasse.CertificateCommand {
    /// `liasse certificate verify FILE...`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check certificate files: number, signature, bytes, and the chain between them.",
            discussion: """
                For each file: its certificate number must be the SHA-256 of its content, its Ed25519 \
                signature must verify, and its bytes must be those Liasse wrote (any changed byte shows). \
                With --public-key, the signature must also come from that key (without it, the key written \
                in the file is used, which proves integrity but not who signed). A folder is searched for \
                *.certificate.json files. With --chain, the certificates must form one unbroken chain from \
                #1, and each break is named (a removed certificate shows as a gap). With --ledger, every \
                certificate of the ledger is checked, its chain too, and each file is compared with the \
                ledger's copy. Exit status 0 when everything is valid, 1 otherwise, 2 on unreadable input.
                """)

        @Option(name: .long, help: "The trusted public key: base64, or a file holding it (see `liasse certificate public-key`).")
        var publicKey: String?

        @Flag(name: .long, help: "Require the files to form one unbroken chain from certificate #1.")
        var chain = false

        @Flag(name: .long, help: "Also check the ledger's certificates and chain, and compare the files with it.")
        var ledger = false

        @OptionGroup var location: LedgerOptions

        @Argument(help: "Certificate files (.certificate.json) or folders holding them.")
        var paths: [String] = []

        func validate() throws {
            if paths.isEmpty && !ledger { throw ValidationError("give certificate files, or --ledger") }
        }

        func run() throws {
            var trusted = try publicKey.map(Self.readKey)
            var opened: SQLiteLedger?
            if ledger {
                opened = try location.open()
                if trusted == nil, let key = try? CertificateSigner.publicKey(at: location.signingKeyPath()) { trusted = key }
            }
            var allValid = true
            var unreadable = false
            var links: [CertificateChain.Link] = []
            for file in try Self.expand(paths) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("liasse: cannot read \(file)\n".utf8))
                    unreadable = true
                    continue
                }
                var report = CertificateVerifier.verify([UInt8](data), trustedPublicKey: trusted)
                if let opened, let fingerprint = report.fingerprint, let content = report.content {
                    if let stored = try opened.certificate(fingerprint: fingerprint) {
                        let differences = CertificateVerifier.differences(content, try stored.jsonValue())
                        if !differences.isEmpty { report.problems.append(.differsFromLedger(differences)) }
                    } else {
                        report.problems.append(.unknownToLedger)
                    }
                }
                allValid = allValid && report.isValid
                print(Self.describe(file, report))
                if let sequence = report.sequence, let fingerprint = report.fingerprint {
                    links.append(.init(sequence: sequence, fingerprint: fingerprint, previousFingerprint: report.previousFingerprint))
                }
            }
            if chain && !links.isEmpty {
                let breaks = CertificateChain.check(links, fromStart: true)
                allValid = allValid && breaks.isEmpty
                print(Self.describeChain("files", count: Set(links.map(\.fingerprint)).count, breaks))
            }
            if let opened {
                var ledgerLinks: [CertificateChain.Link] = []
                var bad = 0
                for json in try opened.certificateFiles() {
                    let report = CertificateVerifier.verify(Array(json.utf8), trustedPublicKey: trusted)
                    if !report.isValid {
                        bad += 1
                        print(Self.describe("ledger certificate #\(report.sequence.map(String.init) ?? "?")", report))
                    }
                    if let sequence = report.sequence, let fingerprint = report.fingerprint {
                        ledgerLinks.append(.init(sequence: sequence, fingerprint: fingerprint, previousFingerprint: report.previousFingerprint))
                    }
                }
                let breaks = CertificateChain.check(ledgerLinks, fromStart: true)
                allValid = allValid && bad == 0 && breaks.isEmpty
                print(Self.describeChain("ledger", count: ledgerLinks.count, breaks)
                      + (bad == 0 ? "" : " \(bad) ledger certificate(s) do not verify."))
            }
            if trusted == nil {
                print("Note: signatures were checked against the key written in each file; pass --public-key to check who signed them.")
            }
            if unreadable { throw ExitCode(2) }
            if !allValid { throw ExitCode(1) }
        }

        static func describe(_ name: String, _ report: CertificateVerifier.Report) -> String {
            let what = [report.fingerprint.map { "certificate \($0)" }, report.sequence.map { "#\($0)" },
                        report.invoiceNumber.map { "invoice \($0)" }].compactMap { $0 }.joined(separator: ", ")
            if report.isValid { return "\(name): valid (\(what))" }
            return "\(name): INVALID\(what.isEmpty ? "" : " (\(what))")\n" + report.problems.map { "  - \($0)" }.joined(separator: "\n")
        }

        static func describeChain(_ what: String, count: Int, _ breaks: [CertificateChain.Break]) -> String {
            if breaks.isEmpty { return "Chain (\(what)): \(count) certificate(s), unbroken from #1." }
            return "Chain (\(what)): BROKEN\n" + breaks.map { "  - \($0)" }.joined(separator: "\n")
        }

        static func readKey(_ text: String) throws -> String {
            if let data = FileManager.default.contents(atPath: text) {
                return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let raw = Data(base64Encoded: text), raw.count == 32 else {
                throw ValidationError("--public-key must be a base64 Ed25519 public key (44 characters) or a file holding one")
            }
            return text
        }

        /// Files as given, and the certificate files under folders, sorted.
        static func expand(_ paths: [String]) throws -> [String] {
            var files: [String] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String }
                        .filter { $0.hasSuffix(".certificate.json") }.map { path + "/" + $0 } ?? []
                    files += found.sorted()
                } else {
                    files.append(path)
                }
            }
            return files
        }
    }

    /// `liasse certificate export NUMBER`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a certificate again from the ledger: its JSON and its PDF.",
            discussion: "The JSON is byte for byte the one the service wrote at deposit. So is the PDF when the same version of Liasse wrote it: a later version may draw the same content with other bytes.")

        @OptionGroup var location: LedgerOptions

        @Option(name: .shortAndLong, help: "The folder to write into (default: the current folder).")
        var output: String = "."

        @Argument(help: "The certificate number (44 characters).")
        var number: String

        func run() throws {
            guard let certificate = try location.open().certificate(fingerprint: number) else {
                FileHandle.standardError.write(Data("liasse: the ledger holds no certificate \(number)\n".utf8))
                throw ExitCode(1)
            }
            let safe = certificate.body.invoiceNumber.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": return String(scalar)
                default: return "_"
                }
            }.joined()
            let base = URL(fileURLWithPath: output).appendingPathComponent("\(certificate.body.sequence)-\(safe)")
            let json = base.appendingPathExtension("certificate.json")
            let pdf = base.appendingPathExtension("certificate.pdf")
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            try certificate.fileBytes().write(to: json, options: .atomic)
            try CertificatePDF.render(certificate).write(to: pdf, options: .atomic)
            print(json.path)
            print(pdf.path)
        }
    }

    /// `liasse certificate public-key`.
    struct PublicKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key",
            abstract: "Print the public key (base64) that verifies this service's certificates.",
            discussion: "Publish it to whoever must check your certificates: liasse certificate verify FILE --public-key KEY.")

        @OptionGroup var location: LedgerOptions

        func run() throws {
            print(try CertificateSigner.publicKey(at: location.signingKeyPath()))
        }
    }
}
