/// A request-length distribution (bins over total tokens) plus, when it came from a trace,
/// how the requests arrived.
///
/// Only `Encodable`: decoding would bypass validation. Build one with a reader (`Workload.fromCDF`, `Workload.fromTrace`), from a scenario's
/// inline bins (`Workload.fromInlineBins`), or directly with the validating initialiser.
public struct Workload: Sendable, Equatable, Encodable {
    /// Bins in increasing token order, non-overlapping, fractions summing to 1.
    public let bins: [LengthBin]
    /// Where the workload came from, for reports (`cdf azure_cdf.json`, `trace conv.csv`).
    public var source: String
    /// Arrival statistics when the workload came from a trace; nil for CDFs and inline bins.
    public var arrivals: ArrivalStatistics?

    /// Tolerance on the sum of bin fractions (rounding in files written by other tools).
    public static let fractionSumTolerance = 1e-6

    /// Validates and stores the bins.
    ///
    /// - Parameters:
    ///   - file: named in errors (the file the bins came from), if any.
    ///   - field: names the bins in errors, e.g. `workload.bins`; an index is appended.
    /// - Throws: `InputError` when a bin is empty or inverted, bins overlap or are unsorted,
    ///   a fraction is outside (0, 1], fractions do not sum to 1, a mean is negative or the
    ///   mean total lies outside the bin, or the p99 input is negative.
    public init(
        bins: [LengthBin],
        source: String,
        arrivals: ArrivalStatistics? = nil,
        file: String? = nil,
        field: String = "bins"
    ) throws {
        guard !bins.isEmpty else {
            throw InputError(.invalidValue, file: file, location: field, "workload has no length bins",
                             fix: "give at least one bin with a positive fraction")
        }
        var previousMax = 0
        var fractionSum = 0.0
        for (index, bin) in bins.enumerated() {
            let location = "\(field)[\(index)]"
            func fail(_ message: String, _ fix: String) -> InputError {
                InputError(.invalidValue, file: file, location: location, message, fix: fix)
            }
            guard bin.minTokens >= 0, bin.maxTokens > bin.minTokens else {
                throw fail("bin (\(bin.minTokens), \(bin.maxTokens)] is empty or has a negative edge",
                           "make maxTokens greater than minTokens ≥ 0")
            }
            guard bin.minTokens >= previousMax else {
                throw fail("bin starts at \(bin.minTokens) tokens, inside the previous bin ending at \(previousMax)",
                           "sort bins by maxTokens and do not let them overlap")
            }
            guard bin.requestFraction.isFinite, bin.requestFraction > 0, bin.requestFraction <= 1 else {
                throw fail("request fraction \(bin.requestFraction) is outside (0, 1]",
                           "drop empty bins and give each bin its share of requests")
            }
            guard bin.meanInputTokens.isFinite, bin.meanInputTokens >= 0,
                  bin.meanOutputTokens.isFinite, bin.meanOutputTokens >= 0 else {
                throw fail("mean input \(bin.meanInputTokens) / output \(bin.meanOutputTokens) tokens must be ≥ 0",
                           "give non-negative token means")
            }
            let total = bin.meanTotalTokens
            // The mean of values in (min, max] lies in (min, max]; allow rounding slack.
            guard total > Double(bin.minTokens) - 0.5, total <= Double(bin.maxTokens) + 0.5 else {
                throw fail("mean total \(total) tokens lies outside the bin (\(bin.minTokens), \(bin.maxTokens)]",
                           "make meanInputTokens + meanOutputTokens fall inside the bin")
            }
            guard bin.p99InputTokens.isFinite, bin.p99InputTokens >= 0,
                  bin.p99InputTokens <= Double(bin.maxTokens) + 0.5 else {
                throw fail("p99 input \(bin.p99InputTokens) tokens is negative or beyond the bin's \(bin.maxTokens)",
                           "give a p99 input between 0 and maxTokens")
            }
            previousMax = bin.maxTokens
            fractionSum += bin.requestFraction
        }
        guard abs(fractionSum - 1) <= Self.fractionSumTolerance else {
            throw InputError(.invalidValue, file: file, location: field,
                             "bin fractions sum to \(fractionSum), not 1",
                             fix: "make the fractions add up to 1 (±\(Self.fractionSumTolerance))")
        }
        self.bins = bins
        self.source = source
        self.arrivals = arrivals
    }

    /// Fraction-weighted mean input tokens per request.
    public var meanInputTokens: Double {
        bins.reduce(0) { $0 + $1.requestFraction * $1.meanInputTokens }
    }

    /// Fraction-weighted mean output tokens per request.
    public var meanOutputTokens: Double {
        bins.reduce(0) { $0 + $1.requestFraction * $1.meanOutputTokens }
    }

    /// Upper edge of the last bin: the longest request, in total tokens.
    public var maxTokens: Int { bins.last?.maxTokens ?? 0 }

    /// Fraction of requests whose total length is at most `tokens` (bins are counted whole:
    /// exact at bin edges).
    public func fraction(atMostTokens tokens: Int) -> Double {
        bins.reduce(0) { $0 + ($1.maxTokens <= tokens ? $1.requestFraction : 0) }
    }
}
