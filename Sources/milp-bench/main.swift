// milp-bench: times building and solving models with the MILP layer (GLPK 5).
//
//   swift build -c release --scratch-path .build-milp --product milp-bench
//   .build-milp/release/milp-bench
//
// Cases (fixed seeds, so runs are comparable):
//   lp-5000x2000   random sparse LP, 5,000 variables in [0, 10], 2,000 ≤ rows of 25 nonzeros
//   fleet-1500x400 a §7-shaped fleet model handed to GLPK (build + MPS export, no solve)
//   milp-500int    a §7-shaped fleet MILP: 250 integer instance counts + 250 binary "open"
//                  flags + 1,000 continuous routing variables; solved with default and with
//                  pseudocost branching
import Foundation
import MILP

struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func milliseconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) * 1e3 + Double(parts.attoseconds) * 1e-15
}

func format(_ value: Double) -> String { String(format: "%.1f", value) }

func randomLP(variables: Int, rows: Int, nonzerosPerRow: Int) -> Model {
    var random = SplitMix64(seed: 1)
    var model = Model(name: "random_lp")
    let x = (0..<variables).map { model.addVariable("x\($0)", upperBound: 10) }
    for i in 0..<rows {
        var row = LinearExpression()
        for _ in 0..<nonzerosPerRow {
            row.addTerm(Double(Int.random(in: 1...20, using: &random)), x[Int.random(in: 0..<variables, using: &random)])
        }
        model.addConstraint("row\(i)", row <= Double(Int.random(in: 50...500, using: &random)))
    }
    model.maximize(LinearExpression.sum(x.map { Double(Int.random(in: 1...30, using: &random)) * $0 }))
    return model
}

/// Pools p with instance counts N_p (integer), open flags y_p (binary) and routing r_pj from
/// length bins j to eligible pools; minimise power (per-instance idle + per-request dynamic).
func fleetModel(pools: Int, bins: Int, poolsPerBin: Int, seed: UInt64) -> Model {
    var random = SplitMix64(seed: seed)
    var model = Model(name: "fleet_like")
    let instances = (0..<pools).map { model.addVariable("N_p\($0)", kind: .integer, upperBound: 60) }
    let open = (0..<pools).map { model.addVariable("y_p\($0)", kind: .binary) }
    let idleWatts = (0..<pools).map { _ in Double(Int.random(in: 2_000...9_000, using: &random)) }
    let requestsPerInstance = (0..<pools).map { _ in Double(Int.random(in: 5...40, using: &random)) }
    var routed = [[(Variable, Double)]](repeating: [], count: pools)
    var objective = LinearExpression()
    for j in 0..<bins {
        let demand = Double(Int.random(in: 20...120, using: &random))
        var served = LinearExpression()
        var chosen = Set<Int>()
        while chosen.count < poolsPerBin { chosen.insert(Int.random(in: 0..<pools, using: &random)) }
        for p in chosen.sorted() {
            let r = model.addVariable("r_p\(p)_j\(j)")
            served += r
            let serviceSeconds = Double(Int.random(in: 5...30, using: &random)) / 10
            routed[p].append((r, serviceSeconds))
            objective.addTerm(50 * serviceSeconds, r)
        }
        model.addConstraint("demand_j\(j)", served == demand)
    }
    for p in 0..<pools {
        let load = LinearExpression(terms: routed[p].map { ($0.0, $0.1 / 10) })
        model.addConstraint("capacity_p\(p)", load - 0.8 * requestsPerInstance[p] / 10 * instances[p] <= 0)
        model.addConstraint("open_p\(p)", instances[p] - 60 * open[p] <= 0)
        objective += idleWatts[p] * instances[p] + 500 * open[p]
    }
    model.addConstraint("max_pools", open.sum() <= Double(pools / 3))
    model.minimize(objective)
    return model
}

func run(_ label: String, build: () -> Model, options: SolveOptions = SolveOptions()) throws {
    let clock = ContinuousClock()
    let started = clock.now
    let model = build()
    let built = clock.now
    let solution = try GLPKSolver().solve(model, options: options)
    let solved = clock.now
    let gap = solution.mipGap.map { String(format: "%.2e", $0) } ?? "-"
    print("\(label): \(model.variableCount) vars (\(model.variables.filter { model.kind(of: $0) != .continuous }.count) integer), \(model.constraintCount) rows, \(model.nonzeroCount) nonzeros")
    print("  build \(format(milliseconds(built - started))) ms, solve call \(format(milliseconds(solved - built))) ms, status \(solution.status), objective \(solution.objective), gap \(gap), nodes \(solution.nodes)")
}

let clock = ContinuousClock()
try run("lp-5000x2000") { randomLP(variables: 5_000, rows: 2_000, nonzerosPerRow: 25) }

let handStarted = clock.now
let fleet = fleetModel(pools: 130, bins: 16, poolsPerBin: 80, seed: 3)
let handBuilt = clock.now
let mps = try fleet.mpsFormat()
let handed = clock.now
print("fleet-\(fleet.variableCount)x\(fleet.constraintCount): build \(format(milliseconds(handBuilt - handStarted))) ms, validate + hand to GLPK + write MPS (\(mps.utf8.count / 1024) KiB) \(format(milliseconds(handed - handBuilt))) ms")

var limited = SolveOptions()
limited.timeLimitSeconds = 60
try run("milp-500int (default branching)", build: { fleetModel(pools: 250, bins: 40, poolsPerBin: 25, seed: 4) }, options: limited)
limited.branching = .pseudocost
try run("milp-500int (pseudocost)", build: { fleetModel(pools: 250, bins: 40, poolsPerBin: 25, seed: 4) }, options: limited)
