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

/// One route whose prompts all have `inputTokens` tokens (a spread of zero width) and few output
/// tokens, so the pool's slots never queue and its P99 TTFT is the prefill queue's alone.
private func uniformPromptPool(inputTokens: Double) throws -> (problem: PlanningProblem, pool: CandidatePool, route: Route) {
    let problem = try smallProblem(gpus: ["h100"], routing: .split, rate: 10, ttft: 2)
    let candidates = try CandidatePool.enumerate(for: problem)
    let index = try #require(candidates.firstIndex { $0.windowTokens == 16384 })
    let pool = candidates[index]
    let template = try #require(Route.enumerate(candidates: candidates, problem: problem).first { $0.pool == index })
    let route = Route(pool: index, bin: template.bin, compressed: false, inputTokens: inputTokens, outputTokens: 4,
                      prefillSeconds: pool.prefillSeconds(inputTokens: inputTokens), slotSeconds: template.slotSeconds,
                      iterationBudgetSeconds: template.iterationBudgetSeconds, prefillMeanSeconds: 0, prefillSecondMoment: 0,
                      computeSeconds: 0, dynamicJoules: 0, tailShare: 0,
                      spread: InputSpread(meanInputTokens: inputTokens, p99InputTokens: inputTokens), trimCap: .infinity)
    return (problem, pool, route)
}

/// A single instance is an M/D/1 queue for its prefill engine: each 8,000-token prompt holds it for
/// its prefill plus the decode part τ·(1 − Π) of the 8000/2048 iterations it rides in. P99 TTFT =
/// the prompt's own first-token time + the M/D/1 wait exceeded by 1% of arrivals (computed here on a
/// grid ten times finer than the planner's).
@Test func singleInstancePrefillQueueIsExactMD1() throws {
    let (problem, pool, route) = try uniformPromptPool(inputTokens: 8000)
    let prefill = pool.prefillSeconds(inputTokens: 8000)
    let rate = 0.6 / prefill
    let evaluation = PoolEvaluation(pool: pool, instances: 1, flows: [(route, rate)], problem: problem)
    let tau = evaluation.iterationSeconds
    let busy = rate * prefill
    let engine = prefill + 8000 / 2048 * tau * (1 - busy)
    let own = pool.firstTokenSeconds(inputTokens: 8000, chunkTokens: 2048)
    let wait = SingleServerWait(arrivalRatePerSecond: rate, services: [(1, engine)], horizonSeconds: 4, cells: 4000)
    let expected = own + wait.waitSeconds(exceededWithProbability: 0.01)
    let planned = evaluation.evaluate(id: pool.key)
    #expect(planned.operatingConcurrency < 1)  // no slot queue
    // The planner's grid (400 points over twice the SLO) rounds each residual up by under a step.
    let gridStep = 2 * problem.ttftP99Seconds / 399
    let rho = rate * engine
    #expect(planned.p99TTFTSeconds >= expected - 4.0 / 3999 - 1e-9)
    #expect(planned.p99TTFTSeconds <= expected + (3 * rho / (1 - rho) + 2) * gridStep)
    // The decode part matters: the engine is busier than prefill alone says.
    #expect(rate * engine > busy * 1.05)
}

/// From three instances the prefill queue keeps its exponential tail, P(W > x) = Π·e^(−Π·x / E[W]),
/// with Π = λ·P / N and the Pollaczek–Khinchine mean wait for a constant prompt, E[W] = Π·P / (2(1 − Π)):
/// P99 TTFT = own first-token time + E[W]/Π · ln(Π / 1%).
@Test func largerPoolsKeepTheExponentialPrefillTail() throws {
    let (problem, pool, route) = try uniformPromptPool(inputTokens: 8000)
    let prefill = pool.prefillSeconds(inputTokens: 8000)
    let rate = 3 * 0.6 / prefill
    let planned = PoolEvaluation(pool: pool, instances: 3, flows: [(route, rate)], problem: problem).evaluate(id: pool.key)
    let share = rate * prefill / 3
    let meanWait = share * prefill / (2 * (1 - share))
    let expected = pool.firstTokenSeconds(inputTokens: 8000, chunkTokens: 2048) + meanWait / share * log(share / 0.01)
    #expect(abs(planned.p99TTFTSeconds - expected) < 1e-9)
    #expect(abs(planned.p99WaitSeconds - meanWait / share * log(share / 0.01)) < 1e-9)
}
