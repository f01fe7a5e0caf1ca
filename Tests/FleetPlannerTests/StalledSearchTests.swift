import Foundation
import Synchronization
import Testing
import FleetModel
import MILP
@testable import FleetPlanner

/// GLPK, recording the node limit and scaling of every search at the planner's gap.
private final class RecordingSolver: Solver {
    private let calls = Mutex<[(nodeLimit: SolveOptions.NodeLimit?, scaling: SolveOptions.Scaling, stopped: Bool)]>([])
    var searches: [(nodeLimit: SolveOptions.NodeLimit?, scaling: SolveOptions.Scaling, stopped: Bool)] { calls.withLock { $0 } }

    func solve(_ model: Model, options: SolveOptions) throws -> Solution {
        let solution = try GLPKSolver().solve(model, options: options)
        if model.hasIntegerVariables && options.relativeGap < 1e-3 {
            calls.withLock { $0.append((options.nodeLimit, options.scaling, solution.stoppedAtNodeLimit)) }
        }
        return solution
    }
}

/// A search stopped by `stalledSearchNodes` goes on with power-of-two scale factors and no node
/// limit, and still ends at the optimum: with a limit of one node every search of the small
/// threshold-routing scenario takes that path, and the objective equals the plain search's
/// (both proven to the planner's gap; queueing checks off, so both solve the same single model).
@Test func aStalledSearchGoesOnWithPowerOfTwoScalingToTheSameOptimum() throws {
    let problem = try smallProblem(gpus: ["a100", "h100", "b200"], routing: .threshold, rate: 120)
    var plain = FleetPlanner()
    plain.checksPlansInSearch = false
    plain.maximumResolves = 0
    plain.stalledSearchNodes = nil
    let reference = try plain.plan(problem, baselines: false).solver

    let recording = RecordingSolver()
    var stalling = plain
    stalling.solver = recording
    stalling.stalledSearchNodes = 1
    let rescued = try stalling.plan(problem, baselines: false).solver
    let searches = recording.searches
    try #require(searches.count == 2)
    #expect(searches[0].nodeLimit?.nodes == 1 && searches[0].scaling == .automatic && searches[0].stopped)
    #expect(searches[1].nodeLimit == nil && searches[1].scaling == .powersOfTwo && !searches[1].stopped)
    #expect(rescued.status == "optimal")
    #expect(abs(rescued.objective - reference.objective) <= problem.relativeGap * reference.objective)
}
