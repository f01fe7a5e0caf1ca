import FleetModel

/// The fleet the simulator runs: pools of identical instances and the routing table that
/// sends each request-length band to pools. A plain value, independent of the planner:
/// `SimulatedFleet.fromPlanFile` builds one from `fleetplan plan --format json`, and a
/// hand-described fleet can be built directly once its serving parameters are known.
public struct SimulatedFleet: Sendable, Equatable {
    /// Pools, in the plan's order.
    public let pools: [SimulatedPool]
    /// Length bands in increasing token order, non-overlapping.
    public let routing: [RoutingBand]
    /// The latency targets the simulation is checked against.
    public var slo: LatencyObjective
    /// The arrival rate the plan was sized for, requests/s (the default Poisson rate).
    public var designRateRequestsPerSecond: Double?
    /// The planner's fleet-level predictions, for comparison.
    public var predicted: PredictedMetrics?

    /// Validates the fleet.
    /// - Parameters:
    ///   - file: named in errors (the plan or scenario file), if any.
    ///   - fieldPrefix: prepended to field paths in errors, e.g. `plan.`.
    /// - Throws: `InputError` naming the field when a pool cannot run (no instances, zero
    ///   slots, a window beyond its KV capacity, a non-positive iteration time or prefill
    ///   rate, an inverted power curve), pool ids repeat, a band is empty or overlaps the one
    ///   before, its mean total lies outside it, fractions leave [0, 1] or do not sum to 1,
    ///   or a share names an unknown pool or one without instances.
    public init(
        pools: [SimulatedPool],
        routing: [RoutingBand],
        slo: LatencyObjective = LatencyObjective(),
        designRateRequestsPerSecond: Double? = nil,
        predicted: PredictedMetrics? = nil,
        file: String? = nil,
        fieldPrefix: String = ""
    ) throws {
        func error(_ field: String, _ message: String, fix: String) -> InputError {
            InputError(.invalidValue, file: file, location: fieldPrefix + field, message, fix: fix)
        }
        guard !pools.isEmpty else {
            throw error("pools", "the fleet has no pools", fix: "give at least one pool")
        }
        var seenIDs: Set<String> = []
        for (index, pool) in pools.enumerated() {
            let field = "pools[\(index)]"
            guard seenIDs.insert(pool.id).inserted else {
                throw error("\(field).id", "pool id `\(pool.id)` is used twice", fix: "give every pool its own id")
            }
            try pool.validate { name, message, fix in error("\(field).\(name)", message, fix: fix) }
        }
        guard !routing.isEmpty else {
            throw error("routing", "the routing table is empty", fix: "give at least one length band")
        }
        let poolIndex = Dictionary(uniqueKeysWithValues: pools.enumerated().map { ($0.element.id, $0.offset) })
        var previousMax = 0
        var fractionSum = 0.0
        for (index, band) in routing.enumerated() {
            let field = "routing[\(index)]"
            guard band.minTokens >= 0, band.maxTokens > band.minTokens else {
                throw error(field, "band (\(band.minTokens), \(band.maxTokens)] is empty", fix: "make maxTokens > minTokens ≥ 0")
            }
            guard band.minTokens >= previousMax else {
                throw error("\(field).minTokens", "band starts at \(band.minTokens), inside the previous band ending at \(previousMax)",
                            fix: "sort bands by tokens without overlap")
            }
            guard band.requestFraction.isFinite, band.requestFraction >= 0, band.requestFraction <= 1 else {
                throw error("\(field).requestFraction", "fraction \(band.requestFraction) is outside [0, 1]", fix: "give the band's share of requests")
            }
            let meanTotal = band.meanInputTokens + band.meanOutputTokens
            guard band.meanInputTokens >= 0, band.meanOutputTokens >= 1,
                  meanTotal > Double(band.minTokens), meanTotal <= Double(band.maxTokens) + 0.5 else {
                throw error(field, "mean input \(band.meanInputTokens) + output \(band.meanOutputTokens) tokens does not lie in (\(band.minTokens), \(band.maxTokens)] with at least 1 output token",
                            fix: "give the band's own mean input and output tokens")
            }
            guard !band.shares.isEmpty else {
                throw error("\(field).shares", "band has no pool shares", fix: "send the band to at least one pool")
            }
            var shareSum = 0.0
            for (shareIndex, share) in band.shares.enumerated() {
                let shareField = "\(field).shares[\(shareIndex)]"
                guard let pool = poolIndex[share.poolID] else {
                    throw InputError(.unknownName, file: file, location: fieldPrefix + shareField + ".pool",
                                     "no pool has id `\(share.poolID)`", fix: "use one of \(pools.map(\.id).joined(separator: ", "))")
                }
                guard share.fraction.isFinite, share.fraction >= 0, share.fraction <= 1 + 1e-9 else {
                    throw error("\(shareField).fraction", "share \(share.fraction) is outside [0, 1]", fix: "give the pool's share of the band")
                }
                if share.fraction > 0, pools[pool].instances == 0 {
                    throw error(shareField, "pool `\(share.poolID)` gets traffic but has no instances", fix: "give the pool instances or no share")
                }
                shareSum += share.fraction
            }
            guard abs(shareSum - 1) <= 1e-6 else {
                throw error("\(field).shares", "shares sum to \(shareSum), not 1", fix: "make each band's shares add up to 1")
            }
            previousMax = band.maxTokens
            fractionSum += band.requestFraction
        }
        guard abs(fractionSum - 1) <= 1e-3 else {
            throw error("routing", "band fractions sum to \(fractionSum), not 1", fix: "make requestFraction add up to 1 over the bands")
        }
        self.pools = pools
        self.routing = routing
        self.slo = slo
        self.designRateRequestsPerSecond = designRateRequestsPerSecond
        self.predicted = predicted
    }

    /// Index of the pool with `id`, if any.
    public func poolIndex(id: String) -> Int? { pools.firstIndex { $0.id == id } }
}

/// One pool: `instances` identical model replicas of `tensorParallel` GPUs each.
public struct SimulatedPool: Sendable, Equatable {
    public var id: String
    /// GPU name, for reports.
    public var gpu: String
    /// GPUs per instance.
    public var tensorParallel: Int
    /// Context window (total tokens) a request may use on this pool; longer requests are
    /// trimmed (compressed) to fit.
    public var windowTokens: Int
    public var instances: Int
    /// n_max: sequences an instance batches at most.
    public var slotsPerInstance: Int
    /// KV-cache capacity of one instance, tokens.
    public var kvCapacityTokensPerInstance: Int
    /// What a decode iteration costs.
    public var iteration: IterationCost
    /// Compute-bound prefill rate of one instance, tokens/s.
    public var prefillTokensPerSecond: Double
    /// Power of each GPU as a function of the sequences in the batch.
    public var power: PowerCurve
    /// The planner's predictions for this pool, for comparison.
    public var predicted: PredictedMetrics?

    public init(id: String, gpu: String, tensorParallel: Int, windowTokens: Int, instances: Int,
                slotsPerInstance: Int, kvCapacityTokensPerInstance: Int, iteration: IterationCost,
                prefillTokensPerSecond: Double, power: PowerCurve, predicted: PredictedMetrics? = nil) {
        self.id = id
        self.gpu = gpu
        self.tensorParallel = tensorParallel
        self.windowTokens = windowTokens
        self.instances = instances
        self.slotsPerInstance = slotsPerInstance
        self.kvCapacityTokensPerInstance = kvCapacityTokensPerInstance
        self.iteration = iteration
        self.prefillTokensPerSecond = prefillTokensPerSecond
        self.power = power
        self.predicted = predicted
    }

    /// GPUs in the pool.
    public var gpuCount: Int { instances * tensorParallel }

    func validate(_ error: (String, String, String) -> InputError) throws {
        guard tensorParallel >= 1 else { throw error("tp", "tensor parallelism \(tensorParallel) is below 1", "give the GPUs per instance") }
        guard instances >= 0 else { throw error("instances", "instance count \(instances) is negative", "give 0 or more instances") }
        guard windowTokens >= 1 else { throw error("window", "window \(windowTokens) is not positive", "give the context window in tokens") }
        guard slotsPerInstance >= 1 else { throw error("nMax", "n_max \(slotsPerInstance) is below 1", "give the batch slots per instance") }
        guard kvCapacityTokensPerInstance >= windowTokens else {
            throw error("kvCapacityTokensPerInstance", "KV capacity \(kvCapacityTokensPerInstance) tokens cannot hold one \(windowTokens)-token window",
                        "give a capacity of at least the window")
        }
        try iteration.validate(error)
        guard prefillTokensPerSecond.isFinite, prefillTokensPerSecond > 0 else {
            throw error("prefillTokensPerSecond", "prefill rate \(prefillTokensPerSecond) is not positive", "give the instance's prefill tokens/s")
        }
        guard power.idleWatts.isFinite, power.idleWatts >= 0, power.nominalWatts.isFinite, power.nominalWatts >= power.idleWatts,
              power.steepness.isFinite, power.midpointLog2Batch.isFinite else {
            throw error("power", "power curve idle \(power.idleWatts) W / nominal \(power.nominalWatts) W is invalid",
                        "give 0 ≤ idleWatts ≤ nominalWatts and finite k, x0")
        }
    }
}

/// The decode-iteration time of an instance with n sequences of contexts c_i:
/// τ = max(W + Σ_i (h0 + h1·c_i), n·compute) — weights streamed once per iteration, KV
/// read per sequence, or the compute bound when that is slower.
public struct IterationCost: Sendable, Equatable {
    /// W: fixed part of an iteration (weight streaming), seconds.
    public var weightStreamSeconds: Double
    /// h0: per sequence in the batch, seconds.
    public var perSequenceSeconds: Double
    /// h1: per sequence per token of its current context, seconds.
    public var perContextTokenSeconds: Double
    /// Compute bound per sequence, seconds (τ ≥ n × this).
    public var computeSecondsPerSequence: Double

    public init(weightStreamSeconds: Double, perSequenceSeconds: Double = 0, perContextTokenSeconds: Double = 0,
                computeSecondsPerSequence: Double = 0) {
        self.weightStreamSeconds = weightStreamSeconds
        self.perSequenceSeconds = perSequenceSeconds
        self.perContextTokenSeconds = perContextTokenSeconds
        self.computeSecondsPerSequence = computeSecondsPerSequence
    }

    /// Seconds of one decode iteration over `sequences` sequences whose contexts sum to
    /// `contextTokens`. O(1): the simulator keeps the context sum incrementally.
    @inlinable
    public func decodeSeconds(sequences: Int, contextTokens: Int) -> Double {
        let n = Double(sequences)
        let memoryBound = weightStreamSeconds + n * perSequenceSeconds + Double(contextTokens) * perContextTokenSeconds
        return max(memoryBound, n * computeSecondsPerSequence)
    }

    func validate(_ error: (String, String, String) -> InputError) throws {
        guard weightStreamSeconds.isFinite, weightStreamSeconds > 0 else {
            throw error("weightStreamSeconds", "W = \(weightStreamSeconds) s is not positive", "give the fixed per-iteration time (> 0)")
        }
        for (name, value) in [("perSequenceSeconds", perSequenceSeconds), ("perContextTokenSeconds", perContextTokenSeconds),
                              ("computeSecondsPerSequence", computeSecondsPerSequence)] {
            guard value.isFinite, value >= 0 else { throw error(name, "\(value) is negative", "give a time ≥ 0") }
        }
    }
}

/// A band of total request lengths (minTokens, maxTokens] and the pools it goes to.
public struct RoutingBand: Sendable, Equatable {
    public var minTokens: Int
    public var maxTokens: Int
    /// Share of all requests in the band (Poisson mode samples bands by it).
    public var requestFraction: Double
    /// Mean input tokens of the band's requests (Poisson mode matches it).
    public var meanInputTokens: Double
    /// Mean output tokens of the band's requests (Poisson mode matches it).
    public var meanOutputTokens: Double
    /// Where the band's requests go; fractions sum to 1.
    public var shares: [RouteShare]

    public init(minTokens: Int, maxTokens: Int, requestFraction: Double, meanInputTokens: Double,
                meanOutputTokens: Double, shares: [RouteShare]) {
        self.minTokens = minTokens
        self.maxTokens = maxTokens
        self.requestFraction = requestFraction
        self.meanInputTokens = meanInputTokens
        self.meanOutputTokens = meanOutputTokens
        self.shares = shares
    }
}

/// A pool's share of a band.
public struct RouteShare: Sendable, Equatable {
    public var poolID: String
    /// Fraction of the band's requests sent to the pool.
    public var fraction: Double
    /// True when the band is longer than the pool's window: the planner counted on the
    /// requests being compressed (input trimmed) to fit. The simulator trims any request
    /// longer than its pool's window either way.
    public var compressed: Bool

    public init(poolID: String, fraction: Double, compressed: Bool = false) {
        self.poolID = poolID
        self.fraction = fraction
        self.compressed = compressed
    }
}

/// Latency targets.
public struct LatencyObjective: Sendable, Equatable, Codable {
    /// P99 time to first token, seconds.
    public var ttftP99Seconds: Double?
    /// Time per output token, seconds (checked at P99).
    public var tpotSeconds: Double?

    public init(ttftP99Seconds: Double? = nil, tpotSeconds: Double? = nil) {
        self.ttftP99Seconds = ttftP99Seconds
        self.tpotSeconds = tpotSeconds
    }
}

/// What the planner predicted, for a pool or for the whole fleet (fleet plans give only
/// tok/W and power; the rest is summed or left nil).
public struct PredictedMetrics: Sendable, Equatable, Codable {
    /// Mean busy slots / all slots.
    public var utilisation: Double?
    public var p99TTFTSeconds: Double?
    public var p99TPOTSeconds: Double?
    /// Output tokens per joule over all GPUs.
    public var tokensPerWatt: Double?
    /// Mean power of all GPUs, watts.
    public var powerWatts: Double?
    /// Output tokens/s.
    public var throughputTokensPerSecond: Double?

    public init(utilisation: Double? = nil, p99TTFTSeconds: Double? = nil, p99TPOTSeconds: Double? = nil,
                tokensPerWatt: Double? = nil, powerWatts: Double? = nil, throughputTokensPerSecond: Double? = nil) {
        self.utilisation = utilisation
        self.p99TTFTSeconds = p99TTFTSeconds
        self.p99TPOTSeconds = p99TPOTSeconds
        self.tokensPerWatt = tokensPerWatt
        self.powerWatts = powerWatts
        self.throughputTokensPerSecond = throughputTokensPerSecond
    }
}
