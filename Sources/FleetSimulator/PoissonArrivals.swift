import Foundation

/// Poisson arrivals at a fixed rate with lengths drawn from a routing table's bands.
///
/// Sampling one request: a band is picked with probability `requestFraction`; its total
/// length T in (min, max] is drawn as T = min + (max − min)·U^a with U uniform in [0, 1)
/// and a = (max − min)/(mean − min) − 1, the one-parameter power law whose mean is exactly
/// the band's mean total (a = 1, uniform, when the mean is the midpoint; a < 1 leans long,
/// a > 1 short). T is rounded up to whole tokens, the output is T·meanOutput/meanTotal
/// rounded (at least 1) and the input the rest — so both band means are respected.
public struct PoissonArrivals: ArrivalSource, Sendable {
    private struct BandSampler: Sendable {
        var cumulativeFraction: Double
        var minTokens: Int
        var maxTokens: Int
        var exponent: Double
        var outputShare: Double
    }

    private var random: SimulationRandom
    private let rate: Double
    private let samplers: [BandSampler]
    private var clockSeconds = 0.0
    private var remaining: Int

    /// - Parameters:
    ///   - bands: the length bands (validated, as in a `SimulatedFleet`); fractions are
    ///     normalised to sum to 1.
    ///   - rateRequestsPerSecond: mean arrival rate λ (> 0).
    ///   - count: number of arrivals to produce.
    ///   - seed: fixes the stream.
    public init(bands: [SimulatedRoutingBand], rateRequestsPerSecond: Double, count: Int, seed: UInt64) {
        random = SimulationRandom(seed: seed)
        rate = rateRequestsPerSecond
        remaining = max(0, count)
        let totalFraction = bands.reduce(0) { $0 + $1.requestFraction }
        var cumulative = 0.0
        var samplers: [BandSampler] = []
        for band in bands where band.requestFraction > 0 {
            cumulative += band.requestFraction / totalFraction
            let width = Double(band.maxTokens - band.minTokens)
            let meanTotal = band.meanInputTokens + band.meanOutputTokens
            let meanAboveMin = min(max(meanTotal - Double(band.minTokens), 1e-9), width)
            samplers.append(BandSampler(
                cumulativeFraction: cumulative,
                minTokens: band.minTokens,
                maxTokens: band.maxTokens,
                exponent: max(width / meanAboveMin - 1, 0),
                outputShare: meanTotal > 0 ? band.meanOutputTokens / meanTotal : 1
            ))
        }
        if !samplers.isEmpty { samplers[samplers.count - 1].cumulativeFraction = 1 }
        self.samplers = samplers
    }

    public mutating func next() -> ArrivingRequest? {
        guard remaining > 0, !samplers.isEmpty else { return nil }
        remaining -= 1
        clockSeconds += random.nextExponential(rate: rate)
        let pick = random.nextUnitInterval()
        let sampler = samplers.first { pick < $0.cumulativeFraction } ?? samplers[samplers.count - 1]
        let u = random.nextUnitInterval()
        let width = Double(sampler.maxTokens - sampler.minTokens)
        let length = Double(sampler.minTokens) + width * pow(u, sampler.exponent)
        let total = min(max(Int(length.rounded(.up)), sampler.minTokens + 1), sampler.maxTokens)
        let output = min(max(Int((Double(total) * sampler.outputShare).rounded()), 1), total)
        return ArrivingRequest(arrivalSeconds: clockSeconds, inputTokens: total - output, outputTokens: output)
    }
}
