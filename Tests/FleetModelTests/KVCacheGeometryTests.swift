import Testing
@testable import FleetModel

@Suite("KV bytes per token and their split across tensor parallelism")
struct KVCacheGeometryTests {
    struct Case: Sendable, CustomStringConvertible {
        var model: String
        var tp: Int
        /// κ for the whole model, written out from the config numbers.
        var wholeModel: Double
        /// κ on each GPU.
        var perGPU: Double
        var description: String { "\(model) TP\(tp)" }
    }

    static let cases: [Case] = [
        // Llama-3.1-70B BF16: 2 (K and V) · 80 layers · 8 KV heads · 128 dims · 2 bytes.
        Case(model: "llama-3.1-70b", tp: 8, wholeModel: 2 * 80 * 8 * 128 * 2, perGPU: 2 * 80 * 8 * 128 * 2 / 8),
        // TP 16 > 8 KV heads: each head lives on two GPUs, so per GPU is still κ/8.
        Case(model: "llama-3.1-70b", tp: 16, wholeModel: 327_680, perGPU: 327_680 / 8),
        Case(model: "llama-3.1-70b", tp: 2, wholeModel: 327_680, perGPU: 327_680 / 2),
        // Qwen3-235B-A22B: 2 · 94 · 4 · 128 · 2 = 192,512; at TP 8 the 4 KV heads are replicated twice.
        Case(model: "qwen3-235b-a22b", tp: 8, wholeModel: 2 * 94 * 4 * 128 * 2, perGPU: 2 * 94 * 4 * 128 * 2 / 4),
        // Llama-3.1-405B: 2 · 126 · 8 · 128 · 2 = 516,096.
        Case(model: "llama-3.1-405b", tp: 1, wholeModel: 2 * 126 * 8 * 128 * 2, perGPU: 2 * 126 * 8 * 128 * 2),
        // DeepSeek-V3 MLA latent: 61 · (512 + 64) · 2 = 70,272, replicated on every GPU.
        Case(model: "deepseek-v3", tp: 8, wholeModel: 61 * (512 + 64) * 2, perGPU: 61 * (512 + 64) * 2),
    ]

    @Test(arguments: cases)
    func bytesPerToken(_ example: Case) throws {
        let model = try builtInCatalog().llm(named: example.model)
        #expect(model.kvBytesPerToken(format: .bf16) == example.wholeModel)
        #expect(model.kvBytesPerTokenPerGPU(format: .bf16, tensorParallel: example.tp) == example.perGPU)
    }

    @Test func llama70BIs327680BytesPerToken() throws {
        let model = try builtInCatalog().llm(named: "llama-3.1-70b")
        #expect(model.kvBytesPerToken(format: .bf16) == 327_680)
        #expect(model.kvBytesPerToken(format: .fp8) == 163_840)
    }
}

@Suite("Tensor-parallel degrees must split the heads")
struct TensorParallelTests {
    @Test func llama70BAcceptsPowersOfTwoUpToItsHeads() throws {
        let model = try builtInCatalog().llm(named: "llama-3.1-70b")
        // 64 attention heads, 8 KV heads: t | 64 and (t | 8 or 8 | t).
        #expect(model.validTensorParallelDegrees == [1, 2, 4, 8, 16, 32, 64])
    }

    @Test func tp3IsRefusedNamingTheHeads() throws {
        let model = try builtInCatalog().llm(named: "llama-3.1-70b")
        let error = #expect(throws: InputError.self) { try model.checkTensorParallel(3) }
        #expect(error?.code == .invalidValue)
        #expect(error?.description.contains("64 attention heads and 8 KV heads") == true)
        #expect(error?.description.contains("1, 2, 4, 8") == true)
    }

    @Test func profileRefusesTP3() throws {
        let catalog = try builtInCatalog()
        #expect(throws: InputError.self) {
            try ServingModel.profile(model: catalog.llm(named: "mixtral-8x7b"), gpu: catalog.gpu(named: "h100"),
                                     tensorParallel: 3, windowTokens: 4096)
        }
    }

    @Test func moreGPUsThanKVHeadsMustBeAMultiple() throws {
        let model = try builtInCatalog().llm(named: "qwen3-235b-a22b") // 64 heads, 4 KV heads
        #expect(model.supportsTensorParallel(8))
        #expect(model.supportsTensorParallel(2))
        #expect(!model.supportsTensorParallel(6))
        #expect(!model.supportsTensorParallel(0))
    }
}
