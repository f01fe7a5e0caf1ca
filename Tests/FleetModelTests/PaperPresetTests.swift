import Foundation
import Testing
@testable import FleetModel

/// The 1/W-law paper's table, recomputed step by step from its published constants
/// (DESIGN.md §4) and compared with what the preset produces.
@Suite("Paper calibration preset")
struct PaperPresetTests {
    /// The H100 power curve written out: 300 + 300 / (1 + e^(−(log2 n − 4.2))).
    static func h100Watts(_ n: Double) -> Double { 300 + 300 / (1 + exp(-(log2(n) - 4.2))) }
    /// The B200 projection: 430 + 430 / (1 + e^(−(log2 n − 4.46))).
    static func b200Watts(_ n: Double) -> Double { 430 + 430 / (1 + exp(-(log2(n) - 4.46))) }

    func paperProfile(gpu: String, window: Int) throws -> PoolProfile {
        let catalog = try builtInCatalog()
        return try ServingModel.profile(
            model: catalog.llm(named: "llama-3.1-70b"), gpu: catalog.gpu(named: gpu),
            tensorParallel: 8, windowTokens: window, configuration: .paper)
    }

    @Test func headlineFigures() throws {
        // 4K: n_max = 2^20 / 4096 = 256; τ = 4.0 + 0.32 · (2048 / 8192) · 256 = 4.0 + 20.48 = 24.48 ms;
        // P(256) = 300 + 300 / (1 + e^(−3.8)) = 593.4 W; tok/W (paper) = 256 / (0.02448 · 593.4) = 17.6.
        let n4K = 1_048_576.0 / 4096
        let tau4K = (4.0 + 0.32 * (2048.0 / 8192) * n4K) / 1000
        let expected4K = n4K / (tau4K * Self.h100Watts(n4K))
        #expect(isClose(expected4K, 17.6, relative: 0.01))

        // 64K: n_max = 16; τ = 4.0 + 0.32 · (32768 / 8192) · 16 = 24.48 ms; P(16) = 300 + 300/(1 + e^(0.2)) = 435.1 W.
        let n64K = 1_048_576.0 / 65536
        let tau64K = (4.0 + 0.32 * (32768.0 / 8192) * n64K) / 1000
        let expected64K = n64K / (tau64K * Self.h100Watts(n64K))
        #expect(isClose(expected64K, 1.50, relative: 0.01))

        let at4K = try paperProfile(gpu: "h100", window: 4096)
        #expect(at4K.maxConcurrency == 256)
        #expect(isClose(at4K.iterationSeconds(concurrency: 256, meanContextTokens: 2048), 0.02448, relative: 1e-9))
        #expect(isClose(at4K.tokensPerWattPaper(concurrency: 256, meanContextTokens: 2048), expected4K, relative: 1e-9))
        #expect(isClose(at4K.tokensPerWattPaper(concurrency: 256, meanContextTokens: 2048), 17.6, relative: 0.01))
        // Physical: the same instance over 8 GPUs' watts.
        #expect(isClose(at4K.tokensPerWatt(concurrency: 256, meanContextTokens: 2048), expected4K / 8, relative: 1e-9))

        let at64K = try paperProfile(gpu: "h100", window: 65536)
        #expect(at64K.maxConcurrency == 16)
        #expect(isClose(at64K.tokensPerWattPaper(concurrency: 16, meanContextTokens: 32768), 1.50, relative: 0.01))
    }

    @Test(arguments: [2048, 4096, 8192, 16384, 32768, 65536, 131072])
    func tauIs24_48msAtEveryWindow(window: Int) throws {
        let profile = try paperProfile(gpu: "h100", window: window)
        let n = 1_048_576 / window
        #expect(profile.maxConcurrency == n) // 512 at 2K … 8 at 128K
        let tau = profile.iterationSeconds(concurrency: Double(n), meanContextTokens: Double(window) / 2)
        #expect(isClose(tau, 0.02448, relative: 1e-9))
    }

    @Test(arguments: [2048, 4096, 8192, 16384, 32768, 65536, 131072])
    func projectedB200Is1_4To1_8TimesH100(window: Int) throws {
        let meanContext = Double(window) / 2
        // B200 by hand: n = ⌊2.62 · 2^20 / W⌋; τ = 2.955 ms + n · 0.32 ms · (3.35/8.0) · L̄/8192.
        let nB200 = (2.62 * 1_048_576 / Double(window)).rounded(.down)
        let tauB200 = (2.955 + nB200 * 0.32 * (3.35 / 8.0) * meanContext / 8192) / 1000
        let b200 = nB200 / (tauB200 * Self.b200Watts(nB200))
        let nH100 = 1_048_576 / Double(window)
        let h100 = nH100 / (0.02448 * Self.h100Watts(nH100))
        let handRatio = b200 / h100
        #expect(handRatio >= 1.4 && handRatio <= 1.8)

        let profileB200 = try paperProfile(gpu: "b200", window: window)
        let profileH100 = try paperProfile(gpu: "h100", window: window)
        #expect(Double(profileB200.maxConcurrency) == nB200)
        let ratio = profileB200.tokensPerWatt(concurrency: nB200, meanContextTokens: meanContext)
            / profileH100.tokensPerWatt(concurrency: nH100, meanContextTokens: meanContext)
        #expect(isClose(ratio, handRatio, relative: 1e-9))
    }

    @Test func b200HoldsTwoPointSixTwoTimesTheKV() throws {
        let b200 = try paperProfile(gpu: "b200", window: 4096)
        let h100 = try paperProfile(gpu: "h100", window: 4096)
        #expect(isClose(b200.kvCapacityTokensPerInstance / h100.kvCapacityTokensPerInstance, 2.62, relative: 1e-6))
        #expect(b200.weightStreamSeconds == 0.002955)
    }

    @Test func presetRefusesCombinationsThePaperDoesNotCover() throws {
        let catalog = try builtInCatalog()
        let error = #expect(throws: InputError.self) {
            try ServingModel.profile(model: catalog.llm(named: "qwen3-235b-a22b"), gpu: catalog.gpu(named: "h100"),
                                     tensorParallel: 8, windowTokens: 4096, configuration: .paper)
        }
        #expect(error?.code == .unsupported)
        #expect(throws: InputError.self) {
            try ServingModel.profile(model: catalog.llm(named: "llama-3.1-70b"), gpu: catalog.gpu(named: "h200"),
                                     tensorParallel: 8, windowTokens: 4096, configuration: .paper)
        }
        #expect(throws: InputError.self) {
            try ServingModel.profile(model: catalog.llm(named: "llama-3.1-70b"), gpu: catalog.gpu(named: "h100"),
                                     tensorParallel: 4, windowTokens: 4096, configuration: .paper)
        }
    }
}
