import Foundation
import FleetModel
@testable import FleetSimulator

/// Small fleets written out by hand for the tests.
enum TestFleets {
    /// A power curve with round numbers: P(0) = 100 W, P(1) = 200 W (x0 = 0 puts n = 1 at
    /// the logistic's midpoint), P(2) = 100 + 200/(1 + e^−1) W.
    static let roundPower = PowerCurve(idleWatts: 100, nominalWatts: 300, steepness: 1, midpointLog2Batch: 0)

    static func pool(
        id: String = "p0", tp: Int = 1, window: Int = 4096, instances: Int = 1, slots: Int = 4,
        kvCapacity: Int? = nil, iteration: IterationCost = IterationCost(weightStreamSeconds: 0.01),
        prefillTokensPerSecond: Double = 10_000, prefillSecondsPerSquaredInputToken: Double = 0,
        power: PowerCurve = roundPower
    ) -> SimulatedPool {
        SimulatedPool(id: id, gpu: "TestGPU", tensorParallel: tp, windowTokens: window, instances: instances,
                      slotsPerInstance: slots, kvCapacityTokensPerInstance: kvCapacity ?? window * slots,
                      iteration: iteration, prefillTokensPerSecond: prefillTokensPerSecond,
                      prefillSecondsPerSquaredInputToken: prefillSecondsPerSquaredInputToken, power: power)
    }

    /// One band (0, maxTokens] sent wholly to `poolID`.
    static func band(maxTokens: Int = 4096, meanInput: Double = 1000, meanOutput: Double = 100,
                     to poolID: String = "p0") -> SimulatedRoutingBand {
        SimulatedRoutingBand(minTokens: 0, maxTokens: maxTokens, requestFraction: 1, meanInputTokens: meanInput,
                    meanOutputTokens: meanOutput, shares: [RouteShare(poolID: poolID, fraction: 1)])
    }

    /// c single-slot instances serving single-token requests with no prompt: each request
    /// is exactly one iteration, so the pool is a c-server FCFS queue whose service time
    /// is the iteration time.
    static func singleSlotServers(_ servers: Int, iterationSeconds: Double) throws -> SimulatedFleet {
        try SimulatedFleet(
            pools: [pool(window: 1, instances: servers, slots: 1,
                         iteration: IterationCost(weightStreamSeconds: iterationSeconds))],
            routing: [band(maxTokens: 1, meanInput: 0, meanOutput: 1)]
        )
    }

    /// The two-pool plan in Fixtures/two-pool-plan.json.
    static func fixturePlanPath() throws -> String {
        guard let url = Bundle.module.url(forResource: "two-pool-plan", withExtension: "json", subdirectory: "Fixtures") else {
            throw InputError(.fileNotFound, "fixture two-pool-plan.json is missing from the test bundle")
        }
        return url.path
    }
}

/// Iterations of exponentially distributed length: with single-token requests on
/// single-slot instances this is exponential service, i.e. an M/M/c queue.
struct ExponentialIterationClock: IterationClock {
    var random: SimulationRandom
    let meanSeconds: Double

    mutating func iterationSeconds(pool: Int, work: IterationWork) -> Double {
        random.nextExponential(rate: 1 / meanSeconds)
    }
}
