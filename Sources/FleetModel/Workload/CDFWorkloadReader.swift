import Foundation

/// Reads a length CDF in the format of the published fleet studies (../shared/data/cdfs):
/// a JSON array of `[tokens, cumulative_fraction]` points, or an object whose `cdf` field is
/// that array (other fields such as `source` are kept for the description; an optional
/// `outputFraction` sets the output share of total tokens for this file).
///
/// Binning: each pair of consecutive points (t_{i−1}, t_i] becomes a bin with fraction
/// F(t_i) − F(t_{i−1}); the first bin is (0, t_0] with fraction F(t_0), i.e. the CDF's mass
/// at or below its first point (the files start at 64 tokens, below any window). Bins with
/// zero fraction are dropped. Within a bin total tokens are taken as uniform, so the mean
/// total is the midpoint and the p99 total is t_{i−1} + 0.99·(t_i − t_{i−1}); output tokens
/// are `outputFraction` of the total (default 20%) and input tokens the rest.
extension Workload {
    /// Output share of total tokens when neither the caller nor the file gives one.
    public static let defaultOutputFraction = 0.2

    /// Tolerance on the CDF's last point being 1.
    public static let cdfEndTolerance = 1e-6

    /// Reads the CDF file at `path`.
    /// - Parameter outputFraction: output tokens as a share of total tokens, in [0, 1);
    ///   overrides the file's own `outputFraction`; nil means the file's value or 20%.
    /// - Throws: `InputError` for a missing, empty or invalid file and for CDF points that
    ///   are not increasing in tokens, decrease in fraction, leave [0, 1] or do not end at 1.
    public static func fromCDF(path: String, outputFraction: Double? = nil) throws -> Workload {
        let data = try JSONInput.readFile(path, what: "CDF file")
        return try fromCDF(data: data, file: path, outputFraction: outputFraction)
    }

    /// Reads a CDF from JSON bytes; `file` only names the input in errors and the source.
    public static func fromCDF(data: Data, file: String?, outputFraction: Double? = nil) throws -> Workload {
        let json = try JSONInput.parse(data, file: file)
        let points: [Any]
        var fileOutputFraction: Double?
        var provenance: String?
        let field: String
        if let array = json as? [Any] {
            points = array
            field = "cdf"
        } else if let object = json as? [String: Any] {
            guard let cdf = object["cdf"] else {
                throw InputError(.missingField, file: file, location: "cdf",
                                 "object has no `cdf` field",
                                 fix: "write {\"cdf\": [[tokens, cumulative_fraction], ...]} or a bare array")
            }
            guard let array = cdf as? [Any] else {
                throw InputError(.malformed, file: file, location: "cdf", "`cdf` is not an array",
                                 fix: "write `cdf` as [[tokens, cumulative_fraction], ...]")
            }
            points = array
            field = "cdf"
            if let value = object["outputFraction"] {
                guard let number = value as? Double else {
                    throw InputError(.malformed, file: file, location: "outputFraction", "not a number",
                                     fix: "write the output share of total tokens, e.g. 0.2")
                }
                fileOutputFraction = number
            }
            provenance = object["source"] as? String
        } else {
            throw InputError(.malformed, file: file, location: "(top level)",
                             "expected an array of [tokens, cumulative_fraction] or an object with `cdf`",
                             fix: "see ../shared/data/cdfs for the format")
        }

        let share = outputFraction ?? fileOutputFraction ?? defaultOutputFraction
        // 0 would be a workload of prompts only: no output tokens, so no tokens per watt.
        guard share.isFinite, share > 0, share < 1 else {
            throw InputError(.invalidValue, file: outputFraction == nil ? file : nil,
                             location: outputFraction == nil ? "outputFraction" : "output fraction",
                             "output fraction \(share) is outside (0, 1)",
                             fix: "give the output tokens' share of total tokens, e.g. 0.2")
        }

        let cdf = try validatedPoints(points, file: file, field: field)
        let bins = binsFromCDF(cdf, outputFraction: share)
        var source = "CDF " + (file.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "(inline)")
        if let provenance { source += " (\(provenance))" }
        return try Workload(bins: bins, source: source, file: file, field: field)
    }

    /// Checks shape and monotonicity; returns (tokens, cumulative fraction) with the last
    /// fraction snapped to exactly 1.
    private static func validatedPoints(_ points: [Any], file: String?, field: String) throws -> [(tokens: Int, fraction: Double)] {
        guard !points.isEmpty else {
            throw InputError(.invalidValue, file: file, location: field, "the CDF has no points",
                             fix: "give [tokens, cumulative_fraction] points ending at fraction 1")
        }
        var result: [(tokens: Int, fraction: Double)] = []
        result.reserveCapacity(points.count)
        for (index, point) in points.enumerated() {
            let location = "\(field)[\(index)]"
            guard let pair = point as? [Any], pair.count == 2,
                  let tokenValue = pair[0] as? Double, let fraction = pair[1] as? Double else {
                throw InputError(.malformed, file: file, location: location,
                                 "expected a pair [tokens, cumulative_fraction] of numbers",
                                 fix: "write each point as [tokens, cumulative_fraction]")
            }
            guard tokenValue.isFinite, tokenValue > 0, tokenValue == tokenValue.rounded(),
                  tokenValue <= Double(Int32.max) else {
                throw InputError(.invalidValue, file: file, location: location,
                                 "tokens \(tokenValue) is not a positive whole number",
                                 fix: "give token counts as positive integers")
            }
            let tokens = Int(tokenValue)
            if let previous = result.last, tokens <= previous.tokens {
                throw InputError(.invalidValue, file: file, location: location,
                                 "tokens \(tokens) is not greater than the previous point's \(previous.tokens)",
                                 fix: "sort the points by tokens, each token count once")
            }
            guard fraction.isFinite, fraction >= 0, fraction <= 1 + cdfEndTolerance else {
                throw InputError(.invalidValue, file: file, location: location,
                                 "cumulative fraction \(fraction) is outside [0, 1]",
                                 fix: "give cumulative fractions between 0 and 1")
            }
            if let previous = result.last, fraction < previous.fraction {
                throw InputError(.invalidValue, file: file, location: location,
                                 "cumulative fraction \(fraction) decreases from the previous point's \(previous.fraction)",
                                 fix: "a CDF never decreases: fix or re-sort the points")
            }
            result.append((tokens, fraction))
        }
        let last = result[result.count - 1]
        guard abs(last.fraction - 1) <= cdfEndTolerance else {
            throw InputError(.invalidValue, file: file, location: "\(field)[\(result.count - 1)]",
                             "the last cumulative fraction is \(last.fraction), not 1",
                             fix: "end the CDF at the longest request with fraction 1 (±\(cdfEndTolerance))")
        }
        result[result.count - 1].fraction = 1
        return result
    }

    private static func binsFromCDF(_ cdf: [(tokens: Int, fraction: Double)], outputFraction: Double) -> [LengthBin] {
        var bins: [LengthBin] = []
        var lower = 0
        var cumulative = 0.0
        for point in cdf {
            let fraction = point.fraction - cumulative
            if fraction > 0 {
                // Every request produces at least one output token: in bands so short that the output
                // share is below one ([[1, 1.0]]: 0.1 tokens, which planned 0 tok/s), the output is one token.
                let meanTotal = max(1, Double(lower + point.tokens) / 2)
                let meanOutput = min(meanTotal, max(1, meanTotal * outputFraction))
                let p99Total = Double(lower) + 0.99 * Double(point.tokens - lower)
                bins.append(LengthBin(
                    minTokens: lower,
                    maxTokens: point.tokens,
                    requestFraction: fraction,
                    meanInputTokens: meanTotal - meanOutput,
                    meanOutputTokens: meanOutput,
                    p99InputTokens: p99Total * (1 - outputFraction)
                ))
            }
            lower = point.tokens
            cumulative = point.fraction
        }
        return bins
    }
}
