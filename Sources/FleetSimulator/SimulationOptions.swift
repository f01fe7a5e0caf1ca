/// How a simulation runs.
public struct SimulationOptions: Sendable, Equatable {
    /// How much KV cache an admitted request reserves.
    public enum KVReservation: String, Sendable, Equatable, CaseIterable, Codable {
        /// The pool's whole window (every sequence may grow to it): the planner's `window`
        /// assumption, under which KV never binds before n_max.
        case window
        /// The request's own input + output tokens (paged attention without preemption).
        case paged
    }

    /// Which span the throughput, energy, utilisation and tok/W figures cover.
    public enum MeasurementWindow: String, Sendable, Equatable, Codable {
        /// From the first request after the warm-up to the last arrival: steady state,
        /// without the empty start or the drain at the end.
        case afterWarmup
        /// From time 0 to the last completion (hand-worked checks of energy accounting).
        case wholeRun
    }

    /// Requests to simulate (the arrival source may end sooner).
    public var requestCount: Int
    /// Seed of every random stream (arrivals, routing): same seed, same result.
    public var seed: UInt64
    /// Fraction of the first requests excluded from latency statistics, in [0, 1).
    public var warmupFraction: Double
    /// Prefill tokens an instance processes per iteration, across its prefilling sequences.
    public var prefillChunkTokens: Int
    public var kvReservation: KVReservation
    public var measurementWindow: MeasurementWindow

    public init(requestCount: Int = 100_000, seed: UInt64 = 1, warmupFraction: Double = 0.1,
                prefillChunkTokens: Int = 2048, kvReservation: KVReservation = .window,
                measurementWindow: MeasurementWindow = .afterWarmup) {
        self.requestCount = requestCount
        self.seed = seed
        self.warmupFraction = warmupFraction
        self.prefillChunkTokens = prefillChunkTokens
        self.kvReservation = kvReservation
        self.measurementWindow = measurementWindow
    }

    /// Requests excluded as warm-up.
    public var warmupRequests: Int { Int(warmupFraction * Double(requestCount)) }
}
