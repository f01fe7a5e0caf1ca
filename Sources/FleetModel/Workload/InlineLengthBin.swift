/// A length bin as a user writes it in a scenario file:
/// `{maxTokens: 4096, fraction: 0.3, meanInputTokens: 2500, meanOutputTokens: 400}`.
///
/// Bins are listed in increasing `maxTokens`; each starts where the previous one ends (the
/// first at 0). Missing means are filled as a CDF bin's would be (see `fromInlineBins`).
public struct InlineLengthBin: Sendable, Equatable, Codable {
    /// Upper edge in total tokens (inclusive).
    public var maxTokens: Int
    /// Share of requests in this bin.
    public var fraction: Double
    /// Mean prompt tokens; optional.
    public var meanInputTokens: Double?
    /// Mean generated tokens; optional.
    public var meanOutputTokens: Double?
    /// 99th-percentile prompt tokens; optional.
    public var p99InputTokens: Double?

    public init(maxTokens: Int, fraction: Double, meanInputTokens: Double? = nil,
                meanOutputTokens: Double? = nil, p99InputTokens: Double? = nil) {
        self.maxTokens = maxTokens
        self.fraction = fraction
        self.meanInputTokens = meanInputTokens
        self.meanOutputTokens = meanOutputTokens
        self.p99InputTokens = p99InputTokens
    }
}

extension Workload {
    /// Builds and validates a workload from a scenario's inline bins.
    ///
    /// Filling missing values (`f` = `outputFraction`):
    /// - neither mean given: total = bin midpoint, output = f·total, input = the rest;
    /// - one mean given: the other keeps the ratio f : (1 − f) to it;
    /// - p99 input not given: the input share of the uniform-in-bin p99 total,
    ///   `input/(input+output) · (min + 0.99·(max − min))`.
    ///
    /// - Parameters:
    ///   - file, field: name the scenario and the bins' field (`workload.bins`) in errors.
    /// - Throws: `InputError` naming `field[i].…` for unsorted or empty bins, fractions
    ///   outside (0, 1] or not summing to 1, negative means or means outside the bin.
    public static func fromInlineBins(
        _ inlineBins: [InlineLengthBin],
        source: String,
        outputFraction: Double = defaultOutputFraction,
        file: String? = nil,
        field: String = "bins"
    ) throws -> Workload {
        guard outputFraction.isFinite, outputFraction > 0, outputFraction < 1 else {
            throw InputError(.invalidValue, file: file, location: "outputFraction",
                             "output fraction \(outputFraction) is outside (0, 1)", fix: "give e.g. 0.2")
        }
        var bins: [LengthBin] = []
        var lower = 0
        for (index, inline) in inlineBins.enumerated() {
            guard inline.maxTokens > lower else {
                throw InputError(.invalidValue, file: file, location: "\(field)[\(index)].maxTokens",
                                 "maxTokens \(inline.maxTokens) is not above the previous bin's \(lower)",
                                 fix: "list bins in increasing maxTokens")
            }
            let midpoint = Double(lower + inline.maxTokens) / 2
            let inputMean: Double
            let outputMean: Double
            switch (inline.meanInputTokens, inline.meanOutputTokens) {
            case let (input?, output?):
                (inputMean, outputMean) = (input, output)
            case let (input?, nil):
                (inputMean, outputMean) = (input, input * outputFraction / (1 - outputFraction))
            case let (nil, output?):
                // With f = 0 the input cannot be inferred from the output: use the midpoint.
                let inferred = outputFraction > 0 ? output * (1 - outputFraction) / outputFraction : midpoint - output
                (inputMean, outputMean) = (inferred, output)
            case (nil, nil):
                (inputMean, outputMean) = (midpoint * (1 - outputFraction), midpoint * outputFraction)
            }
            let total = inputMean + outputMean
            let inputShare = total > 0 ? inputMean / total : 1 - outputFraction
            let p99 = inline.p99InputTokens
                ?? inputShare * (Double(lower) + 0.99 * Double(inline.maxTokens - lower))
            bins.append(LengthBin(minTokens: lower, maxTokens: inline.maxTokens, requestFraction: inline.fraction,
                                  meanInputTokens: inputMean, meanOutputTokens: outputMean, p99InputTokens: p99))
            lower = inline.maxTokens
        }
        return try Workload(bins: bins, source: source, file: file, field: field)
    }
}
