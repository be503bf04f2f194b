/// What a dropped file or a lot entry is, judged by its name's extension (content must
/// then agree: a `.zip` that is not a zip is refused, never guessed).
public enum DropKind: Sendable, Equatable {
    case zip
    case tarGz
    case xml
    case pdf
    /// An extension Liasse does not take (`IRR_TYPE_F`).
    case unsupported(String)

    /// Classifies `name` by its extension, case-insensitively.
    public init(fileName name: String) {
        let lower = name.lowercased()
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
            self = .tarGz
        } else if lower.hasSuffix(".zip") {
            self = .zip
        } else if lower.hasSuffix(".xml") {
            self = .xml
        } else if lower.hasSuffix(".pdf") {
            self = .pdf
        } else {
            let base = lower.split(separator: "/").last.map(String.init) ?? lower
            if let dot = base.lastIndex(of: "."), dot != base.startIndex {
                self = .unsupported(String(base[dot...]))
            } else {
                self = .unsupported("")
            }
        }
    }

    /// Whether this kind is an archive (a lot).
    public var isLot: Bool { self == .zip || self == .tarGz }
}
