/// Turns merged `CatalogEntry` values into typed, validated `GPUSpec` / `LLMSpec` values.
/// Every check names the file, line and field it is about, and says what a valid value is.
struct FigureReader {
    let entry: CatalogEntry

    private func location(_ path: String) -> (file: String, location: String) {
        if let figure = entry.figures[path] {
            return (figure.file, entry.location(field: path, line: figure.line))
        }
        return (entry.file, entry.location(field: path))
    }

    private func missing(_ path: String, meaning: String) -> InputError {
        let (file, location) = location(path)
        return InputError(.missingField, file: file, location: location, "missing field '\(path)'", fix: "add it: \(meaning)")
    }

    func invalid(_ path: String, _ message: String, fix: String? = nil) -> InputError {
        let (file, location) = location(path)
        return InputError(.invalidValue, file: file, location: location, message, fix: fix)
    }

    /// The figure's text, nil when absent or explicitly null.
    private func text(_ path: String) throws -> String? {
        guard let figure = entry.figures[path] else { return nil }
        switch figure.value {
        case .null: return nil
        case .scalar(let text, _): return text
        default: throw invalid(path, "must be a single value, got \(figure.value.kindDescription)")
        }
    }

    func has(_ path: String) -> Bool { (try? text(path)) != nil }

    func provenance(_ path: String) -> Provenance? { entry.figures[path]?.provenance }

    /// A number; `meaning` says what it is and its unit (used in the "add it" hint).
    func number(_ path: String, _ meaning: String, atLeast lower: Double? = nil, above strictLower: Double? = nil,
                atMost upper: Double? = nil) throws -> Double {
        guard let value = try optionalNumber(path, meaning, atLeast: lower, above: strictLower, atMost: upper) else {
            throw missing(path, meaning: meaning)
        }
        return value
    }

    func optionalNumber(_ path: String, _ meaning: String, atLeast lower: Double? = nil, above strictLower: Double? = nil,
                        atMost upper: Double? = nil) throws -> Double? {
        guard let text = try text(path) else { return nil }
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw invalid(path, "must be a number (\(meaning)), got '\(text)'")
        }
        if let strictLower, !(value > strictLower) {
            throw invalid(path, "must be greater than \(Self.show(strictLower)), got \(Self.show(value))",
                          fix: "\(meaning)")
        }
        if let lower, value < lower {
            throw invalid(path, "must be at least \(Self.show(lower)), got \(Self.show(value))", fix: "\(meaning)")
        }
        if let upper, value > upper {
            throw invalid(path, "must be at most \(Self.show(upper)), got \(Self.show(value))", fix: "\(meaning)")
        }
        return value
    }

    func integer(_ path: String, _ meaning: String, atLeast lower: Int, atMost upper: Int) throws -> Int {
        guard let value = try optionalInteger(path, meaning, atLeast: lower, atMost: upper) else {
            throw missing(path, meaning: meaning)
        }
        return value
    }

    func optionalInteger(_ path: String, _ meaning: String, atLeast lower: Int, atMost upper: Int) throws -> Int? {
        guard let value = try optionalNumber(path, meaning) else { return nil }
        guard value == value.rounded(), abs(value) < 1e15 else {
            throw invalid(path, "must be a whole number (\(meaning)), got \(Self.show(value))")
        }
        guard Int(value) >= lower else {
            throw invalid(path, "must be at least \(lower), got \(Int(value))", fix: meaning)
        }
        guard Int(value) <= upper else {
            throw invalid(path, "must be at most \(upper), got \(Int(value))", fix: meaning)
        }
        return Int(value)
    }

    func optionalFormat(_ path: String) throws -> NumericFormat? {
        guard let text = try text(path) else { return nil }
        guard let format = NumericFormat(rawValue: text.lowercased()) else {
            let names = NumericFormat.allCases.map(\.rawValue)
            throw invalid(path, "unknown number format '\(text)'",
                          fix: NameSuggestion.closest(to: text, among: names).map { "did you mean '\($0)'?" }
                              ?? "use one of: \(names.joined(separator: ", "))")
        }
        return format
    }

    static func show(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension GPUSpec {
    /// Builds and validates a GPU from a (merged) catalog entry.
    init(entry: CatalogEntry) throws {
        let read = FigureReader(entry: entry)
        func curve(_ prefix: String) throws -> PowerCurve {
            let idle = try read.number("\(prefix).idle_watts", "idle draw per GPU in watts", atLeast: 0, atMost: 100_000)
            let nominal = try read.number("\(prefix).nominal_watts", "saturated draw per GPU in watts", above: 0, atMost: 100_000)
            guard nominal > idle else {
                throw read.invalid("\(prefix).nominal_watts",
                                   "must exceed idle_watts (\(FigureReader.show(idle))), got \(FigureReader.show(nominal))")
            }
            return PowerCurve(
                idleWatts: idle, nominalWatts: nominal,
                steepness: try read.number("\(prefix).k", "logistic steepness per doubling of the batch", above: 0, atMost: 100),
                midpointLog2Batch: try read.number("\(prefix).x0", "logistic midpoint in log2 of the batch", atLeast: -64, atMost: 64)
            )
        }
        var alternatives: [String: PowerCurve] = [:]
        let curveNames = Set(entry.figures.keys.compactMap { path -> String? in
            let parts = path.split(separator: ".")
            return parts.count == 3 && parts[0] == "power_curves" ? String(parts[1]) : nil
        })
        for curveName in curveNames.sorted() {
            alternatives[curveName] = try curve("power_curves.\(curveName)")
        }
        self.init(
            name: entry.name,
            aliases: entry.aliases,
            hbmBytes: try read.number("hbm_gb", "HBM capacity per GPU in GB (1e9 bytes)", above: 0, atMost: 10_000) * 1e9,
            hbmBandwidthBytesPerSecond: try read.number("hbm_tb_per_s", "HBM bandwidth per GPU in TB/s", above: 0, atMost: 10_000) * 1e12,
            bf16FlopsPerSecond: try read.number("bf16_tflops", "dense BF16 TFLOP/s per GPU", above: 0, atMost: 1_000_000) * 1e12,
            fp8FlopsPerSecond: try read.optionalNumber("fp8_tflops", "dense FP8 TFLOP/s per GPU", above: 0, atMost: 1_000_000).map { $0 * 1e12 },
            tdpWatts: try read.number("tdp_watts", "thermal design power in watts", above: 0, atMost: 100_000),
            power: try curve("power"),
            alternativePowerCurves: alternatives,
            pricePerGPUHourDollars: try read.number("price_per_gpu_hour", "on-demand dollars per GPU-hour", atLeast: 0, atMost: 10_000),
            purchasePriceDollars: try read.optionalNumber("purchase_price", "purchase dollars per GPU", atLeast: 0, atMost: 100_000_000),
            gpusPerServer: try read.optionalInteger("gpus_per_server", "GPUs per server", atLeast: 1, atMost: 1024) ?? 8,
            provenance: entry.figures.mapValues(\.provenance)
        )
    }
}

extension LLMSpec {
    /// Builds and validates an LLM from a (merged) catalog entry.
    init(entry: CatalogEntry) throws {
        let read = FigureReader(entry: entry)
        let attentionHeads = try read.integer("attention_heads", "query heads", atLeast: 1, atMost: 65_536)
        let kvHeads = try read.integer("kv_heads", "key/value heads (num_key_value_heads)", atLeast: 1, atMost: 65_536)
        guard attentionHeads % kvHeads == 0 else {
            throw read.invalid("kv_heads", "must divide attention_heads (\(attentionHeads)), got \(kvHeads)")
        }
        let totalParameters = try read.number("params_billions", "total parameters in billions", above: 0, atMost: 1_000_000) * 1e9

        var moe: MixtureOfExperts?
        if entry.figures.keys.contains(where: { $0.hasPrefix("moe.") }) {
            let experts = try read.integer("moe.experts", "routed experts per MoE layer", atLeast: 1, atMost: 65_536)
            let topK = try read.integer("moe.top_k", "routed experts activated per token", atLeast: 1, atMost: 65_536)
            guard topK <= experts else {
                throw read.invalid("moe.top_k", "must be at most moe.experts (\(experts)), got \(topK)")
            }
            let active = try read.number("moe.active_params_billions", "parameters used per token in billions", above: 0, atMost: 1_000_000) * 1e9
            guard active <= totalParameters else {
                throw read.invalid("moe.active_params_billions",
                                   "must not exceed params_billions (\(FigureReader.show(totalParameters / 1e9)))")
            }
            moe = MixtureOfExperts(
                experts: experts, topK: topK,
                expertFFNSize: try read.integer("moe.expert_ffn_size", "intermediate size of one expert", atLeast: 1, atMost: 10_000_000),
                sharedExperts: try read.optionalInteger("moe.shared_experts", "always-active experts", atLeast: 0, atMost: 65_536) ?? 0,
                activeParameters: active
            )
        }
        var mla: LatentAttention?
        if entry.figures.keys.contains(where: { $0.hasPrefix("mla.") }) {
            mla = LatentAttention(
                kvLoraRank: try read.integer("mla.kv_lora_rank", "width of the compressed KV latent", atLeast: 1, atMost: 1_048_576),
                qkRopeHeadDim: try read.integer("mla.qk_rope_head_dim", "width of the decoupled RoPE key", atLeast: 1, atMost: 65_536),
                qkNopeHeadDim: try read.integer("mla.qk_nope_head_dim", "width of the non-RoPE query/key part", atLeast: 1, atMost: 65_536)
            )
        }
        self.init(
            name: entry.name,
            aliases: entry.aliases,
            layers: try read.integer("layers", "transformer layers (num_hidden_layers)", atLeast: 1, atMost: 10_000),
            hiddenSize: try read.integer("hidden_size", "model width", atLeast: 1, atMost: 1_048_576),
            attentionHeads: attentionHeads,
            kvHeads: kvHeads,
            headDim: try read.integer("head_dim", "per-head width (explicit, not hidden/heads)", atLeast: 1, atMost: 65_536),
            ffnSize: try read.integer("ffn_size", "dense FFN intermediate size", atLeast: 1, atMost: 10_000_000),
            vocabSize: try read.integer("vocab_size", "vocabulary size", atLeast: 1, atMost: 100_000_000),
            totalParameters: totalParameters,
            mixtureOfExperts: moe,
            latentAttention: mla,
            nativeWeightFormat: try read.optionalFormat("weight_dtype") ?? .bf16,
            maxContextTokens: try read.optionalInteger("max_context_tokens", "longest supported context in tokens", atLeast: 1, atMost: 1 << 30),
            provenance: entry.figures.mapValues(\.provenance)
        )
    }
}
