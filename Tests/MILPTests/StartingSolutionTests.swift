import Testing
@testable import MILP

/// A starting solution is checked, then offered to GLPK as its first incumbent.
struct StartingSolutionTests {
    /// Greedy by value density: a feasible (usually suboptimal) knapsack selection.
    static func greedyStart(_ instance: KnapsackInstance, _ take: [Variable]) -> [Variable: Double] {
        let order = take.indices.sorted {
            Double(instance.values[$0]) / Double(instance.weights[$0]) > Double(instance.values[$1]) / Double(instance.weights[$1])
        }
        var room = instance.capacity
        var start = [Variable: Double]()
        for item in order {
            let fits = instance.weights[item] <= room
            if fits { room -= instance.weights[item] }
            start[take[item]] = fits ? 1 : 0
        }
        return start
    }

    @Test func feasibleStartIsAcceptedAndOptimumUnchanged() throws {
        let instance = KnapsackInstance(items: 64, seed: 31)
        let (model, take) = instance.model()
        var options = SolveOptions()
        options.startingSolution = Self.greedyStart(instance, take)
        let solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
        #expect(solution.startingSolutionAccepted == true)
        #expect(solution.detail.contains("starting solution accepted"))
    }

    @Test func startIsTheIncumbentWhenTheSearchIsCutShort() throws {
        // With a start and a time limit too short to improve on it, GLPK still returns it.
        let instance = KnapsackInstance(items: 64, seed: 32)
        let (model, take) = instance.model()
        let start = Self.greedyStart(instance, take)
        let startValue = take.indices.reduce(0.0) { $0 + Double(instance.values[$1]) * (start[take[$1]] ?? 0) }
        var options = SolveOptions()
        options.startingSolution = start
        options.backtracking = .breadthFirst
        options.heuristics = []
        options.progressIntervalSeconds = 0
        let first = LockedBox<Double?>(nil)
        options.progress = { progress in
            first.update { if $0 == nil, let incumbent = progress.incumbent { $0 = incumbent } }
        }
        let solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.startingSolutionAccepted == true)
        // The first incumbent GLPK reported is our start (nothing else was found before it).
        #expect(first.value == startValue)
        #expect(solution.objective >= startValue)
    }

    @Test func infeasibleStartIsSkippedWithAReason() throws {
        let instance = KnapsackInstance(items: 60, seed: 33)
        let (model, take) = instance.model()
        var options = SolveOptions()
        options.startingSolution = Dictionary(uniqueKeysWithValues: take.map { ($0, 1.0) })   // over capacity
        let solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
        #expect(solution.startingSolutionAccepted == false)
        #expect(solution.detail.contains("starting solution skipped"))
        #expect(solution.detail.contains("capacity"))
    }

    @Test func incompleteOrFractionalStartIsSkipped() throws {
        let instance = KnapsackInstance(items: 60, seed: 34)
        let (model, take) = instance.model()
        var options = SolveOptions()
        options.startingSolution = [take[0]: 1]
        var solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.detail.contains("no value for 'take_1'"))
        options.startingSolution = Dictionary(uniqueKeysWithValues: take.map { ($0, 0.5) })
        solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.detail.contains("is not a whole number"))
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
    }

    /// `Model.infeasibility(of:)` answers the same check in words: nil for a feasible point, else
    /// what is wrong, naming the variable or constraint.
    @Test func infeasibilityNamesWhatIsWrong() {
        var model = Model(name: "check")
        let x = model.addVariable("x", kind: .integer, lowerBound: 0, upperBound: 10)
        let y = model.addVariable("y", lowerBound: 0, upperBound: 5)
        model.addConstraint("budget", 2 * x + y <= 8)
        model.minimize(x + y)
        #expect(model.infeasibility(of: [x: 3, y: 2]) == nil)
        #expect(model.infeasibility(of: [x: 3, y: 2.5])?.contains("'budget'") == true)
        #expect(model.infeasibility(of: [x: 2.5, y: 0])?.contains("not a whole number") == true)
        #expect(model.infeasibility(of: [x: 1, y: 6])?.contains("outside its bounds") == true)
        #expect(model.infeasibility(of: [x: 1])?.contains("no value for 'y'") == true)
    }
}
