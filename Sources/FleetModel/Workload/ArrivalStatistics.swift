/// How requests arrived in a trace: the mean and peak rates the planner sizes for, and how
/// bursty the arrivals were compared with a Poisson process.
///
/// Windows (1-second, 1-minute) are aligned at the first arrival; only complete windows
/// count, so a partial last minute never drags the p95 down or the peak up.
public struct ArrivalStatistics: Sendable, Equatable, Hashable, Codable {
    /// Number of requests in the trace.
    public var requestCount: Int
    /// Time from the first to the last arrival, seconds.
    public var durationSeconds: Double
    /// Mean arrival rate, requests/s: `(requestCount − 1) / durationSeconds`, the inverse of
    /// the mean inter-arrival time (so replaying at a target rate R means gaps of 1/R).
    public var meanRateRequestsPerSecond: Double
    /// Highest rate over complete 1-minute windows, requests/s. Equals the mean rate when the
    /// trace is shorter than one minute.
    public var peakMinuteRateRequestsPerSecond: Double
    /// 95th percentile (nearest rank) of the rates of complete 1-minute windows, requests/s.
    public var p95MinuteRateRequestsPerSecond: Double
    /// Squared coefficient of variation of inter-arrival times (variance / mean²):
    /// 1 for Poisson arrivals, > 1 bursty, < 1 smoother than Poisson.
    public var interArrivalSquaredCoefficientOfVariation: Double
    /// Index of dispersion (variance / mean) of request counts in complete 1-second windows:
    /// 1 for Poisson arrivals, > 1 bursty. 0 when the trace spans less than two seconds.
    public var perSecondCountIndexOfDispersion: Double

    public init(
        requestCount: Int,
        durationSeconds: Double,
        meanRateRequestsPerSecond: Double,
        peakMinuteRateRequestsPerSecond: Double,
        p95MinuteRateRequestsPerSecond: Double,
        interArrivalSquaredCoefficientOfVariation: Double,
        perSecondCountIndexOfDispersion: Double
    ) {
        self.requestCount = requestCount
        self.durationSeconds = durationSeconds
        self.meanRateRequestsPerSecond = meanRateRequestsPerSecond
        self.peakMinuteRateRequestsPerSecond = peakMinuteRateRequestsPerSecond
        self.p95MinuteRateRequestsPerSecond = p95MinuteRateRequestsPerSecond
        self.interArrivalSquaredCoefficientOfVariation = interArrivalSquaredCoefficientOfVariation
        self.perSecondCountIndexOfDispersion = perSecondCountIndexOfDispersion
    }

    /// The statistics of the same arrivals replayed `factor` times faster (timestamps divided
    /// by `factor`): rates multiply, durations divide, dimensionless burstiness is unchanged
    /// except the per-second dispersion, which is not recomputable from the summary and is
    /// kept as measured on the original time scale.
    public func timeScaled(by factor: Double) -> ArrivalStatistics {
        var scaled = self
        scaled.durationSeconds /= factor
        scaled.meanRateRequestsPerSecond *= factor
        scaled.peakMinuteRateRequestsPerSecond *= factor
        scaled.p95MinuteRateRequestsPerSecond *= factor
        return scaled
    }
}

/// Streams arrival times (seconds, non-decreasing) into `ArrivalStatistics` in O(1) memory
/// per request: Welford sums for inter-arrival gaps and per-second counts, and one counter
/// per minute of trace (1,440 a day) for the minute-window percentiles.
public struct ArrivalStatisticsAccumulator: Sendable {
    private var count = 0
    private var firstSeconds = 0.0
    private var lastSeconds = 0.0
    private var gaps = RunningMoments()
    private var secondCounts = RunningMoments()
    private var currentSecond = 0
    private var currentSecondCount = 0
    private var minuteCounts: [Int] = []

    public init() {}

    /// Number of arrivals added so far.
    public var requestCount: Int { count }

    /// Adds the next arrival. Arrivals must come in non-decreasing time order (the readers
    /// check this and name the offending line).
    public mutating func add(arrivalSeconds: Double) {
        if count == 0 {
            firstSeconds = arrivalSeconds
        } else {
            gaps.add(arrivalSeconds - lastSeconds)
        }
        lastSeconds = arrivalSeconds
        count += 1

        let sinceFirst = max(0, arrivalSeconds - firstSeconds)
        let second = Int(sinceFirst)
        if second != currentSecond {
            // Close the current second and every empty second skipped over.
            secondCounts.add(Double(currentSecondCount))
            let emptySeconds = second - currentSecond - 1
            if emptySeconds > 0 { secondCounts.add(0, repeated: emptySeconds) }
            currentSecond = second
            currentSecondCount = 0
        }
        currentSecondCount += 1

        let minute = Int(sinceFirst / 60)
        if minute >= minuteCounts.count {
            minuteCounts.append(contentsOf: repeatElement(0, count: minute - minuteCounts.count + 1))
        }
        minuteCounts[minute] += 1
    }

    /// The statistics of the arrivals added, or nil when there are none.
    public func finish() -> ArrivalStatistics? {
        guard count > 0 else { return nil }
        let duration = lastSeconds - firstSeconds
        let meanRate = duration > 0 ? Double(count - 1) / duration : 0

        // Complete minutes are those that end no later than the last arrival.
        let completeMinutes = Int(duration / 60)
        let minuteRates = minuteCounts.prefix(completeMinutes).map { Double($0) / 60 }.sorted()
        let peakMinute = minuteRates.last ?? meanRate
        let p95Minute: Double
        if minuteRates.isEmpty {
            p95Minute = meanRate
        } else {
            let rank = Int((0.95 * Double(minuteRates.count)).rounded(.up))
            p95Minute = minuteRates[max(rank, 1) - 1]
        }

        // Seconds closed so far are all complete (the one holding the last arrival is open).
        let dispersion = secondCounts.count >= 2 && secondCounts.mean > 0
            ? secondCounts.variance / secondCounts.mean : 0
        let scv = gaps.count >= 2 && gaps.mean > 0 ? gaps.variance / (gaps.mean * gaps.mean) : 0

        return ArrivalStatistics(
            requestCount: count,
            durationSeconds: duration,
            meanRateRequestsPerSecond: meanRate,
            peakMinuteRateRequestsPerSecond: peakMinute,
            p95MinuteRateRequestsPerSecond: p95Minute,
            interArrivalSquaredCoefficientOfVariation: scv,
            perSecondCountIndexOfDispersion: dispersion
        )
    }
}

/// Welford's running mean and (population) variance: numerically stable in one pass.
struct RunningMoments: Sendable {
    private(set) var count = 0
    private(set) var mean = 0.0
    private var sumOfSquaredDeviations = 0.0

    mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        sumOfSquaredDeviations += delta * (value - mean)
    }

    /// Adds `value` `times` times in O(1) (Chan et al.'s merge of a constant batch).
    mutating func add(_ value: Double, repeated times: Int) {
        guard times > 0 else { return }
        let batch = Double(times)
        let total = Double(count) + batch
        let delta = value - mean
        sumOfSquaredDeviations += delta * delta * Double(count) * batch / total
        mean += delta * batch / total
        count += times
    }

    /// Population variance (divides by n): the dispersion of the observed windows themselves.
    var variance: Double { count > 0 ? sumOfSquaredDeviations / Double(count) : 0 }
}
