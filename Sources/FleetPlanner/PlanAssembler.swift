import Foundation
import FleetModel
import MILP

/// Turns a MILP solution into a `FleetPlan`: reads instances and flows, evaluates every open
/// pool exactly (`PoolEvaluation`), builds the routing table and the fleet totals.
struct PlanAssembler {
    let problem: PlanningProblem
    let candidates: [CandidatePool]
    let routes: [Route]
    let formulation: FleetFormulation
    /// A value per variable of the formulation's model, by variable index (a solution's, or one
    /// repaired from it).
    let values: [Double]

    init(problem: PlanningProblem, candidates: [CandidatePool], routes: [Route], formulation: FleetFormulation,
         values: [Double]) {
        self.problem = problem
        self.candidates = candidates
        self.routes = routes
        self.formulation = formulation
        self.values = values
    }

    init(problem: PlanningProblem, candidates: [CandidatePool], routes: [Route], formulation: FleetFormulation,
         solution: Solution) {
        self.init(problem: problem, candidates: candidates, routes: routes, formulation: formulation,
                  values: solution.variableValues)
    }

    private func value(of variable: Variable) -> Double {
        values.indices.contains(variable.index) ? values[variable.index] : 0
    }

    /// A linear expression of the formulation's variables at these values (e.g. the objective).
    func value(of expression: LinearExpression) -> Double { expression.value(at: values) }

    /// Flows below this many requests per second are solver round-off, not routing.
    static let negligibleRate = 1e-9

    /// The solution's (route, requests/s) flows by candidate index, round-off dropped. O(routes).
    func flowsByPool() -> [Int: [(route: Route, rate: Double)]] {
        var flows: [Int: [(route: Route, rate: Double)]] = [:]
        for (index, route) in routes.enumerated() {
            let rate = value(of: formulation.flows[index])
            guard rate > Self.negligibleRate else { continue }
            flows[route.pool, default: []].append((route, rate))
        }
        return flows
    }

    func assemble() -> FleetPlan {
        let flowsByPool = flowsByPool()
        var pools: [PlannedPool] = []
        for (p, candidate) in candidates.enumerated() {
            let instances = Int(value(of: formulation.instances[p]).rounded())
            guard instances > 0 else { continue }
            let evaluation = PoolEvaluation(pool: candidate, instances: instances, flows: flowsByPool[p] ?? [],
                                            problem: problem)
            pools.append(evaluation.evaluate(id: candidate.key))  // ids are candidate keys: unique and readable
        }
        return FleetPlan.assemble(problem: problem, pools: pools, routing: routingTable(), candidates: candidates)
    }

    private func routingTable() -> [RoutingBand] {
        var bands: [RoutingBand] = []
        for (j, bin) in problem.workload.bins.enumerated() {
            let demand = problem.rateRequestsPerSecond * bin.requestFraction
            var shares: [RoutingBand.Share] = []
            for (index, route) in routes.enumerated() where route.bin == j {
                let rate = value(of: formulation.flows[index])
                guard rate > Self.negligibleRate, demand > 0 else { continue }
                shares.append(.init(pool: candidates[route.pool].key, fraction: rate / demand, compressed: route.compressed))
            }
            let total = shares.reduce(0) { $0 + $1.fraction }
            if total > 0 { shares = shares.map { .init(pool: $0.pool, fraction: $0.fraction / total, compressed: $0.compressed) } }
            bands.append(RoutingBand(minTokens: bin.minTokens, maxTokens: bin.maxTokens,
                                     requestFraction: bin.requestFraction, meanInputTokens: bin.meanInputTokens,
                                     meanOutputTokens: bin.meanOutputTokens, shares: shares))
        }
        return bands
    }
}

extension FleetPlan {
    /// Fleet totals from exactly evaluated pools.
    static func assemble(problem: PlanningProblem, pools: [PlannedPool], routing: [RoutingBand],
                         candidates: [CandidatePool]) -> FleetPlan {
        let watts = pools.reduce(0) { $0 + $1.powerWatts }
        let tokens = pools.reduce(0) { $0 + $1.throughputTokensPerSecond }
        let oneGPUWatts = pools.reduce(0) { $0 + Double($1.instances) * $1.powerPerGPUWatts }
        let cost = pools.reduce(0) { $0 + $1.costPerHour }
        var notes: [String] = []
        if problem.model.isMixtureOfExperts {
            notes.append("\(problem.model.shortName) is a Mixture-of-Experts model: expert dispatch / all-to-all overhead "
                + "is not modelled, so its figures are upper bounds")
        }
        if problem.serving.preset == .paper {
            notes.append("paper preset: the 1/W-law paper's decode calibration (W, H at L̄ = window/2, KV capacity, power); "
                + "prefill is not modelled, so TTFT = queueing wait + one decode step")
        }
        if let arrivals = problem.workload.arrivals {
            notes.append(String(format: "%@: mean %.2f req/s, peak minute %.2f req/s (p95 minute %.2f); planned for %.2f req/s",
                                problem.workload.source, arrivals.meanRateRequestsPerSecond,
                                arrivals.peakMinuteRateRequestsPerSecond, arrivals.p95MinuteRateRequestsPerSecond,
                                problem.rateRequestsPerSecond))
        }
        let allowed = Set(problem.gpus.map(\.name))
        let unused = problem.availableGPUs.keys.filter { !allowed.contains($0) }.sorted()
        if !unused.isEmpty {
            notes.append("availability of " + unused.joined(separator: ", ") + " ignored: not among the allowed GPUs "
                + "(add it to --gpus to plan with it)")
        }
        let compressedBands = routing.filter { $0.shares.contains(where: \.compressed) }
        if !compressedBands.isEmpty {
            notes.append("compress-and-route in use: prompts of \(compressedBands.count) length band(s) are trimmed to fit "
                + "their pool's window (marked * in the routing table)")
        }
        // Measured with `scripts/check-vs-simulation.sh` on whole-catalog plans of the public
        // workloads: the check's exact prefill queue predicts single instances well (median
        // simulated/predicted 1.00), but requests that queued behind a long prompt then decode
        // together and can keep a few-slot instance full, which it does not model (up to 2.2×).
        let single = pools.filter { $0.instances == 1 && $0.requestsPerSecond > 0 }
        if !single.isEmpty, problem.serving.preset != .paper {
            notes.append("\(single.map(\.id).joined(separator: ", ")): one instance each, so no spare, and a burst "
                + "behind a long prompt can fill a single instance's slots (simulated up to 2.2× the predicted P99 TTFT on "
                + "public workloads); check the plan with `fleetplan simulate`, or plan with --min-instances 2")
        }
        return FleetPlan(
            objective: problem.objective.rawValue, model: problem.model.name, preset: problem.serving.preset.rawValue,
            reservation: problem.serving.reservation.rawValue, rateRequestsPerSecond: problem.rateRequestsPerSecond,
            slo: .init(ttftP99Seconds: problem.ttftP99Seconds, tpotSeconds: problem.serving.tpotSLOSeconds),
            outputTokensPerSecond: tokens,
            tokensPerWatt: watts > 0 ? tokens / watts : 0,
            tokensPerWattPaper: oneGPUWatts > 0 ? tokens / oneGPUWatts : 0,
            gpus: pools.reduce(0) { $0 + $1.gpus }, powerWatts: watts,
            facilityPowerWatts: watts * problem.powerUsageEffectiveness,
            costPerHour: cost, costPerYear: cost * 24 * 365,
            pools: pools, routing: routing, notes: notes)
    }
}
