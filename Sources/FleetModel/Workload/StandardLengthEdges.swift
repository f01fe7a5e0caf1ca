/// The bin edges (total tokens) the published CDF files use, so a trace and a CDF of the
/// same service produce comparable bins: powers of two up to 512, then alternately ×1.5 and
/// ×4/3 (every 2^k and 1.5·2^k).
public enum StandardLengthEdges {
    /// 64 … 131,072 tokens, the edges of ../shared/data/cdfs.
    public static let edges: [Int] = [
        64, 128, 256, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192,
        12288, 16384, 24576, 32768, 49152, 65536, 98304, 131072,
    ]

    /// The standard edges, continued in the same 2^k, 1.5·2^k pattern until the last edge
    /// is at least `maximumTokens`.
    public static func edges(covering maximumTokens: Int) -> [Int] {
        var result = edges
        while let last = result.last, last < maximumTokens {
            result.append(nextEdge(after: last))
        }
        return result
    }

    /// The edge after `edge` in the pattern: 2^k → 1.5·2^k → 2^(k+1).
    static func nextEdge(after edge: Int) -> Int {
        // A power of two is followed by 1.5× it; 1.5·2^k by 2^(k+1) (= ×4/3).
        edge & (edge - 1) == 0 ? edge + edge / 2 : edge / 3 * 4
    }
}
