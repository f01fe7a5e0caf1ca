import Foundation
import Testing
@testable import FleetModel

/// The MoE lever: decode streams the active parameters, HBM holds all of them.
@Suite("Mixture-of-Experts decode model")
struct MixtureOfExpertsTests {
    /// Parameters of a SwiGLU transformer counted from its config: attention (q, k, v, o), FFN or
    /// experts (3 matrices each) with router, two norms per layer, untied embedding + LM head.
    static func parameters(layers: Double, hidden: Double, heads: Double, kvHeads: Double, headDim: Double,
                           experts: Double, expertsUsed: Double, expertFFN: Double, vocab: Double,
                           qkNorm: Bool) -> (total: Double, active: Double) {
        let attention = hidden * heads * headDim + 2 * hidden * kvHeads * headDim + heads * headDim * hidden
            + (qkNorm ? 2 * headDim : 0)
        let expert = 3 * hidden * expertFFN
        let router = experts > 1 ? hidden * experts : 0
        let norms = 2 * hidden
        let embeddings = 2 * vocab * hidden + hidden
        return (layers * (attention + experts * expert + router + norms) + embeddings,
                layers * (attention + expertsUsed * expert + router + norms) + embeddings)
    }

    @Test func catalogParameterCountsMatchTheConfigs() throws {
        let catalog = try builtInCatalog()
        // Qwen3-235B-A22B: 94 layers, hidden 4096, 64 heads, 4 KV heads, head_dim 128, 128 experts, top-8, 1536.
        let qwen = Self.parameters(layers: 94, hidden: 4096, heads: 64, kvHeads: 4, headDim: 128,
                                   experts: 128, expertsUsed: 8, expertFFN: 1536, vocab: 151_936, qkNorm: true)
        let qwenSpec = try catalog.llm(named: "qwen3-235b-a22b")
        #expect(isClose(qwenSpec.totalParameters, qwen.total, relative: 0.001))
        #expect(isClose(qwenSpec.activeParameters, qwen.active, relative: 0.001))
        // Llama-3.1-70B, dense: one "expert" of 28,672, always used.
        let llama = Self.parameters(layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128,
                                    experts: 1, expertsUsed: 1, expertFFN: 28_672, vocab: 128_256, qkNorm: false)
        let llamaSpec = try catalog.llm(named: "llama-3.1-70b")
        #expect(isClose(llamaSpec.totalParameters, llama.total, relative: 0.001))
        #expect(llamaSpec.activeParameters == llamaSpec.totalParameters)
        // Mixtral-8x7B: 8 experts of 14,336, top-2: ≈ 46.7B total, 12.9B active.
        let mixtral = Self.parameters(layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128,
                                      experts: 8, expertsUsed: 2, expertFFN: 14_336, vocab: 32_000, qkNorm: false)
        let mixtralSpec = try catalog.llm(named: "mixtral-8x7b")
        #expect(isClose(mixtralSpec.totalParameters, mixtral.total, relative: 0.001))
        #expect(isClose(mixtralSpec.activeParameters, mixtral.active, relative: 0.001))
    }

    @Test func weightStreamScalesWithActiveParameters() throws {
        let catalog = try builtInCatalog()
        let h100 = try catalog.gpu(named: "h100")
        let qwen = try ServingModel.profile(model: catalog.llm(named: "qwen3-235b-a22b"), gpu: h100,
                                            tensorParallel: 8, windowTokens: 8192)
        let llama = try ServingModel.profile(model: catalog.llm(named: "llama-3.1-70b"), gpu: h100,
                                             tensorParallel: 8, windowTokens: 8192)
        // W = active · 2 B / 8 GPUs / (0.8 · 3.35 TB/s): 22.19e9 → 2.070 ms, 70.55e9 → 6.582 ms.
        #expect(isClose(qwen.weightStreamSeconds, 22.19e9 * 2 / 8 / (0.8 * 3.35e12), relative: 0.001))
        #expect(isClose(llama.weightStreamSeconds, 70.554e9 * 2 / 8 / (0.8 * 3.35e12), relative: 0.001))
        #expect(isClose(qwen.weightStreamSeconds / llama.weightStreamSeconds, 22.19 / 70.554, relative: 0.001))
        // …but the resident weights are all 235B: 58.8 GB per GPU against Llama's 17.6 GB.
        #expect(isClose(qwen.weightBytesPerGPU, 235.094e9 * 2 / 8, relative: 0.001))
    }

    /// Physically consistent tok/W at 8K on H100 TP8 (same n and τ for throughput and power),
    /// computed by hand from the catalog's config numbers.
    @Test func tokensPerWattAt8KOnH100TP8() throws {
        func handTokensPerWatt(totalParams: Double, activeParams: Double, kvPerTokenPerGPU: Double) -> Double {
            let bandwidth = 0.8 * 3.35e12
            let budget = 80e9 * 0.9 - totalParams * 2 / 8 - 2e9
            let n = ((budget / kvPerTokenPerGPU).rounded(.down) / 8192).rounded(.down)
            let memory = activeParams * 2 / 8 / bandwidth + n * kvPerTokenPerGPU * 4096 / bandwidth
            let compute = n * 2 * activeParams / (8 * 989e12 * 0.5)
            let tau = max(memory, compute)
            let watts = 300 + 300 / (1 + exp(-(log2(n) - 4.2)))
            return n / (tau * 8 * watts)
        }
        // Qwen3: κ_gpu = 2·94·4·128·2 / 4 = 48,128 B; n_max = 28 → τ = 2.07 + 28 · 0.0736 ms ≈ 4.13 ms; ≈ 1.72 tok/W.
        let qwenHand = handTokensPerWatt(totalParams: 235.094e9, activeParams: 22.191e9, kvPerTokenPerGPU: 48_128)
        // Llama: κ_gpu = 40,960 B; n_max = 156 → τ = 6.58 + 156 · 0.0626 ms ≈ 16.35 ms; ≈ 2.03 tok/W.
        let llamaHand = handTokensPerWatt(totalParams: 70.554e9, activeParams: 70.554e9, kvPerTokenPerGPU: 40_960)

        let catalog = try builtInCatalog()
        let h100 = try catalog.gpu(named: "h100")
        let points = try LawSweep.run(
            models: [catalog.llm(named: "llama-3.1-70b"), catalog.llm(named: "qwen3-235b-a22b")], gpus: [h100],
            tensorParallel: [8], windows: [8192], configuration: ServingConfiguration())
        let llama = try #require(points.first { $0.model == "Llama-3.1-70B" })
        let qwen = try #require(points.first { $0.model == "Qwen3-235B-A22B" })
        #expect(llama.nMax == 156)
        #expect(qwen.nMax == 28)
        #expect(isClose(try #require(qwen.tokensPerWatt), qwenHand, relative: 1e-6))
        #expect(isClose(try #require(llama.tokensPerWatt), llamaHand, relative: 1e-6))
        // Far from the paper's ≈5×: the KV term dominates τ and the 235B of weights crowd out KV.
        #expect(try #require(qwen.tokensPerWattRatioToFirst) < 1)
    }

    @Test func kvPerTokenForMLAIsTheLatent() throws {
        let deepseek = try builtInCatalog().llm(named: "deepseek-v3")
        #expect(deepseek.isMixtureOfExperts)
        #expect(deepseek.latentAttention != nil)
        #expect(deepseek.kvBytesPerToken(format: .bf16) == 70_272)
        #expect(deepseek.nativeWeightFormat == .fp8)
    }
}
