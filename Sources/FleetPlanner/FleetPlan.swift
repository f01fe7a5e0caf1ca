import FleetModel

/// A planned fleet: its pools, how request lengths are routed to them, and fleet totals, every
/// figure recomputed exactly from the final loads (not the MILP's linearisation).
///
/// Its JSON (sorted keys) is part of fleetplan's interface: `fleetplan simulate` reads it.
public struct FleetPlan: Sendable, Codable, Equatable {
    public struct ServiceLevel: Sendable, Codable, Equatable {
        public var ttftP99Seconds: Double
        public var tpotSeconds: Double?
    }

    public var objective: String
    public var model: String
    public var preset: String
    public var reservation: String
    public var rateRequestsPerSecond: Double
    public var slo: ServiceLevel
    /// Output tokens per second the fleet generates (fixed by the demand), tokens/s.
    public var outputTokensPerSecond: Double
    /// Physical: output tokens/s ÷ watts of every GPU (tokens per joule).
    public var tokensPerWatt: Double
    /// Paper convention: Σ instance tokens/s ÷ Σ one GPU's watts per instance (t × physical).
    public var tokensPerWattPaper: Double
    public var gpus: Int
    /// IT power of the GPUs, watts.
    public var powerWatts: Double
    /// IT power × PUE, watts.
    public var facilityPowerWatts: Double
    /// GPU-hours plus energy, dollars per hour.
    public var costPerHour: Double
    public var costPerYear: Double
    public var pools: [PlannedPool]
    public var routing: [RoutingBand]
    /// Caveats the operator must see (MoE upper bound, compression in use, paper preset).
    public var notes: [String]
}

/// One pool of a plan: instances of one (GPU, TP, window) and the figures an operator and the
/// simulator need.
public struct PlannedPool: Sendable, Codable, Equatable {
    /// Per-GPU logistic power curve P(n) = idle + (nominal − idle) / (1 + e^(−k(log2 n − x0))).
    public struct PowerCurveParameters: Sendable, Codable, Equatable {
        public var idleWatts: Double
        public var nominalWatts: Double
        public var k: Double
        public var x0: Double
    }

    public var id: String
    public var gpu: String
    public var tp: Int
    /// Context window = the longest request (input + output) the pool serves uncompressed, tokens.
    public var window: Int
    public var instances: Int
    public var gpus: Int
    /// Slots per instance, n_max.
    public var nMax: Int
    public var kvCapacityTokensPerInstance: Double
    /// Mean sequences in flight per instance at the planned load.
    public var operatingConcurrency: Double
    /// operatingConcurrency ÷ nMax.
    public var utilisation: Double
    public var requestsPerSecond: Double
    /// Mean context attended per sequence during decode, tokens.
    public var meanContextTokens: Double
    public var weightStreamSeconds: Double
    public var perSequenceSeconds: Double
    public var perContextTokenSeconds: Double
    public var computeSecondsPerSequence: Double
    /// Parameter-FLOP prefill rate of one instance, tokens/s (0 when prefill is not modelled).
    public var prefillTokensPerSecond: Double
    public var prefillSecondsPerSquaredInputToken: Double
    public var power: PowerCurveParameters
    /// Decode iteration at the operating concurrency, seconds (= the pool's TPOT).
    public var iterationSeconds: Double
    public var powerPerGPUWatts: Double
    public var powerWatts: Double
    public var throughputTokensPerSecond: Double
    public var tokensPerWatt: Double
    public var tokensPerWattPaper: Double
    public var p99InputTokens: Double
    public var p99WaitSeconds: Double
    public var p99TTFTSeconds: Double
    public var p99TPOTSeconds: Double
    public var meetsSLO: Bool
    public var costPerHour: Double
}

/// Where requests of one length band go.
public struct RoutingBand: Sendable, Codable, Equatable {
    public struct Share: Sendable, Codable, Equatable {
        public var pool: String
        /// Share of the band's requests, 0…1.
        public var fraction: Double
        /// Prompts trimmed to fit the pool's window.
        public var compressed: Bool
    }

    public var minTokens: Int
    public var maxTokens: Int
    public var requestFraction: Double
    public var meanInputTokens: Double
    public var meanOutputTokens: Double
    public var shares: [Share]
}

/// How the solve went.
public struct SolverReport: Sendable, Codable, Equatable {
    public var status: String
    /// Objective of the MILP (watts for max-tokens-per-watt, $/h for min-cost).
    public var objective: Double
    public var objectiveUnit: String
    /// Proven relative MIP gap.
    public var gap: Double
    public var seconds: Double
    public var nodes: Int
    public var candidates: Int
    /// Candidates dropped before the solve because another one dominates them.
    public var prunedCandidates: Int
    public var variables: Int
    public var constraints: Int
    /// Re-solves triggered by the post-solve queueing check.
    public var resolves: Int
    /// Plans near the proven bound that failed the queueing check inside a search and were cut
    /// off there (each would otherwise have cost a re-solve if it had ended the search).
    public var plansCutInSearch: Int = 0
}

/// A reference fleet the plan is compared with, evaluated by the same model.
public struct Baseline: Sendable, Codable, Equatable {
    public var name: String
    public var gpu: String
    public var feasible: Bool
    public var reason: String?
    public var tokensPerWatt: Double?
    public var tokensPerWattPaper: Double?
    public var gpus: Int?
    public var powerWatts: Double?
    public var costPerHour: Double?
    public var pools: [String]?
    /// Plan tok/W ÷ this baseline's tok/W.
    public var planRatio: Double?
}

/// What `FleetPlanner.plan` returns: the plan, its baselines and the solver's report.
public struct PlanResult: Sendable, Codable, Equatable {
    public var plan: FleetPlan
    public var baselines: [Baseline]
    public var solver: SolverReport
}
