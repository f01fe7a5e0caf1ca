import Foundation

/// An M/G/c queue: Poisson arrivals into `servers` identical slot-servers sharing one FCFS queue.
///
/// fleetplan treats an instance as `n_max` slot-servers (one per sequence it can hold), so a pool of
/// `N` instances is one queue with `c = N · n_max` servers (DESIGN.md §6). The waiting probability is
/// Erlang C; the P99 wait uses a two-moment (Kimura-style) correction for non-exponential service.
public struct MultiServerQueue: Sendable, Equatable {
    /// Arrival rate λ, requests per second.
    public var arrivalRatePerSecond: Double
    /// Mean service time E[S], seconds.
    public var meanServiceSeconds: Double
    /// Squared coefficient of variation of the service time, Var(S)/E[S]² (1 for exponential, 0 for deterministic).
    public var serviceSCV: Double
    /// Number of servers c (slots across the pool).
    public var servers: Int

    public init(arrivalRatePerSecond: Double, meanServiceSeconds: Double, serviceSCV: Double, servers: Int) {
        self.arrivalRatePerSecond = arrivalRatePerSecond
        self.meanServiceSeconds = meanServiceSeconds
        self.serviceSCV = serviceSCV
        self.servers = servers
    }

    /// Offered load a = λ·E[S], in erlangs (mean busy servers).
    public var offeredLoad: Double { arrivalRatePerSecond * meanServiceSeconds }

    /// Server utilisation ρ = a / c.
    public var utilisation: Double { servers > 0 ? offeredLoad / Double(servers) : .infinity }

    /// Whether the queue is stable (ρ < 1).
    public var isStable: Bool { servers > 0 && utilisation < 1 }

    /// Erlang C: the probability that an arrival waits, for exponential service.
    ///
    /// Computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which stays within
    /// [0, 1] at every step, so it neither overflows nor underflows for any c (unlike a^c/c!).
    /// Returns 1 for an unstable queue. Complexity: O(c), or O(1) where `negligibleWaitingBound`
    /// shows the answer is below e^−40.
    public var probabilityOfWaiting: Double {
        guard isStable else { return 1 }
        let a = offeredLoad
        guard a > 0 else { return 0 }
        return negligibleWaitingBound ?? erlangCByRecursion
    }

    /// Erlang C through the Erlang B recursion, for a stable queue with load. O(c).
    var erlangCByRecursion: Double {
        let a = offeredLoad
        var erlangB = 1.0
        for k in 1...servers {
            erlangB = a * erlangB / (Double(k) + a * erlangB)
        }
        let rho = utilisation
        return erlangB / (1 - rho * (1 - erlangB))
    }

    /// An upper bound on Erlang C when it is below e^−40, else nil: B(c, a) ≤ P(Poisson(a) ≥ c) ≤
    /// e^−a·(e·a/c)^c for c > a (Chernoff), and C ≤ B / (1 − ρ). Pools of hundreds of thousands of
    /// slots (a fleet for a million requests/s) then skip an O(c) recursion whose answer is 0 to
    /// every digit the P99 check can see; the planner evaluates such pools dozens of times while it
    /// raises one (seconds each, before).
    var negligibleWaitingBound: Double? {
        let a = offeredLoad, c = Double(servers), rho = utilisation
        guard a > 0, c > a, rho < 1 else { return nil }
        let exponent = c * log(c / a) - (c - a) + log(1 - rho)
        // Kept a normal number, so it stays an upper bound where the recursion ends in denormals.
        return exponent > 40 ? max(exp(-exponent), Double.leastNormalMagnitude) : nil
    }

    /// Mean wait in queue, seconds: C(c, a) / (cμ − λ) scaled by (1 + c_s²)/2 (Allen–Cunneen).
    public var meanWaitSeconds: Double {
        guard isStable else { return .infinity }
        guard arrivalRatePerSecond > 0 else { return 0 }
        let drain = Double(servers) / meanServiceSeconds - arrivalRatePerSecond
        return probabilityOfWaiting / drain * (1 + serviceSCV) / 2
    }

    /// Wait quantile, seconds, for `percentile` in (0, 1) (0.99 for P99).
    ///
    /// The exponential-service tail P(W > t) = C·exp(−(cμ − λ)t), stretched by (1 + c_s²)/2:
    /// t_q = ln(C / (1 − q)) · (1 + c_s²) / (2(cμ − λ)) when C > 1 − q, else 0.
    public func waitSeconds(percentile: Double) -> Double {
        guard isStable else { return .infinity }
        let tail = 1 - percentile
        let waiting = probabilityOfWaiting
        guard waiting > tail else { return 0 }
        let drain = Double(servers) / meanServiceSeconds - arrivalRatePerSecond
        return log(waiting / tail) * (1 + serviceSCV) / (2 * drain)
    }
}
