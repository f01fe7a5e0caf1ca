// Benchmarks the fleet planner (not a test): plans a scenario with each branch-and-bound strategy
// and prints wall time, nodes and gap. Release build:
//   swift run -c release fleetplan-bench [CDF or trace file] [rate req/s] [P99 TTFT seconds]
// With no file it uses examples/workloads/chat-cdf.json at 1000 req/s, the whole catalog, TP 1-8,
// windows 1K-128K.
import FleetModel
import FleetPlanner
import Foundation
import MILP

let arguments = CommandLine.arguments.dropFirst()
let workloadPath = arguments.first ?? "examples/workloads/chat-cdf.json"
let rate = arguments.dropFirst().first.flatMap(Double.init) ?? 1000
let ttft = arguments.dropFirst(2).first.flatMap(Double.init) ?? 0.5

do {
    let catalog = try Catalog.loadDefault()
    let workload = workloadPath.hasSuffix(".csv") ? try Workload.fromTrace(path: workloadPath)
        : try Workload.fromCDF(path: workloadPath)
    let problem = PlanningProblem(
        model: try catalog.llm(named: "llama-3.1-70b"), gpus: catalog.gpus, maxWindowTokens: 131_072,
        workload: workload, rateRequestsPerSecond: rate, ttftP99Seconds: ttft)
    print("\(workloadPath): \(workload.bins.count) bins, \(rate) req/s, P99 TTFT \(ttft) s, \(catalog.gpus.count) GPU types, TP 1-8, windows 1K-128K")
    let strategies: [(String, SolveOptions.Branching, SolveOptions.Backtracking, SolveOptions.Cuts, Bool)] = [
        ("pseudocost + best bound", .pseudocost, .bestLocalBound, [], true),
        ("pseudocost + best projection", .pseudocost, .bestProjection, [], true),
        ("Driebeck-Tomlin + best bound", .driebeckTomlin, .bestLocalBound, [], true),
        ("D-T, no seeded incumbent", .driebeckTomlin, .bestLocalBound, [], false),
        ("Driebeck-Tomlin + MIR cuts", .driebeckTomlin, .bestLocalBound, [.mixedIntegerRounding], true),
        ("pseudocost + all cuts", .pseudocost, .bestLocalBound, .all, true),
    ]
    for (name, branching, backtracking, cuts, seeds) in strategies {
        var planner = FleetPlanner()
        planner.seedsIncumbent = seeds
        planner.cuts = cuts
        planner.branching = branching
        planner.backtracking = backtracking
        var times: [Double] = []
        var last: PlanResult?
        for _ in 0..<3 {
            let start = Date()
            last = try planner.plan(problem, baselines: false)
            times.append(Date().timeIntervalSince(start))
        }
        guard let result = last else { continue }
        let best = times.min() ?? 0
        print(String(format: "%-30@ best of 3: %7.3f s  nodes %6d  gap %.1e  %@  %.0f W",
                     name as NSString, best, result.solver.nodes, result.solver.gap,
                     result.solver.status as NSString, result.plan.powerWatts))
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
