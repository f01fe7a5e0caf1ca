import Testing
@testable import MILP

/// 0/1 knapsack with 64 items against a dynamic-programming reference.
struct KnapsackTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func optimumEqualsDynamicProgramming(seed: UInt64) throws {
        let instance = KnapsackInstance(items: 64, seed: seed)
        let (model, take) = instance.model()
        let solution = try GLPKSolver().solve(model)

        #expect(solution.status == .optimal)
        #expect(solution.isMIP)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
        // The returned selection itself must be feasible and worth the objective.
        let chosen = take.indices.filter { solution[take[$0]] == 1 }
        #expect(take.allSatisfy { solution[$0] == 0 || solution[$0] == 1 })
        #expect(chosen.map { instance.weights[$0] }.reduce(0, +) <= instance.capacity)
        #expect(Double(chosen.map { instance.values[$0] }.reduce(0, +)) == solution.objective)
        #expect(solution.mipGap == 0)
    }

    @Test(arguments: [SolveOptions.Branching.pseudocost, .mostFractional, .firstFractional],
          [SolveOptions.Backtracking.bestProjection, .depthFirst])
    func branchingOptionsReachTheSameOptimum(branching: SolveOptions.Branching,
                                             backtracking: SolveOptions.Backtracking) throws {
        let instance = KnapsackInstance(items: 60, seed: 7)
        var options = SolveOptions()
        options.branching = branching
        options.backtracking = backtracking
        options.presolve = false
        let solution = try GLPKSolver().solve(instance.model().0, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
    }

    @Test func cutsReachTheSameOptimum() throws {
        let instance = KnapsackInstance(items: 60, seed: 11)
        var options = SolveOptions()
        options.cuts = .all
        options.heuristics = [.simpleRounding, .feasibilityPump]
        let solution = try GLPKSolver().solve(instance.model().0, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
    }
}

/// The LP relaxation of a 3-item knapsack is Dantzig's greedy bound: by value per weight
/// (10/5, 6/4, 4/3) take items 1 and 2 whole and 1/3 of item 3, 17⅓; the 0/1 optimum is 16
/// (items 1 and 2). The relaxed model shares the original's variables, and the original stays integer.
@Test func relaxingIntegralityGivesTheGreedyFractionalBound() throws {
    var model = Model(name: "tiny_knapsack")
    let items = (1...3).map { model.addVariable("x\($0)", kind: .binary) }
    model.addConstraint("weight", 5 * items[0] + 4 * items[1] + 3 * items[2] <= 10)
    model.maximize(10 * items[0] + 6 * items[1] + 4 * items[2])

    let relaxed = try GLPKSolver().solve(model.relaxingIntegrality())
    #expect(relaxed.status == .optimal)
    #expect(!relaxed.isMIP)
    #expect(abs(relaxed.objective - (16 + 4.0 / 3)) < 1e-9)
    #expect(abs(relaxed.value(of: items[2]) - 1.0 / 3) < 1e-9)

    let integral = try GLPKSolver().solve(model)
    #expect(integral.isMIP)
    #expect(integral.objective == 16)
}
