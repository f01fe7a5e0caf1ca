/// How long one iteration of an instance takes. The engine asks once per iteration; the
/// physical clock is the serving model, and tests swap in others (an exponentially
/// distributed iteration turns single-token requests into exponential service, giving an
/// exact M/M/c check of the same event engine).
public protocol IterationClock {
    /// Seconds of the next iteration of an instance of pool `pool` that decodes
    /// `decodingSequences` sequences whose contexts sum to `contextTokens`, and prefills
    /// `prefillTokens` tokens of other sequences. Must be > 0.
    mutating func iterationSeconds(pool: Int, decodingSequences: Int, contextTokens: Int, prefillTokens: Int) -> Double
}

/// The serving model: τ = max(W + Σ(h0 + h1·context), n·compute) + prefill / prefill rate
/// (chunked prefill shares the iteration with decode and lengthens it).
public struct PhysicalIterationClock: IterationClock, Sendable {
    private let costs: [IterationCost]
    private let prefillSecondsPerToken: [Double]

    public init(fleet: SimulatedFleet) {
        costs = fleet.pools.map(\.iteration)
        prefillSecondsPerToken = fleet.pools.map { 1 / $0.prefillTokensPerSecond }
    }

    public func iterationSeconds(pool: Int, decodingSequences: Int, contextTokens: Int, prefillTokens: Int) -> Double {
        costs[pool].decodeSeconds(sequences: decodingSequences, contextTokens: contextTokens)
            + Double(prefillTokens) * prefillSecondsPerToken[pool]
    }
}
