import Foundation
import Testing
@testable import FleetSimulator

/// The event engine against queueing theory: with single-slot instances and single-token
/// requests, a pool is an FCFS multi-server queue, so its mean wait must match the closed
/// forms (computed here, independently of the planner's queueing code).
@Suite struct QueueingClosedFormTests {
    /// Erlang C: probability of waiting in M/M/c, from its textbook definition
    /// (a^c/c! · 1/(1−ρ)) / (Σ_{k<c} a^k/k! + a^c/c! · 1/(1−ρ)) with a = λ/μ, ρ = a/c.
    static func erlangCMeanWait(servers c: Int, arrivalRate λ: Double, serviceRate μ: Double) -> Double {
        let a = λ / μ
        let ρ = a / Double(c)
        var term = 1.0 // a^k / k!
        var sumBelowC = 0.0
        for k in 0..<c {
            sumBelowC += term
            term *= a / Double(k + 1)
        }
        let waitingTerm = term / (1 - ρ) // a^c / c! / (1 − ρ)
        let probabilityOfWaiting = waitingTerm / (sumBelowC + waitingTerm)
        return probabilityOfWaiting / (Double(c) * μ - λ)
    }

    @Test("M/M/c mean wait matches Erlang C within 5%", arguments: [(1, 0.7), (4, 0.8)])
    func erlangC(servers: Int, utilisation: Double) throws {
        let serviceSeconds = 0.1
        let rate = utilisation * Double(servers) / serviceSeconds
        let fleet = try TestFleets.singleSlotServers(servers, iterationSeconds: serviceSeconds)
        let simulation = try FleetSimulation(fleet: fleet, options: SimulationOptions(requestCount: 400_000, seed: 7))
        var arrivals = simulation.poissonArrivals(rateRequestsPerSecond: rate)
        let clock = ExponentialIterationClock(random: SimulationRandom(seed: 99), meanSeconds: serviceSeconds)
        let result = try simulation.run(&arrivals, clock: clock)

        let expected = Self.erlangCMeanWait(servers: servers, arrivalRate: rate, serviceRate: 1 / serviceSeconds)
        let simulated = try #require(result.fleet.meanQueueWaitSeconds)
        #expect(abs(simulated - expected) / expected < 0.05, "simulated \(simulated) s vs Erlang C \(expected) s")
    }

    @Test("M/D/1 mean wait matches Pollaczek–Khinchine within 5%")
    func pollaczekKhinchine() throws {
        // Deterministic service D = one iteration of W seconds (no prompt, one token).
        let serviceSeconds = 1.0
        let rate = 0.7
        let fleet = try TestFleets.singleSlotServers(1, iterationSeconds: serviceSeconds)
        let simulation = try FleetSimulation(fleet: fleet, options: SimulationOptions(requestCount: 300_000, seed: 3))
        var arrivals = simulation.poissonArrivals(rateRequestsPerSecond: rate)
        let result = try simulation.run(&arrivals)

        // P-K: Wq = λ·E[S²] / (2(1 − ρ)) = ρ·D / (2(1 − ρ)) for deterministic S = D.
        let ρ = rate * serviceSeconds
        let expectedWait = ρ * serviceSeconds / (2 * (1 - ρ))
        let simulatedWait = try #require(result.fleet.meanQueueWaitSeconds)
        #expect(abs(simulatedWait - expectedWait) / expectedWait < 0.05, "simulated \(simulatedWait) s vs P-K \(expectedWait) s")

        // The first (only) token comes at the end of the one iteration: TTFT = wait + D.
        let meanTTFT = try #require(result.fleet.meanTTFTSeconds)
        #expect(abs(meanTTFT - (expectedWait + serviceSeconds)) / (expectedWait + serviceSeconds) < 0.05)
        // Utilisation of the single server is ρ.
        let utilisation = try #require(result.fleet.utilisation)
        #expect(abs(utilisation - ρ) < 0.02)
    }
}
