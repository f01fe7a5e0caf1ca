import Foundation
import Testing
import FleetModel
@testable import FleetPlanner

/// One pool, one bin, numbers worked by hand from the profile's coefficients.
@Test func iterationTimeIsWeightStreamOverFreeShare() throws {
    let problem = try smallProblem(gpus: ["h100"], routing: .split, rate: 10)
    let candidates = try CandidatePool.enumerate(for: problem)
    let pool = try #require(candidates.first { $0.windowTokens == 4096 })
    let routes = Route.enumerate(candidates: candidates, problem: problem)
    let route = try #require(routes.first { candidates[$0.pool].windowTokens == 4096 && $0.bin == 0 })
    let rate = 5.0
    let evaluation = PoolEvaluation(pool: pool, instances: 2, flows: [(route, rate)], problem: problem)

    // Bin 0 is (0, 2048]: midpoint 1024 tokens, 20% output ⇒ 819.2 in, 204.8 out.
    #expect(abs(route.inputTokens - 819.2) < 1e-9 && abs(route.outputTokens - 204.8) < 1e-9)
    let profile = pool.profile
    let prefill = profile.prefillSecondsPerInputToken * 819.2 + profile.prefillSecondsPerSquaredInputToken * 819.2 * 819.2
    let perSequence = profile.perSequenceSeconds + profile.perContextTokenSeconds * (819.2 + 204.8 / 2)
    // Per instance: Π = 2.5 req/s · prefill; KV share = 2.5 · 204.8 · H; τ = W / (1 − Π − KV share).
    let free = 1 - 2.5 * prefill - 2.5 * 204.8 * perSequence
    let tau = profile.weightStreamSeconds / free
    #expect(abs(evaluation.iterationSeconds - tau) <= 1e-12 * tau)
    // Little: n = 2.5 · (prefill + 204.8 τ).
    #expect(abs(evaluation.concurrency(iterationSeconds: tau) - 2.5 * (prefill + 204.8 * tau)) < 1e-9)
    let planned = evaluation.evaluate(id: pool.key)
    #expect(abs(planned.throughputTokensPerSecond - rate * 204.8) < 1e-9)
    let watts = 2 * 8 * profile.power.watts(concurrency: 2.5 * (prefill + 204.8 * tau))
    #expect(abs(planned.powerWatts - watts) < 1e-6)
    #expect(abs(planned.tokensPerWatt - rate * 204.8 / watts) < 1e-12)
}

@Test func inputSpreadReproducesMeanAndP99() {
    // A CDF bin (1000, 2000] with input = 80% of total: inputs uniform on [800, 1600].
    let spread = InputSpread(meanInputTokens: 1200, p99InputTokens: 0.8 * (1000 + 0.99 * 1000))
    #expect(abs(spread.low - 800) < 1e-9 && abs(spread.high - 1600) < 1e-9)
    #expect(abs(spread.fractionAbove(1400) - 0.25) < 1e-12)
    // Trimming to 1200: half stay (mean 1000), half become 1200 ⇒ 1100.
    #expect(abs(spread.meanClipped(at: 1200) - 1100) < 1e-9)
}

/// The re-solve loop's search for the fewest instances that meet the SLO must agree with a linear
/// scan over every count, for thresholds at, inside and beyond the searched range.
@Test(arguments: [(start: 1, limit: 8, threshold: 1), (start: 1, limit: 8, threshold: 5), (start: 3, limit: 20, threshold: 20),
                  (start: 3, limit: 20, threshold: 21), (start: 7, limit: 2_000, threshold: 1_337), (start: 5, limit: 4, threshold: 1)])
func fewestInstancesMatchesALinearScan(start: Int, limit: Int, threshold: Int) {
    let scan = start <= limit ? (start...limit).first { $0 >= threshold } : nil
    var evaluations = 0
    let found = FleetPlanner.fewestInstances(from: start, limit: limit) { count in
        evaluations += 1
        return count >= threshold
    }
    #expect(found == scan)
    // Galloping then bisection: about 2·log2(limit) evaluations, not one per count.
    #expect(evaluations <= 2 * (Int(log2(Double(max(limit, 2)))) + 2))
}
