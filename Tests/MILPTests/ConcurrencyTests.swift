import Testing
@testable import MILP

/// GLPK state is per thread and every solve is one synchronous call, so models can be solved
/// concurrently (the what-if sweeps do this).
struct ConcurrencyTests {
    @Test func eightKnapsacksInATaskGroup() async throws {
        let instances = (0..<8).map { KnapsackInstance(items: 60 + $0, seed: 100 + UInt64($0)) }
        let objectives = try await withThrowingTaskGroup(of: (Int, Double, Solution.Status).self) { group in
            for (index, instance) in instances.enumerated() {
                group.addTask {
                    let solution = try GLPKSolver().solve(instance.model().0)
                    return (index, solution.objective, solution.status)
                }
            }
            var results = [Int: (Double, Solution.Status)]()
            for try await (index, objective, status) in group { results[index] = (objective, status) }
            return results
        }
        #expect(objectives.count == 8)
        for (index, instance) in instances.enumerated() {
            #expect(objectives[index]?.1 == .optimal)
            #expect(objectives[index]?.0 == Double(instance.dynamicProgrammingOptimum()))
        }
    }

    /// Trapped GLPK errors on some threads must not disturb solves running on others.
    @Test func guardTrapsDoNotDisturbConcurrentSolves() async throws {
        let instance = KnapsackInstance(items: 64, seed: 9)
        let expected = Double(instance.dynamicProgrammingOptimum())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    if task.isMultiple(of: 2) {
                        for _ in 0..<25 {
                            #expect(throws: MILPError.self) { try GLPKGuardProbe.trigger(.duplicateMatrixEntry) }
                        }
                    } else {
                        let solution = try GLPKSolver().solve(instance.model().0)
                        #expect(solution.objective == expected)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
