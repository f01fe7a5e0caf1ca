import FleetModel
import MILP

/// The fleet MILP of DESIGN.md §7, built on the MILP layer.
///
/// Variables: r (requests/s on each route), N_p (instances, integer), y_p (pool open, binary),
/// z (bin-to-pool assignment, binary; threshold routing only), s (share of demand served;
/// max-load only), T (instances of a GPU type at one TP over its windows, integer). Constraints
/// are named after what they mean (`demand_b3`, `capacity_h100_tp8_w4096`) so an exported LP
/// reads like the plan.
struct FleetFormulation {
    let problem: PlanningProblem
    let candidates: [CandidatePool]
    let routes: [Route]
    private(set) var model = Model(name: "fleet")
    private(set) var instances: [Variable] = []
    private(set) var open: [Variable] = []
    private(set) var flows: [Variable] = []
    private(set) var servedShare: Variable?
    /// T: instances of each GPU type at each TP over its windows, Σ_w N_p, integer, for every such
    /// group of two or more candidates, with the candidates it sums (`addInstanceTotals`).
    private(set) var instanceTotals: [(total: Variable, pools: [Int])] = []
    /// IT power of the fleet as a linear function of the variables, watts.
    private(set) var powerWatts = LinearExpression()
    /// GPU rental plus energy, dollars per hour.
    private(set) var dollarsPerHour = LinearExpression()
    /// The rows that belong to each candidate (capacity, open, tail, links), by candidate index.
    private(set) var rowsOfPool: [[ConstraintRef]] = []

    /// - Parameter tightening: per-candidate limits raised by the post-solve queueing check.
    init(problem: PlanningProblem, candidates: [CandidatePool], routes: [Route], tightening: Tightening = Tightening()) {
        self.problem = problem
        self.candidates = candidates
        self.routes = routes
        build(minimumInstances: tightening.minimumInstances, tailAllowance: tightening.tailAllowance,
              prefillWaitScale: tightening.prefillWaitScale)
    }

    /// What the queueing check after a solve asks of the next one, by candidate index.
    struct Tightening {
        /// N_p ≥ m when the pool is open.
        var minimumInstances: [Int: Int] = [:]
        /// Share of requests allowed past the TTFT budget (default `Route.tailAllowance`).
        var tailAllowance: [Int: Double] = [:]
        /// Factor on the planned mean prefill wait (default 1).
        var prefillWaitScale: [Int: Double] = [:]
    }

    var bins: [LengthBin] { problem.workload.bins }

    /// One per-instance capacity row of a pool, Σ a_r·r ≤ c·N over its routes.
    struct CapacityRow {
        let name: String
        /// c, per instance.
        let perInstance: Double
        /// a_r, in the order of the pool's routes.
        let coefficients: [Double]

        /// Instances one request/s of the route at `position` needs by this row: a_r / c.
        func need(at position: Int) -> Double { perInstance > 0 ? coefficients[position] / perInstance : 0 }

        /// Whether `other` already enforces this row: a_r/c ≤ a'_r/c' for every route (r, N ≥ 0).
        /// Such rows only slow every node's LP down. Of two rows that imply each other, the one
        /// `preferring` says comes first is kept.
        func isImplied(by other: CapacityRow, preferring otherFirst: Bool) -> Bool {
            guard other.name != name, perInstance > 0, other.perInstance > 0 else { return false }
            var identical = true
            for (mine, theirs) in zip(coefficients, other.coefficients) {
                let a = mine / perInstance, b = theirs / other.perInstance
                if a > b * (1 + 1e-12) { return false }
                if a < b * (1 - 1e-12) { identical = false }
            }
            return !identical || otherFirst
        }
    }

    /// A pool's per-instance capacity rows over `poolRoutes` (in that order), before implied ones
    /// are left out:
    /// slots (sequences in flight ≤ ρ_max · n_max per instance, Little: Σ r · S);
    /// iteration budget (KV reads and chunked prefill fit in ρ_max·(τ_p − W) per iteration);
    /// prefill queue (the mean wait for an instance's prefill engine stays at the planned wait,
    /// scaled by `prefillWaitScale`); compute (prefill and decode FLOPs within the instance's FLOP/s).
    /// `DominancePruning` compares candidates on the same rows.
    static func capacityRows(of pool: CandidatePool, routes poolRoutes: [Route], problem: PlanningProblem,
                             prefillWaitScale: Double = 1) -> [CapacityRow] {
        let plannedWait = Route.plannedMeanPrefillWait(problem) * prefillWaitScale
        var rows = [
            CapacityRow(name: "slots", perInstance: pool.operatingConcurrency, coefficients: poolRoutes.map(\.slotSeconds)),
            CapacityRow(name: "iteration", perInstance: pool.iterationCapacitySeconds,
                        coefficients: poolRoutes.map(\.iterationBudgetSeconds)),
        ]
        if !pool.isPaperCalibrated, plannedWait > 0, poolRoutes.contains(where: { $0.prefillSeconds > 0 }) {
            rows.append(CapacityRow(name: "prefill_queue", perInstance: plannedWait, coefficients: poolRoutes.map {
                $0.prefillSecondMoment / 2 + plannedWait * $0.prefillMeanSeconds
            }))
        }
        if pool.profile.computeSecondsPerSequence > 0, poolRoutes.contains(where: { $0.computeSeconds != 0 }) {
            rows.append(CapacityRow(name: "compute", perInstance: problem.maxUtilisation,
                                    coefficients: poolRoutes.map(\.computeSeconds)))
        }
        return rows
    }

    func demand(ofBin j: Int) -> Double { problem.rateRequestsPerSecond * bins[j].requestFraction }

    private mutating func build(minimumInstances: [Int: Int], tailAllowance: [Int: Double], prefillWaitScale: [Int: Double]) {
        let routesByPool = Dictionary(grouping: routes.indices, by: { routes[$0].pool })
        let routesByBin = Dictionary(grouping: routes.indices, by: { routes[$0].bin })

        if problem.objective == .maxLoad {
            servedShare = model.addVariable("served_share", kind: .continuous, lowerBound: 0, upperBound: 1)
        }

        for route in routes {
            let name = "r_b\(route.bin)_\(candidates[route.pool].key)\(route.compressed ? "_c" : "")"
            flows.append(model.addVariable(name, kind: .continuous, lowerBound: 0, upperBound: demand(ofBin: route.bin)))
        }

        for (p, pool) in candidates.enumerated() {
            let poolRoutes = routesByPool[p] ?? []
            let rows = Self.capacityRows(of: pool, routes: poolRoutes.map { routes[$0] }, problem: problem,
                                         prefillWaitScale: prefillWaitScale[p] ?? 1)
            // N's upper bound (the big-M of open_upper): enough instances for every request the pool
            // could be sent, by whichever capacity row asks for most.
            var upper = 1.0
            for (position, r) in poolRoutes.enumerated() {
                let perRequest = rows.map { $0.need(at: position) }.max() ?? 0
                upper += demand(ofBin: routes[r].bin) * perRequest
            }
            upper = upper.rounded(.up)
            if let available = problem.availableGPUs[pool.gpu.name] {
                upper = min(upper, Double(available / pool.tensorParallel))
            }
            var minimum = Double(max(minimumInstances[p] ?? 0, problem.minInstancesPerPool))
            if let fixed = problem.fixedFleet?.first(where: {
                $0.gpuName == pool.gpu.name && $0.tensorParallel == pool.tensorParallel && $0.windowTokens == pool.windowTokens
            }) {
                minimum = Double(fixed.instances)
                upper = minimum
            }
            upper = max(upper, minimum)
            // A queueing minimum applies only if the pool stays open (N ≥ m·y); a fixed fleet's is absolute.
            let isFixed = problem.fixedFleet != nil
            let n = model.addVariable("N_\(pool.key)", kind: .integer, lowerBound: isFixed ? minimum : 0, upperBound: max(0, upper))
            let y = model.addVariable("open_\(pool.key)", kind: .binary, lowerBound: isFixed && minimum > 0 ? 1 : 0, upperBound: 1)
            instances.append(n)
            open.append(y)

            let firstRow = model.constraintCount
            for (k, row) in rows.enumerated() where !rows.indices.contains(where: { row.isImplied(by: rows[$0], preferring: $0 < k) }) {
                var load = LinearExpression()
                for (r, coefficient) in zip(poolRoutes, row.coefficients) { load.addTerm(coefficient, flows[r]) }
                model.addConstraint("\(row.name)_\(pool.key)", load - perInstanceCapacity(of: row, routes: poolRoutes) * n <= 0)
            }
            // A pool has instances only if open, and at least one (or its queueing minimum) when open.
            model.addConstraint("open_upper_\(pool.key)", n - max(upper, 1) * y <= 0)
            model.addConstraint("open_lower_\(pool.key)", n - max(1, minimum) * y >= 0)
            if let raised = minimumInstances[p], raised >= 2 {
                addOpenLinks(pool: pool, routes: poolRoutes, rows: rows, minimum: minimum, open: y)
            }

            // TTFT tail: at most 1% of the pool's requests may have prompts too long to prefill in time.
            let allowance = tailAllowance[p] ?? Route.tailAllowance
            if poolRoutes.contains(where: { routes[$0].tailShare > allowance }) {
                var tail = LinearExpression()
                for r in poolRoutes { tail.addTerm(routes[r].tailShare - allowance, flows[r]) }
                model.addConstraint("ttft_tail_\(pool.key)", tail <= 0)
            }
            rowsOfPool.append(Array(model.constraints[firstRow...]))

            powerWatts.addTerm(Double(pool.tensorParallel) * pool.fixedPowerPerGPUWatts, n)
            dollarsPerHour.addTerm(Double(pool.tensorParallel) * pool.gpu.pricePerGPUHourDollars, n)
        }
        for (index, route) in routes.enumerated() {
            powerWatts.addTerm(route.dynamicJoules, flows[index])
        }
        let energyDollarsPerWattHour = problem.powerUsageEffectiveness * problem.electricityDollarsPerKWh / 1000
        dollarsPerHour += energyDollarsPerWattHour * powerWatts

        // Demand: every bin is served in full (or the served share s of it, under max-load).
        for j in bins.indices {
            var served = LinearExpression()
            var compressed = LinearExpression()
            for r in routesByBin[j] ?? [] {
                served.addTerm(1, flows[r])
                if routes[r].compressed { compressed.addTerm(1, flows[r]) }
            }
            let lambda = demand(ofBin: j)
            if let share = servedShare {
                model.addConstraint("demand_b\(j)", served - lambda * share == 0)
            } else {
                model.addConstraint("demand_b\(j)", served == lambda)
            }
            if let compression = problem.compression, compressed.storedTermCount > 0 {
                model.addConstraint("compressible_b\(j)", compressed <= compression.fraction * lambda)
            }
        }

        if problem.routing == .threshold { addThresholdRouting(routesByBin: routesByBin) }
        if problem.maxPools >= Self.fewestPoolsForInstanceTotals { addInstanceTotals() }

        model.addConstraint("max_pools", open.sum() <= Double(problem.maxPools))

        let gpuNames = Set(candidates.map(\.gpu.name))
        for name in gpuNames.sorted() {
            guard let available = problem.availableGPUs[name] else { continue }
            var gpus = LinearExpression()
            for (p, pool) in candidates.enumerated() where pool.gpu.name == name {
                gpus.addTerm(Double(pool.tensorParallel), instances[p])
            }
            model.addConstraint("available_\(name)", gpus <= Double(available))
        }
        if let cap = problem.powerCapWatts {
            model.addConstraint("facility_power_cap", problem.powerUsageEffectiveness * powerWatts <= cap)
        }
        if let budget = problem.budgetDollarsPerHour {
            model.addConstraint("budget_per_hour", dollarsPerHour <= budget)
        }

        switch problem.objective {
        case .maxTokensPerWatt: model.minimize(powerWatts)
        case .minCost: model.minimize(dollarsPerHour)
        case .maxLoad: if let share = servedShare { model.maximize(share) }
        }
    }

    /// The per-instance capacity a row is written with: c, or the most load its routes can bring
    /// (Σ a_r·λ_b) where one instance holds more than that. For an integer N both rows admit the
    /// same plans (N = 0 carries nothing, N ≥ 1 carries everything either way), but with c the LP
    /// relaxation serves such a pool with a fraction of an instance too small by c/load — and below
    /// GLPK's integrality tolerance (1e-5) that fraction counts as 0 instances: a 0.01 req/s
    /// trickle on a GPU at the catalog's limits (5e-6 of an instance) came back "optimal" with
    /// an empty pool, or, with the instance totals, "infeasible". O(routes of the pool).
    func perInstanceCapacity(of row: CapacityRow, routes poolRoutes: [Int]) -> Double {
        guard row.coefficients.allSatisfy({ $0 >= 0 }) else { return row.perInstance }
        let mostLoad = zip(poolRoutes, row.coefficients).reduce(0.0) { $0 + $1.1 * demand(ofBin: routes[$1.0].bin) }
        return mostLoad > 0 ? min(row.perInstance, mostLoad) : row.perInstance
    }

    /// The candidates with instances at `values` (by variable index) that break one of their own
    /// rows (tolerance 1e-6 of the largest term, as a starting solution's check). O(rows of those candidates).
    func poolsBreakingTheirRows(at values: [Double]) -> [Int] {
        candidates.indices.filter { p in
            values.indices.contains(instances[p].index) && values[instances[p].index] > 0.5 && rowsOfPool[p].contains { row in
                model.constraint(row).map { !$0.isSatisfied(by: values, relativeTolerance: 1e-6) } ?? false
            }
        }
    }

    /// The instance totals (`addInstanceTotals`) go into models that may open this many pools or
    /// more. With two, a GPU type's instances lie in at most two windows and the totals only
    /// gave the branching more to choose from: the 32 two-pool whole-catalog CDF runs took 14.9 s
    /// with them and 9.1 s without, same plans (LMSYS at 100 req/s, 500 ms and 2 s: 3.4 and
    /// 3.2 s with them); with three, the 32 runs took 13.6 s with them and 17.2 s without.
    static let fewestPoolsForInstanceTotals = 3

    /// One integer variable per GPU type and TP with two or more candidate windows, T = Σ_w N_p,
    /// so the branch-and-bound can branch on it. It adds no plan and cuts none off (a sum of
    /// integers is one), but T ≤ k / T ≥ k + 1 rounds a GPU type's instances over all its windows
    /// at once, where branching on one N_p at a time lets the relaxation move the fraction to a
    /// sibling window — the near-equal "filler" pools the proofs used to spend their nodes on.
    /// Over the 32 whole-catalog CDF runs (`scripts/solve-times.sh`; with `perInstanceCapacity`)
    /// the nodes fell from 30,887 to 11,735 and the time from 25.4 to 17.5 s, 11 → 5 runs over
    /// 1 s (agent-heavy at 300 req/s, 2 s: 1.57 → 0.35 s; the Azure CDF at 1000 req/s, 500 ms:
    /// 2.04 → 0.35 s), no plan moved by more than 0.02%; with min-cost, 131.1 → 29.8 s; 68 more
    /// (3 pools, Qwen3-235B-A22B, Llama-3.1-8B) 45.4 → 22.6 s.
    /// Totals per GPU type in GPUs (over TPs too), or per TP and window, were slower on the final
    /// models of those 32 runs (17.2–25.5 s against 14.9 s for these, GLPK alone, 19.3 s without);
    /// totals over each run of windows beside these were no faster (14.7–16.0 s). It can go the
    /// other way: the LMSYS CDF at 1000 req/s with Llama-3.1-8B, min-cost, 1 s took 15.9 s without
    /// totals and stops at the 60 s limit 1.1% from its bound with them; a total only where the LP
    /// relaxation spreads a group over two windows still took 53 s there, and 36 min-cost runs of
    /// Llama-3.1-8B and Qwen3-235B-A22B 111.0 s against 87.6 s with every total (170.7 s
    /// without). O(candidates).
    private mutating func addInstanceTotals() {
        let groups = Dictionary(grouping: candidates.indices, by: { candidates[$0].groupKey })
        for (group, pools) in groups.sorted(by: { $0.key < $1.key }) where pools.count >= 2 {
            var sum = LinearExpression()
            var upper = 0.0
            for p in pools {
                sum.addTerm(1, instances[p])
                upper += model.bounds(of: instances[p])?.upper ?? 0
            }
            let total = model.addVariable("instances_\(group)", kind: .integer, lowerBound: 0, upperBound: upper)
            model.addConstraint("instances_\(group)", sum - total == 0)
            instanceTotals.append((total, pools))
        }
    }

    /// `values` (by variable index) with each instance total set to the sum it stands for, so a
    /// plan whose instance counts were changed (a repaired or loosened plan) is a solution again.
    func completingInstanceTotals(_ values: [Double]) -> [Double] {
        var values = values
        for (total, pools) in instanceTotals where values.indices.contains(total.index) {
            values[total.index] = pools.reduce(0) { $0 + values[instances[$1].index] }
        }
        return values
    }

    /// How much more than its capacity rows a route's open link must ask of the relaxation to be
    /// added (`addOpenLinks`).
    static let openLinkStrength = 4.0

    /// Links each route of a pool with a queueing minimum m to the pool being open, r ≤ λ_b·y,
    /// where the band's whole demand needs at most 1/`openLinkStrength` of m instances.
    ///
    /// The minimum binds only an open pool (N ≥ m·y), and the LP relaxation opens a pool by the
    /// fraction N/U, so it barely sees it. With the link the relaxation pays m·r/λ_b instances for
    /// the route, at least `openLinkStrength` times what the capacity rows ask: the relaxation of
    /// the last model for LMSYS at 300 req/s, 1 s went from 6.2% to 1.8% under its optimum, and
    /// that run from 2.3 to 0.7 s. Weaker links mostly slow every node's LP down (every route of a
    /// raised pool: 38.2 s for the 32 whole-catalog CDF runs, against 34.0 s without links;
    /// strength 1: 33.7 s). With strength 4 the 32 runs took 31.1 s instead of 33.3 s, 10 of them
    /// over 1 s instead of 14, plans unchanged; 136 more (2 and 3 pools, Qwen3-235B-A22B,
    /// Llama-3.1-8B) 91.0 s instead of 103.0 s. O(routes of the pool).
    private mutating func addOpenLinks(pool: CandidatePool, routes poolRoutes: [Int], rows: [CapacityRow],
                                       minimum: Double, open y: Variable) {
        for (position, r) in poolRoutes.enumerated() {
            let route = routes[r]
            let instancesPerRequest = rows.map { $0.need(at: position) }.max() ?? 0
            let demand = demand(ofBin: route.bin)
            guard demand * instancesPerRequest * Self.openLinkStrength <= minimum else { continue }
            model.addConstraint("open_link_b\(route.bin)_\(pool.key)\(route.compressed ? "_c" : "")",
                                flows[r] - demand * y <= 0)
        }
    }

    /// Pure threshold routing: each bin's direct traffic goes to one pool, and its compressed
    /// share (if any) to one pool.
    private mutating func addThresholdRouting(routesByBin: [Int: [Int]]) {
        for j in bins.indices {
            var directChoices = LinearExpression()
            var compressedChoices = LinearExpression()
            for r in routesByBin[j] ?? [] {
                let route = routes[r]
                let name = "assign_b\(j)_\(candidates[route.pool].key)\(route.compressed ? "_c" : "")"
                let z = model.addVariable(name, kind: .binary)
                model.addConstraint("only_assigned_\(name)", flows[r] - demand(ofBin: j) * z <= 0)
                if route.compressed { compressedChoices.addTerm(1, z) } else { directChoices.addTerm(1, z) }
            }
            if directChoices.storedTermCount > 0 { model.addConstraint("one_pool_b\(j)", directChoices <= 1) }
            if compressedChoices.storedTermCount > 0 { model.addConstraint("one_compressed_pool_b\(j)", compressedChoices <= 1) }
        }
    }
}
