import Crypto
import Foundation

/// Imports a directory file into the ledger, whole or not at all.
public enum DirectoryImporter {
    /// What an import did.
    public enum Outcome: Sendable, Equatable {
        /// The file was read, checked and imported.
        case imported(DirectoryImport)
        /// The ledger already holds this very file's content.
        case unchanged(DirectoryImport)
    }

    /// Why a directory file could not be imported.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case refused(path: String, DirectoryCSV.Refusal)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "cannot read the directory file \(path): \(reason)"
            case .refused(let path, let refusal): return "\(path): \(refusal)"
            }
        }
    }

    /// Reads, checks and imports the file at `path`, replacing the ledger's directory.
    /// With `onlyIfChanged`, a file whose content was the last one imported is left alone.
    @discardableResult
    public static func importFile(path: String, into ledger: any Ledger, onlyIfChanged: Bool = false,
                                  now: Date = Date()) throws -> Outcome {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Failure.unreadable(path: path, reason: error.localizedDescription)
        }
        let sha256 = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        if onlyIfChanged, let last = try ledger.lastDirectoryImport(), last.sha256 == sha256 {
            return .unchanged(last)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure.refused(path: path, DirectoryCSV.Refusal(errors: [
                DirectoryCSV.LineError(line: 1, message: "the file is not UTF-8 text; save it as CSV UTF-8")]))
        }
        let directory: RecipientDirectory
        do {
            directory = try DirectoryCSV.parse(text)
        } catch {
            throw Failure.refused(path: path, error)
        }
        try ledger.importDirectory(directory, source: path, sha256: sha256, at: now)
        guard let recorded = try ledger.lastDirectoryImport() else { throw CoreError.ledger("the directory import was not recorded") }
        return .imported(recorded)
    }

    /// The daemon's start-up import: the configured file, when its content changed.
    public static func importIfChanged(path: String, into ledger: any Ledger, now: Date = Date()) throws -> Outcome {
        try importFile(path: path, into: ledger, onlyIfChanged: true, now: now)
    }
}
