/// Running statistics of one pool: histograms for latency percentiles, sums for the rest.
/// Constant memory whatever the number of requests.
struct PoolAccumulator {
    var ttft = LogHistogram()
    var tpot = LogHistogram()
    var queueWait = LogHistogram()

    var routedRequests = 0
    var compressedRequests = 0
    var measuredCompleted = 0
    var ttftWithinTarget = 0
    var tpotWithinTarget = 0

    /// Output tokens emitted by iterations ending inside the measurement window.
    var windowOutputTokens = 0
    /// GPU energy inside the measurement window, joules.
    var windowEnergyJoules = 0.0
    /// ∫ occupied slots dt inside the window, slot-seconds.
    var windowSlotSeconds = 0.0
    /// ∫ (instance running) dt and ∫ batch dt inside the window.
    var windowBusyInstanceSeconds = 0.0
    var windowBatchSeconds = 0.0

    var occupiedSlots = 0
    var occupancyChangedSeconds = 0.0
    var maxQueueLength = 0

    /// Builds the reported figures.
    func metrics(pool: SimulatedPool?, instances: Int, slots: Int, gpus: Int, windowSeconds: Double,
                 slo: LatencyObjective, predicted: PredictedMetrics?) -> SimulatedMetrics {
        let hasWindow = windowSeconds > 0
        var compliance = SLOCompliance(ttftP99Seconds: slo.ttftP99Seconds, tpotSeconds: slo.tpotSeconds)
        let p99TTFT = ttft.percentile(0.99)
        let p99TPOT = tpot.percentile(0.99)
        if let target = slo.ttftP99Seconds, let p99TTFT {
            compliance.ttftMet = p99TTFT <= target
            compliance.fractionTTFTWithinTarget = Double(ttftWithinTarget) / Double(ttft.count)
        }
        if let target = slo.tpotSeconds, let p99TPOT {
            compliance.tpotMet = p99TPOT <= target
            compliance.fractionTPOTWithinTarget = Double(tpotWithinTarget) / Double(tpot.count)
        }
        var metrics = SimulatedMetrics(
            id: pool?.id, gpu: pool?.gpu, tp: pool?.tensorParallel, window: pool?.windowTokens,
            instances: instances, nMax: pool?.slotsPerInstance, gpus: gpus,
            requests: routedRequests, measuredRequests: measuredCompleted, compressedRequests: compressedRequests,
            p50TTFTSeconds: ttft.percentile(0.5), p99TTFTSeconds: p99TTFT, meanTTFTSeconds: ttft.mean,
            p50TPOTSeconds: tpot.percentile(0.5), p99TPOTSeconds: p99TPOT, meanTPOTSeconds: tpot.mean,
            meanQueueWaitSeconds: queueWait.mean, p99QueueWaitSeconds: queueWait.percentile(0.99),
            utilisation: hasWindow && slots > 0 ? windowSlotSeconds / (Double(slots) * windowSeconds) : nil,
            meanBatchSize: windowBusyInstanceSeconds > 0 ? windowBatchSeconds / windowBusyInstanceSeconds : nil,
            throughputTokensPerSecond: hasWindow ? Double(windowOutputTokens) / windowSeconds : nil,
            energyKWh: windowEnergyJoules / 3.6e6,
            averagePowerWatts: hasWindow ? windowEnergyJoules / windowSeconds : nil,
            tokensPerWatt: windowEnergyJoules > 0 ? Double(windowOutputTokens) / windowEnergyJoules : nil,
            slo: compliance, predicted: predicted, relativeDifference: nil
        )
        if let predicted { metrics.relativeDifference = RelativeDifferences(simulated: metrics, predicted: predicted) }
        return metrics
    }

    /// Adds another pool's statistics (for the fleet total).
    mutating func merge(_ other: PoolAccumulator) {
        ttft.merge(other.ttft)
        tpot.merge(other.tpot)
        queueWait.merge(other.queueWait)
        routedRequests += other.routedRequests
        compressedRequests += other.compressedRequests
        measuredCompleted += other.measuredCompleted
        ttftWithinTarget += other.ttftWithinTarget
        tpotWithinTarget += other.tpotWithinTarget
        windowOutputTokens += other.windowOutputTokens
        windowEnergyJoules += other.windowEnergyJoules
        windowSlotSeconds += other.windowSlotSeconds
        windowBusyInstanceSeconds += other.windowBusyInstanceSeconds
        windowBatchSeconds += other.windowBatchSeconds
        maxQueueLength = max(maxQueueLength, other.maxQueueLength)
    }
}
