import ArgumentParser
import FleetModel
import FleetPlanner
import FleetReport
import Foundation
import MILP

/// `fleetplan plan`: size the fleet — pools, context cutoffs, GPU generations — for a workload.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Optimal GPU pools, context-length cutoffs and routing for a workload (a MILP solved with GLPK).",
        discussion: """
        Reads a scenario (YAML or JSON, see examples/) and/or flags (flags win), builds every \
        candidate pool (GPU × TP × window that fits the model), and solves the fleet MILP: \
        instances per pool and the share of each length band sent to each pool, minimising fleet \
        power (max-tokens-per-watt; demand is fixed) or GPU + energy dollars (min-cost), subject to \
        KV-cache concurrency, the P99 TTFT and TPOT SLOs and any power, dollar or GPU budgets. Every \
        figure is then recomputed exactly from the final loads and each pool is checked with an \
        M/G/c queue; a pool that misses its P99 TTFT gets more instances and the MILP is re-solved. \
        Baselines (homogeneous fleet at --max-window and the best two-pool split, per GPU type) are \
        planned by the same model for comparison.

        EXAMPLES:
          fleetplan plan examples/chat-fleet.yaml
          fleetplan plan --workload examples/workloads/chat-cdf.json --rate 200 --ttft-p99 2s --gpus h100,b200
          fleetplan plan examples/chat-fleet.yaml --objective min-cost --format json
          fleetplan plan examples/chat-fleet.yaml --power-cap-kw 200 --available b200=256
          fleetplan plan --workload trace.csv --gpus all --max-pools 3 --export-lp fleet.lp
          fleetplan plan --workload examples/workloads/chat-cdf.json --rate 100 --ttft-p99 1s --progress
          fleetplan plan examples/paper-azure.yaml   (needs ../shared/data; see the README)
        """
    )

    @Argument(help: ArgumentHelp("Scenario file (YAML or JSON); optional when flags say enough.", valueName: "scenario"))
    var scenario: String?

    @Option(name: .long, help: ArgumentHelp("Workload: a length-CDF .json or an Azure-format trace .csv/.jsonl.", valueName: "file"))
    var workload: String?
    // Numbers and durations parse unconditionally, so a negative one (`--rate -5`) reaches the checks that say
    // what is wrong with it, not ArgumentParser's "missing value".
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Output tokens as a share of total for CDFs (default 0.2).", valueName: "f"))
    var outputFraction: Double?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Demand, \(InputLimits.rateRange) (a trace defaults to its peak minute).", valueName: "req/s"))
    var rate: Double?
    @Option(name: .long, help: ArgumentHelp("Model name or alias (default llama-3.1-70b).", valueName: "name"))
    var model: String?
    @Option(name: .long, help: ArgumentHelp("GPU types allowed, comma-separated, or all (default all).", valueName: "a,b|all"))
    var gpus: String?
    @Option(name: .long, help: ArgumentHelp("Tensor-parallel degrees allowed (default 1,2,4,8).", valueName: "list"))
    var tp: String?
    @Option(name: .long, help: ArgumentHelp("Candidate windows (default powers of two from 1K to --max-window).", valueName: "list"))
    var windows: String?
    @Option(name: .long, help: ArgumentHelp("Largest window a pool may serve (default: the workload's longest request, ≤ 128K).", valueName: "tokens"))
    var maxWindow: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("P99 time to first token per pool, e.g. 500ms, at most \(InputLimits.latencySLOLimit) (default 500ms).", valueName: "duration"))
    var ttftP99: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Time per output token SLO, e.g. 50ms, at most \(InputLimits.latencySLOLimit) (default none).", valueName: "duration"))
    var tpot: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Most pools the fleet may have (default 4).", valueName: "K"))
    var maxPools: Int?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Fewest instances an open pool may have, 1 to \(InputLimits.maxMinInstancesPerPool); 2 keeps a spare in every pool (default 1).", valueName: "N"))
    var minInstances: Int?
    @Option(name: .long, help: ArgumentHelp("split (bands may be spread over pools) or threshold (one pool per band).", valueName: "mode"))
    var routing: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Compress-and-route: trim requests up to G × a pool's window to fit it, G from 1 to 100 (off by default).", valueName: "G"))
    var compressMax: Double?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Share of such requests that can be compressed (default 0.75).", valueName: "P"))
    var compressFraction: Double?
    @Option(name: .long, help: ArgumentHelp("max-tokens-per-watt (default), min-cost, or max-load (the largest share of the demand the budgets allow).", valueName: "objective"))
    var objective: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Facility power cap in kW (IT power × PUE), up to 100,000,000.", valueName: "kW"))
    var powerCapKw: Double?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Power usage effectiveness, 1 to \(InputLimits.grouped(InputLimits.maxPowerUsageEffectiveness)) (default 1.2).", valueName: "x"))
    var pue: Double?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Budget for GPU-hours plus energy, dollars per hour (up to 1,000,000,000).", valueName: "$"))
    var budgetPerHour: Double?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Electricity price, 0 to 10 dollars per kWh (default 0.08).", valueName: "$"))
    var electricity: Double?
    @Option(name: .long, help: ArgumentHelp("GPUs available, e.g. h100=512,b200=64.", valueName: "list"))
    var available: String?
    @Option(name: .long, help: ArgumentHelp("physical (default) or paper (the 1/W-law calibration; Llama-3.1-70B TP8 on H100/B200).", valueName: "preset"))
    var preset: String?
    @Option(name: .long, help: ArgumentHelp("KV reservation: window (default) or paged.", valueName: "mode"))
    var reservation: String?
    @Option(name: .long, help: ArgumentHelp("Weight (and compute) format, e.g. fp8 (default: the model's own).", valueName: "format"))
    var weightFormat: String?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Engine cap on concurrent sequences (vLLM max_num_seqs).", valueName: "n"))
    var maxNumSeqs: Int?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Time limit for the whole search in seconds, re-solves included (default 60); the best plan and its gap come back.", valueName: "s"))
    var timeLimit: Double?
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Relative MIP gap at which to stop, in [0, 1) (default 1e-4).", valueName: "g"))
    var gap: Double?
    @Flag(name: .long, help: "Skip the baseline fleets.")
    var noBaselines = false
    @Flag(name: .long, help: "Report the search on standard error as it goes: each solve's best plan, bound and gap, the pools that miss their P99 TTFT, and those cut back to what their traffic needs.")
    var progress = false
    @Option(name: .long, help: ArgumentHelp("Write the MILP the plan is the solution of (after any re-solves), in CPLEX LP format.", valueName: "file"))
    var exportLp: String?
    @OptionGroup var catalogOptions: CatalogOptions
    @Option(name: .long, help: ArgumentHelp("Output format: table, json or markdown.", valueName: "format"))
    var format: String = OutputFormat.table.rawValue

    func run() throws {
        let outputFormat: OutputFormat = try CLI.choice(format, flag: "--format")
        guard outputFormat != .csv else {
            // A plan is several tables (pools, routing, fleet, baselines): csv printed the text table instead.
            throw InputError(.invalidValue, location: "--format", "a plan has no CSV form",
                             fix: "use table, json or markdown (json for machine-readable output)")
        }
        if let exportLp { try AtomicFile.checkNotAFolder(exportLp, example: "fleet.lp") }
        let catalog = try catalogOptions.load()
        let base = try scenario.map { try Scenario.load(path: $0) } ?? Scenario()
        let problem = try base.overlaid(by: try flagScenario()).problem(catalog: catalog)
        var planner = FleetPlanner()
        if progress {
            planner.progress = { FileHandle.standardError.write(Data((Self.progressLine($0) + "\n").utf8)) }
        }
        let (result, lp) = try CLI.namingScenario(scenario) { try planner.planExportingModel(problem, baselines: !noBaselines) }
        if let exportLp { try AtomicFile.write(lp, to: exportLp) }
        print(try PlanReport(result: result).render(outputFormat), terminator: "")
    }

    /// One `--progress` line, e.g. `[   2.1 s] solve 2: best 35567 W, bound 35341 W (gap 0.64%), 1200 nodes`.
    static func progressLine(_ progress: PlanningProgress) -> String {
        func amount(_ value: Double?) -> String {
            guard let value else { return "none yet" }
            switch progress.objectiveUnit {
            case "W": return String(format: "%.0f W", value)
            case "$/h": return String(format: "%.2f $/h", value)
            default: return String(format: "%.4f ", value) + progress.objectiveUnit
            }
        }
        var line = String(format: "[%6.1f s] solve %d: ", progress.seconds, progress.solve)
        guard progress.finished || progress.incumbent != nil || progress.bound != nil else { return line + "started" }
        let gap = progress.relativeGap.map { String(format: "%.2g%%", $0 * 100) } ?? "unknown"
        line += "\(progress.finished ? "ended at" : "best") \(amount(progress.incumbent)), bound \(amount(progress.bound)) "
            + "(gap \(gap)), \(progress.nodes) node\(progress.nodes == 1 ? "" : "s")"
        if progress.finished {
            line += progress.failingPools.isEmpty ? "; every pool meets its P99 TTFT"
                : "; missing their P99 TTFT: " + progress.failingPools.joined(separator: ", ")
            if !progress.loosenedPools.isEmpty {
                line += "; more instances than their traffic needs: " + progress.loosenedPools.joined(separator: ", ")
            }
        }
        return line
    }

    /// The flags as a scenario that overlays the file.
    private func flagScenario() throws -> Scenario {
        var flags = Scenario()
        flags.model = model
        if workload != nil || outputFraction != nil {
            let isTrace = workload.map { $0.lowercased().hasSuffix(".csv") || $0.lowercased().hasSuffix(".jsonl") } ?? false
            flags.workload = .init(cdf: isTrace ? nil : workload, trace: isTrace ? workload : nil, outputFraction: outputFraction)
        }
        flags.rate = rate
        if let gpus { flags.gpus = try CLI.list(gpus, flag: "--gpus") }
        if let tp { flags.tp = try CLI.list(tp, flag: "--tp").map { try CLI.positiveInteger($0, flag: "--tp") } }
        if let windows { flags.windows = try CLI.list(windows, flag: "--windows").map { try CLI.tokenCount($0, flag: "--windows") } }
        if let maxWindow { flags.maxWindow = try CLI.tokenCount(maxWindow, flag: "--max-window") }
        flags.slo = .init(ttftP99: try ttftP99.map { try duration($0, flag: "--ttft-p99") },
                          tpot: try tpot.map { try duration($0, flag: "--tpot") })
        flags.maxPools = maxPools
        flags.minInstances = minInstances
        flags.routing = routing
        if compressMax != nil || compressFraction != nil {
            flags.compression = .init(maxFactor: compressMax, fraction: compressFraction)
        }
        flags.objective = objective
        flags.budgets = .init(powerCapKW: powerCapKw, pue: pue, dollarsPerHour: budgetPerHour,
                              electricityDollarsPerKWh: electricity, available: try available.map(parseAvailability))
        flags.serving = .init(preset: preset, reservation: reservation, weightFormat: weightFormat, maxNumSeqs: maxNumSeqs)
        flags.solver = .init(timeLimitSeconds: timeLimit, gap: gap)
        return flags
    }

    private func duration(_ text: String, flag: String) throws -> DurationText {
        guard let value = DurationText(text: text), value.seconds > 0, value.seconds.isFinite else {
            throw InputError(.invalidValue, location: flag, "'\(text)' is not a positive duration", fix: "write e.g. 500ms or 0.5s")
        }
        return value
    }

    private func parseAvailability(_ text: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for item in try CLI.list(text, flag: "--available") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let count = Int(parts[1]), count >= 0 else {
                throw InputError(.invalidValue, location: "--available", "'\(item)' is not GPU=COUNT", fix: "write e.g. h100=512,b200=64")
            }
            result[parts[0]] = count
        }
        return result
    }
}

/// Writes output files atomically: a reader never sees half a file.
enum AtomicFile {
    /// Throws when `path` is a folder: checked before the work whose result goes there.
    static func checkNotAFolder(_ path: String, example: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(.invalidValue, file: path, "is a folder, not a file to write",
                             fix: "give a file name, e.g. \((path as NSString).appendingPathComponent(example))")
        }
    }

    static func write(_ text: String, to path: String) throws {
        try checkNotAFolder(path, example: "output")
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(.invalidValue, file: path, "cannot be written: \(error.localizedDescription)",
                             fix: "check the folder exists and is writable")
        }
    }
}
