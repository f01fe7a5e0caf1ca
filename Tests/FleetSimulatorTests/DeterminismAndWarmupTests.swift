import Foundation
import Testing
import FleetModel
@testable import FleetSimulator

@Suite struct DeterminismAndWarmupTests {
    func runFixture(seed: UInt64, requests: Int = 5_000) throws -> SimulationResult {
        let fleet = try SimulatedFleet.fromPlanFile(path: try TestFleets.fixturePlanPath())
        let simulation = try FleetSimulation(fleet: fleet, options: SimulationOptions(requestCount: requests, seed: seed))
        var arrivals = simulation.poissonArrivals(rateRequestsPerSecond: 40)
        return try simulation.run(&arrivals)
    }

    @Test("same seed, same result; another seed, another result")
    func determinism() throws {
        let first = try runFixture(seed: 42)
        let second = try runFixture(seed: 42)
        let other = try runFixture(seed: 43)
        #expect(first == second)
        #expect(first != other)
    }

    @Test("the warm-up requests are excluded from latency statistics")
    func warmupExcluded() throws {
        let result = try runFixture(seed: 1, requests: 2_000)
        // Default warm-up 10%: 200 of 2,000 requests.
        #expect(result.run.warmupRequests == 200)
        #expect(result.fleet.measuredRequests == 1_800)
        #expect(result.pools.reduce(0) { $0 + $1.measuredRequests } == 1_800)
        #expect(result.pools.reduce(0) { $0 + $1.requests } == 2_000)
    }

    @Test("the fixture plan runs within its SLO and reports relative differences")
    func fixtureComparesWithPredictions() throws {
        let result = try runFixture(seed: 2)
        let short = result.pools[0]
        #expect(short.id == "short")
        let predicted = try #require(short.predicted?.tokensPerWatt)
        let simulated = try #require(short.tokensPerWatt)
        let difference = try #require(short.relativeDifference?.tokensPerWatt)
        #expect(abs(difference - (simulated - predicted) / predicted) < 1e-12)
        // The band (16384, 32768] is longer than the long pool's window: every request in it
        // is compressed (5% of traffic; binomial tolerance).
        let compressedShare = Double(result.pools[1].compressedRequests) / 5_000
        #expect(abs(compressedShare - 0.05) < 0.015)
        #expect(result.fleet.slo.ttftMet == true)
        // Fleet energy is the pools' sum.
        #expect(abs(result.fleet.energyKWh - result.pools.reduce(0) { $0 + $1.energyKWh }) < 1e-12)
    }
}
