import Foundation
import Synchronization
import Testing
import FleetModel
import MILP
@testable import FleetPlanner

/// GLPK, except that the `cut`-th search of the plan (a MILP at the planner's gap; not the
/// restricted MILP of the first incumbent, whose gap is 1%, nor an LP) gets 1 ms: as if the time
/// limit ran out during that solve.
private final class CutShortSolver: Solver {
    let cut: Int
    private let searches = Mutex(0)
    init(cut: Int) { self.cut = cut }

    func solve(_ model: Model, options: SolveOptions) throws -> Solution {
        var options = options
        if model.hasIntegerVariables && options.relativeGap < 1e-3 {
            let search = searches.withLock { count in
                count += 1
                return count
            }
            if search == cut { options.timeLimitSeconds = 0.001 }
        }
        return try GLPKSolver().solve(model, options: options)
    }
}

/// The chat CDF at `rate` planned twice: uncut, then with the time limit running out in the
/// search after the first finished solve that `picks` (a 1 ms search). Returns the uncut solves,
/// the picked one's index and the cut-short plan.
private func cutShortAfter(rate: Double, _ picks: @escaping (PlanningProgress) -> Bool) throws
    -> (uncut: [PlanningProgress], picked: Int, result: PlanResult) {
    let problem = try chatCDFProblem(rate: rate)
    let uncut = try solves(of: problem)
    let picked = try #require(uncut.firstIndex(where: picks))
    let result = try FleetPlanner(solver: CutShortSolver(cut: picked + 2)).plan(problem, baselines: false)
    return (uncut, picked, result)
}

/// The finished solves of an uncut search.
private func solves(of problem: PlanningProblem) throws -> [PlanningProgress] {
    let events = Mutex<[PlanningProgress]>([])
    var planner = FleetPlanner()
    planner.progress = { event in if event.finished { events.withLock { $0.append(event) } } }
    _ = try planner.plan(problem, baselines: false)
    return events.withLock { $0 }
}

/// When the time limit stops the re-solve after a failing plan, that plan comes back with its
/// failing pools raised in place: it passes the check, costs more than the failing plan, and says
/// why it is only feasible.
@Test func aReSolveCutShortLeavesTheLastPlanRaisedInPlace() throws {
    let (uncut, failed, result) = try cutShortAfter(rate: 100) { !$0.failingPools.isEmpty }

    #expect(result.solver.status == "feasible")
    #expect(result.solver.resolves == failed + 1)
    #expect(result.plan.pools.allSatisfy { $0.meetsSLO })
    #expect(result.solver.objective > (uncut[failed].incumbent ?? .infinity))
    #expect(result.plan.notes.contains { $0.contains("time limit left no room") })
    for pool in uncut[failed].failingPools {
        #expect(result.plan.notes.contains { $0.contains(pool) })
    }
}

/// When the time limit stops the solve after a loosening, the plan that passed before it stands,
/// cut back to what the loosening found its pools' traffic needs ("id N → n": n instances each),
/// cheaper than as solved, feasible, with a note naming its solve.
@Test func aLooseningCutShortLeavesThePlanThatPassed() throws {
    let (uncut, loosened, result) = try cutShortAfter(rate: 1000) { !$0.loosenedPools.isEmpty }

    #expect(result.plan.pools.allSatisfy { $0.meetsSLO })
    #expect(result.solver.status == "feasible")
    #expect(result.solver.objective < (uncut[loosened].incumbent ?? 0))
    for cut in uncut[loosened].loosenedPools {
        let parts = cut.split(separator: " ")
        let pool = try #require(result.plan.pools.first { $0.id == parts.first.map(String.init) })
        #expect(pool.instances == parts.last.flatMap { Int($0) })
    }
    #expect(result.solver.resolves == loosened + 1)
    #expect(result.plan.notes.contains { $0.contains("solve \(loosened + 1)'s plan") })
}

/// A plan cut back after a loosening, when the solves after it find nothing cheaper that passes:
/// the bundled chat CDF at 300 req/s, 1 s, min-cost. It is feasible in the exported model and
/// no more than its reported gap above that model's optimum (GLPK from the file), and the gap is
/// the one the solve after the loosening proved (the plan's distance to that optimum), not the
/// far looser one of the model's LP relaxation.
@Test func aCutBackPlanReportsTheGapItsModelProves() throws {
    var problem = try chatCDFProblem(rate: 300)
    problem.objective = .minCost
    let (result, lp) = try FleetPlanner().planExportingModel(problem, baselines: false)
    try #require(result.solver.status == "feasible")
    #expect(result.plan.notes.contains { $0.contains("cut back to the instances their traffic needs") })
    #expect(result.plan.pools.allSatisfy { $0.meetsSLO })

    let optimum = try solvedFromFile(lp, relativeGap: problem.relativeGap)
    let objective = result.solver.objective
    #expect(optimum.objective <= objective * (1 + 1e-9))
    #expect(optimum.objective >= objective * (1 - result.solver.gap) * (1 - 1e-9))
    // Both searches prove the model's optimum to 1e-4, so the gap is the plan's distance to it.
    #expect(abs(result.solver.gap - (objective - optimum.objective) / objective) <= 2 * problem.relativeGap)
}
