import Foundation

/// Summarises a request trace (see `TraceRequestReader` for the formats) into length bins
/// over the standard edges — with the exact mean input and output tokens and the exact p99
/// input of each bin — plus the trace's arrival statistics.
///
/// One streaming pass; memory grows with the number of distinct input lengths per bin (at
/// most the bin's width) and the trace's duration in minutes, not with its rows. Requests
/// with 0 total tokens are counted in the first bin.
extension Workload {
    /// Reads the trace at `path`.
    /// - Parameter edges: bin upper edges (total tokens, increasing); extended in the same
    ///   pattern when the trace has longer requests. Defaults to `StandardLengthEdges.edges`.
    /// - Throws: `InputError` for a missing, empty or malformed trace, or one without rows.
    public static func fromTrace(path: String, edges: [Int] = StandardLengthEdges.edges) throws -> Workload {
        guard let firstEdge = edges.first, firstEdge > 0, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw InputError(.invalidValue, location: "bin edges", "bin edges must be positive and increasing")
        }
        let reader = try TraceRequestReader(path: path)
        var edges = edges
        var accumulators: [BinAccumulator] = Array(repeating: BinAccumulator(), count: edges.count)
        var arrivals = ArrivalStatisticsAccumulator()

        while let request = try reader.next() {
            arrivals.add(arrivalSeconds: request.arrivalSeconds)
            let total = request.totalTokens
            while let last = edges.last, total > last {
                edges.append(StandardLengthEdges.nextEdge(after: last))
                accumulators.append(BinAccumulator())
            }
            accumulators[binIndex(ofTotal: total, edges: edges)].add(request)
        }
        guard let statistics = arrivals.finish() else {
            throw InputError(.malformed, file: path, "trace has a header but no requests",
                             fix: "add one row per request")
        }

        let requestCount = Double(statistics.requestCount)
        var bins: [LengthBin] = []
        for (index, accumulator) in accumulators.enumerated() where accumulator.count > 0 {
            let count = Double(accumulator.count)
            bins.append(LengthBin(
                minTokens: index == 0 ? 0 : edges[index - 1],
                maxTokens: edges[index],
                requestFraction: count / requestCount,
                meanInputTokens: Double(accumulator.inputSum) / count,
                meanOutputTokens: Double(accumulator.outputSum) / count,
                p99InputTokens: Double(accumulator.inputPercentile(0.99))
            ))
        }
        // Fractions are counts over the total, so they sum to 1 up to rounding; renormalise
        // the last to keep the sum exact.
        let sumOfOthers = bins.dropLast().reduce(0) { $0 + $1.requestFraction }
        bins[bins.count - 1].requestFraction = 1 - sumOfOthers

        let name = URL(fileURLWithPath: path).lastPathComponent
        return try Workload(bins: bins, source: "trace \(name)", arrivals: statistics, file: path)
    }

    /// Index of the bin (edges[i−1], edges[i]] holding `total` (0 goes to the first bin).
    static func binIndex(ofTotal total: Int, edges: [Int]) -> Int {
        var low = 0
        var high = edges.count - 1
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] >= total { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

extension ArrivalStatistics {
    /// The arrival statistics of the trace at `path` (one streaming pass, lengths ignored).
    /// - Throws: `InputError` as `TraceRequestReader` does, or when the trace has no rows.
    public static func fromTrace(path: String) throws -> ArrivalStatistics {
        let reader = try TraceRequestReader(path: path)
        var arrivals = ArrivalStatisticsAccumulator()
        while let request = try reader.next() {
            arrivals.add(arrivalSeconds: request.arrivalSeconds)
        }
        guard let statistics = arrivals.finish() else {
            throw InputError(.malformed, file: path, "trace has a header but no requests", fix: "add one row per request")
        }
        return statistics
    }
}

/// Per-bin sums and an exact histogram of input lengths (for the p99).
private struct BinAccumulator {
    var count = 0
    var inputSum = 0
    var outputSum = 0
    var inputCounts: [Int: Int] = [:]

    mutating func add(_ request: TraceRequest) {
        count += 1
        inputSum += request.inputTokens
        outputSum += request.outputTokens
        inputCounts[request.inputTokens, default: 0] += 1
    }

    /// Nearest-rank percentile of the input lengths: the smallest length with at least
    /// ⌈q·count⌉ requests at or below it.
    func inputPercentile(_ q: Double) -> Int {
        let rank = max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for length in inputCounts.keys.sorted() {
            seen += inputCounts[length, default: 0]
            if seen >= rank { return length }
        }
        return inputCounts.keys.max() ?? 0
    }
}
