import Foundation

/// Per-GPU power draw as a function of the number of sequences in flight (DESIGN.md §4):
///
///     P(n) = P_idle + (P_nom − P_idle) / (1 + exp(−k · (log2 n − x0)))
///
/// a logistic in log2 of the batch: near idle for a handful of sequences, saturating near
/// P_nom once the batch keeps the GPU busy.
public struct PowerCurve: Sendable, Hashable, Codable {
    /// Draw with nothing running, watts.
    public var idleWatts: Double
    /// Saturated draw (the logistic's upper asymptote), watts.
    public var nominalWatts: Double
    /// Steepness k of the logistic, per doubling of the batch.
    public var steepness: Double
    /// Midpoint x0 in log2 of the batch: P(2^x0) is halfway between idle and nominal.
    public var midpointLog2Batch: Double

    public init(idleWatts: Double, nominalWatts: Double, steepness: Double, midpointLog2Batch: Double) {
        self.idleWatts = idleWatts
        self.nominalWatts = nominalWatts
        self.steepness = steepness
        self.midpointLog2Batch = midpointLog2Batch
    }

    /// Per-GPU watts with `concurrency` sequences in flight (fractional values allowed: the planner
    /// evaluates mean occupancies). At n ≤ 0, log2 n → −∞ and the curve's limit is P_idle, which is
    /// also what an empty GPU draws; for 0 < n < 1 the formula itself slides smoothly towards idle.
    /// Complexity: O(1), no allocation.
    @inlinable
    public func watts(concurrency n: Double) -> Double {
        guard n > 0 else { return idleWatts }
        let logistic = 1 / (1 + exp(-steepness * (log2(n) - midpointLog2Batch)))
        return idleWatts + (nominalWatts - idleWatts) * logistic
    }
}
