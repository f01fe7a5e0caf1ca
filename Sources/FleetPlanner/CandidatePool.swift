import Foundation
import FleetModel

/// One pool the fleet may open — (GPU, TP, window) for the problem's model — with the operating
/// point the MILP's linear coefficients are taken at.
///
/// The MILP cannot express τ(n) and P(n) exactly (both depend on the pool's concurrency, which
/// depends on the routing), so each candidate is linearised at its design point n_op = ρ_max ·
/// n_max with the mean attended context L̄ of the traffic it can serve. Per-GPU power is the
/// secant of P(n) through n_op/2 and n_op: a fixed draw per open instance plus a slope per
/// sequence in flight, exact at n_op. (The chord from idle would make half-loaded pools look
/// far cheaper than they are: P(n) saturates at a few dozen sequences.) The plan is then
/// re-evaluated exactly from its final loads (`PoolEvaluation`).
public struct CandidatePool: Sendable, Hashable {
    public let gpu: GPUSpec
    public let profile: PoolProfile
    /// n_max at the design context, sequences per instance.
    public let maxConcurrency: Int
    /// n_op = ρ_max · n_max, sequences per instance.
    public let operatingConcurrency: Double
    /// L̄ used for τ at the design point, tokens.
    public let designMeanContextTokens: Double
    /// τ_p = τ(n_op, L̄): the decode iteration time (TPOT) the pool is planned at, seconds.
    public let designIterationSeconds: Double
    /// Per-GPU draw at n_op, watts.
    public let designPowerPerGPUWatts: Double
    /// Secant slope of P(n) below n_op, watts per GPU per sequence in flight.
    public let powerSlopePerSequenceWatts: Double
    /// Intercept of that secant: what an open instance's GPU is charged at no load, watts.
    public let fixedPowerPerGPUWatts: Double
    /// The share of each planned iteration τ_p that KV reads and chunked prefill may fill, seconds
    /// per iteration: ρ_max · (τ_p − W). The headroom matters: a pool whose KV reads fill all of
    /// τ_p − W slows every decode when a few long requests arrive together, holds its slots longer
    /// and queues (in simulation, a 2-instance 32K pool planned at the full budget had a P99 TTFT of
    /// 2.96 s against 0.68 s predicted; at ρ_max only single-instance pools still missed).
    public let iterationCapacitySeconds: Double

    public var tensorParallel: Int { profile.tensorParallel }
    public var windowTokens: Int { profile.windowTokens }

    /// Stable, readable identifier used in MILP names and reports: `h100_tp8_w4096`.
    public var key: String { "\(groupKey)_w\(windowTokens)" }

    /// The GPU type and TP the pool shares with its other windows: `h100_tp8`.
    public var groupKey: String {
        let gpuKey = gpu.shortName.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return "\(String(gpuKey))_tp\(tensorParallel)"
    }

    /// Whether the paper preset's decode-only calibration is in force: the paper's pools have no
    /// prefill model, and τ uses L̄ = window / 2 whatever is routed.
    public var isPaperCalibrated: Bool { profile.preset == .paper }

    init(gpu: GPUSpec, profile: PoolProfile, maxUtilisation: Double, designMeanContextTokens: Double) {
        self.gpu = gpu
        self.profile = profile
        let limit = profile.concurrencyLimit(meanContextTokens: designMeanContextTokens)
        self.maxConcurrency = limit.maxConcurrency
        self.operatingConcurrency = maxUtilisation * Double(limit.maxConcurrency)
        self.designMeanContextTokens = designMeanContextTokens
        self.designIterationSeconds = profile.iterationSeconds(
            concurrency: operatingConcurrency, meanContextTokens: designMeanContextTokens)
        let design = profile.powerPerGPUWatts(concurrency: operatingConcurrency)
        self.designPowerPerGPUWatts = design
        let lower = operatingConcurrency >= 2 ? operatingConcurrency / 2 : 0
        let lowerWatts = lower > 0 ? profile.powerPerGPUWatts(concurrency: lower) : profile.power.idleWatts
        let slope = operatingConcurrency > lower ? max(0, (design - lowerWatts) / (operatingConcurrency - lower)) : 0
        self.powerSlopePerSequenceWatts = slope
        self.fixedPowerPerGPUWatts = design - slope * operatingConcurrency
        self.iterationCapacitySeconds = maxUtilisation * (designIterationSeconds - profile.weightStreamSeconds)
    }

    /// Decode time one sequence of mean context `contextTokens` adds to every iteration, H = h0 + h1·L,
    /// seconds (the paper preset prices every sequence at window/2, as its calibration does).
    public func kvSecondsPerSequence(contextTokens: Double) -> Double {
        profile.kvSecondsPerSequence(meanContextTokens: isPaperCalibrated ? Double(windowTokens) / 2 : contextTokens)
    }

    /// Prefill seconds for `inputTokens` on this pool (0 under the paper preset, which models decode only).
    public func prefillSeconds(inputTokens: Double) -> Double {
        isPaperCalibrated ? 0 : profile.prefillSeconds(inputTokens: inputTokens)
    }

    /// Time to first token of an `inputTokens` prompt once it starts prefilling, seconds: its prefill
    /// compute plus, with chunked prefill, the decode work of the ⌈L / chunk⌉ iterations it spans
    /// (taken at τ_p, a bound on the decode part) — 0 prefill under the paper preset, leaving one step.
    public func firstTokenSeconds(inputTokens: Double, chunkTokens: Int) -> Double {
        let iterations = isPaperCalibrated ? 1 : max(1, (inputTokens / Double(max(chunkTokens, 1))).rounded(.up))
        return prefillSeconds(inputTokens: inputTokens) + iterations * designIterationSeconds
    }

    /// Time an `inputTokens` prompt holds an instance's prefill engine, seconds: its prefill compute
    /// plus the decode part (`decodeSeconds` per iteration) of the L / chunk iterations its chunks
    /// ride in — prompts queued behind it wait for all of it. 0 under the paper preset.
    public func prefillEngineSeconds(inputTokens: Double, chunkTokens: Int, decodeSeconds: Double) -> Double {
        guard !isPaperCalibrated else { return 0 }
        return prefillSeconds(inputTokens: inputTokens) + inputTokens / Double(max(chunkTokens, 1)) * decodeSeconds
    }

    /// The longest prompt whose first token comes within `seconds` of its prefill starting
    /// (`firstTokenSeconds` ≤ seconds, with ⌈L/C⌉ relaxed to L/C + 1), tokens; ∞ under the paper
    /// preset when one iteration fits. Solves (a + τ_p/C)·L + b·L² = seconds − τ_p.
    public func longestPrefill(withinSeconds seconds: Double, chunkTokens: Int) -> Double {
        let tau = designIterationSeconds
        if isPaperCalibrated { return seconds >= tau ? .infinity : 0 }
        let available = seconds - tau
        guard available > 0, available >= profile.weightStreamSeconds else { return 0 }
        let a = profile.prefillSecondsPerInputToken + tau / Double(max(chunkTokens, 1))
        let b = profile.prefillSecondsPerSquaredInputToken
        if b <= 0 { return available / a }
        return (-a + (a * a + 4 * b * available).squareRoot()) / (2 * b)
    }
}

extension CandidatePool {
    /// Every (GPU, TP, window) of the problem that fits the model in memory and admits at least
    /// one sequence, in a stable order (GPU, TP, window).
    ///
    /// TP degrees the model's heads cannot use and, under the paper preset, combinations outside
    /// the paper's calibration are skipped; if that leaves nothing the reason is thrown.
    /// Complexity: O(GPUs × TPs × windows × bins).
    static func enumerate(for problem: PlanningProblem) throws -> [CandidatePool] {
        var pools: [CandidatePool] = []
        var reasons: [String] = []
        let model = problem.model
        for gpu in problem.gpus {
            for t in problem.tensorParallelDegrees.sorted() {
                guard model.supportsTensorParallel(t) else {
                    reasons.append("\(model.shortName) cannot use TP \(t) (valid: \(model.validTensorParallelDegrees.map(String.init).joined(separator: ", ")))")
                    continue
                }
                if problem.serving.preset == .paper, !PaperCalibration.isCalibrated(model: model, gpu: gpu, tensorParallel: t) {
                    reasons.append("the paper preset has no calibration for \(model.shortName) on \(gpu.shortName) TP \(t)")
                    continue
                }
                for window in problem.windows.sorted() where window <= problem.maxWindowTokens {
                    if let fleet = problem.fixedFleet, !fleet.contains(where: {
                        $0.gpuName == gpu.name && $0.tensorParallel == t && $0.windowTokens == window
                    }) { continue }
                    let context = designContext(window: window, problem: problem)
                    let profile = try ServingModel.profile(
                        model: model, gpu: gpu, tensorParallel: t, windowTokens: window,
                        configuration: problem.serving, meanContextTokens: context)
                    guard profile.fits else {
                        if problem.fixedFleet != nil {
                            throw InputError(.infeasible, location: "fleet",
                                             "\(gpu.shortName) TP \(t) at \(window) tokens cannot serve \(model.shortName): \(profile.fitProblem ?? "does not fit")")
                        }
                        reasons.append("\(gpu.shortName) TP \(t) at \(window) tokens: \(profile.fitProblem ?? "does not fit")")
                        continue
                    }
                    let pool = CandidatePool(gpu: gpu, profile: profile, maxUtilisation: problem.maxUtilisation,
                                             designMeanContextTokens: context)
                    guard pool.maxConcurrency >= 1 else {
                        reasons.append("\(gpu.shortName) TP \(t) at \(window) tokens: the TPOT SLO leaves no room for a sequence")
                        continue
                    }
                    pools.append(pool)
                }
            }
        }
        guard !pools.isEmpty else {
            // The TPOT SLO is the one limit the user chose; name it first when it is what bites.
            let why = reasons.first { $0.contains("TPOT") } ?? reasons.first ?? "no GPU, TP and window combination was given"
            throw InputError(.infeasible, location: why.contains("TPOT") ? "tpot" : "candidates",
                             "no candidate pool can serve \(model.shortName): \(why)",
                             fix: why.contains("TPOT") ? "raise --tpot above one decode iteration (see `fleetplan law`)"
                                 : "allow more GPUs (--gpus), other TP degrees (--tp) or larger windows")
        }
        return pools
    }

    /// L̄ for a candidate's design point: window/2, the paper's assumption. It sets the design
    /// iteration time τ_p (and n_max under paged reservation); the routed mix itself is priced by
    /// each route's own context (`Route.iterationSeconds`), so a pool of short requests simply
    /// runs faster than τ_p and a pool of long ones holds fewer sequences.
    static func designContext(window: Int, problem: PlanningProblem) -> Double {
        Double(window) / 2
    }
}
