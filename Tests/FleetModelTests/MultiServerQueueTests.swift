import Foundation
import Testing
@testable import FleetModel

/// Erlang C from its textbook closed form, summed directly (fine for small c).
private func erlangCByDefinition(servers c: Int, load a: Double) -> Double {
    var factorial = 1.0
    var sum = 0.0
    for k in 0..<c {
        if k > 0 { factorial *= Double(k) }
        sum += pow(a, Double(k)) / factorial
    }
    let cFactorial = factorial * Double(c)
    let top = pow(a, Double(c)) / cFactorial * Double(c) / (Double(c) - a)
    return top / (sum + top)
}

@Test("Erlang C matches the closed form", arguments: [(1, 0.5), (2, 1.5), (5, 4.0), (10, 7.5), (20, 19.0)])
func erlangCClosedForm(servers: Int, load: Double) {
    let queue = MultiServerQueue(arrivalRatePerSecond: load, meanServiceSeconds: 1, serviceSCV: 1, servers: servers)
    let expected = erlangCByDefinition(servers: servers, load: load)
    #expect(abs(queue.probabilityOfWaiting - expected) < 1e-12 * max(1, expected))
}

@Test func mm1MeanWaitIsRhoOverMuMinusLambda() {
    // M/M/1 with λ = 0.8, μ = 1: Wq = ρ/(μ − λ) = 0.8 / 0.2 = 4 s; P(wait) = ρ = 0.8.
    let queue = MultiServerQueue(arrivalRatePerSecond: 0.8, meanServiceSeconds: 1, serviceSCV: 1, servers: 1)
    #expect(abs(queue.probabilityOfWaiting - 0.8) < 1e-12)
    #expect(abs(queue.meanWaitSeconds - 4) < 1e-9)
    // Exponential tail: P(W > t) = ρ e^{−(μ−λ)t} ⇒ t99 = ln(0.8/0.01)/0.2.
    #expect(abs(queue.waitSeconds(percentile: 0.99) - log(80) / 0.2) < 1e-9)
}

@Test func md1MeanWaitIsHalfOfMM1() {
    // Pollaczek–Khinchine: deterministic service halves the M/M/1 wait: ρ/(2μ(1−ρ)) = 0.8/(2·0.2) = 2 s.
    let queue = MultiServerQueue(arrivalRatePerSecond: 0.8, meanServiceSeconds: 1, serviceSCV: 0, servers: 1)
    #expect(abs(queue.meanWaitSeconds - 2) < 1e-9)
}

@Test func hugePoolsStayFiniteAndNearZeroWait() {
    // 40,000 slots at ρ = 0.85: a^c/c! would overflow a Double; the recursion must not.
    let queue = MultiServerQueue(arrivalRatePerSecond: 34_000, meanServiceSeconds: 1, serviceSCV: 1, servers: 40_000)
    let waiting = queue.probabilityOfWaiting
    #expect(waiting.isFinite && waiting >= 0 && waiting < 1e-6)
    #expect(queue.waitSeconds(percentile: 0.99) == 0)
}

@Test func overloadedQueueIsUnstable() {
    let queue = MultiServerQueue(arrivalRatePerSecond: 10, meanServiceSeconds: 1, serviceSCV: 1, servers: 10)
    #expect(!queue.isStable)
    #expect(queue.meanWaitSeconds == .infinity)
}

/// Where the Chernoff bound puts Erlang C below e^−40 the recursion is skipped: the bound is an
/// upper bound of the recursion's value there, and the P99 wait is 0 either way. Near saturation
/// (c(1 − ρ)² small) the bound does not apply and the recursion runs.
@Test(arguments: [100, 1_000, 10_000, 100_000], [0.3, 0.6, 0.85, 0.95, 0.99])
func negligibleWaitingIsBoundedWithoutTheRecursion(servers: Int, utilisation: Double) {
    let queue = MultiServerQueue(arrivalRatePerSecond: utilisation * Double(servers), meanServiceSeconds: 1,
                                 serviceSCV: 1, servers: servers)
    guard let bound = queue.negligibleWaitingBound else {
        #expect(queue.probabilityOfWaiting == queue.erlangCByRecursion)
        // Only close to saturation: c(1 − ρ)² below about 80.
        #expect(Double(servers) * (1 - utilisation) * (1 - utilisation) < 100)
        return
    }
    #expect(bound < exp(-40))
    #expect(queue.erlangCByRecursion <= bound)
    #expect(queue.waitSeconds(percentile: 0.99) == 0)
}
