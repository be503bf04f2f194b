// TEMPORARY: replaced by scripts/gen-france-rules.py output.
extension SchematronTable {
    static let brFrCIIRecords = ""
    static let brFrUBLRecords = ""
    static let extendedCTCFRCIIRecords = ""
    static let extendedCTCFRUBLRecords = ""
}
enum FranceMessages {
    static let facturXOverride: [String: String] = [:]
}
