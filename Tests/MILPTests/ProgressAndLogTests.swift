import Testing
@testable import MILP

/// SolveProgress callbacks and captured GLPK output.
struct ProgressAndLogTests {
    @Test func progressReportsIncumbentsBoundsAndNodes() throws {
        let instance = KnapsackInstance(items: 64, seed: 41)
        let reports = LockedBox<[SolveProgress]>([])
        var options = SolveOptions()
        options.progressIntervalSeconds = 0
        options.progress = { progress in reports.update { $0.append(progress) } }
        let solution = try GLPKSolver().solve(instance.model().0, options: options)
        let optimum = Double(instance.dynamicProgrammingOptimum())
        #expect(solution.objective == optimum)
        let all = reports.value
        #expect(!all.isEmpty)
        for report in all {
            // Maximisation: every incumbent is a lower bound, every bound an upper bound.
            if let incumbent = report.incumbent { #expect(incumbent <= optimum + 1e-9) }
            if let bound = report.bestBound { #expect(bound >= optimum - 1e-6) }
            if let gap = report.relativeGap { #expect(gap >= 0) }
            #expect(report.seconds >= 0)
        }
        #expect(all.contains { $0.incumbent != nil })
        #expect(all.last.map { $0.nodes >= 1 } == true)
        #expect(solution.nodes >= 1)
    }

    @Test func silentByDefaultAndCapturedWhenAsked() throws {
        let instance = KnapsackInstance(items: 60, seed: 42)
        let silent = try GLPKSolver().solve(instance.model().0)
        #expect(silent.log.isEmpty)
        var options = SolveOptions()
        options.logLevel = .verbose
        let verbose = try GLPKSolver().solve(instance.model().0, options: options)
        #expect(verbose.log.contains("INTEGER OPTIMAL SOLUTION FOUND"))
        #expect(verbose.objective == silent.objective)
    }
}
