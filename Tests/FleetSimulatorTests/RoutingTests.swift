import Foundation
import Testing
import FleetModel
@testable import FleetSimulator

@Suite struct RoutingTests {
    /// Generous capacity so routing, not queueing, is under test.
    static func roomyPool(_ id: String, window: Int = 8192) -> SimulatedPool {
        TestFleets.pool(id: id, window: window, instances: 4, slots: 256, kvCapacity: 1 << 30,
                        iteration: IterationCost(weightStreamSeconds: 0.001), prefillTokensPerSecond: 1e9)
    }

    @Test("a band's requests are split by its shares")
    func sharesHonoured() throws {
        let fleet = try SimulatedFleet(
            pools: [Self.roomyPool("a"), Self.roomyPool("b")],
            routing: [SimulatedRoutingBand(minTokens: 0, maxTokens: 4096, requestFraction: 1, meanInputTokens: 1500,
                                  meanOutputTokens: 100,
                                  shares: [RouteShare(poolID: "a", fraction: 0.3), RouteShare(poolID: "b", fraction: 0.7)])])
        let requests = 20_000
        let simulation = try FleetSimulation(fleet: fleet, options: SimulationOptions(requestCount: requests, seed: 5))
        var arrivals = simulation.poissonArrivals(rateRequestsPerSecond: 100)
        let result = try simulation.run(&arrivals)
        let shareA = Double(result.pools[0].requests) / Double(requests)
        // Binomial: σ = √(0.3·0.7/20,000) ≈ 0.0032; allow 4σ.
        #expect(abs(shareA - 0.3) < 0.013, "pool a got \(shareA)")
        #expect(result.pools[0].requests + result.pools[1].requests == requests)
    }

    @Test("bands route by total length; Poisson lengths follow band fractions and means")
    func bandsByLength() throws {
        let fleet = try SimulatedFleet(
            pools: [Self.roomyPool("short"), Self.roomyPool("long")],
            routing: [
                SimulatedRoutingBand(minTokens: 0, maxTokens: 1000, requestFraction: 0.4, meanInputTokens: 300,
                            meanOutputTokens: 100, shares: [RouteShare(poolID: "short", fraction: 1)]),
                SimulatedRoutingBand(minTokens: 1000, maxTokens: 8000, requestFraction: 0.6, meanInputTokens: 5000,
                            meanOutputTokens: 1000, shares: [RouteShare(poolID: "long", fraction: 1)]),
            ])
        let requests = 20_000
        let simulation = try FleetSimulation(fleet: fleet, options: SimulationOptions(requestCount: requests, seed: 11))

        // The sampler itself: every length inside its band, band shares and means respected.
        var sampler = simulation.poissonArrivals(rateRequestsPerSecond: 50)
        var shortCount = 0, shortInput = 0, shortOutput = 0, longInput = 0, longOutput = 0
        while let request = sampler.next() {
            #expect(request.totalTokens >= 1 && request.totalTokens <= 8000)
            if request.totalTokens <= 1000 {
                shortCount += 1; shortInput += request.inputTokens; shortOutput += request.outputTokens
            } else {
                longInput += request.inputTokens; longOutput += request.outputTokens
            }
        }
        let longCount = requests - shortCount
        #expect(abs(Double(shortCount) / Double(requests) - 0.4) < 0.015)
        // Band (0, 1000] with mean 400 (not the midpoint): the power-law sampler must match it.
        #expect(abs(Double(shortInput) / Double(shortCount) - 300) / 300 < 0.03)
        #expect(abs(Double(shortOutput) / Double(shortCount) - 100) / 100 < 0.03)
        #expect(abs(Double(longInput) / Double(longCount) - 5000) / 5000 < 0.03)
        #expect(abs(Double(longOutput) / Double(longCount) - 1000) / 1000 < 0.03)

        // The engine routes those same arrivals by length.
        var arrivals = simulation.poissonArrivals(rateRequestsPerSecond: 50)
        let result = try simulation.run(&arrivals)
        #expect(result.pools[0].requests == shortCount)
        #expect(result.pools[1].requests == longCount)
    }

    @Test("requests longer than the pool's window are trimmed to fit (compressed)")
    func compressedRequestsTrimmed() throws {
        // Pool window 1000; band (1000, 2000] sent to it compressed. Prefill 10,000 tok/s.
        let fleet = try SimulatedFleet(
            pools: [TestFleets.pool(window: 1000, iteration: IterationCost(weightStreamSeconds: 0.01))],
            routing: [SimulatedRoutingBand(minTokens: 0, maxTokens: 2000, requestFraction: 1, meanInputTokens: 1400,
                                  meanOutputTokens: 100, shares: [RouteShare(poolID: "p0", fraction: 1, compressed: true)])])
        var arrivals = ScheduledArrivals([ArrivingRequest(arrivalSeconds: 0, inputTokens: 1500, outputTokens: 100)])
        let options = SimulationOptions(requestCount: 1, warmupFraction: 0, measurementWindow: .wholeRun)
        let result = try FleetSimulation(fleet: fleet, options: options).run(&arrivals)
        #expect(result.pools[0].compressedRequests == 1)
        // Input trimmed to 1000 − 100 = 900 tokens: TTFT = 0.01 + 900/10,000 = 0.1 s
        // (untrimmed it would be 0.16 s).
        #expect(abs((result.fleet.p50TTFTSeconds ?? 0) - 0.1) < 1e-9)
        // All 100 output tokens are still generated.
        #expect(abs((result.fleet.throughputTokensPerSecond ?? 0) * result.run.windowSeconds - 100) < 1e-6)
    }

    @Test("requests beyond the last band go to the last band's pools and are counted")
    func beyondRouting() throws {
        let fleet = try SimulatedFleet(pools: [TestFleets.pool(window: 1000)],
                                       routing: [TestFleets.band(maxTokens: 1000, meanInput: 400, meanOutput: 100)])
        var arrivals = ScheduledArrivals([ArrivingRequest(arrivalSeconds: 0, inputTokens: 3000, outputTokens: 10)])
        let result = try FleetSimulation(fleet: fleet, options: SimulationOptions(requestCount: 1, warmupFraction: 0))
            .run(&arrivals)
        #expect(result.run.requestsBeyondRouting == 1)
        #expect(result.pools[0].compressedRequests == 1)
    }

    @Test("KV reservation: window reservation admits capacity/window sequences, paged more")
    func kvAdmission() throws {
        // n_max 8 but KV for only two 1000-token windows.
        let fleet = try SimulatedFleet(
            pools: [TestFleets.pool(window: 1000, slots: 8, kvCapacity: 2000)],
            routing: [TestFleets.band(maxTokens: 1000, meanInput: 10, meanOutput: 5)])
        let three = (0..<3).map { _ in ArrivingRequest(arrivalSeconds: 0, inputTokens: 10, outputTokens: 5) }

        var windowArrivals = ScheduledArrivals(three)
        let windowed = try FleetSimulation(fleet: fleet, options: SimulationOptions(requestCount: 3, warmupFraction: 0))
            .run(&windowArrivals)
        #expect(windowed.run.maxQueueLength == 1)
        #expect((windowed.fleet.meanQueueWaitSeconds ?? 0) > 0)

        var pagedArrivals = ScheduledArrivals(three)
        let paged = try FleetSimulation(fleet: fleet, options: SimulationOptions(requestCount: 3, warmupFraction: 0,
                                                                                 kvReservation: .paged))
            .run(&pagedArrivals)
        #expect(paged.run.maxQueueLength == 0)
        #expect(paged.fleet.meanQueueWaitSeconds == 0)
    }
}
