import Foundation
import FleetModel

/// Reads the subset of `fleetplan plan --format json` the simulator needs:
///
///     { "plan": { "rateRequestsPerSecond", "slo": {ttftP99Seconds, tpotSeconds?},
///                 "reservation"?: "window" | "paged",
///                 "tokensPerWatt"?, "powerWatts"?,
///                 "pools": [{id, gpu, tp, window, instances, nMax, kvCapacityTokensPerInstance,
///                            weightStreamSeconds, perSequenceSeconds?, perContextTokenSeconds?,
///                            computeSecondsPerSequence?, prefillTokensPerSecond,
///                            prefillSecondsPerSquaredInputToken?,
///                            power: {idleWatts, nominalWatts, k, x0}, <predictions>?}],
///                 "routing": [{minTokens, maxTokens, requestFraction, meanInputTokens,
///                              meanOutputTokens, shares: [{pool, fraction, compressed?}]}] } }
///
/// Unknown keys are ignored; the `plan` wrapper may be omitted. Its own Codable types keep
/// the simulator independent of the planner's.
extension SimulatedFleet {
    /// Reads and validates the plan file at `path`.
    /// - Throws: `InputError` naming the file and field for a missing file, invalid JSON (with
    ///   line and column), a missing or mistyped key, or a fleet that cannot run.
    public static func fromPlanFile(path: String) throws -> SimulatedFleet {
        let data = try JSONInput.readFile(path, what: "plan file")
        return try fromPlanJSON(data, file: path)
    }

    /// Reads a plan from JSON bytes; `file` names the input in errors.
    public static func fromPlanJSON(_ data: Data, file: String?) throws -> SimulatedFleet {
        let json = try JSONInput.parse(data, file: file)
        let wrapped = (json as? [String: Any])?["plan"] != nil
        guard json is [String: Any] else {
            throw InputError(.malformed, file: file, location: "(top level)", "expected a JSON object with `plan`",
                             fix: "pass the output of `fleetplan plan --format json`")
        }
        let plan: PlanDocument
        if wrapped {
            plan = try JSONInput.decode(WrappedPlanDocument.self, from: data, file: file).plan
        } else {
            plan = try JSONInput.decode(PlanDocument.self, from: data, file: file)
        }
        let prefix = wrapped ? "plan." : ""

        let pools = plan.pools.map { pool in
            SimulatedPool(
                id: pool.id,
                gpu: pool.gpu,
                tensorParallel: pool.tp,
                windowTokens: pool.window,
                instances: pool.instances,
                slotsPerInstance: pool.nMax,
                kvCapacityTokensPerInstance: Int(min(max(pool.kvCapacityTokensPerInstance, 0), 1e15)),
                iteration: IterationCost(
                    weightStreamSeconds: pool.weightStreamSeconds,
                    perSequenceSeconds: pool.perSequenceSeconds ?? 0,
                    perContextTokenSeconds: pool.perContextTokenSeconds ?? 0,
                    computeSecondsPerSequence: pool.computeSecondsPerSequence ?? 0
                ),
                prefillTokensPerSecond: pool.prefillTokensPerSecond,
                prefillSecondsPerSquaredInputToken: pool.prefillSecondsPerSquaredInputToken ?? 0,
                power: PowerCurve(idleWatts: pool.power.idleWatts, nominalWatts: pool.power.nominalWatts,
                                  steepness: pool.power.k, midpointLog2Batch: pool.power.x0),
                predicted: PredictedMetrics(
                    utilisation: pool.utilisation, p99TTFTSeconds: pool.p99TTFTSeconds,
                    p99TPOTSeconds: pool.p99TPOTSeconds, tokensPerWatt: pool.tokensPerWatt,
                    powerWatts: pool.powerWatts, throughputTokensPerSecond: pool.throughputTokensPerSecond
                )
            )
        }
        let routing = plan.routing.map { band in
            SimulatedRoutingBand(
                minTokens: band.minTokens, maxTokens: band.maxTokens, requestFraction: band.requestFraction,
                meanInputTokens: band.meanInputTokens, meanOutputTokens: band.meanOutputTokens,
                shares: band.shares.map { RouteShare(poolID: $0.pool, fraction: $0.fraction, compressed: $0.compressed ?? false) }
            )
        }
        if let rate = plan.rateRequestsPerSecond,
           !(rate >= InputLimits.minRateRequestsPerSecond && rate <= InputLimits.maxRateRequestsPerSecond) {
            throw InputError(.invalidValue, file: file, location: prefix + "rateRequestsPerSecond",
                             "rate \(rate) requests/s is out of range", fix: "give the plan's arrival rate, \(InputLimits.rateRange)")
        }
        for (name, value) in [("slo.ttftP99Seconds", plan.slo?.ttftP99Seconds), ("slo.tpotSeconds", plan.slo?.tpotSeconds)] {
            if let value, !(value > 0 && value <= InputLimits.maxLatencySLOSeconds) {
                throw InputError(.invalidValue, file: file, location: prefix + name, "\(value) is not a latency target",
                                 fix: "give the target in seconds, more than 0 and at most 3600")
            }
        }
        var reservation: SimulationOptions.KVReservation?
        if let name = plan.reservation {
            guard let value = SimulationOptions.KVReservation(rawValue: name) else {
                throw InputError(.invalidValue, file: file, location: prefix + "reservation",
                                 "unknown KV reservation `\(name)`", fix: "use window or paged")
            }
            reservation = value
        }
        return try SimulatedFleet(
            pools: pools,
            routing: routing,
            slo: LatencyObjective(ttftP99Seconds: plan.slo?.ttftP99Seconds, tpotSeconds: plan.slo?.tpotSeconds),
            designRateRequestsPerSecond: plan.rateRequestsPerSecond,
            predicted: PredictedMetrics(tokensPerWatt: plan.tokensPerWatt, powerWatts: plan.powerWatts),
            plannedReservation: reservation,
            file: file,
            fieldPrefix: prefix
        )
    }
}

// MARK: - The plan file's shape (only what the simulator reads)

private struct WrappedPlanDocument: Decodable {
    var plan: PlanDocument
}

private struct PlanDocument: Decodable {
    var rateRequestsPerSecond: Double?
    var reservation: String?
    var slo: SLODocument?
    var tokensPerWatt: Double?
    var powerWatts: Double?
    var pools: [PoolDocument]
    var routing: [BandDocument]
}

private struct SLODocument: Decodable {
    var ttftP99Seconds: Double?
    var tpotSeconds: Double?
}

private struct PoolDocument: Decodable {
    var id: String
    var gpu: String
    var tp: Int
    var window: Int
    var instances: Int
    var nMax: Int
    /// Whole tokens; a fractional value (a planner's budget ÷ bytes per token) is floored.
    var kvCapacityTokensPerInstance: Double
    var weightStreamSeconds: Double
    var perSequenceSeconds: Double?
    var perContextTokenSeconds: Double?
    var computeSecondsPerSequence: Double?
    var prefillTokensPerSecond: Double
    var prefillSecondsPerSquaredInputToken: Double?
    var power: PowerDocument
    var utilisation: Double?
    var p99TTFTSeconds: Double?
    var p99TPOTSeconds: Double?
    var tokensPerWatt: Double?
    var powerWatts: Double?
    var throughputTokensPerSecond: Double?
}

private struct PowerDocument: Decodable {
    var idleWatts: Double
    var nominalWatts: Double
    var k: Double
    var x0: Double
}

private struct BandDocument: Decodable {
    var minTokens: Int
    var maxTokens: Int
    var requestFraction: Double
    var meanInputTokens: Double
    var meanOutputTokens: Double
    var shares: [ShareDocument]
}

private struct ShareDocument: Decodable {
    var pool: String
    var fraction: Double
    var compressed: Bool?
}
