import Foundation
import Testing
import FleetModel
@testable import FleetSimulator

/// Tiny runs whose every iteration is worked out by hand in the comments: iteration times,
/// first tokens, TPOT, energy and tokens per joule.
@Suite struct HandWorkedTimelineTests {
    /// W = 10 ms, h0 = 1 ms per sequence, h1 = 0.1 ms per context token; prefill 10,000 tok/s.
    static let iteration = IterationCost(weightStreamSeconds: 0.01, perSequenceSeconds: 0.001,
                                         perContextTokenSeconds: 0.0001)
    static let wholeRun = SimulationOptions(requestCount: 10, seed: 1, warmupFraction: 0,
                                            measurementWindow: .wholeRun)

    @Test("one request on a two-instance pool: iterations, idle power and energy by hand")
    func oneRequestEnergy() throws {
        // Two instances of 2 GPUs each; the request (100 in, 3 out) arrives at t = 1 s and
        // goes to instance 0 (both idle: lowest index).
        let fleet = try SimulatedFleet(
            pools: [TestFleets.pool(tp: 2, instances: 2, iteration: Self.iteration)],
            routing: [TestFleets.band()])
        var arrivals = ScheduledArrivals([ArrivingRequest(arrivalSeconds: 1, inputTokens: 100, outputTokens: 3)])
        let result = try FleetSimulation(fleet: fleet, options: Self.wholeRun).run(&arrivals)

        // Iteration 1: prefill 100 tokens, no decoders: 0.01 + 100/10,000 = 0.02 s → token 1 at 1.02.
        // Iteration 2: one decoder, context 101: 0.01 + 0.001 + 0.0101 = 0.0211 s → token 2 at 1.0411.
        // Iteration 3: context 102: 0.01 + 0.001 + 0.0102 = 0.0212 s → token 3 at 1.0623.
        let end = 1.0623
        let pool = result.pools[0]
        #expect(abs(result.run.simulatedSeconds - end) < 1e-9)
        #expect(abs((pool.p50TTFTSeconds ?? 0) - 0.02) < 1e-9)
        #expect(abs((pool.p50TPOTSeconds ?? 0) - (end - 1.02) / 2) < 1e-9)

        // Power per GPU: P(0) = 100 W, P(1) = 100 + 200/(1 + e^0) = 200 W.
        // Instance 0: idle [0, 1] and busy 0.0623 s at batch 1; instance 1 idle [0, 1.0623].
        let joules = 2 * 100 * 1.0 + 2 * 200 * 0.0623 + 2 * 100 * end
        #expect(abs(pool.energyKWh * 3.6e6 - joules) < 1e-6)
        #expect(abs((pool.tokensPerWatt ?? 0) - 3 / joules) < 1e-9)
        #expect(abs((pool.averagePowerWatts ?? 0) - joules / end) < 1e-6)
        // One slot of 8 held for 0.0623 s out of 1.0623 s.
        #expect(abs((pool.utilisation ?? 0) - 0.0623 / (8 * end)) < 1e-9)
        #expect(result.fleet.energyKWh == pool.energyKWh)
    }

    @Test("two requests batch: context sums, prefill sharing an iteration with decode")
    func twoRequestsBatch() throws {
        let fleet = try SimulatedFleet(
            pools: [TestFleets.pool(iteration: Self.iteration)],
            routing: [TestFleets.band()])
        var arrivals = ScheduledArrivals([
            ArrivingRequest(arrivalSeconds: 0, inputTokens: 100, outputTokens: 3),   // A
            ArrivingRequest(arrivalSeconds: 0.005, inputTokens: 50, outputTokens: 2), // B
        ])
        let result = try FleetSimulation(fleet: fleet, options: Self.wholeRun).run(&arrivals)

        // It. 1 [0, 0.02]: prefill A (100 tokens): 0.01 + 0.01 = 0.02. A's first token at 0.02.
        //   B arrives at 0.005 and waits for the iteration boundary.
        // It. 2 [0.02, 0.0461]: decode A (context 101) + prefill B (50 tokens):
        //   0.01 + 0.001 + 0.0101 + 0.005 = 0.0261. A token 2; B's first token at 0.0461.
        // It. 3 [0.0461, 0.0734]: decode A (102) and B (51): 0.01 + 0.002 + 0.0153 = 0.0273.
        //   A token 3 and B token 2: both done at 0.0734.
        let end = 0.0734
        #expect(abs(result.run.simulatedSeconds - end) < 1e-9)
        #expect(result.run.iterations == 3)
        let pool = result.pools[0]
        // TTFT A = 0.02, B = 0.0411: exact means; percentiles to the histogram's ±0.5%
        // (P50 is the lower by nearest rank, 1 of 2; P99 the upper).
        #expect(abs((pool.meanTTFTSeconds ?? 0) - (0.02 + 0.0411) / 2) < 1e-9)
        #expect(abs((pool.p50TTFTSeconds ?? 0) - 0.02) / 0.02 < 0.005)
        #expect(abs((pool.p99TTFTSeconds ?? 0) - 0.0411) / 0.0411 < 0.005)
        // TPOT A = (0.0734 − 0.02)/2 = 0.0267, B = (0.0734 − 0.0461)/1 = 0.0273.
        #expect(abs((pool.meanTPOTSeconds ?? 0) - (0.0267 + 0.0273) / 2) < 1e-9)
        #expect(abs((pool.p50TPOTSeconds ?? 0) - 0.0267) / 0.0267 < 0.005)
        #expect(abs((pool.p99TPOTSeconds ?? 0) - 0.0273) / 0.0273 < 0.005)
        // Energy: batch 1 for 0.02 s at 200 W, batch 2 for 0.0534 s at P(2), no idle time.
        let p2 = 100 + 200 / (1 + exp(-1.0))
        let joules = 0.02 * 200 + 0.0534 * p2
        #expect(abs(pool.energyKWh * 3.6e6 - joules) < 1e-9)
        #expect(abs((pool.tokensPerWatt ?? 0) - 5 / joules) < 1e-9)
        // Mean batch over busy time: (1·0.02 + 2·0.0534) / 0.0734.
        #expect(abs((pool.meanBatchSize ?? 0) - (0.02 + 2 * 0.0534) / end) < 1e-9)
    }

    @Test("chunked prefill spreads a long prompt over iterations")
    func chunkedPrefill() throws {
        let fleet = try SimulatedFleet(
            pools: [TestFleets.pool(window: 8192, iteration: Self.iteration)],
            routing: [TestFleets.band(maxTokens: 8192)])
        var arrivals = ScheduledArrivals([ArrivingRequest(arrivalSeconds: 0, inputTokens: 5000, outputTokens: 2)])
        var options = Self.wholeRun
        options.prefillChunkTokens = 2048
        let result = try FleetSimulation(fleet: fleet, options: options).run(&arrivals)
        // Chunks 2048, 2048, 904: 3 iterations of 0.01 + chunk/10,000 s, then the first token.
        let ttft = 3 * 0.01 + 5000.0 / 10_000
        #expect(abs((result.fleet.p50TTFTSeconds ?? 0) - ttft) < 1e-9)
        // One decode iteration at context 5001: 0.01 + 0.001 + 0.5001.
        #expect(abs((result.fleet.p50TPOTSeconds ?? 0) - 0.5111) < 1e-9)
        #expect(result.run.iterations == 4)
    }

    @Test("the attention part of prefill adds c·L² over the chunks of a prompt")
    func quadraticPrefill() throws {
        let fleet = try SimulatedFleet(
            pools: [TestFleets.pool(window: 8192, iteration: Self.iteration, prefillSecondsPerSquaredInputToken: 1e-9)],
            routing: [TestFleets.band(maxTokens: 8192)])
        var arrivals = ScheduledArrivals([ArrivingRequest(arrivalSeconds: 0, inputTokens: 5000, outputTokens: 1)])
        let result = try FleetSimulation(fleet: fleet, options: Self.wholeRun).run(&arrivals)
        // Pieces [0, 2048), [2048, 4096), [4096, 5000): the b² − a² terms add up to 5000².
        // TTFT = 3 iterations × 0.01 + 5000/10,000 + 1e-9 · 5000² = 0.03 + 0.5 + 0.025.
        #expect(abs((result.fleet.p50TTFTSeconds ?? 0) - 0.555) < 1e-9)
    }

    @Test("a prefill rate of 0 means prefill is not modelled")
    func prefillNotModelled() throws {
        let fleet = try SimulatedFleet(pools: [TestFleets.pool(iteration: Self.iteration, prefillTokensPerSecond: 0)],
                                       routing: [TestFleets.band()])
        var arrivals = ScheduledArrivals([ArrivingRequest(arrivalSeconds: 0, inputTokens: 1000, outputTokens: 1)])
        let result = try FleetSimulation(fleet: fleet, options: Self.wholeRun).run(&arrivals)
        // One iteration of W alone.
        #expect(abs((result.fleet.p50TTFTSeconds ?? 0) - 0.01) < 1e-12)
    }

    @Test("the compute bound caps the iteration when it is slower than memory")
    func computeBound() throws {
        // compute 50 ms per sequence: one decoder → max(0.01 + 0.001 + ctx·h1, 0.05).
        let iteration = IterationCost(weightStreamSeconds: 0.01, perSequenceSeconds: 0.001,
                                      perContextTokenSeconds: 0.0001, computeSecondsPerSequence: 0.05)
        let fleet = try SimulatedFleet(pools: [TestFleets.pool(iteration: iteration)], routing: [TestFleets.band()])
        var arrivals = ScheduledArrivals([ArrivingRequest(arrivalSeconds: 0, inputTokens: 10, outputTokens: 2)])
        let result = try FleetSimulation(fleet: fleet, options: Self.wholeRun).run(&arrivals)
        // It. 1: prefill 10 tokens, no decoders: max(0.01, 0) + 0.001 = 0.011.
        // It. 2: context 11: memory 0.01 + 0.001 + 0.0011 = 0.0121 < compute 0.05 → 0.05.
        #expect(abs((result.fleet.p50TTFTSeconds ?? 0) - 0.011) < 1e-9)
        #expect(abs((result.fleet.p50TPOTSeconds ?? 0) - 0.05) < 1e-9)
    }
}
