/// The caps applied while reading drops. Every one is enforced on the bytes actually read,
/// never on sizes announced by headers.
public struct LotLimits: Sendable, Equatable {
    /// Largest file accepted as a drop, compressed (Chorus Pro: 120 MB, `IRR_TAILLE_F`).
    public var maxDropBytes: Int
    /// Largest single entry, uncompressed.
    public var maxEntryBytes: Int
    /// Largest total of all entries of one lot, uncompressed.
    public var maxLotBytes: Int
    /// Most entries in one lot (directories included).
    public var maxEntries: Int
    /// Largest ratio of uncompressed bytes to compressed bytes read so far (zip and gzip bombs).
    public var maxCompressionRatio: Int

    public init(maxDropBytes: Int, maxEntryBytes: Int, maxLotBytes: Int, maxEntries: Int, maxCompressionRatio: Int) {
        self.maxDropBytes = maxDropBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxLotBytes = maxLotBytes
        self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio
    }

    /// The defaults: the portal's 120 MB per file, 50 MB per invoice, 1 GB per lot,
    /// 10,000 entries, a ratio of 200.
    public static let `default` = LotLimits(
        maxDropBytes: 120 * 1024 * 1024,
        maxEntryBytes: 50 * 1024 * 1024,
        maxLotBytes: 1024 * 1024 * 1024,
        maxEntries: 10_000,
        maxCompressionRatio: 200
    )
}
