/// Where a catalog figure comes from. Every number in the catalog carries one, so a reader can
/// tell a datasheet value from a fit to measurements from an extrapolation (DESIGN.md §2).
public struct Provenance: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Read off hardware, a datasheet, a model's config file or a price list.
        case measured
        /// Fitted so that the model reproduces measurements or a published table.
        case calibrated
        /// Extrapolated (scaled from another GPU, a vendor projection, an illustrative default).
        case projected
    }

    public var kind: Kind
    /// A citation a reader can follow: document, table, file.
    public var source: String

    public init(_ kind: Kind, source: String) {
        self.kind = kind
        self.source = source
    }

    public var description: String { "\(kind.rawValue): \(source)" }
}
