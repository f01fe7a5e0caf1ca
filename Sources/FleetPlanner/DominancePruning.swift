import FleetModel

/// Drops candidate pools that another candidate beats on every count, so the MILP never has to
/// branch over them.
///
/// q dominates p when both have the same GPUs per instance t (so instance counts carry over one for
/// one — dominance respects instance granularity) and, for every length band p can serve, q serves
/// it the same way (directly, or both compressed) needing no more instances per request/s in each
/// capacity (slots, iteration budget, compute, prefill queue), with no larger TTFT tail share and no more energy per
/// request; and an open instance of q costs no more (fixed power, and GPU dollars when the
/// objective or a budget prices them). Then moving p's traffic and instances to q keeps every
/// constraint and never worsens the objective: ⌈a⌉ + ⌈b⌉ ≥ ⌈a + b⌉ if q is already open, and the
/// pool count never grows. With GPU availability limits only candidates of the same GPU are
/// compared. Complexity: O(candidates² × bands).
enum DominancePruning {
    static func prune(candidates: [CandidatePool], routes: [Route], problem: PlanningProblem)
        -> (candidates: [CandidatePool], routes: [Route]) {
        guard problem.objective != .maxLoad else { return (candidates, routes) }
        let bandCount = problem.workload.bins.count
        var routeOf = Array(repeating: [Int?](repeating: nil, count: bandCount), count: candidates.count)
        for (index, route) in routes.enumerated() { routeOf[route.pool][route.bin] = index }

        let energyDollarsPerWattHour = problem.powerUsageEffectiveness * problem.electricityDollarsPerKWh / 1000
        let comparesPower = problem.objective == .maxTokensPerWatt || problem.powerCapWatts != nil
        let comparesDollars = problem.objective == .minCost || problem.budgetDollarsPerHour != nil
        func fixedWatts(_ c: CandidatePool) -> Double { Double(c.tensorParallel) * c.fixedPowerPerGPUWatts }
        func fixedDollars(_ c: CandidatePool) -> Double {
            Double(c.tensorParallel) * (c.gpu.pricePerGPUHourDollars + c.fixedPowerPerGPUWatts * energyDollarsPerWattHour)
        }
        // Instances one request/s of each route needs, by capacity row: the formulation's own rows,
        // taken one route at a time (a row a route does not load is a need of 0).
        let needs: [[String: Double]] = routes.map { route in
            let rows = FleetFormulation.capacityRows(of: candidates[route.pool], routes: [route], problem: problem)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0.need(at: 0)) })
        }
        let slack = 1 + 1e-12
        func dominates(_ q: Int, _ p: Int) -> Bool {
            let a = candidates[q], b = candidates[p]
            guard a.tensorParallel == b.tensorParallel else { return false }
            if !problem.availableGPUs.isEmpty, a.gpu.name != b.gpu.name { return false }
            if comparesPower, fixedWatts(a) > fixedWatts(b) * slack { return false }
            if comparesDollars, fixedDollars(a) > fixedDollars(b) * slack { return false }
            for j in 0..<bandCount {
                guard let mine = routeOf[p][j] else { continue }
                guard let theirs = routeOf[q][j] else { return false }
                let rp = routes[mine], rq = routes[theirs]
                if rq.compressed && !rp.compressed { return false }
                let np = needs[mine], nq = needs[theirs]
                if nq.contains(where: { row, need in need > (np[row] ?? 0) * slack })
                    || rq.tailShare > rp.tailShare + 1e-12 || rq.dynamicJoules > rp.dynamicJoules * slack {
                    return false
                }
            }
            return true
        }

        var kept: [Int] = []
        for p in candidates.indices {
            // A candidate survives unless a different one dominates it; of identical twins the first survives.
            let beaten = candidates.indices.contains { q in
                q != p && dominates(q, p) && (!dominates(p, q) || q < p)
            }
            if !beaten { kept.append(p) }
        }
        var newIndex = [Int: Int]()
        for (position, old) in kept.enumerated() { newIndex[old] = position }
        let prunedRoutes = routes.compactMap { route -> Route? in
            guard let pool = newIndex[route.pool] else { return nil }
            return route.moved(toPool: pool)
        }
        return (kept.map { candidates[$0] }, prunedRoutes)
    }
}

extension Route {
    func moved(toPool pool: Int) -> Route {
        Route(pool: pool, bin: bin, compressed: compressed, inputTokens: inputTokens, outputTokens: outputTokens,
              prefillSeconds: prefillSeconds, slotSeconds: slotSeconds, iterationBudgetSeconds: iterationBudgetSeconds,
              prefillMeanSeconds: prefillMeanSeconds, prefillSecondMoment: prefillSecondMoment,
              computeSeconds: computeSeconds, dynamicJoules: dynamicJoules, tailShare: tailShare, spread: spread,
              trimCap: trimCap)
    }
}
