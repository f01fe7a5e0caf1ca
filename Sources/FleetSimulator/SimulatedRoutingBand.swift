/// A band of total request lengths (minTokens, maxTokens] and the pools it goes to.
public struct SimulatedRoutingBand: Sendable, Equatable {
    public var minTokens: Int
    public var maxTokens: Int
    /// Share of all requests in the band (Poisson mode samples bands by it).
    public var requestFraction: Double
    /// Mean input tokens of the band's requests (Poisson mode matches it).
    public var meanInputTokens: Double
    /// Mean output tokens of the band's requests (Poisson mode matches it).
    public var meanOutputTokens: Double
    /// Where the band's requests go; fractions sum to 1.
    public var shares: [RouteShare]

    public init(minTokens: Int, maxTokens: Int, requestFraction: Double, meanInputTokens: Double,
                meanOutputTokens: Double, shares: [RouteShare]) {
        self.minTokens = minTokens
        self.maxTokens = maxTokens
        self.requestFraction = requestFraction
        self.meanInputTokens = meanInputTokens
        self.meanOutputTokens = meanOutputTokens
        self.shares = shares
    }
}

/// A pool's share of a band.
public struct RouteShare: Sendable, Equatable {
    public var poolID: String
    /// Fraction of the band's requests sent to the pool.
    public var fraction: Double
    /// True when the band is longer than the pool's window: the planner counted on the
    /// requests being compressed (input trimmed) to fit. The simulator trims any request
    /// longer than its pool's window either way.
    public var compressed: Bool

    public init(poolID: String, fraction: Double, compressed: Bool = false) {
        self.poolID = poolID
        self.fraction = fraction
        self.compressed = compressed
    }
}
