/// What a simulation measured, per pool and for the whole fleet, beside the plan's
/// predictions. Encodes to the JSON of `fleetplan simulate --format json`.
public struct SimulationResult: Sendable, Equatable, Encodable {
    /// The whole fleet (percentiles over all measured requests; sums over all GPUs).
    public var fleet: SimulatedMetrics
    /// One entry per pool, in the plan's order.
    public var pools: [SimulatedMetrics]
    /// How the run went.
    public var run: RunSummary
}

/// Measured figures of a pool or of the fleet. Latencies cover requests after the warm-up;
/// throughput, energy, utilisation and tok/W cover the measurement window. Figures without
/// samples are nil (omitted from JSON).
public struct SimulatedMetrics: Sendable, Equatable, Encodable {
    /// Pool id; nil for the fleet.
    public var id: String?
    /// GPU name; nil for the fleet.
    public var gpu: String?
    /// GPUs per instance; nil for the fleet.
    public var tp: Int?
    /// Context window, tokens; nil for the fleet.
    public var window: Int?
    /// Instances (pool) or all instances (fleet).
    public var instances: Int
    /// Batch slots per instance; nil for the fleet.
    public var nMax: Int?
    /// GPUs.
    public var gpus: Int

    /// Requests routed here, warm-up included.
    public var requests: Int
    /// Requests after the warm-up that completed.
    public var measuredRequests: Int
    /// Requests trimmed to fit the pool's window.
    public var compressedRequests: Int

    public var p50TTFTSeconds: Double?
    public var p99TTFTSeconds: Double?
    public var meanTTFTSeconds: Double?
    public var p50TPOTSeconds: Double?
    public var p99TPOTSeconds: Double?
    public var meanTPOTSeconds: Double?
    /// Mean time from arrival to admission into an instance (a free slot and KV), seconds.
    public var meanQueueWaitSeconds: Double?
    public var p99QueueWaitSeconds: Double?
    /// Time-averaged occupied slots ÷ all slots.
    public var utilisation: Double?
    /// Mean sequences per iteration while an instance is running.
    public var meanBatchSize: Double?
    /// Output tokens/s.
    public var throughputTokensPerSecond: Double?
    /// Energy of all GPUs over the measurement window, kWh.
    public var energyKWh: Double
    /// Mean power of all GPUs, watts.
    public var averagePowerWatts: Double?
    /// Output tokens per joule of all GPUs (= tokens/s per watt).
    public var tokensPerWatt: Double?

    public var slo: SLOCompliance
    public var predicted: PredictedMetrics?
    /// (simulated − predicted) / predicted for each predicted figure.
    public var relativeDifference: RelativeDifferences?
}

/// Whether the measured latencies meet the plan's targets.
public struct SLOCompliance: Sendable, Equatable, Encodable {
    public var ttftP99Seconds: Double?
    public var tpotSeconds: Double?
    /// Simulated P99 TTFT ≤ target (nil without a target or samples).
    public var ttftMet: Bool?
    /// Simulated P99 TPOT ≤ target (nil without a target or samples).
    public var tpotMet: Bool?
    /// Share of measured requests whose TTFT met the target.
    public var fractionTTFTWithinTarget: Double?
    /// Share of measured multi-token requests whose TPOT met the target.
    public var fractionTPOTWithinTarget: Double?

    /// True when every given target with samples is met.
    public var met: Bool { ttftMet != false && tpotMet != false }
}

/// Relative differences (simulated − predicted) / predicted.
public struct RelativeDifferences: Sendable, Equatable, Encodable {
    public var utilisation: Double?
    public var p99TTFTSeconds: Double?
    public var p99TPOTSeconds: Double?
    public var tokensPerWatt: Double?
    public var powerWatts: Double?
    public var throughputTokensPerSecond: Double?

    init(simulated: SimulatedMetrics, predicted: PredictedMetrics) {
        func difference(_ simulated: Double?, _ predicted: Double?) -> Double? {
            guard let simulated, let predicted, predicted != 0 else { return nil }
            return (simulated - predicted) / predicted
        }
        utilisation = difference(simulated.utilisation, predicted.utilisation)
        p99TTFTSeconds = difference(simulated.p99TTFTSeconds, predicted.p99TTFTSeconds)
        p99TPOTSeconds = difference(simulated.p99TPOTSeconds, predicted.p99TPOTSeconds)
        tokensPerWatt = difference(simulated.tokensPerWatt, predicted.tokensPerWatt)
        powerWatts = difference(simulated.averagePowerWatts, predicted.powerWatts)
        throughputTokensPerSecond = difference(simulated.throughputTokensPerSecond, predicted.throughputTokensPerSecond)
    }
}

/// How the run went.
public struct RunSummary: Sendable, Equatable, Encodable {
    /// Requests that arrived.
    public var requests: Int
    /// Requests excluded from latency statistics as warm-up.
    public var warmupRequests: Int
    public var seed: UInt64
    /// Start and length of the measurement window, seconds of simulated time.
    public var windowStartSeconds: Double
    public var windowSeconds: Double
    /// Simulated time until the last request completed, seconds.
    public var simulatedSeconds: Double
    /// Mean arrival rate over the run, requests/s.
    public var arrivalRateRequestsPerSecond: Double?
    /// Decode/prefill iterations simulated (the cost driver).
    public var iterations: Int
    /// Requests longer than the routing table's last band (sent to the last band's pools).
    public var requestsBeyondRouting: Int
    /// Longest FCFS queue of any pool, requests.
    public var maxQueueLength: Int
    public var prefillChunkTokens: Int
    public var kvReservation: SimulationOptions.KVReservation
    public var measurementWindow: SimulationOptions.MeasurementWindow
}
