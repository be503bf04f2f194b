/// The caps and policies applied while reading a Factur-X PDF. Every size is enforced on
/// bytes actually produced, never on sizes a PDF announces.
public struct FacturXLimits: Sendable, Equatable {
    /// Largest invoice XML once inflated (the rest is refused as a bomb).
    public var maxEmbeddedXMLBytes: Int
    /// Largest XMP metadata packet once inflated.
    public var maxMetadataBytes: Int
    /// Most name-tree nodes and `/AF` entries walked.
    public var maxNameTreeNodes: Int
    /// Deepest `/Kids` level followed.
    public var maxNameTreeDepth: Int

    public init(maxEmbeddedXMLBytes: Int, maxMetadataBytes: Int = 4 * 1024 * 1024,
                maxNameTreeNodes: Int = 10_000, maxNameTreeDepth: Int = 32) {
        self.maxEmbeddedXMLBytes = maxEmbeddedXMLBytes
        self.maxMetadataBytes = maxMetadataBytes
        self.maxNameTreeNodes = maxNameTreeNodes
        self.maxNameTreeDepth = maxNameTreeDepth
    }

    /// 50 MB of XML (the XML layer's own default cap), 4 MB of XMP, 10,000 tree nodes, 32 levels.
    public static let `default` = FacturXLimits(maxEmbeddedXMLBytes: 50 * 1024 * 1024)
}
