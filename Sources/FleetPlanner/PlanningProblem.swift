import FleetModel

/// Everything the planner needs to size a fleet: the model to serve, the hardware it may use,
/// the workload, the SLOs, the budgets and the objective. Units are SI throughout.
public struct PlanningProblem: Sendable {
    /// What the optimiser is asked for.
    public enum Objective: String, Sendable, Codable, CaseIterable {
        /// Demand is fixed, so maximising fleet tokens per watt is minimising fleet power.
        case maxTokensPerWatt = "max-tokens-per-watt"
        /// GPU-hours plus energy, dollars per hour.
        case minCost = "min-cost"
        /// The largest share of the demand the budgets allow (used to explain infeasibility).
        case maxLoad = "max-load"
    }

    /// How a length bin's requests may be spread over pools.
    public enum Routing: String, Sendable, Codable, CaseIterable {
        /// Any split of a bin across eligible pools (a load balancer with weights).
        case split
        /// Each bin goes to exactly one pool: pure context-length cutoffs.
        case threshold
    }

    /// Compress-and-Route (FleetOpt): requests up to `maxFactor` × a pool's window may be trimmed
    /// to fit it; at most `fraction` of each such bin can be compressed.
    public struct Compression: Sendable, Codable, Hashable {
        public var maxFactor: Double
        public var fraction: Double
        public init(maxFactor: Double, fraction: Double = 0.75) {
            self.maxFactor = maxFactor
            self.fraction = fraction
        }
    }

    public var model: LLMSpec
    public var gpus: [GPUSpec]
    public var tensorParallelDegrees: [Int]
    /// Context windows the candidate pools may use, tokens (all ≤ `maxWindowTokens`).
    public var windows: [Int]
    /// The longest window a pool may serve; the homogeneous baseline runs at it.
    public var maxWindowTokens: Int
    public var workload: Workload
    /// Demand λ, requests per second.
    public var rateRequestsPerSecond: Double
    /// P99 time-to-first-token target per pool, seconds.
    public var ttftP99Seconds: Double
    /// Engine and physics settings (preset, KV reservation, TPOT SLO, efficiencies).
    public var serving: ServingConfiguration
    public var maxPools: Int
    /// N_min: the fewest instances an open pool may have (DESIGN.md §7). 2 plans every pool with a
    /// spare for a failed or drained instance; 1 lets the MILP open single-instance "filler" pools.
    public var minInstancesPerPool: Int = 1
    public var routing: Routing
    public var compression: Compression?
    public var objective: Objective
    /// Highest slot utilisation a pool is planned at, ρ_max.
    public var maxUtilisation: Double
    /// Facility power ÷ IT power.
    public var powerUsageEffectiveness: Double
    /// Facility power cap (IT power × PUE), watts.
    public var powerCapWatts: Double?
    /// GPU-hours plus energy, dollars per hour.
    public var budgetDollarsPerHour: Double?
    /// GPUs that can be had, by catalog GPU name.
    public var availableGPUs: [String: Int]
    public var electricityDollarsPerKWh: Double
    public var solverTimeLimitSeconds: Double
    /// A fleet fixed by hand, by (GPU name, TP, window) → instances: the planner then only routes
    /// the demand over it and evaluates it (no optimisation of sizes, no baselines).
    public var fixedFleet: [FixedPool]?

    public struct FixedPool: Sendable, Hashable {
        public var gpuName: String
        public var tensorParallel: Int
        public var windowTokens: Int
        public var instances: Int
        public init(gpuName: String, tensorParallel: Int, windowTokens: Int, instances: Int) {
            self.gpuName = gpuName
            self.tensorParallel = tensorParallel
            self.windowTokens = windowTokens
            self.instances = instances
        }
    }

    /// Most prompt tokens an instance prefills per iteration (chunked prefill), tokens.
    public var prefillChunkTokens: Int = 2048
    public var relativeGap: Double

    public init(
        model: LLMSpec, gpus: [GPUSpec], tensorParallelDegrees: [Int] = [1, 2, 4, 8],
        windows: [Int]? = nil, maxWindowTokens: Int, workload: Workload, rateRequestsPerSecond: Double,
        ttftP99Seconds: Double = 0.5, serving: ServingConfiguration = ServingConfiguration(),
        maxPools: Int = 4, routing: Routing = .split, compression: Compression? = nil,
        objective: Objective = .maxTokensPerWatt, maxUtilisation: Double = 0.85,
        powerUsageEffectiveness: Double = 1.2, powerCapWatts: Double? = nil, budgetDollarsPerHour: Double? = nil,
        availableGPUs: [String: Int] = [:], electricityDollarsPerKWh: Double = 0.08,
        solverTimeLimitSeconds: Double = 60, relativeGap: Double = 1e-4
    ) {
        self.model = model
        self.gpus = gpus
        self.tensorParallelDegrees = tensorParallelDegrees
        self.windows = windows ?? Self.powerOfTwoWindows(upTo: maxWindowTokens)
        self.maxWindowTokens = maxWindowTokens
        self.workload = workload
        self.rateRequestsPerSecond = rateRequestsPerSecond
        self.ttftP99Seconds = ttftP99Seconds
        self.serving = serving
        self.maxPools = maxPools
        self.routing = routing
        self.compression = compression
        self.objective = objective
        self.maxUtilisation = maxUtilisation
        self.powerUsageEffectiveness = powerUsageEffectiveness
        self.powerCapWatts = powerCapWatts
        self.budgetDollarsPerHour = budgetDollarsPerHour
        self.availableGPUs = availableGPUs
        self.electricityDollarsPerKWh = electricityDollarsPerKWh
        self.solverTimeLimitSeconds = solverTimeLimitSeconds
        self.relativeGap = relativeGap
    }

    /// 1K, 2K, 4K, … up to and including `maxWindow` (and `maxWindow` itself if it is not a power of two).
    public static func powerOfTwoWindows(upTo maxWindow: Int) -> [Int] {
        var windows = (10...20).map { 1 << $0 }.filter { $0 <= maxWindow }
        if windows.last != maxWindow { windows.append(maxWindow) }
        return windows
    }

    /// Checks the numbers a scenario can get wrong, naming the field and the fix.
    public func validate() throws {
        func require(_ ok: Bool, _ field: String, _ message: String, fix: String? = nil) throws {
            if !ok { throw InputError(.invalidValue, location: field, message, fix: fix) }
        }
        try require(rateRequestsPerSecond.isFinite && rateRequestsPerSecond > 0, "rate",
                    "the request rate must be a positive number of requests per second, got \(rateRequestsPerSecond)")
        try require(rateRequestsPerSecond <= InputLimits.maxRateRequestsPerSecond, "rate",
                    "\(rateRequestsPerSecond) requests per second is beyond any fleet this planner sizes",
                    fix: "give \(InputLimits.rateRange), e.g. 1000")
        try require(rateRequestsPerSecond >= InputLimits.minRateRequestsPerSecond, "rate",
                    "\(rateRequestsPerSecond) requests per second is too little demand to size a fleet for",
                    fix: "give \(InputLimits.rateRange), e.g. 1000")
        try require(ttftP99Seconds.isFinite && ttftP99Seconds > 0, "ttft-p99", "must be a positive duration",
                    fix: "write e.g. 500ms")
        try require(ttftP99Seconds <= InputLimits.maxLatencySLOSeconds, "ttft-p99",
                    "a P99 TTFT of \(ttftP99Seconds) s is no latency target",
                    fix: "give at most \(InputLimits.latencySLOLimit), e.g. 2s")
        try require(maxPools >= 1, "max-pools", "must be at least 1, got \(maxPools)", fix: "e.g. --max-pools 4 (the default)")
        try require(minInstancesPerPool >= 1 && minInstancesPerPool <= InputLimits.maxMinInstancesPerPool, "min-instances",
                    "must be between 1 and \(InputLimits.maxMinInstancesPerPool) instances per open pool, got \(minInstancesPerPool)",
                    fix: "1 allows single-instance pools, 2 keeps a spare in every pool")
        try require(prefillChunkTokens >= 1, "prefill-chunk-tokens", "must be at least 1 token")
        try require(maxUtilisation > 0 && maxUtilisation < 1, "max-utilisation", "must be in (0, 1), got \(maxUtilisation)")
        try require(powerUsageEffectiveness >= 1 && powerUsageEffectiveness <= InputLimits.maxPowerUsageEffectiveness, "pue",
                    "must be between 1 and 5 (facility power ÷ IT power), got \(powerUsageEffectiveness)",
                    fix: "e.g. 1.2")
        try require(powerCapWatts.map { $0 > 0 && $0 <= InputLimits.maxPowerCapKW * 1000 } ?? true, "power-cap-kw",
                    "must be a positive number of kW up to 100,000,000 (100 GW), got \(powerCapWatts.map { $0 / 1000 } ?? 0)",
                    fix: "give the facility power cap in kW, e.g. 500")
        try require(budgetDollarsPerHour.map { $0 > 0 && $0 <= InputLimits.maxDollarsPerHour } ?? true, "budget-per-hour",
                    "must be positive dollars per hour up to 1,000,000,000, got \(budgetDollarsPerHour ?? 0)",
                    fix: "give GPU-hours plus energy in $/hour, e.g. 2000")
        try require(electricityDollarsPerKWh >= 0 && electricityDollarsPerKWh <= InputLimits.maxElectricityDollarsPerKWh,
                    "electricity", "must be between 0 and 10 $/kWh, got \(electricityDollarsPerKWh)", fix: "e.g. 0.08")
        try require(solverTimeLimitSeconds.isFinite && solverTimeLimitSeconds > 0, "time-limit",
                    "must be a positive number of seconds, got \(solverTimeLimitSeconds)", fix: "e.g. --time-limit 60")
        try require(relativeGap >= 0 && relativeGap < 1, "gap",
                    "must be a relative MIP gap in [0, 1), got \(relativeGap)", fix: "e.g. --gap 1e-4 (0 for an exact proof)")
        try require(!gpus.isEmpty, "gpus", "no GPU type allowed")
        try require(!tensorParallelDegrees.isEmpty && tensorParallelDegrees.allSatisfy { $0 >= 1 }, "tp",
                    "needs at least one positive tensor-parallel degree")
        try require(!windows.isEmpty && windows.allSatisfy { $0 >= 1 }, "windows", "needs at least one positive window")
        try require(maxWindowTokens >= 1, "max-window", "must be a positive token count")
        for (name, count) in availableGPUs {
            try require(count >= 0, "available.\(name)", "must be ≥ 0 GPUs, got \(count)")
        }
        if let compression {
            try require(compression.maxFactor >= 1 && compression.maxFactor <= InputLimits.maxCompressionFactor, "compress-max",
                        "must be between 1 and 100 (the longest request, as a multiple of the window, that may be trimmed), "
                            + "got \(compression.maxFactor)", fix: "e.g. --compress-max 2")
            try require(compression.fraction >= 0 && compression.fraction <= 1, "compress-fraction",
                        "must be in [0, 1], got \(compression.fraction)")
        }
    }
}
