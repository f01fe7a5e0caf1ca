import FleetModel

/// The fleet the simulator runs: pools of identical instances and the routing table that
/// sends each request-length band to pools. A plain value, independent of the planner:
/// `SimulatedFleet.fromPlanFile` builds one from `fleetplan plan --format json`, and a
/// hand-described fleet can be built directly once its serving parameters are known.
public struct SimulatedFleet: Sendable, Equatable {
    /// Pools, in the plan's order.
    public let pools: [SimulatedPool]
    /// Length bands in increasing token order, non-overlapping.
    public let routing: [SimulatedRoutingBand]
    /// The latency targets the simulation is checked against.
    public var slo: LatencyObjective
    /// The arrival rate the plan was sized for, requests/s (the default Poisson rate).
    public var designRateRequestsPerSecond: Double?
    /// The planner's fleet-level predictions, for comparison.
    public var predicted: PredictedMetrics?
    /// The KV reservation the plan was sized with, if it says (the default for a run).
    public var plannedReservation: SimulationOptions.KVReservation?

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
        routing: [SimulatedRoutingBand],
        slo: LatencyObjective = LatencyObjective(),
        designRateRequestsPerSecond: Double? = nil,
        predicted: PredictedMetrics? = nil,
        plannedReservation: SimulationOptions.KVReservation? = nil,
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
        // Each pool is within its limits; so must the whole fleet be (1,000 pools of a million instances would not).
        let totalInstances = pools.reduce(0) { $0 + $1.instances }
        guard totalInstances <= InputLimits.maxInstancesPerFleet else {
            throw error("pools", "the fleet has \(totalInstances) instances, more than the \(InputLimits.maxInstancesPerFleet) the simulator runs",
                        fix: "give the pools' instance counts")
        }
        let totalSlots = pools.reduce(0) { $0 + $1.slotsPerInstance }
        guard totalSlots <= InputLimits.maxSlotsPerFleet else {
            throw error("pools", "the pools' nMax add up to \(totalSlots), more than the \(InputLimits.maxSlotsPerFleet) the simulator runs",
                        fix: "give each pool's batch slots per instance")
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
        self.plannedReservation = plannedReservation
    }

    /// Index of the pool with `id`, if any.
    public func poolIndex(id: String) -> Int? { pools.firstIndex { $0.id == id } }
}
