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
