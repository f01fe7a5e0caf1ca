/// The "1/W law" paper's calibrated serving profile (DESIGN.md §4, "Paper calibration preset").
///
/// The paper does not derive its H100 numbers from a roofline; it fixes them for Llama-3.1-70B on
/// one TP=8 instance: W_it = 4.0 ms, H = 0.32 ms per sequence at 8,192 tokens of context (linear
/// in the mean context L̄ = window/2), KV capacity 2^20 tokens per instance, and the H100 power
/// curve. With those, τ = 4.0 + 0.32 · (W/2)/8192 · 2^20/W = 24.48 ms at every window, and the
/// paper-convention tok/W = n_max / (τ · P(n_max)) is 17.6 at 4K and 1.50 at 64K.
/// Its B200 projection (±20%): 2.62× the KV capacity, W_it = 2.955 ms, H scaled by bandwidth
/// (× 3.35/8.0), power 430/860 W with k = 1.0, x0 = 4.46.
///
/// Only these combinations have published numbers; `--preset paper` refuses any other rather
/// than mixing calibrated and physical figures silently. Under the preset the memory knobs
/// (formats, utilisation, reserve), the efficiencies and overheads do not apply (the calibration
/// fixes capacity and τ); the reservation, `maxNumSeqs` and the TPOT SLO still cap n_max, and
/// choosing another power curve is refused. Prefill is not calibrated by the paper: it comes
/// from the physical model of the catalog GPU.
public struct PaperCalibration: Sendable, Hashable {
    /// W_it, seconds.
    public var weightStreamSeconds: Double
    /// H per sequence at `referenceContextTokens` of context, seconds.
    public var kvSecondsPerSequenceAtReference: Double
    /// The context H is quoted at, tokens.
    public var referenceContextTokens: Double
    /// KV capacity of one instance, tokens.
    public var kvCapacityTokensPerInstance: Double
    /// Per-GPU power curve.
    public var power: PowerCurve

    /// Model the paper calibrates, and its TP degree.
    public static let modelName = "Llama-3.1-70B"
    public static let tensorParallel = 8

    /// H100 (measured + calibrated in the paper).
    public static let h100GPUName = "H100-SXM5-80GB"
    public static let h100 = PaperCalibration(
        weightStreamSeconds: 4.0e-3,
        kvSecondsPerSequenceAtReference: 0.32e-3,
        referenceContextTokens: 8192,
        kvCapacityTokensPerInstance: 1_048_576, // 2^20
        power: PowerCurve(idleWatts: 300, nominalWatts: 600, steepness: 1.0, midpointLog2Batch: 4.2)
    )

    /// B200 (the paper's projection, ±20%).
    public static let b200GPUName = "B200-SXM-180GB"
    public static let b200 = PaperCalibration(
        weightStreamSeconds: 2.955e-3,
        kvSecondsPerSequenceAtReference: 0.32e-3 * 3.35 / 8.0,
        referenceContextTokens: 8192,
        kvCapacityTokensPerInstance: 2.62 * 1_048_576,
        power: PowerCurve(idleWatts: 430, nominalWatts: 860, steepness: 1.0, midpointLog2Batch: 4.46)
    )

    /// The calibration for this combination, nil where the paper has none.
    public static func calibration(model: LLMSpec, gpu: GPUSpec, tensorParallel t: Int) -> PaperCalibration? {
        guard model.name == modelName, t == tensorParallel else { return nil }
        switch gpu.name {
        case h100GPUName: return h100
        case b200GPUName: return b200
        default: return nil
        }
    }

    /// Whether `--preset paper` can evaluate this combination (for candidate filtering).
    public static func isCalibrated(model: LLMSpec, gpu: GPUSpec, tensorParallel t: Int) -> Bool {
        calibration(model: model, gpu: gpu, tensorParallel: t) != nil
    }

    /// - Throws: `InputError.unsupported` saying what the paper calibrates.
    static func require(model: LLMSpec, gpu: GPUSpec, tensorParallel t: Int) throws -> PaperCalibration {
        if let calibration = calibration(model: model, gpu: gpu, tensorParallel: t) { return calibration }
        throw InputError(.unsupported, location: "--preset paper",
                         "the paper calibrates only \(modelName) on H100/B200 at TP \(tensorParallel), not \(model.name) on \(gpu.shortName) at TP \(t)",
                         fix: "drop --preset paper to use the physical model")
    }
}
