import Foundation
import FleetModel

extension Scenario {
    /// Default P99 TTFT when neither file nor flags give one, seconds.
    public static let defaultTTFTP99Seconds = 0.5

    /// Resolves names against the catalog, reads the workload, fills defaults and validates:
    /// the `PlanningProblem` the planner solves.
    /// - Throws: `InputError` naming the scenario file (or flag) and the field.
    public func problem(catalog: Catalog) throws -> PlanningProblem {
        do {
            return try resolvedProblem(catalog: catalog)
        } catch var error as InputError {
            // A name the catalog does not know (model:, gpus:, fleet[0].gpu) is the scenario's, unless a flag gave it.
            let field = error.location.map { String($0.prefix { $0 != "." && $0 != "[" }) } ?? ""
            if error.file == nil, !fieldsFromFlags.contains(field) { error.file = file }
            throw error
        }
    }

    private func resolvedProblem(catalog: Catalog) throws -> PlanningProblem {
        let file = self.file
        func invalid(_ field: String, _ message: String, fix: String? = nil) -> InputError {
            InputError(.invalidValue, file: file, location: field, message, fix: fix)
        }
        let model = try catalog.llm(named: self.model ?? "llama-3.1-70b", location: "model")

        var serving = ServingConfiguration()
        if let settings = self.serving {
            if let preset = settings.preset { serving.preset = try choice(preset, field: "serving.preset") }
            if let reservation = settings.reservation { serving.reservation = try choice(reservation, field: "serving.reservation") }
            if let format = settings.weightFormat { serving.weightFormat = try choice(format, field: "serving.weightFormat") }
            if let format = settings.kvFormat { serving.kvFormat = try choice(format, field: "serving.kvFormat") }
            serving.maxNumSeqs = settings.maxNumSeqs
            if let value = settings.computeEfficiency { serving.computeEfficiency = value }
            if let value = settings.bandwidthEfficiency { serving.bandwidthEfficiency = value }
            if let value = settings.perSequenceOverheadSeconds { serving.perSequenceOverheadSeconds = value }
        }
        serving.tpotSLOSeconds = slo?.tpot?.seconds
        do { try serving.validate() } catch var error as InputError {
            error.file = file
            error.location = "serving.\(error.location ?? "")"
            throw error
        }

        let gpuNames = gpus ?? ["all"]
        let gpuSpecs: [GPUSpec]
        if gpuNames.map({ $0.lowercased() }) == ["all"] {
            gpuSpecs = catalog.gpus
        } else {
            gpuSpecs = try gpuNames.map { try catalog.gpu(named: $0, location: "gpus") }
        }
        if gpuSpecs.isEmpty {
            throw invalid("gpus", "lists no GPU type", fix: "list GPU names, e.g. [h100, b200], or all")
        }

        let workload = try readWorkload()
        let rate = try self.rate ?? workload.arrivals?.peakMinuteRateRequestsPerSecond ?? {
            throw invalid("rate", "no request rate given", fix: "pass --rate REQ_PER_S or set rate: in the scenario (a trace gives its peak-minute rate)")
        }()
        if self.rate == nil, !(rate > 0), let trace = self.workload?.trace {
            throw InputError(.invalidValue, file: trace, location: "rate",
                             "the trace's requests all arrive at one time, so it gives no request rate",
                             fix: "pass --rate REQ_PER_S or set rate: in the scenario")
        }
        guard rate.isFinite, rate > 0 else {
            throw invalid("rate", "the request rate must be a positive number of requests per second, got \(rate)",
                          fix: "give \(InputLimits.rateRange), e.g. 1000")
        }

        if let windows = self.windows, windows.isEmpty {
            throw invalid("windows", "lists no window", fix: "list token counts, e.g. [8192, 32768], or leave windows out for powers of two up to maxWindow")
        }
        // No pool serves a window longer than the model's context (the catalog's max_context_tokens).
        let context = model.maxContextTokens ?? Int.max
        func beyondContext(_ field: String, _ tokens: Int) -> InputError {
            invalid(field, "\(tokens) tokens is beyond \(model.name)'s \(context)-token context (max_context_tokens in the catalog)",
                    fix: "give at most \(context)")
        }
        if let maxWindow = self.maxWindow, maxWindow > context { throw beyondContext("max-window", maxWindow) }
        if let window = self.windows?.first(where: { $0 > context }) { throw beyondContext("windows", window) }
        let compressionFactor = self.compression?.maxFactor ?? 1
        if workload.maxTokens > context, !(compressionFactor.isFinite && compressionFactor > 1) {
            let longer = workload.bins.filter { $0.maxTokens > context }
            let share = longer.reduce(0) { $0 + $1.requestFraction }
            let factor = (Double(workload.maxTokens) / Double(context)).rounded(.up)
            throw InputError(.invalidValue, file: file, location: "workload",
                             "\(String(format: "%.2g", share * 100))% of requests fall in length bands beyond \(model.name)'s "
                                + "\(context)-token context (max_context_tokens), up to \(workload.maxTokens) tokens",
                             fix: factor <= InputLimits.maxCompressionFactor
                                ? "let compress-and-route trim them (--compress-max \(Int(factor)) --compress-fraction 1), "
                                    + "or plan a model with a longer context"
                                : "they are \(Int(factor))× the context, beyond what compress-and-route trims (at most "
                                    + "\(Int(InputLimits.maxCompressionFactor))×): leave them out of the workload or plan a model with a longer context")
        }

        let maxWindow = self.maxWindow ?? min(1 << 17, context, max(1024, Self.nextPowerOfTwo(workload.maxTokens)))
        guard maxWindow >= 1 else { throw invalid("maxWindow", "must be a positive token count, got \(maxWindow)") }
        var windows = self.windows ?? PlanningProblem.powerOfTwoWindows(upTo: maxWindow)
        windows = windows.filter { $0 <= maxWindow }
        if windows.isEmpty { throw invalid("windows", "no window is at or below maxWindow \(maxWindow)") }
        if !windows.contains(maxWindow) { windows.append(maxWindow) }

        let degrees = tp ?? [1, 2, 4, 8]
        if degrees.isEmpty {
            throw invalid("tp", "lists no tensor-parallel degree",
                          fix: "list one or more of \(model.validTensorParallelDegrees.map(String.init).joined(separator: ", ")), or leave tp out for 1, 2, 4, 8")
        }
        if let bad = degrees.first(where: { $0 < 1 }) { throw invalid("tp", "\(bad) is not a tensor-parallel degree") }
        let usable = degrees.filter { model.supportsTensorParallel($0) }
        if usable.isEmpty {
            throw invalid("tp", "\(model.shortName) cannot be split over TP \(degrees.map(String.init).joined(separator: ", ")) "
                + "(\(model.attentionHeads) attention heads, \(model.kvHeads) KV heads)",
                fix: "use one of \(model.validTensorParallelDegrees.map(String.init).joined(separator: ", "))")
        }

        var compression: PlanningProblem.Compression?
        if let settings = self.compression, let factor = settings.maxFactor {
            compression = .init(maxFactor: factor, fraction: settings.fraction ?? 0.75)
        } else if self.compression?.fraction != nil {
            throw invalid("compress-fraction", "only applies with a compress-max: compress-and-route is off without one",
                          fix: "add --compress-max G (compression.maxFactor in a scenario), e.g. 2, or drop the fraction")
        }
        var available: [String: Int] = [:]
        for (name, count) in budgets?.available ?? [:] {
            available[try catalog.gpu(named: name, location: "budgets.available").name] = count
        }

        var problem = PlanningProblem(
            model: model, gpus: gpuSpecs, tensorParallelDegrees: usable, windows: windows.sorted(),
            maxWindowTokens: maxWindow, workload: workload, rateRequestsPerSecond: rate,
            ttftP99Seconds: slo?.ttftP99?.seconds ?? Self.defaultTTFTP99Seconds, serving: serving,
            maxPools: maxPools ?? 4, routing: try routing.map { try choice($0, field: "routing") } ?? .split,
            compression: compression,
            objective: try objective.map { try choice($0, field: "objective") } ?? .maxTokensPerWatt,
            maxUtilisation: self.serving?.maxUtilisation ?? 0.85,
            powerUsageEffectiveness: budgets?.pue ?? 1.2, powerCapWatts: budgets?.powerCapKW.map { $0 * 1000 },
            budgetDollarsPerHour: budgets?.dollarsPerHour, availableGPUs: available,
            electricityDollarsPerKWh: budgets?.electricityDollarsPerKWh ?? 0.08)
        if let entries = fleet {
            guard !entries.isEmpty else { throw invalid("fleet", "the fleet lists no pools") }
            var pools: [PlanningProblem.FixedPool] = []
            for (index, entry) in entries.enumerated() {
                let field = "fleet[\(index)]"
                let gpu = try catalog.gpu(named: entry.gpu, location: "\(field).gpu")
                guard entry.instances >= 1, entry.instances <= InputLimits.maxInstancesPerPool else {
                    throw invalid("\(field).instances", "must be between 1 and \(InputLimits.maxInstancesPerPool), got \(entry.instances)",
                                  fix: "give the pool's instance count")
                }
                guard entry.window >= 1, entry.window <= 1 << 30 else {
                    throw invalid("\(field).window", "must be a token count between 1 and 2^30, got \(entry.window)",
                                  fix: "give the pool's context window, e.g. 16384")
                }
                if entry.window > context { throw beyondContext("\(field).window", entry.window) }
                guard model.supportsTensorParallel(entry.tp) else {
                    throw invalid("\(field).tp", "\(model.shortName) cannot be split over TP \(entry.tp)",
                                  fix: "use one of \(model.validTensorParallelDegrees.map(String.init).joined(separator: ", "))")
                }
                pools.append(.init(gpuName: gpu.name, tensorParallel: entry.tp, windowTokens: entry.window, instances: entry.instances))
            }
            let totalInstances = pools.reduce(0) { $0 + $1.instances }
            guard totalInstances <= InputLimits.maxInstancesPerFleet else {
                throw invalid("fleet", "the pools have \(totalInstances) instances in all, more than \(InputLimits.maxInstancesPerFleet)",
                              fix: "give the pools' instance counts")
            }
            problem.fixedFleet = pools
            problem.gpus = gpuSpecs.filter { gpu in pools.contains { $0.gpuName == gpu.name } }
            if problem.gpus.isEmpty { problem.gpus = try pools.map { try catalog.gpu(named: $0.gpuName) } }
            problem.tensorParallelDegrees = Array(Set(pools.map(\.tensorParallel))).sorted()
            problem.windows = Array(Set(pools.map(\.windowTokens))).sorted()
            problem.maxWindowTokens = max(problem.maxWindowTokens, problem.windows.max() ?? 0)
            problem.maxPools = pools.count
        }
        if let minInstances { problem.minInstancesPerPool = minInstances }
        if let limit = solver?.timeLimitSeconds { problem.solverTimeLimitSeconds = limit }
        if let gap = solver?.gap { problem.relativeGap = gap }
        do { try problem.validate() } catch var error as InputError {
            error.file = error.file ?? file
            throw error
        }
        return problem
    }

    private func readWorkload() throws -> Workload {
        guard let source = workload else {
            throw InputError(.missingField, file: file, location: "workload", "no workload given",
                             fix: "pass --workload FILE (a CDF .json or an Azure-format trace .csv) or set workload: in the scenario")
        }
        let given = [source.cdf != nil, source.trace != nil, source.bins != nil].filter { $0 }.count
        guard given == 1 else {
            throw InputError(.invalidValue, file: file, location: "workload",
                             given == 0 ? "needs one of cdf, trace or bins" : "give only one of cdf, trace or bins")
        }
        if let fraction = source.outputFraction {
            // Checked here, so that the error names the scenario (or the flag), not the CDF file.
            let field = file == nil ? "--output-fraction" : "workload.outputFraction"
            guard source.trace == nil else {
                throw InputError(.invalidValue, file: file, location: field,
                                 "applies to a CDF or inline bins; a trace gives each request's own output tokens",
                                 fix: "drop the output fraction, or use a CDF")
            }
            guard fraction > 0, fraction < 1 else {
                throw InputError(.invalidValue, file: file, location: field, "output fraction \(fraction) is outside (0, 1)",
                                 fix: "give the output tokens' share of all tokens, e.g. 0.2")
            }
        }
        func resolve(_ path: String) -> String {
            if path.hasPrefix("/") { return path }
            guard let directory = workloadDirectory else { return path }
            return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
        }
        if let cdf = source.cdf { return try Workload.fromCDF(path: resolve(cdf), outputFraction: source.outputFraction) }
        if let trace = source.trace { return try Workload.fromTrace(path: resolve(trace)) }
        return try Workload.fromInlineBins(source.bins ?? [], source: "inline bins",
                                           outputFraction: source.outputFraction ?? Workload.defaultOutputFraction,
                                           file: file, field: "workload.bins")
    }

    private func choice<Value: RawRepresentable & CaseIterable>(_ text: String, field: String) throws -> Value
    where Value.RawValue == String {
        try NameSuggestion.choice(text, file: file, location: field)
    }

    static func nextPowerOfTwo(_ value: Int) -> Int {
        var power = 1
        while power < value { power <<= 1 }
        return power
    }
}
