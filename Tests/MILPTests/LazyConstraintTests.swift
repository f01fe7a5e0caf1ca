import Testing
@testable import MILP

/// Lazy constraints against brute force: a knapsack whose second capacity (a second weight per
/// item) the model leaves out and the callback adds only where a point breaks it.
struct LazyConstraintTests {
    /// 18 items, so all 2^18 selections can be enumerated.
    struct TwoKnapsack {
        let first: KnapsackInstance
        let secondWeights: [Int]
        let secondCapacity: Int

        init(seed: UInt64) {
            first = KnapsackInstance(items: 18, seed: seed)
            var random = SplitMix64(seed: seed &+ 1000)
            secondWeights = first.weights.map { _ in Int.random(in: 10...60, using: &random) }
            secondCapacity = secondWeights.reduce(0, +) / 3
        }

        /// The best value over every selection within both capacities.
        func bruteForceOptimum(secondCapacityApplies: Bool = true) -> Int {
            var best = 0
            for mask in 0..<(1 << first.values.count) {
                var value = 0, weight = 0, second = 0
                for item in first.values.indices where mask & (1 << item) != 0 {
                    value += first.values[item]
                    weight += first.weights[item]
                    second += secondWeights[item]
                }
                if weight <= first.capacity && (!secondCapacityApplies || second <= secondCapacity) { best = max(best, value) }
            }
            return best
        }

        func secondCapacityRow(_ take: [Variable]) -> LinearConstraint {
            LinearExpression.sum(zip(secondWeights, take).map { Double($0) * $1 }) <= Double(secondCapacity)
        }
    }

    @Test(arguments: [UInt64(3), 8, 13])
    func lazyRowGivesTheOptimumOfTheFullModel(seed: UInt64) throws {
        let instance = TwoKnapsack(seed: seed)
        let (model, take) = instance.first.model()
        // Without the second capacity the optimum breaks it, so the callback has work to do.
        try #require(instance.bruteForceOptimum(secondCapacityApplies: false) > instance.bruteForceOptimum())
        let row = instance.secondCapacityRow(take)
        let asked = LockedBox((integral: 0, fractional: 0))
        var options = SolveOptions()
        options.lazyConstraints = { point in
            asked.update { point.isIntegral ? ($0.integral += 1) : ($0.fractional += 1) }
            return [row]
        }
        let solution = try GLPKSolver().solve(model, options: options)

        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.bruteForceOptimum()))
        let chosen = take.indices.filter { solution[take[$0]] == 1 }
        #expect(chosen.map { instance.secondWeights[$0] }.reduce(0, +) <= instance.secondCapacity)
        #expect(chosen.map { instance.first.weights[$0] }.reduce(0, +) <= instance.first.capacity)
        #expect(solution.lazyConstraintsAdded > 0)
        #expect(asked.value.integral > 0)
    }

    /// The callback's points are LP optima of the subproblems: integral ones really are integral,
    /// and each carries the search's bound, never better than the optimum (a maximisation).
    @Test func pointsAreFlaggedIntegralOnlyWhenTheyAre() throws {
        let instance = TwoKnapsack(seed: 5)
        let (model, take) = instance.first.model()
        let row = instance.secondCapacityRow(take)
        let mislabelled = LockedBox(0)
        let boundsBelowOptimum = LockedBox(0)
        let optimum = Double(instance.bruteForceOptimum())
        var options = SolveOptions()
        options.lazyConstraints = { point in
            let integral = take.allSatisfy { point.value(of: $0) == 0 || point.value(of: $0) == 1 }
            if integral != point.isIntegral { mislabelled.update { $0 += 1 } }
            if let bound = point.bestBound, bound < optimum - 1e-6 { boundsBelowOptimum.update { $0 += 1 } }
            return [row]
        }
        let solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.objective == optimum)
        #expect(mislabelled.value == 0)
        #expect(boundsBelowOptimum.value == 0)
    }

    /// A constraint the point already satisfies, or one naming a variable outside the model, is
    /// not added: the search does not ask again forever, and the optimum is the plain one.
    @Test func rowsThatCutNothingAreIgnored() throws {
        let instance = KnapsackInstance(items: 30, seed: 9)
        let (model, take) = instance.model()
        var foreign = Model(name: "other")
        let outside = (0..<40).map { foreign.addVariable("z\($0)") }
        var options = SolveOptions()
        options.lazyConstraints = { _ in
            [LinearExpression.sum(take.map { 1.0 * $0 }) <= Double(take.count), 1.0 * outside[39] <= -1]
        }
        let solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
        #expect(solution.lazyConstraintsAdded == 0)
    }
}
