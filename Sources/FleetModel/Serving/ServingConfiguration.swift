/// How an inference engine is run, and the knobs of the analytical serving model (DESIGN.md §4).
/// A plain value: the planner builds one per scenario and passes it to `ServingModel.profile`.
public struct ServingConfiguration: Sendable, Hashable, Codable {
    /// How much KV memory a sequence reserves.
    public enum Reservation: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every sequence may grow to the window, so each reserves a full window of KV. The "1/W
        /// law" assumption: n_kv = ⌊budget / (κ_gpu · W)⌋.
        case window
        /// Paged attention (vLLM): sequences hold only their resident context, so the cap uses
        /// the pool's mean resident context: n_kv = ⌊budget / (κ_gpu · L̄)⌋.
        case paged
    }

    /// Which numbers feed the model.
    public enum Preset: String, Sendable, Hashable, Codable, CaseIterable {
        /// Derived from the catalog: rooflines with efficiencies (the default).
        case physical
        /// The "1/W law" paper's calibrated profile (W_it, H, KV capacity, power) for Llama-3.1-70B
        /// on H100 / B200 at TP 8 (`PaperCalibration`). Other combinations are refused rather
        /// than silently mixed with physical numbers.
        case paper
    }

    public var preset: Preset
    public var reservation: Reservation
    /// Format of the KV cache entries.
    public var kvFormat: NumericFormat
    /// Format of the weights; nil serves each model in its published format.
    public var weightFormat: NumericFormat?
    /// Fraction of HBM the engine may use (vLLM's `gpu_memory_utilization`).
    public var memoryUtilisation: Double
    /// Per-GPU memory held back for activations, CUDA graphs and communication buffers, bytes.
    public var runtimeReserveBytesPerGPU: Double
    /// The engine's cap on concurrent sequences (vLLM `max_num_seqs`); nil for none.
    public var maxNumSeqs: Int?
    /// Time-per-output-token SLO, seconds; caps concurrency so that τ(n) ≤ TPOT. nil for none.
    public var tpotSLOSeconds: Double?
    /// Achieved fraction of peak HBM bandwidth in decode, η.
    public var bandwidthEfficiency: Double
    /// Achieved fraction of peak tensor FLOP/s (compute bound of decode, and prefill), η_f.
    public var computeEfficiency: Double
    /// Fixed time per layer per decode iteration (kernel launches, TP all-reduce latency), seconds.
    public var perLayerOverheadSeconds: Double
    /// Per-sequence work per decode iteration beyond reading its KV (sampling, scheduling), h0, seconds.
    public var perSequenceOverheadSeconds: Double
    /// Name of the GPU power curve to use (`measured` for the B200's); nil for the default curve.
    public var powerCurve: String?

    /// The physical defaults: window reservation, BF16 KV, published weight format, 90% of HBM,
    /// 2 GB runtime reserve per GPU, η = 0.8, η_f = 0.5, no per-layer or per-sequence overhead
    /// (pure roofline: measured engines are slower, see DESIGN.md §4), no engine or SLO cap.
    public init(
        preset: Preset = .physical,
        reservation: Reservation = .window,
        kvFormat: NumericFormat = .bf16,
        weightFormat: NumericFormat? = nil,
        memoryUtilisation: Double = 0.90,
        runtimeReserveBytesPerGPU: Double = 2e9,
        maxNumSeqs: Int? = nil,
        tpotSLOSeconds: Double? = nil,
        bandwidthEfficiency: Double = 0.8,
        computeEfficiency: Double = 0.5,
        perLayerOverheadSeconds: Double = 0,
        perSequenceOverheadSeconds: Double = 0,
        powerCurve: String? = nil
    ) {
        self.preset = preset
        self.reservation = reservation
        self.kvFormat = kvFormat
        self.weightFormat = weightFormat
        self.memoryUtilisation = memoryUtilisation
        self.runtimeReserveBytesPerGPU = runtimeReserveBytesPerGPU
        self.maxNumSeqs = maxNumSeqs
        self.tpotSLOSeconds = tpotSLOSeconds
        self.bandwidthEfficiency = bandwidthEfficiency
        self.computeEfficiency = computeEfficiency
        self.perLayerOverheadSeconds = perLayerOverheadSeconds
        self.perSequenceOverheadSeconds = perSequenceOverheadSeconds
        self.powerCurve = powerCurve
    }

    /// The paper's preset (see `PaperCalibration`); other knobs as given.
    public static var paper: ServingConfiguration { ServingConfiguration(preset: .paper) }

    /// The weight format used for `model`.
    public func weightFormat(for model: LLMSpec) -> NumericFormat { weightFormat ?? model.nativeWeightFormat }

    /// - Throws: `InputError.invalidValue` naming the field and its valid range.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ message: String) throws {
            if !ok { throw InputError(.invalidValue, location: field, message) }
        }
        try check(memoryUtilisation > 0 && memoryUtilisation <= 1, "memoryUtilisation",
                  "must be in (0, 1], got \(memoryUtilisation)")
        try check(runtimeReserveBytesPerGPU >= 0 && runtimeReserveBytesPerGPU.isFinite, "runtimeReserveBytesPerGPU",
                  "must be ≥ 0, got \(runtimeReserveBytesPerGPU)")
        try check(maxNumSeqs.map { $0 >= 1 } ?? true, "maxNumSeqs", "must be at least 1 sequence, got \(maxNumSeqs ?? 0) (e.g. 256, vLLM's default)")
        try check(tpotSLOSeconds.map { $0 > 0 && $0 <= InputLimits.maxLatencySLOSeconds } ?? true, "tpotSLOSeconds",
                  "must be between 0 and 3600 s, got \(tpotSLOSeconds ?? 0)")
        try check(bandwidthEfficiency > 0 && bandwidthEfficiency <= 1, "bandwidthEfficiency",
                  "must be in (0, 1], got \(bandwidthEfficiency)")
        try check(computeEfficiency > 0 && computeEfficiency <= 1, "computeEfficiency",
                  "must be in (0, 1], got \(computeEfficiency)")
        try check(perLayerOverheadSeconds >= 0 && perLayerOverheadSeconds.isFinite, "perLayerOverheadSeconds", "must be ≥ 0")
        try check(perSequenceOverheadSeconds >= 0 && perSequenceOverheadSeconds.isFinite, "perSequenceOverheadSeconds",
                  "must be ≥ 0")
    }
}
