/// How an LLM's KV cache is laid out and split across tensor-parallel GPUs (DESIGN.md §4).
extension LLMSpec {
    /// KV-cache bytes per token of context for the whole model (all layers, all KV heads), κ.
    ///
    /// - GQA/MHA: κ = 2 · L · n_kv · head_dim · bytes (keys and values).
    ///   Llama-3.1-70B in BF16: 2 · 80 · 8 · 128 · 2 = 327,680 B/token.
    /// - MLA (DeepSeek-V3): one latent per token and layer, κ = L · (kv_lora_rank + qk_rope_head_dim) · bytes.
    ///   DeepSeek-V3 in BF16: 61 · (512 + 64) · 2 = 70,272 B/token.
    @inlinable
    public func kvBytesPerToken(format: NumericFormat) -> Double {
        if let latentAttention {
            return Double(layers * (latentAttention.kvLoraRank + latentAttention.qkRopeHeadDim)) * format.bytes
        }
        return 2 * Double(layers * kvHeads * headDim) * format.bytes
    }

    /// Into how many distinct shards the KV cache is split on a TP-`t` instance: min(t, n_kv) for
    /// GQA (KV heads are split across GPUs; when t > n_kv each head is replicated t/n_kv times),
    /// and 1 for MLA — the compressed latent is shared by all heads, so every GPU keeps a full
    /// copy of it (it is replicated, not sharded).
    @inlinable
    public func kvShardCount(tensorParallel t: Int) -> Int {
        latentAttention != nil ? 1 : min(t, kvHeads)
    }

    /// KV bytes per token held on each GPU of a TP-`t` instance: κ / shards.
    @inlinable
    public func kvBytesPerTokenPerGPU(format: NumericFormat, tensorParallel t: Int) -> Double {
        kvBytesPerToken(format: format) / Double(kvShardCount(tensorParallel: t))
    }

    /// Whether tensor parallelism `t` splits this model's heads evenly: t must divide the
    /// attention heads, and either divide the KV heads (t ≤ n_kv) or be a multiple of them
    /// (t > n_kv, heads replicated). MLA has no KV-head constraint.
    public func supportsTensorParallel(_ t: Int) -> Bool {
        guard t >= 1, attentionHeads % t == 0 else { return false }
        if latentAttention != nil { return true }
        return t <= kvHeads ? kvHeads % t == 0 : t % kvHeads == 0
    }

    /// Every TP degree this model's heads allow, ascending.
    public var validTensorParallelDegrees: [Int] {
        (1...attentionHeads).filter(supportsTensorParallel)
    }

    /// - Throws: `InputError.invalidValue` naming the model's heads and the valid TP degrees.
    public func checkTensorParallel(_ t: Int, location: String? = "--tp") throws {
        guard !supportsTensorParallel(t) else { return }
        let heads = latentAttention != nil
            ? "\(attentionHeads) attention heads"
            : "\(attentionHeads) attention heads and \(kvHeads) KV heads"
        let valid = validTensorParallelDegrees.map(String.init).joined(separator: ", ")
        throw InputError(.invalidValue, location: location,
                         "TP \(t) cannot split \(name)'s \(heads)", fix: "use one of: \(valid)")
    }
}
