import Testing
@testable import FleetModel

@Suite("Weights, KV budget and the concurrency cap")
struct MemoryFitTests {
    @Test func llama405BDoesNotFitOnOneH100() throws {
        let catalog = try builtInCatalog()
        let profile = try ServingModel.profile(
            model: catalog.llm(named: "llama-3.1-405b"), gpu: catalog.gpu(named: "h100"),
            tensorParallel: 1, windowTokens: 4096)
        // 405,853,388,800 parameters · 2 bytes (BF16) / 1 GPU = 811.7 GB of weights,
        // against 80 GB · 0.90 = 72 GB usable: 811.7 − 72 − 2 (reserve) < 0.
        let weights = 405_853_388_800.0 * 2
        #expect(isClose(profile.weightBytesPerGPU, weights, relative: 1e-5))
        #expect(isClose(profile.kvBudgetBytesPerGPU, 80e9 * 0.90 - weights - 2e9, relative: 1e-5))
        #expect(profile.fits == false)
        #expect(profile.maxConcurrency == 0)
        #expect(profile.concurrencyLimit == .memory)
        #expect(profile.fitProblem?.contains("weights") == true)
        // κ is still reported: 2 · 126 · 8 · 128 · 2.
        #expect(profile.kvBytesPerToken == 516_096)
    }

    @Test func llama405BFitsOnEightB200() throws {
        let catalog = try builtInCatalog()
        let profile = try ServingModel.profile(
            model: catalog.llm(named: "llama-3.1-405b"), gpu: catalog.gpu(named: "b200"),
            tensorParallel: 8, windowTokens: 4096)
        // 811.7 GB / 8 = 101.5 GB per GPU < 180 · 0.9 − 2 = 160 GB.
        #expect(profile.fits)
    }

    @Test func llama70BOnH100TP8PhysicalCapacity() throws {
        let catalog = try builtInCatalog()
        let profile = try ServingModel.profile(
            model: catalog.llm(named: "llama-3.1-70b"), gpu: catalog.gpu(named: "h100"),
            tensorParallel: 8, windowTokens: 4096)
        // Weights per GPU: 70,553,706,496 · 2 / 8 = 17,638,426,624 B.
        // Budget: 72e9 − 17,638,426,624 − 2e9 = 52,361,573,376 B.
        // κ_gpu = 327,680 / 8 = 40,960 B/token → ⌊52,361,573,376 / 40,960⌋ = 1,278,358 tokens.
        // n_kv at 4K = ⌊1,278,358.7 / 4,096⌋ = 312.
        let budget = 72e9 - 17_638_426_624.0 - 2e9
        #expect(isClose(profile.kvBudgetBytesPerGPU, budget, relative: 1e-4))
        #expect(profile.kvBytesPerTokenPerGPU == 40_960)
        #expect(abs(profile.kvCapacityTokensPerInstance - (budget / 40_960).rounded(.down)) <= 200)
        #expect(profile.maxConcurrency == 312)
        #expect(profile.concurrencyLimit == .kvCache)
    }

    @Test func pagedReservationHoldsTwiceAsManyHalfFullSequences() throws {
        let catalog = try builtInCatalog()
        let model = try catalog.llm(named: "llama-3.1-70b")
        let gpu = try catalog.gpu(named: "h100")
        var configuration = ServingConfiguration()
        configuration.reservation = .paged
        let paged = try ServingModel.profile(model: model, gpu: gpu, tensorParallel: 8, windowTokens: 4096,
                                             configuration: configuration)
        // Mean context defaults to 2,048 = window/2: ⌊1,278,358 / 2,048⌋ = 624.
        #expect(paged.maxConcurrency == 624)
    }

    @Test func engineCapAndTPOTCap() throws {
        let catalog = try builtInCatalog()
        let model = try catalog.llm(named: "llama-3.1-70b")
        let gpu = try catalog.gpu(named: "h100")
        var configuration = ServingConfiguration()
        configuration.maxNumSeqs = 100
        let capped = try ServingModel.profile(model: model, gpu: gpu, tensorParallel: 8, windowTokens: 4096,
                                              configuration: configuration)
        #expect(capped.maxConcurrency == 100)
        #expect(capped.concurrencyLimit == .maxNumSeqs)

        // TPOT 10 ms. W = 17,638,426,624 B / (0.8 · 3.35e12 B/s) = 6.5815 ms.
        // H(2,048) = 40,960 · 2,048 / 2.68e12 = 31.30 µs. n_tpot = ⌊(10 − 6.5815) / 0.031300⌋ = 109.
        configuration.maxNumSeqs = nil
        configuration.tpotSLOSeconds = 0.010
        let slo = try ServingModel.profile(model: model, gpu: gpu, tensorParallel: 8, windowTokens: 4096,
                                           configuration: configuration)
        let w = 17_638_426_624.0 / (0.8 * 3.35e12)
        let h = 40_960.0 * 2048 / (0.8 * 3.35e12)
        #expect(slo.maxConcurrency == Int(((0.010 - w) / h).rounded(.down)))
        #expect(slo.maxConcurrency == 109)
        #expect(slo.concurrencyLimit == .tpot)
        #expect(slo.iterationSeconds(concurrency: 109, meanContextTokens: 2048) <= 0.010)

        // A TPOT below one weight pass leaves nothing.
        configuration.tpotSLOSeconds = 0.005
        let impossible = try ServingModel.profile(model: model, gpu: gpu, tensorParallel: 8, windowTokens: 4096,
                                                  configuration: configuration)
        #expect(impossible.maxConcurrency == 0)
        #expect(impossible.concurrencyLimit == .tpot)
    }

    @Test func aWindowLongerThanTheKVBudgetDoesNotFit() throws {
        let catalog = try builtInCatalog()
        // Qwen3-235B on 8×H100: 235.09e9 · 2 / 8 = 58.77 GB of weights; budget 72 − 58.77 − 2 = 11.23 GB;
        // κ_gpu = 48,128 B → 233,337 tokens: one 256K sequence does not fit, one 128K does.
        let model = try catalog.llm(named: "qwen3-235b")
        let gpu = try catalog.gpu(named: "h100")
        let long = try ServingModel.profile(model: model, gpu: gpu, tensorParallel: 8, windowTokens: 262_144)
        #expect(long.fits == false)
        #expect(long.fitProblem?.contains("one sequence") == true)
        let ok = try ServingModel.profile(model: model, gpu: gpu, tensorParallel: 8, windowTokens: 131_072)
        #expect(ok.fits)
        #expect(ok.maxConcurrency == 1)
    }
}
