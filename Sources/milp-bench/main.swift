// milp-bench: times building and solving models with the MILP layer (GLPK 5).
//
//   swift build -c release --scratch-path .build-milp --product milp-bench
//   .build-milp/release/milp-bench [--export DIR]
//
// --export DIR also writes the LP and MILP cases to DIR as CPLEX LP and free MPS, so another
// solver (e.g. HiGHS) can confirm the optima.
//
// Cases (fixed seeds, so runs are comparable):
//   lp-5000x2000   random sparse LP, 5,000 variables in [0, 10], 2,000 ≤ rows of 25 nonzeros
//   fleet-1480x401 a §7-shaped fleet model handed to GLPK (build + MPS export, no solve)
//   milp-500int    a §7-shaped fleet MILP: 250 integer instance counts + 250 binary "open"
//                  flags + 1,000 continuous routing variables; solved with default and with
//                  pseudocost branching (120 s limit), and with a 1e-3 gap
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

/// Pools p with instance counts N_p (integer), open flags y_p (binary) and routing r_pj (req/s)
/// from length bins j to eligible pools; minimise idle power per instance + a cost per routed
/// request + an opening cost, with at most `maxPools` pools open.
func fleetModel(pools: Int, bins: Int, poolsPerBin: Int, maxPools: Int, seed: UInt64) -> Model {
    var random = SplitMix64(seed: seed)
    var model = Model(name: "fleet_like")
    let instances = (0..<pools).map { model.addVariable("N_p\($0)", kind: .integer, upperBound: 1000) }
    let open = (0..<pools).map { model.addVariable("y_p\($0)", kind: .binary) }
    let idleWatts = (0..<pools).map { _ in Double(Int.random(in: 2_000...9_000, using: &random)) }
    let requestsPerInstance = (0..<pools).map { _ in Double(Int.random(in: 1...4, using: &random)) }
    var routed = [[Variable]](repeating: [], count: pools)
    var objective = LinearExpression()
    for j in 0..<bins {
        let demand = Double(Int.random(in: 20...120, using: &random))
        var served = LinearExpression()
        var chosen = Set<Int>()
        while chosen.count < poolsPerBin { chosen.insert(Int.random(in: 0..<pools, using: &random)) }
        for p in chosen.sorted() {
            let r = model.addVariable("r_p\(p)_j\(j)")
            served += r
            routed[p].append(r)
            objective.addTerm(Double(Int.random(in: 50...300, using: &random)), r)
        }
        model.addConstraint("demand_j\(j)", served == demand)
    }
    for p in 0..<pools {
        model.addConstraint("capacity_p\(p)", routed[p].sum() - requestsPerInstance[p] * instances[p] <= 0)
        model.addConstraint("open_p\(p)", instances[p] - 1000 * open[p] <= 0)
        objective += idleWatts[p] * instances[p] + 1000 * open[p]
    }
    model.addConstraint("max_pools", open.sum() <= Double(maxPools))
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

let exportDirectory: URL? = CommandLine.arguments.firstIndex(of: "--export").flatMap { flag in
    CommandLine.arguments.indices.contains(flag + 1) ? URL(fileURLWithPath: CommandLine.arguments[flag + 1]) : nil
}
if let exportDirectory {
    try FileManager.default.createDirectory(at: exportDirectory, withIntermediateDirectories: true)
    for (name, model) in [("lp-5000x2000", randomLP(variables: 5_000, rows: 2_000, nonzerosPerRow: 25)),
                          ("milp-500int", fleetModel(pools: 250, bins: 40, poolsPerBin: 25, maxPools: 40, seed: 4))] {
        try model.write(to: exportDirectory.appendingPathComponent("\(name).lp"), format: .cplexLP)
        try model.write(to: exportDirectory.appendingPathComponent("\(name).mps"), format: .freeMPS)
    }
    print("wrote lp-5000x2000 and milp-500int (.lp, .mps) to \(exportDirectory.path)")
}

let clock = ContinuousClock()
try run("lp-5000x2000") { randomLP(variables: 5_000, rows: 2_000, nonzerosPerRow: 25) }

let handStarted = clock.now
let fleet = fleetModel(pools: 190, bins: 20, poolsPerBin: 55, maxPools: 40, seed: 3)
let handBuilt = clock.now
let mps = try fleet.mpsFormat()
let handed = clock.now
print("fleet-\(fleet.variableCount)x\(fleet.constraintCount): build \(format(milliseconds(handBuilt - handStarted))) ms, validate + hand to GLPK + write MPS (\(mps.utf8.count / 1024) KiB) \(format(milliseconds(handed - handBuilt))) ms")

var limited = SolveOptions()
limited.timeLimitSeconds = 120
let fleet500 = { fleetModel(pools: 250, bins: 40, poolsPerBin: 25, maxPools: 40, seed: 4) }
try run("milp-500int (default branching)", build: fleet500, options: limited)
limited.branching = .pseudocost
try run("milp-500int (pseudocost)", build: fleet500, options: limited)
limited.relativeGap = 1e-3
try run("milp-500int (pseudocost, gap 1e-3)", build: fleet500, options: limited)
