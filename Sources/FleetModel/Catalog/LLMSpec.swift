/// One LLM from the catalog (`models/llms.yaml`): the architecture numbers of its config file.
public struct LLMSpec: Sendable, Hashable, Identifiable {
    /// Mixture-of-Experts structure: only `topK` routed experts (plus shared ones) run per token.
    public struct MixtureOfExperts: Sendable, Hashable {
        /// Routed experts per MoE layer.
        public var experts: Int
        /// Routed experts activated per token.
        public var topK: Int
        /// Intermediate size of one expert's FFN.
        public var expertFFNSize: Int
        /// Experts every token goes through (0 for Qwen3 and Mixtral, 1 for DeepSeek-V3).
        public var sharedExperts: Int
        /// Parameters used per token (attention + activated experts + embeddings/head), a count.
        public var activeParameters: Double

        public init(experts: Int, topK: Int, expertFFNSize: Int, sharedExperts: Int, activeParameters: Double) {
            self.experts = experts
            self.topK = topK
            self.expertFFNSize = expertFFNSize
            self.sharedExperts = sharedExperts
            self.activeParameters = activeParameters
        }
    }

    /// Multi-head Latent Attention (DeepSeek-V2/V3): the KV cache holds one compressed latent
    /// per token and layer instead of per-head keys and values.
    public struct LatentAttention: Sendable, Hashable {
        /// Width of the compressed KV latent (d_c).
        public var kvLoraRank: Int
        /// Width of the decoupled RoPE key, cached beside the latent.
        public var qkRopeHeadDim: Int
        /// Width of the non-RoPE part of each query/key head.
        public var qkNopeHeadDim: Int

        public init(kvLoraRank: Int, qkRopeHeadDim: Int, qkNopeHeadDim: Int) {
            self.kvLoraRank = kvLoraRank
            self.qkRopeHeadDim = qkRopeHeadDim
            self.qkNopeHeadDim = qkNopeHeadDim
        }
    }

    /// Canonical name, e.g. `Llama-3.1-70B`.
    public var name: String
    /// Short names accepted on the command line (`llama-3.1-70b`); matched case-insensitively.
    public var aliases: [String]
    /// Transformer layers L.
    public var layers: Int
    public var hiddenSize: Int
    /// Query heads.
    public var attentionHeads: Int
    /// Key/value heads n_kv (GQA groups; equal to `attentionHeads` for MHA and MLA configs).
    public var kvHeads: Int
    /// Per-head width, explicit in the catalog (Qwen3: 128 with hidden 4096 and 64 heads). For MLA,
    /// the value-head width.
    public var headDim: Int
    /// Dense FFN intermediate size (for MoE models, that of the dense layers, if any).
    public var ffnSize: Int
    public var vocabSize: Int
    /// All parameters, a count (what must be resident in HBM).
    public var totalParameters: Double
    public var mixtureOfExperts: MixtureOfExperts?
    public var latentAttention: LatentAttention?
    /// The format the weights are published in (the default weight format for serving).
    public var nativeWeightFormat: NumericFormat
    /// Longest context the model supports, tokens (nil if the catalog does not say).
    public var maxContextTokens: Int?
    /// Provenance of each figure, keyed by its catalog field path.
    public var provenance: [String: Provenance]

    public var id: String { name }

    /// The first alias (what tables print), or the name if there is none.
    public var shortName: String { aliases.first ?? name }

    public var isMixtureOfExperts: Bool { mixtureOfExperts != nil }

    /// Parameters touched per generated token, a count: the MoE lever (DESIGN.md §4) — decode
    /// streams these, not `totalParameters`. Equal to `totalParameters` for dense models.
    public var activeParameters: Double { mixtureOfExperts?.activeParameters ?? totalParameters }

    public init(
        name: String, aliases: [String], layers: Int, hiddenSize: Int, attentionHeads: Int, kvHeads: Int,
        headDim: Int, ffnSize: Int, vocabSize: Int, totalParameters: Double,
        mixtureOfExperts: MixtureOfExperts? = nil, latentAttention: LatentAttention? = nil,
        nativeWeightFormat: NumericFormat = .bf16, maxContextTokens: Int? = nil,
        provenance: [String: Provenance] = [:]
    ) {
        self.name = name
        self.aliases = aliases
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.attentionHeads = attentionHeads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.ffnSize = ffnSize
        self.vocabSize = vocabSize
        self.totalParameters = totalParameters
        self.mixtureOfExperts = mixtureOfExperts
        self.latentAttention = latentAttention
        self.nativeWeightFormat = nativeWeightFormat
        self.maxContextTokens = maxContextTokens
        self.provenance = provenance
    }
}
