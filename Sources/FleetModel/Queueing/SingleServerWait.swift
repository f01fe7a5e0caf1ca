import Foundation

/// The waiting-time distribution of an M/G/1 FCFS queue whose service time takes finitely many
/// values — the prefill engine of one serving instance, whose prompts come from a few length bins.
///
/// Pollaczek–Khinchine in its compound-geometric form: the wait is a sum of K residual service
/// times, K geometric with P(K = k) = (1 − ρ)·ρ^k, each residual with density P(S > u) / E[S].
/// Its distribution solves the defective renewal equation P(W ≤ x) = (1 − ρ) + ρ·∫ P(W ≤ x − u) dF_e(u),
/// computed on a grid with each residual rounded up to the next grid point, so every tail
/// probability it gives is an upper bound, high by less than one step per residual summed. Unlike an exponential tail fitted to the
/// mean wait, it keeps the weight of a long prompt ahead of a short one, which is what an
/// instance serving a few long prompts waits on.
public struct SingleServerWait: Sendable, Equatable {
    /// Utilisation ρ = λ·E[S].
    public let utilisation: Double
    /// Grid step, seconds.
    public let stepSeconds: Double
    /// P(W > i·step) for i = 0…cells−1 (P(W > 0) = ρ).
    private let tail: [Double]
    /// Per-step decay of the tail beyond the grid, from its last steps.
    private let decayPerStep: Double

    /// - Parameters:
    ///   - arrivalRatePerSecond: λ, requests per second.
    ///   - services: service times, seconds, with the share of arrivals that needs each (shares sum to 1).
    ///   - horizonSeconds: the grid covers [0, horizon]; beyond it the tail decays geometrically at its
    ///     last rate (exact asymptotically for bounded service times).
    ///   - cells: grid points; the cost is O(cells²).
    public init(arrivalRatePerSecond: Double, services: [(share: Double, seconds: Double)],
                horizonSeconds: Double, cells: Int = 400) {
        let mean = services.reduce(0) { $0 + $1.share * max(0, $1.seconds) }
        let rho = arrivalRatePerSecond * mean
        utilisation = rho
        let count = max(cells, 8)
        stepSeconds = max(horizonSeconds, 1e-9) / Double(count - 1)
        guard rho > 0, rho < 1 else {
            tail = Array(repeating: rho >= 1 ? 1 : 0, count: count)
            decayPerStep = rho >= 1 ? 1 : 0
            return
        }
        // F_e(u) = E[min(S, u)] / E[S]; residual mass in ((j−1)h, jh] goes to jh.
        func equilibriumCDF(_ u: Double) -> Double {
            services.reduce(0) { $0 + $1.share * min(max(0, $1.seconds), u) } / mean
        }
        var residual = [Double](repeating: 0, count: count)
        var previous = 0.0
        for j in 1..<count {
            let current = equilibriumCDF(Double(j) * stepSeconds)
            residual[j] = rho * (current - previous)
            previous = current
        }
        var mass = [Double](repeating: 0, count: count)
        mass[0] = 1 - rho
        var tail = [Double](repeating: 0, count: count)
        var below = mass[0]
        tail[0] = max(0, 1 - below)
        for i in 1..<count {
            var sum = 0.0
            for j in 1...i where residual[j] > 0 { sum += residual[j] * mass[i - j] }
            mass[i] = sum
            below += sum
            tail[i] = max(0, 1 - below)
        }
        self.tail = tail
        let last = tail[count - 1], earlier = tail[count - 1 - count / 10]
        decayPerStep = earlier > 0 && last > 0 ? min(1, pow(last / earlier, 1 / Double(count / 10))) : 0
    }

    /// P(W > x).
    public func probabilityOfWaitingLonger(than seconds: Double) -> Double {
        guard seconds >= 0 else { return 1 }
        let cell = seconds / stepSeconds
        guard cell.isFinite else { return utilisation >= 1 ? 1 : 0 }
        let index = Int(cell)
        if index < tail.count { return tail[index] }
        return tail[tail.count - 1] * pow(decayPerStep, Double(index - tail.count + 1))
    }

    /// The smallest x on the grid with P(W > x) ≤ `probability`, seconds (∞ when unstable).
    public func waitSeconds(exceededWithProbability probability: Double) -> Double {
        guard utilisation < 1 else { return .infinity }
        if let index = tail.firstIndex(where: { $0 <= probability }) { return Double(index) * stepSeconds }
        guard decayPerStep > 0, decayPerStep < 1, let last = tail.last, last > 0 else { return .infinity }
        let extra = (log(probability / last) / log(decayPerStep)).rounded(.up)
        return (Double(tail.count) + extra) * stepSeconds
    }
}
