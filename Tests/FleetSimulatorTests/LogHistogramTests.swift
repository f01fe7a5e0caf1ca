import Foundation
import Testing
@testable import FleetSimulator

@Suite struct LogHistogramTests {
    @Test("percentiles within the bucket resolution of the exact sorted values")
    func accuracyAgainstSortedValues() {
        // Log-uniform values over six decades (1 µs … 1 s), plus exact zeros.
        var random = SimulationRandom(seed: 17)
        var values: [Double] = (0..<20_000).map { _ in pow(10, -6 + 6 * random.nextUnitInterval()) }
        values += Array(repeating: 0, count: 500)
        var histogram = LogHistogram()
        for value in values { histogram.record(value) }
        let sorted = values.sorted()
        for q in [0.01, 0.1, 0.5, 0.9, 0.99, 0.999] {
            // Nearest rank: the ⌈q·n⌉-th smallest value.
            let exact = sorted[Int((q * Double(sorted.count)).rounded(.up)) - 1]
            let estimate = histogram.percentile(q) ?? .nan
            if exact == 0 {
                #expect(estimate == 0)
            } else {
                // A 1% bucket's geometric centre is within √1.01 − 1 ≈ 0.5% of any value in it.
                #expect(abs(estimate - exact) / exact <= 0.005 + 1e-12, "q = \(q): \(estimate) vs \(exact)")
            }
        }
        #expect(histogram.count == values.count)
        #expect(abs((histogram.mean ?? 0) - values.reduce(0, +) / Double(values.count)) < 1e-12)
        #expect(histogram.percentile(1) == sorted.last)
    }

    @Test("merging equals recording everything in one histogram")
    func merge() {
        var a = LogHistogram(), b = LogHistogram(), both = LogHistogram()
        for i in 1...1000 {
            let value = Double(i) * 0.001
            if i % 3 == 0 { a.record(value) } else { b.record(value) }
            both.record(value)
        }
        a.merge(b)
        #expect(a.percentile(0.99) == both.percentile(0.99))
        #expect(a.count == both.count)
    }

    @Test("an empty histogram has no percentiles")
    func empty() {
        #expect(LogHistogram().percentile(0.5) == nil)
        #expect(LogHistogram().mean == nil)
    }
}
