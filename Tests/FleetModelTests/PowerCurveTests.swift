import Foundation
import Testing
@testable import FleetModel

@Suite("Logistic power curve")
struct PowerCurveTests {
    let h100 = PowerCurve(idleWatts: 300, nominalWatts: 600, steepness: 1, midpointLog2Batch: 4.2)

    @Test func endpointsAndMidpoint() {
        #expect(h100.watts(concurrency: 0) == 300)
        #expect(h100.watts(concurrency: -1) == 300)
        // At n = 2^x0 the logistic is exactly one half.
        #expect(abs(h100.watts(concurrency: pow(2, 4.2)) - 450) < 1e-9)
        // P(1) = 300 + 300 / (1 + e^4.2) = 304.4 W ("≈ 300 W" measured); P(128) = 300 + 300 / (1 + e^−2.8) = 582.8 W.
        #expect(abs(h100.watts(concurrency: 1) - (300 + 300 / (1 + exp(4.2)))) < 1e-9)
        #expect(abs(h100.watts(concurrency: 128) - 582.8) < 0.1)
    }

    @Test func isMonotoneAndContinuousBelowOne() {
        var previous = h100.watts(concurrency: 0)
        for step in 1...4000 {
            let watts = h100.watts(concurrency: Double(step) / 10)
            #expect(watts >= previous)
            previous = watts
        }
        #expect(abs(h100.watts(concurrency: 1e-9) - 300) < 1e-6)
    }

    @Test func measuredB200CurvePassesThroughTheMeasurements() throws {
        let b200 = try builtInCatalog().gpu(named: "b200")
        let measured = try b200.powerCurve(named: "measured")
        // 8×B200, vLLM, 70B, 8K: idle 191 W, batch-1 251 W, mean 513 W at 439 sequences.
        #expect(measured.watts(concurrency: 0) == 191)
        #expect(abs(measured.watts(concurrency: 1) - 251) < 1)
        #expect(abs(measured.watts(concurrency: 439) - 513) < 1)
        #expect(try b200.powerCurve(named: nil) == b200.power)
        #expect(throws: InputError.self) { try b200.powerCurve(named: "nope") }
    }
}
