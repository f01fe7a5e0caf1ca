import Foundation
import Testing
@testable import MILP

/// A hard model under a time limit returns on time with the best solution and its gap.
struct TimeLimitTests {
    /// A market-split instance (Cornuéjols & Dawande): 4 equations over 30 binaries with random
    /// coefficients in 0...99 and right-hand sides half the row sums, with slacks so every
    /// point is feasible; minimise the total slack. The LP bound is 0 and very few (usually no)
    /// binary points split every row exactly, so branch-and-bound must explore a huge tree to
    /// prove the optimum: GLPK takes far longer than a second (20 s was not enough when measured).
    static func marketSplit(seed: UInt64) -> Model {
        var random = SplitMix64(seed: seed)
        let rows = 4, columns = 30
        var model = Model(name: "market_split")
        let x = (0..<columns).map { model.addVariable("x\($0)", kind: .binary) }
        var slacks: [Variable] = []
        for i in 0..<rows {
            let a = (0..<columns).map { _ in Double(Int.random(in: 0...99, using: &random)) }
            let target = (a.reduce(0, +) / 2).rounded(.down)
            let over = model.addVariable("over\(i)"), under = model.addVariable("under\(i)")
            slacks += [over, under]
            model.addConstraint("split\(i)", LinearExpression.sum(zip(a, x).map { $0 * $1 }) + under - over == target)
        }
        model.minimize(slacks.sum())
        return model
    }

    @Test func oneSecondLimitReturnsWithinOneAndAHalfSeconds() throws {
        var options = SolveOptions()
        options.timeLimitSeconds = 1
        let started = Date()
        let solution = try GLPKSolver().solve(Self.marketSplit(seed: 2024), options: options)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 1.5)
        #expect(solution.status == .feasible || solution.status == .noSolution)
        if solution.status == .feasible {
            #expect(solution.hasSolution)
            #expect(solution.objective >= 0)
            let gap = try #require(solution.mipGap)
            #expect(gap > 0)
            let bound = try #require(solution.bestBound)
            #expect(bound <= solution.objective)
            #expect(solution.detail.contains("time limit"))
        }
    }

    /// Shows the instance really is hard: a limit 2.5× longer still does not prove it.
    @Test func theInstanceNeedsMoreThanTheLimit() throws {
        var options = SolveOptions()
        options.timeLimitSeconds = 2.5
        let solution = try GLPKSolver().solve(Self.marketSplit(seed: 2024), options: options)
        #expect(solution.status != .optimal)
        #expect(solution.seconds >= 2.4)
    }

    /// The LP path honours the limit too (a generous one here: it must simply finish optimal).
    @Test func limitDoesNotDisturbEasyModels() throws {
        var options = SolveOptions()
        options.timeLimitSeconds = 30
        let instance = KnapsackInstance(items: 60, seed: 51)
        let solution = try GLPKSolver().solve(instance.model().0, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
    }

    /// A relative gap tolerance may stop early; the result is `.optimal` within that gap.
    @Test func relativeGapStopsWithinTolerance() throws {
        let instance = KnapsackInstance(items: 64, seed: 52)
        var options = SolveOptions()
        options.relativeGap = 0.05
        let solution = try GLPKSolver().solve(instance.model().0, options: options)
        let optimum = Double(instance.dynamicProgrammingOptimum())
        #expect(solution.status == .optimal)
        let gap = try #require(solution.mipGap)
        #expect(gap <= 0.05 + 1e-9)
        // Maximisation: gap = (bound − incumbent) / incumbent ≤ 5% and bound ≥ optimum.
        #expect(solution.objective <= optimum)
        #expect(solution.objective >= optimum / 1.05 - 1e-9)
    }

    /// Knapsacks where the bound read at GLPK's last callback trailed the one GLPK stopped on, so
    /// an "optimal" solve reported a gap above the one asked for (1.01%, 1.37% and 0.24% here,
    /// found by solving 1,800 knapsacks). The reported bound must be a true bound (the dynamic
    /// programme's optimum lies within it) and the gap the one asked for.
    @Test(arguments: [(items: 20, seed: UInt64(5), gap: 0.01), (20, 101, 0.01), (30, 4, 0.002)])
    func reportedGapIsWithinTheRequest(items: Int, seed: UInt64, gap: Double) throws {
        let instance = KnapsackInstance(items: items, seed: seed)
        var options = SolveOptions()
        options.relativeGap = gap
        let solution = try GLPKSolver().solve(instance.model().0, options: options)
        #expect(solution.status == .optimal)
        let reported = try #require(solution.mipGap)
        #expect(reported <= gap * (1 + 1e-9))
        let bound = try #require(solution.bestBound)
        let optimum = Double(instance.dynamicProgrammingOptimum())
        #expect(bound >= optimum - 1e-9)
        #expect(solution.objective <= optimum + 1e-9)
    }
}
