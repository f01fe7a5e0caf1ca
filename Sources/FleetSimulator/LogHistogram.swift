import Foundation

/// Streaming percentiles in constant memory: values are counted in logarithmic buckets,
/// each `1 + relativeResolution` times wider than the one below, so any percentile is
/// known to within ±resolution/2 relative error whatever the number of samples.
///
/// The default (1 µs … 10⁶ s at 1%) is 2,777 buckets, 22 KB. Values ≤ 0 are counted
/// exactly as zeros (a request that never queued waited exactly 0 s); values below the
/// range go to the first bucket and above it to the last, and percentiles are clamped to
/// the exact minimum and maximum seen. Record is O(1) (one logarithm); a percentile is
/// O(buckets).
public struct LogHistogram: Sendable, Equatable {
    /// Lower edge of the first bucket.
    public let minimumValue: Double
    /// Upper edge of the last bucket.
    public let maximumValue: Double
    /// Bucket width as a fraction of its lower edge.
    public let relativeResolution: Double

    private var counts: [Int]
    private let inverseLogGrowth: Double
    private var zeroCount = 0
    /// Number of values recorded.
    public private(set) var count = 0
    /// Exact sum of the values recorded.
    public private(set) var sum = 0.0
    /// Exact smallest value recorded (+∞ when empty).
    public private(set) var minimum = Double.infinity
    /// Exact largest value recorded (−∞ when empty).
    public private(set) var maximum = -Double.infinity

    public init(minimumValue: Double = 1e-6, maximumValue: Double = 1e6, relativeResolution: Double = 0.01) {
        self.minimumValue = minimumValue
        self.maximumValue = maximumValue
        self.relativeResolution = relativeResolution
        let logGrowth = log1p(relativeResolution)
        inverseLogGrowth = 1 / logGrowth
        let bucketCount = Int((log(maximumValue / minimumValue) / logGrowth).rounded(.up)) + 1
        counts = Array(repeating: 0, count: max(bucketCount, 1))
    }

    /// Exact mean of the values recorded, nil when empty.
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    /// Counts `value`. NaN is ignored.
    public mutating func record(_ value: Double) {
        guard !value.isNaN else { return }
        count += 1
        sum += value
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
        if value <= 0 {
            zeroCount += 1
            return
        }
        counts[bucket(of: value)] += 1
    }

    /// Adds another histogram's counts (same range and resolution).
    public mutating func merge(_ other: LogHistogram) {
        guard other.counts.count == counts.count else { return }
        for index in counts.indices { counts[index] += other.counts[index] }
        zeroCount += other.zeroCount
        count += other.count
        sum += other.sum
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// The nearest-rank `q`-quantile (the smallest recorded value with at least ⌈q·count⌉
    /// values at or below it), as the geometric centre of its bucket: within
    /// ±relativeResolution/2 of the exact order statistic. Nil when empty.
    /// - Parameter q: in [0, 1], e.g. 0.99 for P99.
    public func percentile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, Int((Swift.min(Swift.max(q, 0), 1) * Double(count)).rounded(.up)))
        if rank <= zeroCount { return Swift.min(0, maximum) }
        var seen = zeroCount
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank {
                let centre = minimumValue * exp((Double(index) + 0.5) / inverseLogGrowth)
                return Swift.min(Swift.max(centre, minimum), maximum)
            }
        }
        return maximum
    }

    private func bucket(of value: Double) -> Int {
        guard value > minimumValue else { return 0 }
        let index = Int(log(value / minimumValue) * inverseLogGrowth)
        return Swift.min(index, counts.count - 1)
    }
}
