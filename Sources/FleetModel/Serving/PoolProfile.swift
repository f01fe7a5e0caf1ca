/// The analytical serving profile of one candidate pool p = (model, GPU, TP t, window W): its
/// memory fit, concurrency cap, decode iteration time, prefill time and power (DESIGN.md §4).
///
/// Built by `ServingModel.profile`. All stored figures are SI (bytes, seconds, watts); all
/// methods are O(1) pure arithmetic with no allocation, so the planner can evaluate thousands of
/// (pool, length-bin) pairs cheaply.
public struct PoolProfile: Sendable, Hashable {
    /// What set n_max.
    public enum ConcurrencyLimit: String, Sendable, Hashable, Codable {
        /// The KV budget (window or paged reservation).
        case kvCache
        /// The engine's `maxNumSeqs`.
        case maxNumSeqs
        /// The TPOT SLO.
        case tpot
        /// Nothing runs: the weights, or one sequence of the window, do not fit.
        case memory
    }

    // MARK: Identity

    public let modelName: String
    public let gpuName: String
    /// GPUs per instance, t.
    public let tensorParallel: Int
    /// Context window W (the pool's context-length cutoff), tokens.
    public let windowTokens: Int
    public let preset: ServingConfiguration.Preset
    public let reservation: ServingConfiguration.Reservation
    /// Whether the model is Mixture-of-Experts (its figures are then upper bounds: dispatch /
    /// all-to-all overhead is not modelled).
    public let isMixtureOfExperts: Bool

    // MARK: Memory

    /// κ: KV bytes per token of context, whole model.
    public let kvBytesPerToken: Double
    /// κ_gpu: KV bytes per token held on each GPU (κ / min(t, n_kv); κ for MLA).
    public let kvBytesPerTokenPerGPU: Double
    /// Resident weights per GPU (total parameters · bytes / t), bytes.
    public let weightBytesPerGPU: Double
    /// HBM · utilisation − weights − runtime reserve, per GPU, bytes (negative when weights do not fit).
    public let kvBudgetBytesPerGPU: Double
    /// Whole tokens of KV one instance can hold (0 when the weights do not fit).
    public let kvCapacityTokensPerInstance: Double
    /// Whether the weights and at least one sequence of the full window (window reservation) or of
    /// the reference mean context (paged) fit in memory.
    public let fits: Bool
    /// Why not, in words, when `fits` is false.
    public let fitProblem: String?

    // MARK: Concurrency

    /// The mean context L̄ the profile's n_max was computed for (paged reservation and TPOT cap), tokens.
    public let referenceMeanContextTokens: Double
    /// n_max = min(n_kv, maxNumSeqs, n_tpot) at `referenceMeanContextTokens`.
    public let maxConcurrency: Int
    public let concurrencyLimit: ConcurrencyLimit
    /// The engine cap and SLO this profile was built with (to recompute n_max for another L̄).
    public let maxNumSeqs: Int?
    public let tpotSLOSeconds: Double?

    // MARK: Decode: τ(n, L̄) = max(W + n·(h0 + h1·L̄), n·c)

    /// W_it: time to stream the active weights once per iteration, plus per-layer overhead, seconds.
    public let weightStreamSeconds: Double
    /// h0: per-sequence overhead per iteration, seconds.
    public let perSequenceSeconds: Double
    /// h1: time per iteration to read one token of one sequence's context, seconds per token.
    public let perContextTokenSeconds: Double
    /// c: compute time per sequence per iteration, 2 · active params / (t · FLOP/s · η_f), seconds
    /// (0 in the paper preset, whose τ is calibrated).
    public let computeSecondsPerSequence: Double

    // MARK: Prefill

    /// Seconds of compute per input token for the parameter FLOPs: 2 · active / (t · FLOP/s · η_f).
    public let prefillSecondsPerInputToken: Double
    /// Seconds per squared input token for causal attention: L · heads · (d_qk + d_v) / (t · FLOP/s · η_f).
    public let prefillSecondsPerSquaredInputToken: Double

    // MARK: Power

    /// Per-GPU power curve P(n).
    public let power: PowerCurve

    /// A profile from explicit figures — for tests, and for profiles calibrated from measurements
    /// rather than derived by `ServingModel.profile` (which is the usual way to get one).
    public init(
        modelName: String, gpuName: String, tensorParallel: Int, windowTokens: Int,
        preset: ServingConfiguration.Preset = .physical, reservation: ServingConfiguration.Reservation = .window,
        isMixtureOfExperts: Bool = false,
        kvBytesPerToken: Double, kvBytesPerTokenPerGPU: Double, weightBytesPerGPU: Double,
        kvBudgetBytesPerGPU: Double, kvCapacityTokensPerInstance: Double, fits: Bool = true, fitProblem: String? = nil,
        referenceMeanContextTokens: Double, maxConcurrency: Int, concurrencyLimit: ConcurrencyLimit = .kvCache,
        maxNumSeqs: Int? = nil, tpotSLOSeconds: Double? = nil,
        weightStreamSeconds: Double, perSequenceSeconds: Double, perContextTokenSeconds: Double,
        computeSecondsPerSequence: Double, prefillSecondsPerInputToken: Double,
        prefillSecondsPerSquaredInputToken: Double, power: PowerCurve
    ) {
        self.modelName = modelName
        self.gpuName = gpuName
        self.tensorParallel = tensorParallel
        self.windowTokens = windowTokens
        self.preset = preset
        self.reservation = reservation
        self.isMixtureOfExperts = isMixtureOfExperts
        self.kvBytesPerToken = kvBytesPerToken
        self.kvBytesPerTokenPerGPU = kvBytesPerTokenPerGPU
        self.weightBytesPerGPU = weightBytesPerGPU
        self.kvBudgetBytesPerGPU = kvBudgetBytesPerGPU
        self.kvCapacityTokensPerInstance = kvCapacityTokensPerInstance
        self.fits = fits
        self.fitProblem = fitProblem
        self.referenceMeanContextTokens = referenceMeanContextTokens
        self.maxConcurrency = maxConcurrency
        self.concurrencyLimit = concurrencyLimit
        self.maxNumSeqs = maxNumSeqs
        self.tpotSLOSeconds = tpotSLOSeconds
        self.weightStreamSeconds = weightStreamSeconds
        self.perSequenceSeconds = perSequenceSeconds
        self.perContextTokenSeconds = perContextTokenSeconds
        self.computeSecondsPerSequence = computeSecondsPerSequence
        self.prefillSecondsPerInputToken = prefillSecondsPerInputToken
        self.prefillSecondsPerSquaredInputToken = prefillSecondsPerSquaredInputToken
        self.power = power
    }

    // MARK: - Decode

    /// H(L̄) = h0 + h1 · L̄: iteration time each sequence adds at mean context `meanContextTokens`, seconds.
    @inlinable
    public func kvSecondsPerSequence(meanContextTokens: Double) -> Double {
        perSequenceSeconds + perContextTokenSeconds * meanContextTokens
    }

    /// τ(n) = max(W + n · H(L̄), n · c): one decode iteration with `concurrency` sequences in flight
    /// attending `meanContextTokens` on average, seconds. The first term is memory traffic (weights
    /// once, then each sequence's KV); the second is the compute bound.
    @inlinable
    public func iterationSeconds(concurrency n: Double, meanContextTokens: Double) -> Double {
        let memory = weightStreamSeconds + n * kvSecondsPerSequence(meanContextTokens: meanContextTokens)
        return max(memory, n * computeSecondsPerSequence)
    }

    /// Decode output tokens per second of one instance, n / τ(n).
    @inlinable
    public func instanceTokensPerSecond(concurrency n: Double, meanContextTokens: Double) -> Double {
        guard n > 0 else { return 0 }
        return n / iterationSeconds(concurrency: n, meanContextTokens: meanContextTokens)
    }

    // MARK: - Prefill

    /// Prefill (time to first token's compute) for `inputTokens` tokens, seconds: the parameter and
    /// causal-attention FLOPs at η_f of the instance's tensor throughput, and never less than one
    /// pass over the weights. Chunking does not change the total.
    @inlinable
    public func prefillSeconds(inputTokens: Double) -> Double {
        let compute = prefillSecondsPerInputToken * inputTokens
            + prefillSecondsPerSquaredInputToken * inputTokens * inputTokens
        return max(compute, weightStreamSeconds)
    }

    /// Prefill throughput of the parameter FLOPs alone (short prompts), tokens per second.
    public var prefillTokensPerSecond: Double { 1 / prefillSecondsPerInputToken }

    // MARK: - Power and efficiency

    /// Per-GPU draw with `concurrency` sequences in flight, watts.
    @inlinable
    public func powerPerGPUWatts(concurrency n: Double) -> Double { power.watts(concurrency: n) }

    /// Draw of the whole instance (t GPUs), watts.
    @inlinable
    public func instancePowerWatts(concurrency n: Double) -> Double {
        Double(tensorParallel) * power.watts(concurrency: n)
    }

    /// Physical tokens per watt (= tokens per joule): n / (τ(n) · t · P(n)).
    @inlinable
    public func tokensPerWatt(concurrency n: Double, meanContextTokens: Double) -> Double {
        instanceTokensPerSecond(concurrency: n, meanContextTokens: meanContextTokens) / instancePowerWatts(concurrency: n)
    }

    /// The paper's convention: instance throughput ÷ ONE GPU's power, n / (τ(n) · P(n)) — t times
    /// the physical figure. Only for comparison with the paper; always show it labelled.
    @inlinable
    public func tokensPerWattPaper(concurrency n: Double, meanContextTokens: Double) -> Double {
        instanceTokensPerSecond(concurrency: n, meanContextTokens: meanContextTokens) / powerPerGPUWatts(concurrency: n)
    }

    // MARK: - Concurrency for another mean context

    /// n_max and what set it when the pool's mean context is `meanContextTokens` (paged reservation
    /// and the TPOT cap depend on it; window reservation does not). O(1).
    public func concurrencyLimit(meanContextTokens: Double) -> (maxConcurrency: Int, limit: ConcurrencyLimit) {
        Self.concurrency(
            capacityTokens: kvCapacityTokensPerInstance, window: Double(windowTokens), reservation: reservation,
            meanContextTokens: meanContextTokens, maxNumSeqs: maxNumSeqs, tpotSLOSeconds: tpotSLOSeconds,
            weightStreamSeconds: weightStreamSeconds,
            kvSecondsPerSequence: kvSecondsPerSequence(meanContextTokens: meanContextTokens),
            computeSecondsPerSequence: computeSecondsPerSequence
        )
    }

    /// n_max = min(n_kv, maxNumSeqs, n_tpot) (DESIGN.md §4), ties reported as the KV cap.
    static func concurrency(
        capacityTokens: Double, window: Double, reservation: ServingConfiguration.Reservation,
        meanContextTokens: Double, maxNumSeqs: Int?, tpotSLOSeconds: Double?,
        weightStreamSeconds: Double, kvSecondsPerSequence: Double, computeSecondsPerSequence: Double
    ) -> (maxConcurrency: Int, limit: ConcurrencyLimit) {
        let reservedTokens = reservation == .window ? window : max(1, min(meanContextTokens, window))
        let kvCap = Int((capacityTokens / reservedTokens).rounded(.down))
        guard kvCap >= 1 else { return (0, .memory) }
        var best = (maxConcurrency: kvCap, limit: ConcurrencyLimit.kvCache)
        if let maxNumSeqs, maxNumSeqs < best.maxConcurrency {
            best = (maxNumSeqs, .maxNumSeqs)
        }
        if let tpotSLOSeconds {
            // τ(n) ≤ TPOT ⇔ W + n·H ≤ TPOT and n·c ≤ TPOT.
            var tpotCap = kvSecondsPerSequence > 0 ? (tpotSLOSeconds - weightStreamSeconds) / kvSecondsPerSequence : .infinity
            if computeSecondsPerSequence > 0 { tpotCap = min(tpotCap, tpotSLOSeconds / computeSecondsPerSequence) }
            let whole = tpotCap.isFinite ? max(0, Int(min(tpotCap, 1e9).rounded(.down))) : Int.max
            if whole < best.maxConcurrency { best = (whole, .tpot) }
        }
        return best
    }
}
