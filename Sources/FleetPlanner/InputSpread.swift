/// The spread of prompt lengths inside one length bin, modelled as uniform on [low, high].
///
/// Bins carry only a mean and a P99 of their inputs; a uniform spread is the simplest shape that
/// reproduces both (for a CDF bin, whose total tokens are uniform within the bin and whose input
/// is a fixed share of the total, it is exact). It answers the questions the TTFT SLO asks: what
/// share of a bin's prompts exceed a prefill limit, and the mean prompt after trimming.
struct InputSpread: Sendable, Hashable {
    let low: Double
    let high: Double

    /// From a bin's mean and P99 input: mean = (low + high)/2, P99 = low + 0.99·(high − low).
    init(meanInputTokens mean: Double, p99InputTokens p99: Double) {
        let width = max(0, (p99 - mean) / 0.49)
        let low = max(0, mean - width / 2)
        self.low = low
        self.high = max(low, mean + width / 2)
    }

    /// Share of the bin's prompts longer than `tokens`.
    func fractionAbove(_ tokens: Double) -> Double {
        if tokens >= high { return 0 }
        if tokens < low { return 1 }
        return high > low ? (high - tokens) / (high - low) : 0
    }

    /// Mean of min(prompt, cap): the mean prompt after trimming every prompt to `cap` tokens.
    func meanClipped(at cap: Double) -> Double {
        if cap >= high { return (low + high) / 2 }
        if cap <= low { return max(0, cap) }
        let width = high - low
        return ((cap * cap - low * low) / 2 + cap * (high - cap)) / width
    }

    /// The prompt length below which `quantile` of the bin's prompts fall.
    func quantile(_ quantile: Double) -> Double { low + quantile * (high - low) }

    /// The bin's prompts as 8 equally likely lengths (the midpoints of its octiles), each trimmed to
    /// `cap` tokens: what the prefill moments and the P99 TTFT are taken over.
    func samplePrompts(trimmedTo cap: Double) -> [Double] {
        (0..<8).map { min(quantile((Double($0) + 0.5) / 8), cap) }
    }
}
