/// What one iteration of an instance computes.
public struct IterationWork: Sendable, Equatable {
    /// Sequences generating a token this iteration.
    public var decodingSequences: Int
    /// Σ of their current contexts (input + tokens generated so far), tokens.
    public var decodingContextTokens: Int
    /// Prompt tokens prefilled this iteration (at most one chunk), across sequences.
    public var prefillTokens: Int
    /// Σ over the prompt pieces [a, b) prefilled this iteration of b² − a² (token²): the
    /// attention part of prefill, which grows with the context already prefilled. Over a
    /// whole prompt of L tokens the pieces add up to L².
    public var prefillSquaredTokens: Double

    public init(decodingSequences: Int, decodingContextTokens: Int, prefillTokens: Int, prefillSquaredTokens: Double) {
        self.decodingSequences = decodingSequences
        self.decodingContextTokens = decodingContextTokens
        self.prefillTokens = prefillTokens
        self.prefillSquaredTokens = prefillSquaredTokens
    }
}

/// How long one iteration of an instance takes. The engine asks once per iteration; the
/// physical clock is the serving model, and tests swap in others (an exponentially
/// distributed iteration turns single-token requests into exponential service, giving an
/// exact M/M/c check of the same event engine).
public protocol IterationClock {
    /// Seconds of the next iteration of an instance of pool `pool` doing `work`. Must be > 0.
    mutating func iterationSeconds(pool: Int, work: IterationWork) -> Double
}

/// The serving model: τ = max(W + Σ(h0 + h1·context), n·compute) + prefill tokens / prefill
/// rate + prefillSecondsPerSquaredInputToken · Σ(b² − a²) — chunked prefill shares the
/// iteration with decode and lengthens it; over a whole prompt of L tokens the prefill parts
/// add up to L/rate + c·L², the planner's prefill time. A prefill rate of 0 means prefill
/// is not modelled (takes no time).
public struct PhysicalIterationClock: IterationClock, Sendable {
    private let costs: [IterationCost]
    private let prefillSecondsPerToken: [Double]
    private let prefillSecondsPerSquaredToken: [Double]

    public init(fleet: SimulatedFleet) {
        costs = fleet.pools.map(\.iteration)
        prefillSecondsPerToken = fleet.pools.map { $0.prefillTokensPerSecond > 0 ? 1 / $0.prefillTokensPerSecond : 0 }
        prefillSecondsPerSquaredToken = fleet.pools.map(\.prefillSecondsPerSquaredInputToken)
    }

    public func iterationSeconds(pool: Int, work: IterationWork) -> Double {
        costs[pool].decodeSeconds(sequences: work.decodingSequences, contextTokens: work.decodingContextTokens)
            + Double(work.prefillTokens) * prefillSecondsPerToken[pool]
            + work.prefillSquaredTokens * prefillSecondsPerSquaredToken[pool]
    }
}
