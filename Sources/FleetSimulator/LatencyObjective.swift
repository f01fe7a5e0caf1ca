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
