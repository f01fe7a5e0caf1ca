/// One slice of a workload's request-length distribution: the requests whose total length
/// (input + output tokens) lies in `(minTokens, maxTokens]`.
///
/// Bins are what the planner routes (a bin goes to pools whose window covers `maxTokens`)
/// and what the queueing model sizes (service time from the mean input and output).
public struct LengthBin: Sendable, Equatable, Hashable, Codable {
    /// Lower edge of the bin in total tokens, exclusive (a request of exactly `minTokens`
    /// belongs to the bin below). The first bin of a workload starts at 0.
    public var minTokens: Int
    /// Upper edge of the bin in total tokens, inclusive: no request in the bin is longer.
    public var maxTokens: Int
    /// Share of all requests that fall in this bin, in (0, 1].
    public var requestFraction: Double
    /// Mean prompt (input) tokens of the bin's requests.
    public var meanInputTokens: Double
    /// Mean generated (output) tokens of the bin's requests.
    public var meanOutputTokens: Double
    /// 99th-percentile prompt tokens of the bin's requests: what the prefill part of the
    /// TTFT SLO check uses. Exact for traces; an estimate for CDFs and inline bins (see the
    /// reader that made the bin).
    public var p99InputTokens: Double

    public init(
        minTokens: Int,
        maxTokens: Int,
        requestFraction: Double,
        meanInputTokens: Double,
        meanOutputTokens: Double,
        p99InputTokens: Double
    ) {
        self.minTokens = minTokens
        self.maxTokens = maxTokens
        self.requestFraction = requestFraction
        self.meanInputTokens = meanInputTokens
        self.meanOutputTokens = meanOutputTokens
        self.p99InputTokens = p99InputTokens
    }

    /// Mean total tokens (input + output) of the bin's requests.
    public var meanTotalTokens: Double { meanInputTokens + meanOutputTokens }
}
