/// A request as it reaches the fleet's router.
public struct ArrivingRequest: Sendable, Equatable {
    /// Arrival time, seconds from the start of the simulation; non-decreasing along a source.
    public var arrivalSeconds: Double
    public var inputTokens: Int
    public var outputTokens: Int

    public init(arrivalSeconds: Double, inputTokens: Int, outputTokens: Int) {
        self.arrivalSeconds = arrivalSeconds
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    /// Input + output: what the router bands on.
    public var totalTokens: Int { inputTokens + outputTokens }
}

/// Produces arrivals one at a time, in time order, so the simulator never holds more than
/// the next one (memory independent of the number of requests).
public protocol ArrivalSource {
    /// The next arrival, or nil when the source is exhausted.
    mutating func next() throws -> ArrivingRequest?
}
