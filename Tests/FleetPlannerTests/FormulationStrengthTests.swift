import Testing
import FleetModel
import MILP
@testable import FleetPlanner

/// Rows and variables the MILP carries only to be solved faster: they must not change which plans
/// it admits (the enumeration tests hold with them), and they must do what they are there for.

/// Each GPU type and TP with several candidate windows gets one integer total, T = Σ_w N_p: on the
/// small two-GPU problem (TP 8, windows 4K, 8K, 16K) that is one total per GPU over its three
/// windows, and in every solution each total equals the instances of its windows.
@Test(arguments: [10.0, 40.0, 160.0])
func instanceTotalsSumTheWindowsOfAGPUType(rate: Double) throws {
    let problem = try smallProblem(gpus: ["h100", "b200"], routing: .split, rate: rate, ttft: 2)
    let candidates = try CandidatePool.enumerate(for: problem)
    let formulation = FleetFormulation(problem: problem, candidates: candidates,
                                       routes: Route.enumerate(candidates: candidates, problem: problem))
    #expect(formulation.instanceTotals.count == 2)
    for (_, pools) in formulation.instanceTotals {
        #expect(pools.count == 3)
        #expect(Set(pools.map { candidates[$0].gpu.name }).count == 1)
    }
    var options = SolveOptions()
    options.relativeGap = 1e-6
    let solution = try GLPKSolver().solve(formulation.model, options: options)
    try #require(solution.status == .optimal)
    for (total, pools) in formulation.instanceTotals {
        let sum = pools.reduce(0.0) { $0 + solution.value(of: formulation.instances[$1]) }
        #expect(abs(solution.value(of: total) - sum) < 1e-6)
    }
}

/// A plan whose instance counts were changed by hand (a repaired or loosened plan) is a solution
/// again once its totals are recomputed, and not before.
@Test func completingTheTotalsMakesAChangedPlanASolution() throws {
    let problem = try smallProblem(gpus: ["h100", "b200"], routing: .split, rate: 40, ttft: 2)
    let candidates = try CandidatePool.enumerate(for: problem)
    let formulation = FleetFormulation(problem: problem, candidates: candidates,
                                       routes: Route.enumerate(candidates: candidates, problem: problem))
    let solution = try GLPKSolver().solve(formulation.model, options: SolveOptions())
    let model = formulation.model
    let used = try #require(formulation.instances.first {
        solution.value(of: $0) > 0.5 && solution.value(of: $0) + 1 <= (model.bounds(of: $0)?.upper ?? 0)
    })
    var values = solution.variableValues
    values[used.index] += 1
    func assignment(_ values: [Double]) -> [Variable: Double] { Dictionary(uniqueKeysWithValues: zip(model.variables, values)) }
    #expect(model.infeasibility(of: assignment(values)) != nil)
    #expect(model.infeasibility(of: assignment(formulation.completingInstanceTotals(values))) == nil)
}

/// At 0.01 req/s one instance of any candidate holds the whole demand, so each capacity row is
/// written with the most load its routes can bring instead of the instance's capacity. The LP
/// relaxation then pays a share s_p of the demand sent to pool p with at least s_p of an instance
/// (Σ s_p = 1), so it costs at least the cheapest candidate's fixed power per instance, where
/// with the instance's capacity it paid about 10^-4 of one.
@Test func aTrickleCostsTheRelaxationAWholeInstance() throws {
    let problem = try smallProblem(gpus: ["h100", "b200"], routing: .split, rate: 0.01, ttft: 2)
    let candidates = try CandidatePool.enumerate(for: problem)
    let formulation = FleetFormulation(problem: problem, candidates: candidates,
                                       routes: Route.enumerate(candidates: candidates, problem: problem))
    let relaxation = try GLPKSolver().solve(formulation.model.relaxingIntegrality(), options: SolveOptions())
    try #require(relaxation.status == .optimal)
    let cheapestInstance = try #require(candidates.map { Double($0.tensorParallel) * $0.fixedPowerPerGPUWatts }.min())
    #expect(relaxation.objective >= cheapestInstance * (1 - 1e-9))
    // The MILP's optimum is one instance of one pool (plus the trickle's dynamic power).
    let solution = try GLPKSolver().solve(formulation.model, options: SolveOptions())
    let instances = formulation.instances.map { solution.value(of: $0) }.reduce(0, +)
    #expect(abs(instances - 1) < 1e-9)
}

/// Totals group candidates by GPU type and TP whatever the GPU is called: a GPU whose short name
/// has a "w" in it (the window's letter in a pool's key) still gets one total per TP.
@Test func instanceTotalsGroupByGPUAndTPWhateverTheName() throws {
    var gpu = try repositoryCatalog().gpu(named: "h100")
    gpu.name = "RTX-Workstation"
    gpu.aliases = ["rtx-workstation"]
    let problem = PlanningProblem(
        model: try repositoryCatalog().llm(named: "llama-3.1-70b"), gpus: [gpu], tensorParallelDegrees: [4, 8],
        windows: [4096, 8192, 16384], maxWindowTokens: 16384, workload: try smallWorkload(), rateRequestsPerSecond: 40,
        ttftP99Seconds: 2)
    let candidates = try CandidatePool.enumerate(for: problem)
    let formulation = FleetFormulation(problem: problem, candidates: candidates,
                                       routes: Route.enumerate(candidates: candidates, problem: problem))
    let groups = formulation.instanceTotals.map { total in Set(total.pools.map { candidates[$0].tensorParallel }) }
    #expect(groups.count == Set(candidates.map(\.tensorParallel)).count)
    #expect(groups.allSatisfy { $0.count == 1 })
}

/// A model that may open at most two pools has no instance totals; one that may open three has.
@Test(arguments: [(2, false), (3, true)])
func instanceTotalsNeedThreePools(maxPools: Int, hasTotals: Bool) throws {
    var problem = try smallProblem(gpus: ["h100", "b200"], routing: .split, rate: 40, ttft: 2)
    problem.maxPools = maxPools
    let candidates = try CandidatePool.enumerate(for: problem)
    let formulation = FleetFormulation(problem: problem, candidates: candidates,
                                       routes: Route.enumerate(candidates: candidates, problem: problem))
    #expect(formulation.instanceTotals.isEmpty == !hasTotals)
}
