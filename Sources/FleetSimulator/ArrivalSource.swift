import FleetModel

/// A request as it reaches the fleet's router: the same shape as a trace row (arrival time in
/// seconds from the start, prompt and output tokens), whether replayed or generated.
public typealias ArrivingRequest = TraceRequest

/// Produces arrivals one at a time, in time order, so the simulator never holds more than
/// the next one (memory independent of the number of requests).
public protocol ArrivalSource {
    /// The next arrival, or nil when the source is exhausted.
    mutating func next() throws -> ArrivingRequest?
}
