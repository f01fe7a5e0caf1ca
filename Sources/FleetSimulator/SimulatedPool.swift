import FleetModel

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
    /// Compute-bound prefill rate of one instance, tokens/s (0: prefill not modelled).
    public var prefillTokensPerSecond: Double
    /// Attention part of prefill: a prompt of L tokens adds this × L² seconds.
    public var prefillSecondsPerSquaredInputToken: Double
    /// Power of each GPU as a function of the sequences in the batch.
    public var power: PowerCurve
    /// The planner's predictions for this pool, for comparison.
    public var predicted: PredictedMetrics?

    public init(id: String, gpu: String, tensorParallel: Int, windowTokens: Int, instances: Int,
                slotsPerInstance: Int, kvCapacityTokensPerInstance: Int, iteration: IterationCost,
                prefillTokensPerSecond: Double, prefillSecondsPerSquaredInputToken: Double = 0,
                power: PowerCurve, predicted: PredictedMetrics? = nil) {
        self.id = id
        self.gpu = gpu
        self.tensorParallel = tensorParallel
        self.windowTokens = windowTokens
        self.instances = instances
        self.slotsPerInstance = slotsPerInstance
        self.kvCapacityTokensPerInstance = kvCapacityTokensPerInstance
        self.iteration = iteration
        self.prefillTokensPerSecond = prefillTokensPerSecond
        self.prefillSecondsPerSquaredInputToken = prefillSecondsPerSquaredInputToken
        self.power = power
        self.predicted = predicted
    }

    /// GPUs in the pool.
    public var gpuCount: Int { instances * tensorParallel }

    func validate(_ error: (String, String, String) -> InputError) throws {
        guard tensorParallel >= 1, tensorParallel <= InputLimits.maxTensorParallel else {
            throw error("tp", "tensor parallelism \(tensorParallel) is not between 1 and \(InputLimits.maxTensorParallel)",
                        "give the GPUs per instance")
        }
        guard instances >= 0 else { throw error("instances", "instance count \(instances) is negative", "give 0 or more instances") }
        guard instances <= InputLimits.maxInstancesPerPool else {
            throw error("instances", "\(instances) instances in one pool is beyond the \(InputLimits.maxInstancesPerPool) the simulator runs",
                        "give the pool's instance count, at most \(InputLimits.maxInstancesPerPool)")
        }
        // Per-sequence token counts are stored in 32 bits; 2^30 tokens is far beyond any model.
        guard windowTokens >= 1, windowTokens <= 1 << 30 else {
            throw error("window", "window \(windowTokens) is not between 1 and 2^30 tokens", "give the context window in tokens")
        }
        guard slotsPerInstance >= 1, slotsPerInstance <= InputLimits.maxSlotsPerInstance else {
            throw error("nMax", "n_max \(slotsPerInstance) is not between 1 and \(InputLimits.maxSlotsPerInstance)",
                        "give the batch slots per instance")
        }
        guard kvCapacityTokensPerInstance >= windowTokens else {
            throw error("kvCapacityTokensPerInstance", "KV capacity \(kvCapacityTokensPerInstance) tokens cannot hold one \(windowTokens)-token window",
                        "give a capacity of at least the window")
        }
        try iteration.validate(error)
        guard prefillTokensPerSecond.isFinite, prefillTokensPerSecond >= 0 else {
            throw error("prefillTokensPerSecond", "prefill rate \(prefillTokensPerSecond) is negative",
                        "give the instance's prefill tokens/s (0: prefill not modelled)")
        }
        guard prefillSecondsPerSquaredInputToken.isFinite, prefillSecondsPerSquaredInputToken >= 0 else {
            throw error("prefillSecondsPerSquaredInputToken", "\(prefillSecondsPerSquaredInputToken) is negative", "give a time ≥ 0")
        }
        guard power.idleWatts.isFinite, power.idleWatts >= 0, power.nominalWatts.isFinite, power.nominalWatts >= power.idleWatts,
              power.steepness.isFinite, power.midpointLog2Batch.isFinite else {
            throw error("power", "power curve idle \(power.idleWatts) W / nominal \(power.nominalWatts) W is invalid",
                        "give 0 ≤ idleWatts ≤ nominalWatts and finite k, x0")
        }
    }
}
