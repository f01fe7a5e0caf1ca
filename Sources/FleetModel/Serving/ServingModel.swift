/// The analytical serving model of DESIGN.md §4: turns (model, GPU, TP, window, configuration)
/// into a `PoolProfile`. No solver, no I/O.
public enum ServingModel {
    /// The profile of one candidate pool.
    ///
    /// Physical preset:
    /// - weights/GPU = total params · bytes(weight format) / t; KV budget/GPU = HBM · util − weights − reserve;
    /// - κ and κ_gpu from `LLMSpec.kvBytesPerToken` / `kvBytesPerTokenPerGPU`; capacity = ⌊budget / κ_gpu⌋ tokens;
    /// - W_it = active params · bytes / t / (η · BW) + L · per-layer overhead — the *active* parameters:
    ///   an MoE decode step streams only the routed experts' weights (the MoE lever);
    /// - h1 = κ_gpu / (η · BW); h0 from the configuration; c = 2 · active / (t · FLOP/s · η_f).
    ///
    /// Paper preset: W_it, h1 (= H at 8,192 tokens / 8,192), capacity and power from
    /// `PaperCalibration`; h0 = 0 and no compute bound (the calibrated τ already includes it).
    ///
    /// A pool whose weights or window do not fit is returned with `fits == false` (and n_max 0),
    /// not thrown, so callers can list it; invalid input throws.
    ///
    /// - Parameters:
    ///   - meanContextTokens: L̄ used for n_max under paged reservation and for the TPOT cap;
    ///     defaults to window/2 (the paper's assumption).
    /// - Throws: `InputError` for a TP degree that does not split the model's heads, a window < 1,
    ///   an invalid configuration, an unknown power curve, or `--preset paper` outside its calibration.
    public static func profile(
        model: LLMSpec, gpu: GPUSpec, tensorParallel t: Int, windowTokens: Int,
        configuration: ServingConfiguration = ServingConfiguration(),
        meanContextTokens: Double? = nil
    ) throws -> PoolProfile {
        try configuration.validate()
        try model.checkTensorParallel(t)
        guard windowTokens >= 1 else {
            throw InputError(.invalidValue, location: "--windows", "a context window must be at least 1 token, got \(windowTokens)")
        }
        let window = Double(windowTokens)
        let referenceContext = meanContextTokens ?? window / 2
        guard referenceContext > 0, referenceContext.isFinite else {
            throw InputError(.invalidValue, location: "mean context", "must be > 0 tokens, got \(referenceContext)")
        }
        let gpus = Double(t)
        let weightFormat = configuration.weightFormat(for: model)
        let kvBytesPerToken = model.kvBytesPerToken(format: configuration.kvFormat)
        let kvBytesPerTokenPerGPU = model.kvBytesPerTokenPerGPU(format: configuration.kvFormat, tensorParallel: t)
        let weightBytesPerGPU = model.totalParameters * weightFormat.bytes / gpus
        let usableBytesPerGPU = gpu.hbmBytes * configuration.memoryUtilisation
        let budget = usableBytesPerGPU - weightBytesPerGPU - configuration.runtimeReserveBytesPerGPU

        // Physical decode and prefill coefficients (prefill stays physical under the paper preset).
        let flops = gpu.flopsPerSecond(for: weightFormat) * configuration.computeEfficiency * gpus
        let bandwidth = gpu.hbmBandwidthBytesPerSecond * configuration.bandwidthEfficiency
        let activeWeightBytesPerGPU = model.activeParameters * weightFormat.bytes / gpus
        let computePerSequence = 2 * model.activeParameters / flops
        let qkHeadDim = model.latentAttention.map { $0.qkNopeHeadDim + $0.qkRopeHeadDim } ?? model.headDim
        let attentionFlopsPerSquaredToken = Double(model.layers * model.attentionHeads * (qkHeadDim + model.headDim))

        var weightStream = activeWeightBytesPerGPU / bandwidth + Double(model.layers) * configuration.perLayerOverheadSeconds
        var perSequence = configuration.perSequenceOverheadSeconds
        var perContextToken = kvBytesPerTokenPerGPU / bandwidth
        var computeBound = computePerSequence
        var capacity = budget > 0 ? (budget / kvBytesPerTokenPerGPU).rounded(.down) : 0
        var power = try gpu.powerCurve(named: configuration.powerCurve)
        var weightsFit = budget > 0

        if configuration.preset == .paper {
            let paper = try PaperCalibration.require(model: model, gpu: gpu, tensorParallel: t)
            if configuration.powerCurve != nil {
                throw InputError(.unsupported, location: "--power-curve",
                                 "the paper preset fixes the power curve", fix: "drop --power-curve or --preset paper")
            }
            weightStream = paper.weightStreamSeconds
            perSequence = 0
            perContextToken = paper.kvSecondsPerSequenceAtReference / paper.referenceContextTokens
            computeBound = 0
            capacity = paper.kvCapacityTokensPerInstance.rounded(.down)
            power = paper.power
            weightsFit = true
        }

        let (maxConcurrency, limit) = weightsFit
            ? PoolProfile.concurrency(
                capacityTokens: capacity, window: window, reservation: configuration.reservation,
                meanContextTokens: referenceContext, maxNumSeqs: configuration.maxNumSeqs,
                tpotSLOSeconds: configuration.tpotSLOSeconds, weightStreamSeconds: weightStream,
                kvSecondsPerSequence: perSequence + perContextToken * referenceContext,
                computeSecondsPerSequence: computeBound)
            : (0, PoolProfile.ConcurrencyLimit.memory)

        var fitProblem: String?
        if !weightsFit {
            fitProblem = "weights need \(gigabytes(weightBytesPerGPU)) GB per GPU at TP \(t) but \(gpu.shortName) has "
                + "\(gigabytes(usableBytesPerGPU)) GB usable (\(percent(configuration.memoryUtilisation)) of "
                + "\(gigabytes(gpu.hbmBytes)) GB) less \(gigabytes(configuration.runtimeReserveBytesPerGPU)) GB reserve; "
                + "use a higher TP or a bigger GPU"
        } else if limit == .memory {
            let reserved = configuration.reservation == .window ? window : min(referenceContext, window)
            fitProblem = "one sequence of \(Int(reserved)) tokens needs \(gigabytes(reserved * kvBytesPerTokenPerGPU)) GB "
                + "of KV per GPU but only \(gigabytes(max(0, budget))) GB is left after the weights"
        }

        return PoolProfile(
            modelName: model.name, gpuName: gpu.name, tensorParallel: t, windowTokens: windowTokens,
            preset: configuration.preset, reservation: configuration.reservation,
            isMixtureOfExperts: model.isMixtureOfExperts,
            kvBytesPerToken: kvBytesPerToken, kvBytesPerTokenPerGPU: kvBytesPerTokenPerGPU,
            weightBytesPerGPU: weightBytesPerGPU, kvBudgetBytesPerGPU: budget,
            kvCapacityTokensPerInstance: capacity, fits: fitProblem == nil, fitProblem: fitProblem,
            referenceMeanContextTokens: referenceContext, maxConcurrency: maxConcurrency, concurrencyLimit: limit,
            maxNumSeqs: configuration.maxNumSeqs, tpotSLOSeconds: configuration.tpotSLOSeconds,
            weightStreamSeconds: weightStream, perSequenceSeconds: perSequence,
            perContextTokenSeconds: perContextToken, computeSecondsPerSequence: computeBound,
            prefillSecondsPerInputToken: 2 * model.activeParameters / flops,
            prefillSecondsPerSquaredInputToken: attentionFlopsPerSquaredToken / flops,
            power: power
        )
    }

    private static func gigabytes(_ bytes: Double) -> String {
        let value = bytes / 1e9
        return value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }

    private static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }
}
