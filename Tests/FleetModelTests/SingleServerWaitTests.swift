import Foundation
import Testing
@testable import FleetModel

/// P(W ≤ x) of an M/D/1 queue (service D, arrival rate λ, ρ = λD < 1), from Erlang's closed form
/// (1909): (1 − ρ) Σ_{k=0}^{⌊x/D⌋} (λ(kD − x))^k / k! · e^{−λ(kD − x)}. Its terms alternate in sign,
/// so it is kept to x/D ≤ 10 here.
private func md1WaitCDF(_ x: Double, lambda: Double, service d: Double) -> Double {
    guard x >= 0 else { return 0 }
    var sum = 0.0
    var factorial = 1.0
    for k in 0...Int((x / d).rounded(.down)) {
        if k > 0 { factorial *= Double(k) }
        let u = lambda * (Double(k) * d - x)
        sum += pow(u, Double(k)) / factorial * exp(-u)
    }
    return (1 - lambda * d) * sum
}

/// Against M/D/1 at three loads: the grid's tail is an upper bound (each residual is rounded up to
/// the next grid step) and within a few steps of the exact one.
@Test("M/D/1 waiting-time tail matches Erlang's closed form", arguments: [0.3, 0.6, 0.85])
func md1TailMatchesErlang(utilisation: Double) {
    let service = 0.1
    let lambda = utilisation / service
    let horizon = 1.0
    let wait = SingleServerWait(arrivalRatePerSecond: lambda, services: [(1, service)], horizonSeconds: horizon, cells: 1000)
    #expect(abs(wait.utilisation - utilisation) < 1e-12)
    #expect(abs(wait.probabilityOfWaitingLonger(than: 0) - utilisation) < 1e-9)
    let step = horizon / 999
    for x in stride(from: 0.05, through: 0.95, by: 0.05) {
        let exact = 1 - md1WaitCDF(x, lambda: lambda, service: service)
        let grid = wait.probabilityOfWaitingLonger(than: x)
        #expect(grid >= exact - 1e-9, "x = \(x): \(grid) below the exact \(exact)")
        // Rounding adds at most one step per residual; K residuals, E[K] = ρ/(1 − ρ). Deep in the
        // tail (below the 0.1% a P99 check reads) the wait is a sum of many residuals, so more steps.
        guard exact >= 1e-3 else { continue }
        let shift = (3 * utilisation / (1 - utilisation) + 2) * step
        #expect(grid <= 1 - md1WaitCDF(x - shift, lambda: lambda, service: service) + 1e-9,
                "x = \(x): \(grid) above the exact tail \(shift) s earlier")
    }
}

/// The mean of the computed wait against Pollaczek–Khinchine, λ·E[S²] / (2(1 − ρ)), for a two-point
/// service time: 70% of prompts take 0.1 s, 30% take 1 s, at 1.2 req/s (ρ = 0.444):
/// E[S²] = 0.7·0.01 + 0.3·1 = 0.307 s², mean wait = 1.2·0.307 / (2·0.556) = 0.33129 s.
@Test func meanWaitMatchesPollaczekKhinchine() {
    let wait = SingleServerWait(arrivalRatePerSecond: 1.2, services: [(0.7, 0.1), (0.3, 1.0)], horizonSeconds: 20, cells: 2000)
    let step = 20.0 / 1999
    // The grid's wait takes values on multiples of the step: E[W] = step · Σ_i P(W > i·step).
    var mean = 0.0
    for i in 0..<20_000 { mean += step * wait.probabilityOfWaitingLonger(than: Double(i) * step) }
    let exact = 1.2 * 0.307 / (2 * (1 - 1.2 * 0.37))
    #expect(abs(exact - 0.33129) < 1e-5)
    #expect(mean >= exact - 1e-6)
    #expect(mean <= exact + step * (0.444 / 0.556 + 1))
}

@Test func quantileIsTheFirstGridPointWithinTheProbability() {
    let wait = SingleServerWait(arrivalRatePerSecond: 6, services: [(1, 0.1)], horizonSeconds: 2, cells: 800)
    let p99 = wait.waitSeconds(exceededWithProbability: 0.01)
    #expect(wait.probabilityOfWaitingLonger(than: p99) <= 0.01)
    #expect(wait.probabilityOfWaitingLonger(than: p99 - 2.0 / 799) > 0.01)
    // Beyond the horizon the tail keeps decaying, and the quantile is still found.
    let beyond = SingleServerWait(arrivalRatePerSecond: 9, services: [(1, 0.1)], horizonSeconds: 0.5, cells: 200)
    let far = beyond.waitSeconds(exceededWithProbability: 1e-4)
    #expect(far.isFinite && far > 0.5)
    #expect(beyond.probabilityOfWaitingLonger(than: 3) < beyond.probabilityOfWaitingLonger(than: 1))
}

@Test func idleAndOverloadedEngines() {
    let idle = SingleServerWait(arrivalRatePerSecond: 0, services: [(1, 0.5)], horizonSeconds: 1)
    #expect(idle.probabilityOfWaitingLonger(than: 0) == 0)
    #expect(idle.waitSeconds(exceededWithProbability: 0.01) == 0)
    let overloaded = SingleServerWait(arrivalRatePerSecond: 3, services: [(1, 0.5)], horizonSeconds: 1)
    #expect(overloaded.utilisation >= 1)
    #expect(overloaded.probabilityOfWaitingLonger(than: 100) == 1)
    #expect(overloaded.waitSeconds(exceededWithProbability: 0.01) == .infinity)
}
