import FleetModel

/// One way to serve a length bin: send it to a candidate pool, whole or compressed to the
/// pool's window. A route carries the linear coefficients of its flow variable r (requests/s).
public struct Route: Sendable, Hashable {
    /// Index into the candidates.
    public let pool: Int
    /// Index into the workload's bins.
    public let bin: Int
    /// Whether prompts are trimmed to fit the pool's window (Compress-and-Route).
    public let compressed: Bool
    /// Mean prompt tokens as served (after trimming), tokens.
    public let inputTokens: Double
    /// Mean output tokens, tokens.
    public let outputTokens: Double
    /// Mean prefill time, seconds.
    public let prefillSeconds: Double
    /// Slot-seconds one request holds at the design point: prefill + output · τ(n_op), seconds.
    public let slotSeconds: Double
    /// Instance time one request uses per τ_p of iteration budget: τ_p · (out · H(context) + prefill),
    /// seconds². Summed over a pool's requests per second it must stay within N · (τ_p − W):
    /// chunked prefill and every decoding sequence's KV reads share each iteration with the weights.
    public let iterationBudgetSeconds: Double
    /// E[P] and E[P²] of the prefill time over the bin's prompts, s and s²: the in-instance prefill
    /// queue's Pollaczek–Khinchine terms. Σ r·(E[P²]/2 + w·E[P]) ≤ w·N per pool ⇔ its mean prefill
    /// wait (λ/N)·E[P²] / (2(1 − Π)) ≤ w.
    public let prefillMeanSeconds: Double
    public let prefillSecondMoment: Double
    /// Compute time one request needs (prefill + out · per-sequence decode FLOPs), seconds.
    public let computeSeconds: Double
    /// Load-proportional energy one request costs (slot-seconds × the power secant's slope), joules of IT power.
    public let dynamicJoules: Double
    /// Share of the bin's requests whose prefill alone would break the pool's TTFT budget.
    public let tailShare: Double
    /// The spread of prompts as served, for exact post-solve percentiles.
    let spread: InputSpread
    let trimCap: Double

    /// The bin's prompts as served, 8 equally likely lengths (`InputSpread.samplePrompts`).
    var samplePrompts: [Double] { spread.samplePrompts(trimmedTo: trimCap) }
}

extension Route {
    /// Share of a pool's requests allowed past its TTFT budget: the SLO is a P99.
    static let tailAllowance = 0.01
    /// Share of the TTFT SLO left for a prompt's prefill and the iterations it spans; the rest absorbs queueing.
    static let prefillShareOfSLO = 0.85
    /// The mean prefill-queue wait a pool is planned for, as a share of the SLO's queueing
    /// allowance: with the queue's exponential tail P(W > x) = Π·e^(−Π·x / E[W]), a mean wait of
    /// 40% of the allowance, with the conservative P99 check after the solve, kept every simulated
    /// pool within its SLO on the Azure workload (calibrated with `fleetplan simulate`).
    static let meanPrefillWaitShareOfAllowance = 0.4

    /// The mean in-instance prefill wait pools are planned for, seconds.
    static func plannedMeanPrefillWait(_ problem: PlanningProblem) -> Double {
        problem.ttftP99Seconds * (1 - prefillShareOfSLO) * meanPrefillWaitShareOfAllowance
    }

    /// All routes of the problem: bin j → pool p directly when the window holds the whole bin,
    /// compressed when compression is on and the bin ends within `maxFactor` × the window.
    /// Complexity: O(candidates × bins).
    static func enumerate(candidates: [CandidatePool], problem: PlanningProblem) -> [Route] {
        var routes: [Route] = []
        for (p, pool) in candidates.enumerated() {
            let window = Double(pool.windowTokens)
            let longestPrompt = pool.longestPrefill(withinSeconds: problem.ttftP99Seconds * prefillShareOfSLO,
                                                    chunkTokens: problem.prefillChunkTokens)
            let wattsPerSlot = Double(pool.tensorParallel) * pool.powerSlopePerSequenceWatts
            for (j, bin) in problem.workload.bins.enumerated() {
                let direct = bin.maxTokens <= pool.windowTokens
                var compressed = false
                if !direct {
                    guard let compression = problem.compression, compression.fraction > 0,
                          Double(bin.maxTokens) <= compression.maxFactor * window,
                          window - bin.meanOutputTokens >= 1 else { continue }
                    compressed = true
                }
                let spread = InputSpread(meanInputTokens: bin.meanInputTokens, p99InputTokens: bin.p99InputTokens)
                let cap = compressed ? window - bin.meanOutputTokens : .infinity
                let input = compressed ? spread.meanClipped(at: cap) : bin.meanInputTokens
                let prefill = pool.prefillSeconds(inputTokens: input)
                let tau = pool.designIterationSeconds
                let slot = prefill + bin.meanOutputTokens * tau
                let context = input + bin.meanOutputTokens / 2
                let budget = tau * (bin.meanOutputTokens * pool.kvSecondsPerSequence(contextTokens: context) + prefill)
                let compute = prefill + bin.meanOutputTokens * pool.profile.computeSecondsPerSequence
                let tail = longestPrompt >= cap ? 0 : spread.fractionAbove(longestPrompt)
                // E[P] and E[P²] over the prompt spread (8 quantiles), for the prefill queue.
                let prompts = spread.samplePrompts(trimmedTo: cap).map { pool.prefillSeconds(inputTokens: $0) }
                let meanPrefill = prompts.reduce(0, +) / Double(prompts.count)
                let meanSquare = prompts.reduce(0) { $0 + $1 * $1 } / Double(prompts.count)
                routes.append(Route(
                    pool: p, bin: j, compressed: compressed, inputTokens: input, outputTokens: bin.meanOutputTokens,
                    prefillSeconds: prefill, slotSeconds: slot, iterationBudgetSeconds: budget,
                    prefillMeanSeconds: meanPrefill, prefillSecondMoment: meanSquare, computeSeconds: compute,
                    dynamicJoules: slot * wattsPerSlot,
                    tailShare: tail, spread: spread, trimCap: cap))
            }
        }
        return routes
    }
}
