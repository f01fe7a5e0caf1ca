import Foundation
import FleetModel
import MILP
@testable import FleetPlanner

/// The repository's catalog, found from this file's location.
func repositoryCatalog() throws -> Catalog {
    let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models")
    return try Catalog.load(directory: models)
}

/// A four-bin chat-like workload written by hand: fractions sum to 1, output = 20% of total.
func smallWorkload() throws -> Workload {
    try Workload.fromInlineBins([
        InlineLengthBin(maxTokens: 2048, fraction: 0.55),
        InlineLengthBin(maxTokens: 4096, fraction: 0.25),
        InlineLengthBin(maxTokens: 8192, fraction: 0.15),
        InlineLengthBin(maxTokens: 16384, fraction: 0.05),
    ], source: "test bins")
}

/// A small problem: ≤ 3 GPU types, 3 windows, 4 bins, TP 8.
func smallProblem(gpus: [String] = ["h100", "b200"], preset: ServingConfiguration.Preset = .physical,
                  routing: PlanningProblem.Routing = .threshold, rate: Double = 40,
                  ttft: Double = 2.0) throws -> PlanningProblem {
    let catalog = try repositoryCatalog()
    var serving = ServingConfiguration()
    serving.preset = preset
    return PlanningProblem(
        model: try catalog.llm(named: "llama-3.1-70b"), gpus: try gpus.map { try catalog.gpu(named: $0) },
        tensorParallelDegrees: [8], windows: [4096, 8192, 16384], maxWindowTokens: 16384,
        workload: try smallWorkload(), rateRequestsPerSecond: rate, ttftP99Seconds: ttft, serving: serving,
        maxPools: 4, routing: routing)
}

/// The bundled chat CDF (`examples/workloads/chat-cdf.json`) on the whole catalog, windows up to
/// 64K (as the CLI picks them for it), Llama-3.1-70B.
func chatCDFProblem(rate: Double, ttft: Double = 1) throws -> PlanningProblem {
    let catalog = try repositoryCatalog()
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let workload = try Workload.fromCDF(path: root.appendingPathComponent("examples/workloads/chat-cdf.json").path)
    return PlanningProblem(model: try catalog.llm(named: "llama-3.1-70b"), gpus: catalog.gpus,
                           maxWindowTokens: 65_536, workload: workload, rateRequestsPerSecond: rate, ttftP99Seconds: ttft)
}

/// The optimum GLPK finds for an exported CPLEX LP model read back from a file, to `relativeGap`.
func solvedFromFile(_ lp: String, relativeGap: Double) throws -> Solution {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("exported-\(UUID().uuidString).lp")
    try lp.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    var options = SolveOptions()
    options.relativeGap = relativeGap
    return try GLPKSolver().solve(fileAt: file, format: .cplexLP, options: options)
}
