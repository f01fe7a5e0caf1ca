import ArgumentParser
import FleetModel
import FleetPlanner
import FleetReport
import FleetSimulator
import Foundation

/// `fleetplan simulate`: replays Poisson or trace arrivals through a plan's fleet in the
/// discrete-event simulator and prints simulated latency, utilisation and energy beside the
/// plan's predictions.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Verify a plan: simulate its fleet under Poisson or trace arrivals and compare with its predictions.",
        discussion: """
        Reads a plan written by `fleetplan plan --format json` and runs a discrete-event \
        simulation of its fleet, independent of the planner's formulas: the plan's router \
        (length band → pool by share; requests longer than a pool's window are trimmed), \
        least-loaded instances with n_max slots and KV capacity, continuous batching with \
        decode iterations τ = max(W + Σ(h0 + h1·context), n·compute) and chunked prefill in \
        the same iterations, FCFS queues, and GPU power P(batch) integrated over time \
        (idle instances draw idle power).

        Arrivals are Poisson at --rate (default: the plan's rate) with lengths drawn from the \
        plan's bands, or a trace (Azure CSV `TIMESTAMP,ContextTokens,GeneratedTokens`, or \
        JSON Lines) replayed with its real timestamps, optionally time-scaled so its mean rate \
        becomes --scale-to-rate. The first --warmup-fraction of requests are left out of the \
        latency statistics; energy, throughput, utilisation and tok/W cover the span from the \
        first measured arrival to the last arrival. Same --seed, same output.

        Output: per pool and for the fleet, P50/P99 TTFT and TPOT, queue wait, utilisation, \
        output tokens/s, energy (kWh), tok/W (output tokens per joule of all GPUs), each \
        beside the plan's prediction with the relative difference, and SLO compliance \
        (P99 TTFT ≤ slo.ttftP99Seconds, P99 TPOT ≤ slo.tpotSeconds). Wall time and simulated \
        requests/s go to stderr, as does a progress line when stderr is a terminal.

        EXAMPLES:
          fleetplan simulate plan.json
          fleetplan simulate plan.json --requests 1000000 --seed 7 --format json
          fleetplan simulate plan.json --rate 1200 --warmup-fraction 0.2
          fleetplan simulate plan.json --trace ../shared/data/azure-llm-2023/conv.csv --scale-to-rate 1000
          fleetplan simulate plan.json --reservation paged --prefill-chunk-tokens 512
          fleetplan simulate examples/hand-fleet.yaml      (a fleet described by hand in a scenario)

        A scenario file (.yaml/.yml, or JSON with a `fleet` list) describes a fleet by hand: \
        `fleet: [{gpu: h100, tp: 8, window: 8192, instances: 20}, …]` plus the workload and \
        rate. The planner's serving model fills in each pool's figures and routes the demand \
        over the fixed pools (no resizing); that plan is then simulated.
        """
    )

    @Argument(help: ArgumentHelp("The plan (`fleetplan plan --format json`), or a scenario with a hand-described `fleet`.",
                                 valueName: "plan.json|scenario.yaml"))
    var plan: String

    @OptionGroup var catalogOptions: CatalogOptions

    // Numbers parse unconditionally, so a negative one (`--rate -5`) reaches the checks that say
    // what is wrong with it, not ArgumentParser's "missing value".
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Poisson arrival rate, \(InputLimits.rateRange) (default: the plan's rate).", valueName: "r"))
    var rate: Double?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Requests to simulate, 1 to 100,000,000 (default 200,000 for Poisson, the whole trace with --trace).", valueName: "n"))
    var requests: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seed of the arrival and routing random streams.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Fraction of the first requests excluded from statistics.", valueName: "f"))
    var warmupFraction: Double = 0.1

    @Option(name: .long, help: ArgumentHelp("Replay this trace (Azure CSV or JSON Lines) instead of Poisson arrivals.",
                                            valueName: "file"))
    var trace: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "With --trace: time-scale the trace so its mean rate becomes r requests/s (\(InputLimits.rateRange)).", valueName: "r"))
    var scaleToRate: Double?

    @Option(name: .long, help: ArgumentHelp("Prefill tokens per iteration per instance (chunked prefill), e.g. 2048 or 2K.",
                                            valueName: "tokens"))
    var prefillChunkTokens: String = "2048"

    @Option(name: .long, help: ArgumentHelp(
        "KV reservation per request: window (the pool's whole window) or paged (its own tokens); default: the plan's, else window.",
        valueName: "mode"))
    var reservation: String?

    @Option(name: .long, help: ArgumentHelp("Output format: table or json.", valueName: "format"))
    var format: String = SimulateFormat.table.rawValue

    /// A plan file as is; a scenario with a `fleet:` list is first evaluated by the planner (routing
    /// the demand over the fixed pools), and that plan is simulated.
    private func loadFleet() throws -> SimulatedFleet {
        let lower = plan.lowercased()
        var isScenario = lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
        if !isScenario, let data = FileManager.default.contents(atPath: plan),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            isScenario = object["plan"] == nil && object["fleet"] != nil
        }
        guard isScenario else { return try SimulatedFleet.fromPlanFile(path: plan) }
        let scenario = try Scenario.load(path: plan)
        guard scenario.fleet != nil else {
            throw InputError(.missingField, file: plan, location: "fleet", "a scenario to simulate needs a hand-described fleet",
                             fix: "add fleet: [{gpu: h100, tp: 8, window: 8192, instances: 10}] or run `fleetplan plan` first")
        }
        let problem = try scenario.problem(catalog: try catalogOptions.load())
        let result = try CLI.namingScenario(plan) { try FleetPlanner().plan(problem, baselines: false) }
        return try SimulatedFleet.fromPlanJSON(Data(try JSONOutput.string(result).utf8), file: plan)
    }

    /// Poisson runs default to this many requests: enough for a stable P99 in seconds.
    static let defaultPoissonRequests = 200_000

    func run() throws {
        let outputFormat: SimulateFormat = try CLI.choice(format, flag: "--format")
        let requestedReservation: SimulationOptions.KVReservation? = try reservation.map {
            try CLI.choice($0, flag: "--reservation")
        }
        let chunk = try CLI.tokenCount(prefillChunkTokens, flag: "--prefill-chunk-tokens")
        if let requests, requests < 1 {
            throw InputError(.invalidValue, location: "--requests", "\(requests) is below 1", fix: "simulate at least one request")
        }
        if let requests, requests > InputLimits.maxSimulatedRequests {
            throw InputError(.invalidValue, location: "--requests",
                             "\(requests) requests is more than the \(InputLimits.maxSimulatedRequests) one simulation runs",
                             fix: "simulate e.g. 1000000; a P99 is stable long before that")
        }
        let fleet = try loadFleet()
        let kvReservation = requestedReservation ?? fleet.plannedReservation ?? .window

        var options = SimulationOptions(requestCount: requests ?? Self.defaultPoissonRequests, seed: seed,
                                        warmupFraction: warmupFraction, prefillChunkTokens: chunk,
                                        kvReservation: kvReservation)
        let arrivalsDescription: ArrivalsDescription
        let progress = ProgressLine()
        let started = Date()
        let result: SimulationResult

        if let trace {
            if rate != nil {
                throw InputError(.invalidValue, location: "--rate", "--rate sets a Poisson rate and cannot be used with --trace",
                                 fix: "use --scale-to-rate to replay the trace at another mean rate")
            }
            let statistics = try ArrivalStatistics.fromTrace(path: trace)
            var timeScale = 1.0
            if let target = scaleToRate {
                guard target >= InputLimits.minRateRequestsPerSecond, target <= InputLimits.maxRateRequestsPerSecond else {
                    throw InputError(.invalidValue, location: "--scale-to-rate", "\(target) requests/s is not a rate to replay at",
                                     fix: "give the target mean rate, \(InputLimits.rateRange)")
                }
                guard statistics.meanRateRequestsPerSecond > 0 else {
                    throw InputError(.invalidValue, file: trace, "the trace spans no time, so it has no rate to scale",
                                     fix: "replay it without --scale-to-rate")
                }
                timeScale = statistics.meanRateRequestsPerSecond / target
            }
            options.requestCount = min(requests ?? statistics.requestCount, statistics.requestCount)
            let simulation = try FleetSimulation(fleet: fleet, options: options)
            var arrivals = try TraceArrivals(path: trace, timeScale: timeScale, limit: options.requestCount)
            result = try simulation.run(&arrivals, progress: progress.update)
            arrivalsDescription = ArrivalsDescription(
                mode: "trace", rateRequestsPerSecond: statistics.meanRateRequestsPerSecond / timeScale,
                trace: trace, traceStatistics: statistics,
                replayedStatistics: timeScale == 1 ? nil : statistics.timeScaled(by: 1 / timeScale),
                timeScale: timeScale == 1 ? nil : timeScale)
        } else {
            if scaleToRate != nil {
                throw InputError(.invalidValue, location: "--scale-to-rate", "--scale-to-rate only applies to --trace",
                                 fix: "use --rate for Poisson arrivals")
            }
            guard let poissonRate = rate ?? fleet.designRateRequestsPerSecond else {
                throw InputError(.missingField, file: plan, location: "plan.rateRequestsPerSecond",
                                 "the plan gives no arrival rate", fix: "pass --rate")
            }
            guard poissonRate >= InputLimits.minRateRequestsPerSecond, poissonRate <= InputLimits.maxRateRequestsPerSecond else {
                throw InputError(.invalidValue, file: rate == nil ? plan : nil,
                                 location: rate == nil ? "plan.rateRequestsPerSecond" : "--rate",
                                 "\(poissonRate) requests/s is not a rate to simulate",
                                 fix: "give \(InputLimits.rateRange), e.g. --rate 1000")
            }
            let simulation = try FleetSimulation(fleet: fleet, options: options)
            var arrivals = simulation.poissonArrivals(rateRequestsPerSecond: poissonRate)
            result = try simulation.run(&arrivals, progress: progress.update)
            arrivalsDescription = ArrivalsDescription(mode: "poisson", rateRequestsPerSecond: poissonRate)
        }
        progress.clear()

        let wallSeconds = Date().timeIntervalSince(started)
        let report = SimulationReport(planFile: plan, arrivals: arrivalsDescription, result: result)
        let output = outputFormat == .json ? try JSONOutput.string(report) : report.text()
        let speed = wallSeconds > 0 ? Double(result.run.requests) / wallSeconds : 0
        CLI.emit((output, "simulated \(HumanUnits.count(result.run.requests)) requests in "
                  + "\(HumanUnits.fixed(wallSeconds, digits: 2)) s (\(HumanUnits.count(Int(speed))) requests/s)\n"))
    }
}

/// `--format` values of `simulate`.
enum SimulateFormat: String, CaseIterable {
    case table, json
}

/// How requests arrived in the run, for the report.
struct ArrivalsDescription: Encodable {
    /// `poisson` or `trace`.
    var mode: String
    /// Mean arrival rate replayed, requests/s.
    var rateRequestsPerSecond: Double
    var trace: String?
    /// The trace's own arrival statistics (real time).
    var traceStatistics: ArrivalStatistics?
    /// The same, after time-scaling.
    var replayedStatistics: ArrivalStatistics?
    /// Factor applied to the trace's timestamps.
    var timeScale: Double?
}

/// The `simulate` output: JSON document and text tables.
struct SimulationReport: Encodable {
    var command = "simulate"
    var planFile: String
    var arrivals: ArrivalsDescription
    var fleet: SimulatedMetrics
    var pools: [SimulatedMetrics]
    var run: RunSummary

    init(planFile: String, arrivals: ArrivalsDescription, result: SimulationResult) {
        self.planFile = planFile
        self.arrivals = arrivals
        fleet = result.fleet
        pools = result.pools
        self.run = result.run
    }

    func text() -> String {
        var lines: [String] = []
        let warmup = "\(HumanUnits.count(run.warmupRequests)) warm-up requests excluded"
        if arrivals.mode == "trace", let trace = arrivals.trace, let statistics = arrivals.traceStatistics {
            lines.append("Simulated \(planFile): trace \(trace), \(HumanUnits.count(run.requests)) requests, \(warmup).")
            lines.append("Trace arrivals (real time): \(HumanUnits.count(statistics.requestCount)) requests over "
                + "\(HumanUnits.fixed(statistics.durationSeconds / 60, digits: 1)) min; mean "
                + "\(HumanUnits.significant(statistics.meanRateRequestsPerSecond)) req/s, peak minute "
                + "\(HumanUnits.significant(statistics.peakMinuteRateRequestsPerSecond)) req/s (p95 "
                + "\(HumanUnits.significant(statistics.p95MinuteRateRequestsPerSecond))); inter-arrival SCV "
                + "\(HumanUnits.fixed(statistics.interArrivalSquaredCoefficientOfVariation, digits: 2)), per-second "
                + "dispersion \(HumanUnits.fixed(statistics.perSecondCountIndexOfDispersion, digits: 2)) (Poisson: 1, 1).")
            if let scale = arrivals.timeScale {
                lines.append("Replayed \(HumanUnits.fixed(1 / scale, digits: 1))× faster: mean "
                    + "\(HumanUnits.significant(arrivals.rateRequestsPerSecond)) req/s, peak minute "
                    + "\(HumanUnits.significant(statistics.peakMinuteRateRequestsPerSecond / scale)) req/s.")
            }
        } else {
            lines.append("Simulated \(planFile): Poisson arrivals at \(HumanUnits.significant(arrivals.rateRequestsPerSecond)) "
                + "req/s, \(HumanUnits.count(run.requests)) requests, seed \(run.seed), \(warmup).")
        }
        lines.append("Measured over \(HumanUnits.fixed(run.windowSeconds, digits: 1)) s of simulated time "
            + "(\(HumanUnits.count(run.iterations)) iterations; KV reservation \(run.kvReservation.rawValue), "
            + "prefill chunk \(HumanUnits.count(run.prefillChunkTokens)) tokens).")
        lines.append("")

        var latency = Table(columns: [
            .init("pool", .left), .init("GPU", .left), .init("TP"), .init("window"), .init("inst"), .init("requests"),
            .init("trimmed"), .init("wait ms"), .init("P99 wait"), .init("P50 TTFT"), .init("P99 TTFT"), .init("pred"),
            .init("Δ"), .init("P50 TPOT"), .init("P99 TPOT"), .init("pred"), .init("Δ"), .init("SLO", .left),
        ])
        var energy = Table(columns: [
            .init("pool", .left), .init("util"), .init("pred"), .init("batch"), .init("tok/s"), .init("pred"),
            .init("power"), .init("pred"), .init("Δ"), .init("energy kWh"), .init("tok/W"), .init("pred"), .init("Δ"),
        ])
        for metrics in pools + [fleet] {
            let name = metrics.id ?? "fleet"
            if metrics.id == nil {
                latency.breakGroup()
                energy.breakGroup()
            }
            latency.append([
                name, metrics.gpu ?? "", metrics.tp.map(String.init) ?? "", metrics.window.map(HumanUnits.tokens) ?? "",
                HumanUnits.count(metrics.instances), HumanUnits.count(metrics.requests),
                HumanUnits.count(metrics.compressedRequests),
                HumanUnits.milliseconds(metrics.meanQueueWaitSeconds), HumanUnits.milliseconds(metrics.p99QueueWaitSeconds),
                HumanUnits.milliseconds(metrics.p50TTFTSeconds), HumanUnits.milliseconds(metrics.p99TTFTSeconds),
                HumanUnits.milliseconds(metrics.predicted?.p99TTFTSeconds), Self.percent(metrics.relativeDifference?.p99TTFTSeconds),
                HumanUnits.milliseconds(metrics.p50TPOTSeconds), HumanUnits.milliseconds(metrics.p99TPOTSeconds),
                HumanUnits.milliseconds(metrics.predicted?.p99TPOTSeconds), Self.percent(metrics.relativeDifference?.p99TPOTSeconds),
                Self.compliance(metrics.slo),
            ])
            energy.append([
                name, HumanUnits.fixed(metrics.utilisation, digits: 3), HumanUnits.fixed(metrics.predicted?.utilisation, digits: 3),
                HumanUnits.fixed(metrics.meanBatchSize, digits: 1),
                HumanUnits.fixed(metrics.throughputTokensPerSecond, digits: 0),
                HumanUnits.fixed(metrics.predicted?.throughputTokensPerSecond, digits: 0),
                HumanUnits.watts(metrics.averagePowerWatts), HumanUnits.watts(metrics.predicted?.powerWatts),
                Self.percent(metrics.relativeDifference?.powerWatts),
                HumanUnits.fixed(metrics.energyKWh, digits: 3),
                HumanUnits.significant(metrics.tokensPerWatt), HumanUnits.significant(metrics.predicted?.tokensPerWatt),
                Self.percent(metrics.relativeDifference?.tokensPerWatt),
            ])
        }
        lines.append("Latency (ms; pred = plan's prediction, Δ = (simulated − predicted) / predicted)")
        lines.append(latency.text())
        lines.append("Utilisation, throughput and energy (tok/W = output tokens per joule of all GPUs)")
        lines.append(energy.text())
        var slo: [String] = []
        if let ttft = fleet.slo.ttftP99Seconds { slo.append("P99 TTFT ≤ \(HumanUnits.milliseconds(ttft)) ms") }
        if let tpot = fleet.slo.tpotSeconds { slo.append("P99 TPOT ≤ \(HumanUnits.milliseconds(tpot)) ms") }
        if !slo.isEmpty {
            let failing = pools.filter { !$0.slo.met }.compactMap(\.id)
            // A pool with a TTFT target but no measured request has met nothing.
            let unmeasured = pools.filter { $0.slo.ttftP99Seconds != nil && $0.slo.ttftMet == nil }.compactMap(\.id)
            var verdict = failing.isEmpty ? "met by every pool" : "MISSED by \(failing.joined(separator: ", "))"
            if !unmeasured.isEmpty {
                if failing.isEmpty { verdict = "met by every measured pool" }
                verdict += "; no measured request reached \(unmeasured.joined(separator: ", ")) "
                    + "(simulate more requests or lower --warmup-fraction)"
            }
            lines.append("SLO (\(slo.joined(separator: ", "))): \(verdict).")
        }
        if run.requestsBeyondRouting > 0 {
            lines.append("\(HumanUnits.count(run.requestsBeyondRouting)) requests were longer than the routing table's last band "
                + "and went to its pools, trimmed to their window.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "+3.2%" for a relative difference.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return HumanUnits.missing }
        return (value >= 0 ? "+" : "") + HumanUnits.fixed(value * 100, digits: 1) + "%"
    }

    static func compliance(_ slo: SLOCompliance) -> String {
        if slo.ttftMet == nil, slo.tpotMet == nil { return HumanUnits.missing }
        return slo.met ? "ok" : "MISS"
    }
}

/// A one-line progress report on stderr, only when stderr is a terminal (never in pipes,
/// files or CI logs).
final class ProgressLine {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var shown = false

    func update(_ progress: SimulationProgress) {
        guard enabled else { return }
        let percent = Int(100 * Double(progress.arrivedRequests) / Double(max(progress.totalRequests, 1)))
        CLI.writeToStandardError("\rsimulating: \(percent)% (\(HumanUnits.count(progress.arrivedRequests)) / "
            + "\(HumanUnits.count(progress.totalRequests)) requests, \(HumanUnits.fixed(progress.simulatedSeconds, digits: 0)) s simulated)")
        shown = true
    }

    func clear() {
        if shown { CLI.writeToStandardError("\r\u{1B}[K") }
    }
}
