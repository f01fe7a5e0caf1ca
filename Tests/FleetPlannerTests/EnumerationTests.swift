import Foundation
import Testing
import FleetModel
import MILP
@testable import FleetPlanner

/// Brute force over pure threshold routings: every bin picks one of its routes; each used pool gets
/// the fewest instances that satisfy its slot, iteration-time, compute and prefill-queue capacities; fleets that
/// break a TTFT tail or the pool limit are dropped. Returns the least linearised power.
private func enumeratedOptimumWatts(problem: PlanningProblem, candidates: [CandidatePool], routes: [Route],
                                    minimumInstances: [Int: Int] = [:]) -> Double {
    let bins = problem.workload.bins
    let choices = bins.indices.map { j in routes.indices.filter { routes[$0].bin == j && !routes[$0].compressed } }
    var best = Double.infinity
    var pick = Array(repeating: 0, count: bins.count)
    func evaluate() {
        var slots: [Int: Double] = [:], iteration: [Int: Double] = [:], compute: [Int: Double] = [:]
        var prefill: [Int: Double] = [:]
        var tailExcess: [Int: Double] = [:], dynamic = 0.0
        for (j, choice) in pick.enumerated() {
            let route = routes[choices[j][choice]]
            let rate = problem.rateRequestsPerSecond * bins[j].requestFraction
            slots[route.pool, default: 0] += rate * route.slotSeconds
            iteration[route.pool, default: 0] += rate * route.iterationBudgetSeconds
            compute[route.pool, default: 0] += rate * route.computeSeconds
            prefill[route.pool, default: 0] += rate * prefillNeedPerRequest(route, problem: problem)
            tailExcess[route.pool, default: 0] += rate * (route.tailShare - Route.tailAllowance)
            dynamic += rate * route.dynamicJoules
        }
        guard slots.count <= problem.maxPools, tailExcess.values.allSatisfy({ $0 <= 1e-9 }) else { return }
        var watts = dynamic
        for (p, load) in slots {
            let pool = candidates[p]
            let bySlots = load / pool.operatingConcurrency
            let byIteration = iteration[p, default: 0] / pool.iterationCapacitySeconds
            let byCompute = pool.profile.computeSecondsPerSequence > 0 ? compute[p, default: 0] / problem.maxUtilisation : 0
            let byPrefill = pool.isPaperCalibrated ? 0 : prefill[p, default: 0]
            let instances = max(Double(max(problem.minInstancesPerPool, minimumInstances[p] ?? 0)),
                                (max(bySlots, byIteration, byCompute, byPrefill) - 1e-9).rounded(.up))
            watts += instances * Double(pool.tensorParallel) * pool.fixedPowerPerGPUWatts
        }
        best = min(best, watts)
    }
    func recurse(_ j: Int) {
        if j == bins.count { evaluate(); return }
        for choice in choices[j].indices {
            pick[j] = choice
            recurse(j + 1)
        }
    }
    recurse(0)
    return best
}

/// Instances one request/s needs for the prefill queue's mean wait to stay at the planned wait w:
/// (E[P²]/2 + w·E[P]) / w (DESIGN.md §6).
private func prefillNeedPerRequest(_ route: Route, problem: PlanningProblem) -> Double {
    let wait = Route.plannedMeanPrefillWait(problem)
    return (route.prefillSecondMoment / 2 + wait * route.prefillMeanSeconds) / wait
}

/// A single A100 pool has to take every request, and its prefill queue needs more instances than
/// its slots, iteration budget or compute. N's upper bound once left the prefill queue out, so
/// such a pool was capped below its need and the planner reported that one pool serves 69% of
/// the demand; the pool must get exactly ⌈Σ λ·(E[P²]/2 + w·E[P]) / w⌉ instances.
@Test func onePoolGetsTheInstancesItsPrefillQueueNeeds() throws {
    var problem = try smallProblem(gpus: ["a100"], routing: .split, rate: 100)
    problem.maxPools = 1
    let candidates = try CandidatePool.enumerate(for: problem)
    let routes = Route.enumerate(candidates: candidates, problem: problem)
    let p = try #require(candidates.firstIndex { $0.windowTokens == 16384 })
    var byPrefill = 0.0, bySlots = 0.0, byIteration = 0.0
    for route in routes where route.pool == p {
        let rate = problem.rateRequestsPerSecond * problem.workload.bins[route.bin].requestFraction
        byPrefill += rate * prefillNeedPerRequest(route, problem: problem)
        bySlots += rate * route.slotSeconds / candidates[p].operatingConcurrency
        byIteration += rate * route.iterationBudgetSeconds / candidates[p].iterationCapacitySeconds
    }
    #expect(byPrefill > max(bySlots, byIteration) + 1)
    let formulation = FleetFormulation(problem: problem, candidates: candidates, routes: routes)
    var options = SolveOptions()
    options.relativeGap = 0
    let solution = try GLPKSolver().solve(formulation.model, options: options)
    #expect(solution.status == .optimal)
    #expect(solution.value(of: formulation.instances[p]) == (byPrefill - 1e-9).rounded(.up))
}

@Test("Threshold-routing MILP equals exhaustive enumeration", arguments: [
    (["h100"], ServingConfiguration.Preset.physical, 40.0),
    (["h100", "b200"], .physical, 40.0),
    (["a100", "h100", "b200"], .physical, 120.0),
    (["h100", "b200"], .paper, 300.0),
])
func milpMatchesEnumeration(gpus: [String], preset: ServingConfiguration.Preset, rate: Double) throws {
    let problem = try smallProblem(gpus: gpus, preset: preset, routing: .threshold, rate: rate)
    let candidates = try CandidatePool.enumerate(for: problem)
    let routes = Route.enumerate(candidates: candidates, problem: problem)
    #expect(candidates.count <= 9)
    let formulation = FleetFormulation(problem: problem, candidates: candidates, routes: routes)
    var options = SolveOptions()
    options.relativeGap = 0
    let solution = try GLPKSolver().solve(formulation.model, options: options)
    #expect(solution.status == .optimal)
    let reference = enumeratedOptimumWatts(problem: problem, candidates: candidates, routes: routes)
    #expect(reference.isFinite)
    #expect(abs(solution.objective - reference) <= 1e-6 * reference)
}

/// N_min: with at least 3 instances per open pool the MILP still equals the enumeration (which
/// charges every used pool max(3, its capacity need)), and is no cheaper than without it.
@Test func minimumInstancesPerPoolMatchesEnumeration() throws {
    // At 6 req/s every pool needs fewer than 3 instances, so the minimum binds.
    var problem = try smallProblem(gpus: ["h100", "b200"], preset: .physical, routing: .threshold, rate: 6)
    problem.minInstancesPerPool = 3
    let candidates = try CandidatePool.enumerate(for: problem)
    let routes = Route.enumerate(candidates: candidates, problem: problem)
    var options = SolveOptions()
    options.relativeGap = 0
    let solution = try GLPKSolver().solve(FleetFormulation(problem: problem, candidates: candidates, routes: routes).model,
                                          options: options)
    let reference = enumeratedOptimumWatts(problem: problem, candidates: candidates, routes: routes)
    #expect(abs(solution.objective - reference) <= 1e-6 * reference)
    var free = problem
    free.minInstancesPerPool = 1
    #expect(enumeratedOptimumWatts(problem: free, candidates: candidates, routes: routes) < reference)
    let plan = try FleetPlanner().plan(problem, baselines: false).plan
    #expect(plan.pools.allSatisfy { $0.instances >= 3 })
}

/// Queueing minima (what a re-solve adds) link a small band's route to its pool being open
/// (r ≤ λ·y): the optimum still equals the enumeration, which charges every used pool its
/// minimum, and equals the same minimum set for every pool without the links; the links only
/// raise the LP relaxation.
@Test func queueingMinimaWithOpenLinksMatchEnumeration() throws {
    // At 6 req/s every band needs well under a quarter of 3 instances, so every route is linked.
    let problem = try smallProblem(gpus: ["h100", "b200"], preset: .physical, routing: .threshold, rate: 6)
    let candidates = try CandidatePool.enumerate(for: problem)
    let routes = Route.enumerate(candidates: candidates, problem: problem)
    var tightening = FleetFormulation.Tightening()
    for p in candidates.indices { tightening.minimumInstances[p] = 3 }
    let linked = FleetFormulation(problem: problem, candidates: candidates, routes: routes, tightening: tightening)
    #expect(try linked.model.lpFormat().contains("open_link_b0_"))
    var options = SolveOptions()
    options.relativeGap = 0
    let solution = try GLPKSolver().solve(linked.model, options: options)
    let reference = enumeratedOptimumWatts(problem: problem, candidates: candidates, routes: routes,
                                           minimumInstances: tightening.minimumInstances)
    #expect(abs(solution.objective - reference) <= 1e-6 * reference)

    var everyPool = problem
    everyPool.minInstancesPerPool = 3
    let unlinked = FleetFormulation(problem: everyPool, candidates: candidates, routes: routes)
    #expect(try !unlinked.model.lpFormat().contains("open_link"))
    let unlinkedSolution = try GLPKSolver().solve(unlinked.model, options: options)
    #expect(abs(unlinkedSolution.objective - reference) <= 1e-6 * reference)
    let linkedBound = try GLPKSolver().solve(linked.model.relaxingIntegrality()).objective
    let unlinkedBound = try GLPKSolver().solve(unlinked.model.relaxingIntegrality()).objective
    #expect(linkedBound > unlinkedBound * 1.01)
    #expect(linkedBound <= reference * (1 + 1e-9))
}

@Test func splitRoutingIsNeverWorseThanThreshold() throws {
    let split = try FleetPlanner().plan(try smallProblem(routing: .split), baselines: false)
    let threshold = try FleetPlanner().plan(try smallProblem(routing: .threshold), baselines: false)
    #expect(split.solver.objective <= threshold.solver.objective * (1 + 1e-6))
}

@Test func exportedLPHasTheSameOptimumInGLPK() throws {
    let problem = try smallProblem(routing: .threshold)
    let text = try FleetPlanner().exportLP(problem)
    #expect(text.contains("demand_b0"))
    // Each pool keeps the capacity rows no other of its rows implies; at least one of them.
    #expect(["slots", "iteration", "prefill_queue", "compute"].contains { text.contains("\($0)_h100_tp8_w4096:") })
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString).lp")
    try text.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    var options = SolveOptions()
    options.relativeGap = 0
    let fromFile = try GLPKSolver().solve(fileAt: file, format: .cplexLP, options: options)
    let candidates = try CandidatePool.enumerate(for: problem)
    let routes = Route.enumerate(candidates: candidates, problem: problem)
    let direct = try GLPKSolver().solve(FleetFormulation(problem: problem, candidates: candidates, routes: routes).model,
                                        options: options)
    #expect(abs(fromFile.objective - direct.objective) <= 1e-6 * direct.objective)
}

/// Seeding the search with an incumbent (the restricted-MILP heuristic, or the repaired last plan
/// on re-solves) changes the time, not the optimum: the whole catalog at TP 4 and 8 and windows
/// 1K–16K (more candidates than the heuristic keeps), with and without it.
@Test func seedingTheSearchKeepsTheOptimum() throws {
    let catalog = try repositoryCatalog()
    var problem = try smallProblem(rate: 200, ttft: 1)
    problem.gpus = catalog.gpus
    problem.tensorParallelDegrees = [4, 8]
    problem.windows = [1024, 2048, 4096, 8192, 16384]
    let candidates = try CandidatePool.enumerate(for: problem)
    let routes = Route.enumerate(candidates: candidates, problem: problem)
    #expect(candidates.count > FleetPlanner.incumbentRelaxedCandidates + FleetPlanner.incumbentNearbyCandidates)

    var planner = FleetPlanner()
    planner.seedsIncumbent = false
    let unseeded = try planner.plan(problem, baselines: false)
    planner.seedsIncumbent = true
    let seeded = try planner.plan(problem, baselines: false)
    #expect(abs(seeded.solver.objective - unseeded.solver.objective) <= 2 * problem.relativeGap * unseeded.solver.objective)

    // The heuristic's incumbent is a solution of the whole model, no better than its optimum.
    let formulation = FleetFormulation(problem: problem, candidates: candidates, routes: routes)
    let start = try #require(try planner.firstIncumbent(for: formulation, problem: problem)).variableValues
    var options = SolveOptions()
    options.startingSolution = Dictionary(uniqueKeysWithValues: zip(formulation.model.variables, start))
    let fromStart = try GLPKSolver().solve(formulation.model, options: options)
    #expect(fromStart.startingSolutionAccepted == true)
    let startWatts = zip(start, formulation.model.variables).reduce(0.0) { sum, pair in
        sum + pair.0 * (formulation.model.objective.terms.first { $0.variable == pair.1 }?.coefficient ?? 0)
    }
    #expect(startWatts >= fromStart.objective * (1 - 1e-9))
}

/// Σ a·r ≤ c·N is implied by Σ b·r ≤ d·N when a/c ≤ b/d route by route (r, N ≥ 0); of two
/// identical rows exactly one is kept. Ratios worked by hand.
@Test func capacityRowImplication() {
    typealias Row = FleetFormulation.CapacityRow
    let slots = Row(name: "slots", perInstance: 10, coefficients: [1, 2])        // ratios 0.1, 0.2
    let compute = Row(name: "compute", perInstance: 0.5, coefficients: [0.04, 0.1]) // 0.08, 0.2
    let crossing = Row(name: "iteration", perInstance: 1, coefficients: [0.2, 0.1]) // 0.2, 0.1
    #expect(compute.isImplied(by: slots, preferring: false))
    #expect(!slots.isImplied(by: compute, preferring: true))
    #expect(!crossing.isImplied(by: slots, preferring: true))
    #expect(!slots.isImplied(by: crossing, preferring: true))
    let scaled = Row(name: "prefill_queue", perInstance: 20, coefficients: [2, 4])  // same as slots
    #expect(scaled.isImplied(by: slots, preferring: true) != slots.isImplied(by: scaled, preferring: false))
}
