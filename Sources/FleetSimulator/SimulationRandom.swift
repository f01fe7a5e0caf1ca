import Foundation

/// The simulator's random numbers: xoshiro256** seeded through SplitMix64 (Blackman &
/// Vigna). Pure integer arithmetic, so a seed gives the same stream on every platform —
/// unlike `SystemRandomNumberGenerator`, and with a period (2^256 − 1) no run can exhaust.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose stream is fixed by `seed`. Streams of different seeds — including
    /// the derived seeds of `SimulationRandom.derivedSeed` — are statistically independent.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// A seed for an independent sub-stream (arrivals, routing, …) of the run seeded `seed`.
    public static func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var generator = SimulationRandom(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Exponentially distributed with mean `1 / rate` (inversion: −ln(1 − U) / rate).
    public mutating func nextExponential(rate: Double) -> Double {
        -log(1 - nextUnitInterval()) / rate
    }

    private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
