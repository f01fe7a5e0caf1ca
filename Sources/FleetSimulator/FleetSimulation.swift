import FleetModel

/// Progress of a running simulation, for a progress line.
public struct SimulationProgress: Sendable, Equatable {
    /// Requests that have arrived so far.
    public var arrivedRequests: Int
    /// Requests the run will simulate at most.
    public var totalRequests: Int
    /// Simulated time reached, seconds.
    public var simulatedSeconds: Double
}

/// A discrete-event simulation of a fleet: its own code path, independent of the planner's
/// closed-form queueing, used to verify a plan's latency and energy predictions.
///
/// Model: requests are routed by total length to a band, then to a pool by the band's
/// shares; requests longer than the pool's window are trimmed (input first) to fit. Each
/// pool has one FCFS queue; a request is admitted to the least-loaded instance with a free
/// slot and room for its KV reservation, and joins that instance's next iteration. An
/// instance iterates back to back while it holds sequences: an iteration decodes one token
/// of every decoding sequence and prefills up to `prefillChunkTokens` of waiting prompts,
/// lasting τ = max(W + Σ(h0 + h1·context), n·compute) + prefill/rate (the `IterationClock`).
/// A request's first token comes at the end of the iteration that completes its prefill,
/// the rest one per iteration. Each GPU draws P(batch) during an iteration and P_idle when
/// its instance is idle, integrated exactly over these piecewise-constant intervals.
///
/// Metrics: TTFT = first token − arrival; TPOT = (completion − first token)/(output − 1);
/// queue wait = admission − arrival; the first `warmupFraction` of requests are excluded
/// from latency statistics, and energy/throughput/utilisation cover the measurement window.
public struct FleetSimulation: Sendable {
    public let fleet: SimulatedFleet
    public let options: SimulationOptions

    /// - Throws: `InputError` for a request count below 1, a warm-up fraction outside
    ///   [0, 1) or a prefill chunk below 1 token.
    public init(fleet: SimulatedFleet, options: SimulationOptions) throws {
        guard options.requestCount >= 1, options.requestCount <= InputLimits.maxSimulatedRequests else {
            throw InputError(.invalidValue, location: "--requests",
                             "request count \(options.requestCount) is not between 1 and \(InputLimits.maxSimulatedRequests)",
                             fix: "simulate e.g. 1000000 requests")
        }
        guard options.warmupFraction.isFinite, options.warmupFraction >= 0, options.warmupFraction < 1 else {
            throw InputError(.invalidValue, location: "--warmup-fraction", "warm-up fraction \(options.warmupFraction) is outside [0, 1)",
                             fix: "give e.g. 0.1 to skip the first 10% of requests")
        }
        guard options.prefillChunkTokens >= 1 else {
            throw InputError(.invalidValue, location: "--prefill-chunk-tokens", "prefill chunk \(options.prefillChunkTokens) is below 1 token",
                             fix: "give e.g. 2048")
        }
        self.fleet = fleet
        self.options = options
    }

    /// Poisson arrivals at `rateRequestsPerSecond` with lengths from the fleet's routing
    /// bands (see `PoissonArrivals`), seeded from `options.seed`.
    public func poissonArrivals(rateRequestsPerSecond: Double) -> PoissonArrivals {
        PoissonArrivals(bands: fleet.routing, rateRequestsPerSecond: rateRequestsPerSecond,
                        count: options.requestCount,
                        seed: SimulationRandom.derivedSeed(options.seed, stream: 1))
    }

    /// Runs until `options.requestCount` requests have arrived (or `arrivals` ends) and all
    /// of them have completed.
    /// - Parameters:
    ///   - clock: iteration durations; the physical serving model when nil.
    ///   - progress: called every 65,536 arrivals.
    /// - Throws: what `arrivals` throws (e.g. `InputError` for a malformed trace row).
    public func run<Arrivals: ArrivalSource>(
        _ arrivals: inout Arrivals,
        clock: (any IterationClock)? = nil,
        progress: ((SimulationProgress) -> Void)? = nil
    ) throws -> SimulationResult {
        var engine = SimulationEngine(fleet: fleet, options: options, clock: clock)
        var pending = try arrivals.next()
        while true {
            let arrivalSeconds = pending?.arrivalSeconds ?? .infinity
            if let request = pending, arrivalSeconds < engine.nextIterationEndSeconds {
                engine.arrive(request)
                pending = engine.arrivedRequests < options.requestCount ? try arrivals.next() : nil
                if pending == nil { engine.markLastArrival() }
                if let progress, engine.arrivedRequests & 0xFFFF == 0 {
                    progress(SimulationProgress(arrivedRequests: engine.arrivedRequests,
                                                totalRequests: options.requestCount,
                                                simulatedSeconds: engine.nowSeconds))
                }
            } else if engine.nextIterationEndSeconds.isFinite {
                engine.finishNextIteration()
            } else {
                break
            }
        }
        return engine.finish()
    }
}
