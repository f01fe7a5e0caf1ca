import FleetModel

/// The decode-iteration time of an instance with n sequences of contexts c_i:
/// τ = max(W + Σ_i (h0 + h1·c_i), n·compute) — weights streamed once per iteration, KV
/// read per sequence, or the compute bound when that is slower.
public struct IterationCost: Sendable, Equatable {
    /// W: fixed part of an iteration (weight streaming), seconds.
    public var weightStreamSeconds: Double
    /// h0: per sequence in the batch, seconds.
    public var perSequenceSeconds: Double
    /// h1: per sequence per token of its current context, seconds.
    public var perContextTokenSeconds: Double
    /// Compute bound per sequence, seconds (τ ≥ n × this).
    public var computeSecondsPerSequence: Double

    public init(weightStreamSeconds: Double, perSequenceSeconds: Double = 0, perContextTokenSeconds: Double = 0,
                computeSecondsPerSequence: Double = 0) {
        self.weightStreamSeconds = weightStreamSeconds
        self.perSequenceSeconds = perSequenceSeconds
        self.perContextTokenSeconds = perContextTokenSeconds
        self.computeSecondsPerSequence = computeSecondsPerSequence
    }

    /// Seconds of one decode iteration over `sequences` sequences whose contexts sum to
    /// `contextTokens`. O(1): the simulator keeps the context sum incrementally.
    @inlinable
    public func decodeSeconds(sequences: Int, contextTokens: Int) -> Double {
        let n = Double(sequences)
        let memoryBound = weightStreamSeconds + n * perSequenceSeconds + Double(contextTokens) * perContextTokenSeconds
        return max(memoryBound, n * computeSecondsPerSequence)
    }

    func validate(_ error: (String, String, String) -> InputError) throws {
        guard weightStreamSeconds.isFinite, weightStreamSeconds > 0 else {
            throw error("weightStreamSeconds", "W = \(weightStreamSeconds) s is not positive", "give the fixed per-iteration time (> 0)")
        }
        for (name, value) in [("perSequenceSeconds", perSequenceSeconds), ("perContextTokenSeconds", perContextTokenSeconds),
                              ("computeSecondsPerSequence", computeSecondsPerSequence)] {
            guard value.isFinite, value >= 0 else { throw error(name, "\(value) is negative", "give a time ≥ 0") }
        }
    }
}
