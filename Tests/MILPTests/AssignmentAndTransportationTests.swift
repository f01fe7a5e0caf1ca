import Testing
@testable import MILP

/// Small assignment and transportation LPs against brute-force enumeration, with their duals
/// checked for complementary slackness and strong duality.
struct AssignmentAndTransportationTests {
    static let tolerance = 1e-7

    // MARK: Assignment (6 workers × 6 jobs, solved as an LP: the polytope is integral)

    static func assignmentCosts(seed: UInt64) -> [[Double]] {
        var random = SplitMix64(seed: seed)
        return (0..<6).map { _ in (0..<6).map { _ in Double(Int.random(in: 1...40, using: &random)) } }
    }

    /// Minimum over all 720 permutations.
    static func bruteForceAssignment(_ cost: [[Double]]) -> Double {
        var best = Double.infinity
        func extend(_ worker: Int, _ used: Set<Int>, _ total: Double) {
            if worker == cost.count { best = min(best, total); return }
            for job in cost.indices where !used.contains(job) {
                extend(worker + 1, used.union([job]), total + cost[worker][job])
            }
        }
        extend(0, [], 0)
        return best
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func assignmentEqualsBruteForceAndDualsAreComplementary(seed: UInt64) throws {
        let cost = Self.assignmentCosts(seed: seed)
        let size = cost.count
        var model = Model(name: "assignment")
        let x = (0..<size).map { i in (0..<size).map { j in model.addVariable("x_\(i)_\(j)") } }
        let workerRows = (0..<size).map { i in model.addConstraint("worker_\(i)", x[i].sum() == 1) }
        let jobRows = (0..<size).map { j in model.addConstraint("job_\(j)", (0..<size).map { x[$0][j] }.sum() == 1) }
        model.minimize(LinearExpression.sum((0..<size).flatMap { i in (0..<size).map { j in cost[i][j] * x[i][j] } }))

        let solution = try GLPKSolver().solve(model)
        #expect(solution.status == .optimal)
        #expect(!solution.isMIP)
        #expect(abs(solution.objective - Self.bruteForceAssignment(cost)) < Self.tolerance)

        // Dual feasibility and complementary slackness: reduced cost d_ij = c_ij − u_i − v_j ≥ 0,
        // and x_ij · d_ij = 0; strong duality Σu + Σv = objective.
        let u = try workerRows.map { try #require(solution.dual(of: $0)) }
        let v = try jobRows.map { try #require(solution.dual(of: $0)) }
        for i in 0..<size {
            for j in 0..<size {
                let reduced = cost[i][j] - u[i] - v[j]
                #expect(reduced >= -Self.tolerance)
                #expect(abs(solution[x[i][j]] * reduced) < Self.tolerance)
                #expect(abs(try #require(solution.reducedCost(of: x[i][j])) - reduced) < Self.tolerance)
            }
        }
        #expect(abs(u.reduce(0, +) + v.reduce(0, +) - solution.objective) < Self.tolerance)
    }

    /// The primal simplex stopped after a pivot or two (as the driver stops one that cycles at a
    /// degenerate vertex; the assignment LP is highly degenerate): the dual simplex finishes from
    /// there, at the same optimum.
    @Test(arguments: [1, 2, 5])
    func dualSimplexFinishesAStoppedPrimal(pivots: Int) throws {
        let cost = Self.assignmentCosts(seed: 24)
        let size = cost.count
        var model = Model(name: "assignment")
        let x = (0..<size).map { i in (0..<size).map { j in model.addVariable("x_\(i)_\(j)") } }
        for i in 0..<size { model.addConstraint("worker_\(i)", x[i].sum() == 1) }
        for j in 0..<size { model.addConstraint("job_\(j)", (0..<size).map { x[$0][j] }.sum() == 1) }
        model.minimize(LinearExpression.sum((0..<size).flatMap { i in (0..<size).map { j in cost[i][j] * x[i][j] } }))
        var options = SolveOptions()
        options.presolve = false
        options.primalSimplexPivotLimit = pivots
        let solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.status == .optimal)
        #expect(abs(solution.objective - Self.bruteForceAssignment(cost)) < Self.tolerance)
    }

    // MARK: Transportation (3 sources with ≤ supplies, 3 sinks with = demands)

    static let supply: [Double] = [10, 14, 12]
    static let demand: [Double] = [9, 11, 10]
    static let unitCost: [[Double]] = [[4, 6, 9], [5, 3, 8], [7, 5, 2]]

    /// Enumerates every integer flow meeting the demands exactly: sources 0 and 1 choose their
    /// shipments, source 2 ships the rest of each demand. The LP optimum is attained at an
    /// integer vertex (the constraint matrix is totally unimodular), so this is the LP optimum.
    static func bruteForceTransportation() -> Double {
        var best = Double.infinity
        let d = demand.map(Int.init)
        func column(_ j: Int, _ used: [Int], _ total: Double) {
            if j == d.count { best = min(best, total); return }
            for a in 0...d[j] {
                for b in 0...(d[j] - a) {
                    let c = d[j] - a - b
                    let shipped = [used[0] + a, used[1] + b, used[2] + c]
                    guard zip(shipped, supply).allSatisfy({ Double($0) <= $1 }) else { continue }
                    let cost = Double(a) * unitCost[0][j] + Double(b) * unitCost[1][j] + Double(c) * unitCost[2][j]
                    column(j + 1, shipped, total + cost)
                }
            }
        }
        column(0, [0, 0, 0], 0)
        return best
    }

    @Test(arguments: [true, false])
    func transportationEqualsBruteForceAndDualsAreComplementary(presolve: Bool) throws {
        let sources = Self.supply.indices, sinks = Self.demand.indices
        var model = Model(name: "transport")
        let x = sources.map { i in sinks.map { j in model.addVariable("ship_s\(i)_d\(j)") } }
        let supplyRows = sources.map { i in model.addConstraint("supply_s\(i)", x[i].sum() <= Self.supply[i]) }
        let demandRows = sinks.map { j in model.addConstraint("demand_d\(j)", sources.map { x[$0][j] }.sum() == Self.demand[j]) }
        model.minimize(LinearExpression.sum(sources.flatMap { i in sinks.map { j in Self.unitCost[i][j] * x[i][j] } }))
        var options = SolveOptions()
        options.presolve = presolve

        let solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.status == .optimal)
        #expect(abs(solution.objective - Self.bruteForceTransportation()) < Self.tolerance)

        let u = try supplyRows.map { try #require(solution.dual(of: $0)) }
        let v = try demandRows.map { try #require(solution.dual(of: $0)) }
        for i in sources {
            // A ≤ row in a minimisation has a dual ≤ 0 (more supply cannot raise the cost), and
            // a row with slack has dual 0.
            #expect(u[i] <= Self.tolerance)
            let slack = Self.supply[i] - sinks.map { solution[x[i][$0]] }.reduce(0, +)
            #expect(slack >= -Self.tolerance)
            #expect(abs(slack * u[i]) < Self.tolerance)
            #expect(abs(solution.activity(of: supplyRows[i]) - (Self.supply[i] - slack)) < Self.tolerance)
            for j in sinks {
                let reduced = Self.unitCost[i][j] - u[i] - v[j]
                #expect(reduced >= -Self.tolerance)
                #expect(abs(solution[x[i][j]] * reduced) < Self.tolerance)
            }
        }
        let supplyPart: Double = zip(Self.supply, u).map { (b: Double, y: Double) in b * y }.reduce(0, +)
        let demandPart: Double = zip(Self.demand, v).map { (b: Double, y: Double) in b * y }.reduce(0, +)
        let dualObjective = supplyPart + demandPart
        #expect(abs(dualObjective - solution.objective) < Self.tolerance)
        #expect(solution.rowDuals.count == 6)
        #expect(solution.rowDuals["demand_d0"] == v[0])
    }
}
