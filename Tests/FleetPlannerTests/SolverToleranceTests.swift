import Foundation
import Synchronization
import Testing
import FleetModel
@testable import MILP
@testable import FleetPlanner

/// GLPK, except that the plan's searches (at the planner's gap) come back with the instances of one
/// pool that carries traffic set to 0 — what GLPK reports when a pool's whole demand needs less
/// than its integrality tolerance of one instance, a case no catalog GPU reaches any more since the
/// capacity rows are strengthened (`FleetFormulation.perInstanceCapacity`).
private struct ZeroedInstancesSolver: Solver {
    /// The pool whose instances were zeroed, by key, once a search has run.
    let zeroed = ZeroedPool()

    final class ZeroedPool: Sendable {
        private let key = Mutex<String?>(nil)
        var value: String? { key.withLock { $0 } }
        func record(_ pool: String) { key.withLock { $0 = $0 ?? pool } }
    }

    func solve(_ model: Model, options: SolveOptions) throws -> Solution {
        let solution = try GLPKSolver().solve(model, options: options)
        guard model.hasIntegerVariables, options.relativeGap < 1e-3, solution.hasSolution else { return solution }
        let names = solution.variableNames
        // The first route with traffic, r_b<bin>_<pool>[_c], names its pool.
        guard let routed = names.indices.first(where: { names[$0].hasPrefix("r_b") && solution.variableValues[$0] > 1e-6 }),
              let routeKey = names[routed].split(separator: "_", maxSplits: 2).last.map(String.init),
              case let pool = routeKey.hasSuffix("_c") ? String(routeKey.dropLast(2)) : routeKey,
              let instances = names.firstIndex(of: "N_\(pool)") else { return solution }
        zeroed.record(pool)
        var values = solution.variableValues
        values[instances] = 0
        return Solution(status: solution.status, detail: solution.detail, objective: solution.objective,
                        bestBound: solution.bestBound, mipGap: solution.mipGap, seconds: solution.seconds, nodes: solution.nodes,
                        isMIP: solution.isMIP, log: solution.log, startingSolutionAccepted: solution.startingSolutionAccepted,
                        variableValues: values, constraintActivities: solution.constraintActivities,
                        rowDualValues: solution.rowDualValues, reducedCostValues: solution.reducedCostValues,
                        modelID: solution.modelID, variableNames: names, constraintNames: solution.constraintNames,
                        hasSolution: true)
    }
}

@Test("a solution that routes traffic to a pool with no instance is an error naming the pool, not a plan that drops the traffic")
func trafficOnAnEmptyPoolIsAnError() throws {
    let solver = ZeroedInstancesSolver()
    let problem = try smallProblem()
    #expect {
        _ = try FleetPlanner(solver: solver).plan(problem, baselines: false)
    } throws: { error in
        guard let error = error as? InputError, let pool = solver.zeroed.value else { return false }
        let text = error.description
        return text.contains("the traffic of \(pool) needs") && text.contains("of one instance")
            && text.contains("too little for the solver to tell from none")
    }
    // The unmodified solver plans the same problem: the error comes from the zeroed pool alone.
    let plan = try FleetPlanner().plan(problem, baselines: false).plan
    #expect(plan.pools.allSatisfy { $0.instances > 0 })
    #expect(plan.pools.contains { $0.id == solver.zeroed.value })
}
