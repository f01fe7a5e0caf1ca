import FleetModel

/// Replays a request trace (Azure CSV or JSON Lines, see `TraceRequestReader`) with its real
/// timestamps, optionally compressed or stretched in time, streaming the file.
public final class TraceArrivals: ArrivalSource {
    private let reader: TraceRequestReader
    private let timeScale: Double
    private var remaining: Int

    /// - Parameters:
    ///   - path: the trace file.
    ///   - timeScale: arrival times are multiplied by this (0.5 replays twice as fast);
    ///     use `statistics.meanRateRequestsPerSecond / targetRate` to replay at a target rate.
    ///   - limit: stop after this many requests (nil: the whole trace).
    /// - Throws: `InputError` when the trace cannot be opened or its header is wrong.
    public init(path: String, timeScale: Double = 1, limit: Int? = nil) throws {
        reader = try TraceRequestReader(path: path)
        self.timeScale = timeScale
        remaining = limit ?? Int.max
    }

    /// - Throws: `InputError` naming the line of a malformed row.
    public func next() throws -> ArrivingRequest? {
        guard remaining > 0, let request = try reader.next() else { return nil }
        remaining -= 1
        return ArrivingRequest(arrivalSeconds: request.arrivalSeconds * timeScale,
                               inputTokens: request.inputTokens, outputTokens: request.outputTokens)
    }
}
