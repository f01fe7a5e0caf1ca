/// One row of the "1/W law" table: a pool's profile evaluated at its n_max, with the mean context
/// a fixed fraction of the window. Field names are part of the `fleetplan law --format json`
/// interface (documented in README.md).
public struct LawPoint: Sendable, Hashable, Codable {
    /// Canonical catalog names.
    public var model: String
    public var gpu: String
    public var tp: Int
    /// Context window W, tokens.
    public var window: Int
    public var preset: ServingConfiguration.Preset
    public var reservation: ServingConfiguration.Reservation
    public var isMixtureOfExperts: Bool
    /// Whether the weights and one window's KV fit; rows that do not fit carry no throughput figures.
    public var fits: Bool
    public var fitProblem: String?

    /// κ, whole model, bytes per token.
    public var kvBytesPerToken: Double
    /// κ_gpu, bytes per token on each GPU.
    public var kvBytesPerTokenPerGPU: Double
    public var weightBytesPerGPU: Double
    public var kvBudgetBytesPerGPU: Double
    public var kvCapacityTokensPerInstance: Double
    /// L̄, tokens.
    public var meanContextTokens: Double
    /// W_it, seconds.
    public var weightStreamSeconds: Double
    /// H(L̄) = h0 + h1 · L̄, seconds per sequence per iteration.
    public var kvSecondsPerSequence: Double

    /// n_max and what set it (`kvCache`, `maxNumSeqs`, `tpot`); absent when the weights do not fit.
    public var nMax: Int?
    public var nMaxLimit: PoolProfile.ConcurrencyLimit?
    /// n_max · H(L̄), seconds.
    public var kvSecondsPerIteration: Double?
    /// n_max · c (the compute bound), seconds.
    public var computeSecondsPerIteration: Double?
    /// τ(n_max), seconds.
    public var iterationSeconds: Double?
    /// `memory` or `compute`: which bound set τ.
    public var iterationBound: String?
    public var powerPerGPUWatts: Double?
    public var instancePowerWatts: Double?
    public var instanceTokensPerSecond: Double?
    /// Physical: instance tok/s ÷ watts of all t GPUs.
    public var tokensPerWatt: Double?
    /// Paper convention: instance tok/s ÷ one GPU's watts.
    public var tokensPerWattPaper: Double?
    /// tokensPerWatt ÷ that of the first model/GPU/TP at the same window.
    public var tokensPerWattRatioToFirst: Double?

    /// Evaluates `profile` at n_max with mean context `meanContextTokens`.
    public init(profile: PoolProfile, meanContextTokens: Double) {
        model = profile.modelName
        gpu = profile.gpuName
        tp = profile.tensorParallel
        window = profile.windowTokens
        preset = profile.preset
        reservation = profile.reservation
        isMixtureOfExperts = profile.isMixtureOfExperts
        fits = profile.fits
        fitProblem = profile.fitProblem
        kvBytesPerToken = profile.kvBytesPerToken
        kvBytesPerTokenPerGPU = profile.kvBytesPerTokenPerGPU
        weightBytesPerGPU = profile.weightBytesPerGPU
        kvBudgetBytesPerGPU = profile.kvBudgetBytesPerGPU
        kvCapacityTokensPerInstance = profile.kvCapacityTokensPerInstance
        self.meanContextTokens = meanContextTokens
        weightStreamSeconds = profile.weightStreamSeconds
        kvSecondsPerSequence = profile.kvSecondsPerSequence(meanContextTokens: meanContextTokens)

        let (n, limit) = profile.concurrencyLimit(meanContextTokens: meanContextTokens)
        guard limit != .memory else { return }
        nMax = n
        nMaxLimit = limit
        guard n >= 1 else { return }
        let concurrency = Double(n)
        kvSecondsPerIteration = concurrency * kvSecondsPerSequence
        computeSecondsPerIteration = concurrency * profile.computeSecondsPerSequence
        let tau = profile.iterationSeconds(concurrency: concurrency, meanContextTokens: meanContextTokens)
        iterationSeconds = tau
        iterationBound = concurrency * profile.computeSecondsPerSequence > weightStreamSeconds + concurrency * kvSecondsPerSequence
            ? "compute" : "memory"
        powerPerGPUWatts = profile.powerPerGPUWatts(concurrency: concurrency)
        instancePowerWatts = profile.instancePowerWatts(concurrency: concurrency)
        instanceTokensPerSecond = profile.instanceTokensPerSecond(concurrency: concurrency, meanContextTokens: meanContextTokens)
        tokensPerWatt = profile.tokensPerWatt(concurrency: concurrency, meanContextTokens: meanContextTokens)
        tokensPerWattPaper = profile.tokensPerWattPaper(concurrency: concurrency, meanContextTokens: meanContextTokens)
    }
}

/// The "1/W law" sweep behind `fleetplan law`: models × TP × windows × GPUs.
public enum LawSweep {
    /// The default windows: 2K, 4K, …, 128K tokens.
    public static let defaultWindows: [Int] = (11...17).map { 1 << $0 }

    /// Rows in order model → TP → window → GPU, each with its tok/W ratio to the first
    /// (model, TP, GPU) at the same window.
    ///
    /// - Parameter meanContextFraction: L̄ / W (0.5: the paper's assumption that a sequence is on
    ///   average half way through the window).
    /// - Throws: `InputError` for a TP the model's heads do not allow, an invalid configuration, or
    ///   a paper preset outside its calibration.
    public static func run(
        models: [LLMSpec], gpus: [GPUSpec], tensorParallel: [Int], windows: [Int],
        configuration: ServingConfiguration, meanContextFraction: Double = 0.5
    ) throws -> [LawPoint] {
        guard meanContextFraction > 0, meanContextFraction <= 1 else {
            throw InputError(.invalidValue, location: "--mean-context-fraction",
                             "must be in (0, 1], got \(meanContextFraction)")
        }
        for model in models {
            for t in tensorParallel { try model.checkTensorParallel(t) }
        }
        var points: [LawPoint] = []
        for model in models {
            for t in tensorParallel {
                // No row for a window beyond the model's context (max_context_tokens).
                for window in windows where window <= model.maxContextTokens ?? Int.max {
                    for gpu in gpus {
                        let meanContext = Double(window) * meanContextFraction
                        let profile = try ServingModel.profile(
                            model: model, gpu: gpu, tensorParallel: t, windowTokens: window,
                            configuration: configuration, meanContextTokens: meanContext)
                        points.append(LawPoint(profile: profile, meanContextTokens: meanContext))
                    }
                }
            }
        }
        guard models.count * tensorParallel.count * gpus.count > 1 else { return points }
        for index in points.indices {
            guard let baseline = points.first(where: { $0.window == points[index].window })?.tokensPerWatt,
                  let value = points[index].tokensPerWatt, baseline > 0 else { continue }
            points[index].tokensPerWattRatioToFirst = value / baseline
        }
        return points
    }
}
