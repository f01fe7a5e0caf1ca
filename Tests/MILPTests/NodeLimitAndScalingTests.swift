import Testing
@testable import MILP

/// A node limit stops a search at the same place every time, with its best solution and a bound
/// that still brackets the optimum; power-of-two scale factors change the path, not the optimum.
struct NodeLimitAndScalingTests {
    /// The market split (`TimeLimitTests.marketSplit`) needs a huge tree: a limit of 40 nodes stops
    /// it just past 40 — twice the same way — with `stoppedAtNodeLimit` set, and any solution it
    /// returns satisfies every constraint.
    @Test func aNodeLimitStopsAHardSearchAtTheSamePlaceEachTime() throws {
        let model = TimeLimitTests.marketSplit(seed: 3)
        var options = SolveOptions()
        options.nodeLimit = .init(nodes: 40)
        options.presolve = false
        let first = try GLPKSolver().solve(model, options: options)
        let second = try GLPKSolver().solve(model, options: options)
        #expect(first.stoppedAtNodeLimit)
        #expect(first.status == .feasible || first.status == .noSolution)
        #expect(first.nodes >= 40 && first.nodes < 60)
        #expect(first.nodes == second.nodes)
        #expect(first.variableValues == second.variableValues)
        if first.hasSolution {
            #expect(first.detail.contains("node limit"))
            for reference in model.constraints {
                let row = try #require(model.constraint(reference))
                #expect(row.isSatisfied(by: first.variableValues, relativeTolerance: 1e-9))
            }
        }
    }

    /// On a 60-item knapsack that takes more than 10 nodes, a 10-node limit returns a selection
    /// worth no more than the dynamic-programming optimum and a bound no less; without the
    /// limit the same options prove the optimum and the flag stays off.
    @Test func theStoppedSearchBracketsTheOptimum() throws {
        let instance = KnapsackInstance(items: 60, seed: 7)
        let optimum = Double(instance.dynamicProgrammingOptimum())
        var options = SolveOptions()
        options.presolve = false
        options.heuristics = []
        let full = try GLPKSolver().solve(instance.model().0, options: options)
        try #require(full.status == .optimal && full.nodes > 10)
        #expect(!full.stoppedAtNodeLimit)
        #expect(full.objective == optimum)

        options.nodeLimit = .init(nodes: 10)
        let stopped = try GLPKSolver().solve(instance.model().0, options: options)
        #expect(stopped.stoppedAtNodeLimit)
        #expect(stopped.nodes < full.nodes)
        if stopped.hasSolution {
            #expect(stopped.objective <= optimum)
            #expect(try #require(stopped.bestBound) >= optimum - 1e-9)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func powerOfTwoScalingReachesTheSameOptimum(seed: UInt64) throws {
        let instance = KnapsackInstance(items: 64, seed: seed)
        var options = SolveOptions()
        options.scaling = .powersOfTwo
        let solution = try GLPKSolver().solve(instance.model().0, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
    }

    /// Within a gap, the limit waits for the search to come that near its bound: the market
    /// split's LP bound is 0 against a positive incumbent, so a limit within 1% never stops it
    /// and the time limit does.
    @Test func aNodeLimitWithinAGapWaitsForTheGap() throws {
        var options = SolveOptions()
        options.presolve = false
        options.nodeLimit = .init(nodes: 40, withinGap: 0.01)
        options.timeLimitSeconds = 0.5
        let solution = try GLPKSolver().solve(TimeLimitTests.marketSplit(seed: 3), options: options)
        #expect(!solution.stoppedAtNodeLimit)
        #expect(solution.nodes > 40)
        #expect(solution.status == .feasible || solution.status == .noSolution)
    }

    @Test func aNodeLimitBelowOneIsRejected() {
        var options = SolveOptions()
        options.nodeLimit = .init(nodes: 0)
        #expect(throws: MILPError.self) { try GLPKSolver().solve(TimeLimitTests.marketSplit(seed: 1), options: options) }
    }
}
