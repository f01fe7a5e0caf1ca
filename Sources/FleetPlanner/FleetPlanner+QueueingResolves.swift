import FleetModel

/// What the queueing check after a solve asks of the next one: raising pools that miss their P99
/// TTFT (`tighten`), and giving back instances a pool no longer needs once a plan passes (`loosen`).
extension FleetPlanner {
    /// Raises what the queueing check says is short for each failing pool (`raise`), and for every
    /// other candidate that would fail the same way with its traffic
    /// (`raiseCandidatesFailingTheSameTraffic`). A pool held up by its prefill queue also gets a
    /// lower planned prefill wait, so the MILP sees why it needed the instances. `repair` (the last
    /// solution, if any) has each failing pool's raised instances written into it; whether it is
    /// a solution of the tightened model is checked before it seeds the next solve.
    func tighten(failing: [PlannedPool], flowsByPool: [Int: [(route: Route, rate: Double)]], formulation: FleetFormulation,
                 tightening: inout FleetFormulation.Tightening, repair: inout [Double]?) {
        let candidates = formulation.candidates, problem = formulation.problem
        for pool in failing {
            guard let index = candidates.firstIndex(where: { $0.key == pool.id })
            else { continue }
            let flows = flowsByPool[index] ?? []
            let enough = Self.raise(index, carrying: flows, from: pool.instances, problem: problem,
                                    candidates: candidates, tightening: &tightening)
            raiseCandidatesFailingTheSameTraffic(as: index, instances: pool.instances, flows: flows, formulation: formulation,
                                                 tightening: &tightening)
            let evaluation = PoolEvaluation(pool: candidates[index], instances: pool.instances, flows: flows, problem: problem)
            if evaluation.p99PrefillQueueSeconds > problem.ttftP99Seconds * (1 - Route.prefillShareOfSLO) {
                tightening.prefillWaitScale[index] = (tightening.prefillWaitScale[index] ?? 1) * 0.6
            }
            // Its capacity rows (with any lower planned prefill wait) can ask for more than the check.
            let byRows = Self.instancesByRows(flows, on: candidates[index], problem: problem,
                                              prefillWaitScale: tightening.prefillWaitScale[index] ?? 1)
            repair?[formulation.instances[index].index] = Double(max(enough ?? pool.instances + 1, byRows))
        }
        repair = repair.map(formulation.completingInstanceTotals)
    }

    /// What the queueing check asks of candidate `index` when `flows` fail it at `instances`: a
    /// minimum of the fewest instances that carry them within the SLO (found by re-evaluating with
    /// more instances, up to 4N + 4), returned; or, where no count can (prompts too long to prefill
    /// in time fill the P99 allowance), one more instance and half its TTFT tail allowance, and nil.
    static func raise(_ index: Int, carrying flows: [(route: Route, rate: Double)], from instances: Int,
                      problem: PlanningProblem, candidates: [CandidatePool], tightening: inout FleetFormulation.Tightening) -> Int? {
        let enough = instancesCarrying(flows, on: candidates[index], above: instances, problem: problem)
        if let enough {
            tightening.minimumInstances[index] = enough
        } else {
            tightening.tailAllowance[index] = (tightening.tailAllowance[index] ?? Route.tailAllowance) * 0.5
            tightening.minimumInstances[index] = instances + 1
        }
        return enough
    }

    /// The fewest instances of `candidate` whose capacity rows (`FleetFormulation.capacityRows`,
    /// with the planned prefill wait scaled by `prefillWaitScale`) hold `flows`. O(routes).
    static func instancesByRows(_ flows: [(route: Route, rate: Double)], on candidate: CandidatePool,
                                problem: PlanningProblem, prefillWaitScale: Double = 1) -> Int {
        let needed = instancesNeededByRows(flows, on: candidate, problem: problem, prefillWaitScale: prefillWaitScale)
        return Int((needed - 1e-9).rounded(.up))
    }

    /// The instances, fractional, that `candidate`'s most demanding capacity row asks for `flows`. O(routes).
    static func instancesNeededByRows(_ flows: [(route: Route, rate: Double)], on candidate: CandidatePool,
                                      problem: PlanningProblem, prefillWaitScale: Double = 1) -> Double {
        let rows = FleetFormulation.capacityRows(of: candidate, routes: flows.map(\.route), problem: problem,
                                                 prefillWaitScale: prefillWaitScale)
        return rows.map { row in
            row.perInstance > 0 ? zip(row.coefficients, flows).reduce(0) { $0 + $1.0 * $1.1.rate } / row.perInstance : 0
        }.max() ?? 0
    }

    /// Whether `instances` of `candidate` carry `flows` within the SLO (the queueing check).
    static func carries(_ flows: [(route: Route, rate: Double)], on candidate: CandidatePool, instances: Int,
                        problem: PlanningProblem) -> Bool {
        PoolEvaluation(pool: candidate, instances: instances, flows: flows, problem: problem).evaluate(id: candidate.key).meetsSLO
    }

    /// The fewest instances of `candidate` above `instances` (up to 4N + 4) that carry `flows`
    /// within the SLO, or nil.
    static func instancesCarrying(_ flows: [(route: Route, rate: Double)], on candidate: CandidatePool, above instances: Int,
                                  problem: PlanningProblem) -> Int? {
        fewestInstances(from: instances + 1, limit: 4 * instances + 4) { carries(flows, on: candidate, instances: $0, problem: problem) }
    }

    /// Raises (`raise`) every other candidate that would fail the queueing check with the failing
    /// pool's traffic at the same instance count (or its own minimum). Without it the next solve
    /// moves the same traffic to a sibling (the same GPU with another window, or a GPU as fast),
    /// which fails the same way: on the Azure CDF at 1000 req/s, 500 ms, nine re-solves walked one
    /// single-instance pool's traffic across nine candidates for a 0.1% gain, and on agent-heavy at
    /// 300 req/s, 2 s, four walked a 0.1 req/s filler across four windows whose prompts no count
    /// serves in time. Over the 32 whole-catalog CDF runs it cut the re-solves from 60 to 33 and
    /// changed one plan (+0.2%); over 100 more (2 and 3 pools, two other models), none. A minimum
    /// binds only a pool that is open, and only one carrying less traffic could have needed fewer.
    /// O(candidates · log N) check evaluations.
    func raiseCandidatesFailingTheSameTraffic(as failed: Int, instances: Int, flows: [(route: Route, rate: Double)],
                                              formulation: FleetFormulation, tightening: inout FleetFormulation.Tightening) {
        struct RouteKey: Hashable { let pool: Int, bin: Int, compressed: Bool }
        var routeByKey: [RouteKey: Route] = [:]
        for route in formulation.routes { routeByKey[RouteKey(pool: route.pool, bin: route.bin, compressed: route.compressed)] = route }
        let problem = formulation.problem
        for (index, candidate) in formulation.candidates.enumerated() where index != failed {
            let moved = flows.compactMap { flow in
                routeByKey[RouteKey(pool: index, bin: flow.route.bin, compressed: flow.route.compressed)].map { ($0, flow.rate) }
            }
            guard moved.count == flows.count else { continue }
            let current = max(instances, tightening.minimumInstances[index] ?? 0)
            guard !Self.carries(moved, on: candidate, instances: current, problem: problem) else { continue }
            _ = Self.raise(index, carrying: moved, from: current, problem: problem, candidates: formulation.candidates,
                           tightening: &tightening)
        }
    }

    /// After a plan passes the queueing check: pools holding more instances than their own traffic
    /// needs — the fewest that pass the check and the untightened capacity rows — because a
    /// minimum or a lowered planned prefill wait was set for traffic they no longer carry, get
    /// that count as their minimum and their planned wait back, so a re-solve can use what they
    /// free. Returns the plan with those counts (a solution of the loosened model) and the pools
    /// loosened ("id N → n"), or nil when no pool holds more than it needs. O(pools · log instances)
    /// check evaluations.
    func loosen(_ flowsByPool: [Int: [(route: Route, rate: Double)]], of assembler: PlanAssembler,
                formulation: FleetFormulation, tightening: inout FleetFormulation.Tightening)
        -> (values: [Double], pools: [String])? {
        let candidates = formulation.candidates, problem = formulation.problem
        var values = assembler.values
        var pools: [String] = []
        for (index, flows) in flowsByPool.sorted(by: { $0.key < $1.key }) {
            let held = Int(values[formulation.instances[index].index].rounded())
            let fewest = max(1, problem.minInstancesPerPool, Self.instancesByRows(flows, on: candidates[index], problem: problem))
            guard let needed = Self.fewestInstances(from: fewest, limit: held - 1, meets: {
                Self.carries(flows, on: candidates[index], instances: $0, problem: problem)
            }) else { continue }
            tightening.minimumInstances[index] = needed >= 2 ? needed : nil
            tightening.prefillWaitScale[index] = nil
            values[formulation.instances[index].index] = Double(needed)
            pools.append("\(candidates[index].key) \(held) → \(needed)")
        }
        return pools.isEmpty ? nil : (formulation.completingInstanceTotals(values), pools)
    }

    /// The fewest instances in `start...limit` for which `meets` holds, or nil if `limit` fails:
    /// galloping then bisection, O(log limit) evaluations (more instances never make a pool's queues
    /// longer, so `meets` is monotone). A linear scan cost seconds on homogeneous baselines of
    /// hundreds of instances, each evaluation being O(instances · n_max).
    static func fewestInstances(from start: Int, limit: Int, meets: (Int) -> Bool) -> Int? {
        guard start <= limit else { return nil }
        var failing = start - 1
        var step = 1
        var candidate = start
        while !meets(candidate) {
            failing = candidate
            guard candidate < limit else { return nil }
            step *= 2
            candidate = min(limit, candidate + step)
        }
        var passing = candidate
        while passing - failing > 1 {
            let middle = failing + (passing - failing) / 2
            if meets(middle) { passing = middle } else { failing = middle }
        }
        return passing
    }

    /// How near the proven bound (relative gap) a plan must be for the search to check it with the
    /// queueing model before taking it (`checksPlansInSearch`, `QueueingCuts`). Over the 32
    /// whole-catalog CDF runs (three CDFs, 30–1000 req/s, 0.5–2 s) 1e-3 cut the queueing re-solves
    /// from 33 to 27 and the wall time from 30.7 to 24.7 s, every plan unchanged (and over 100 more:
    /// 2 and 3 pools, Qwen3-235B-A22B, Llama-3.1-8B). Checking every plan over-constrains: minimums
    /// set for traffic that is still moving cost the LMSYS CDF at 100 req/s, 500 ms 30% more power;
    /// 3e-3 and 1e-2 moved two or three plans by up to 2.8%. Pools of
    /// `incumbentCheckMinimumInstances` or more are left to the check after the search (on the
    /// bundled chat CDF at 1000 req/s, 1 s, raising them in the search took the plan from 821 to
    /// 945 kW); with that, none of the chat CDF's plans at 30–3000 req/s and 1–2 s got dearer.
    static let inSearchCheckGap = 1e-3

    /// Most times the search loosens pools that hold more instances than their traffic needs
    /// (`loosen`). Each costs at least one more solve. On the bundled chat CDF at 1000 req/s, 1 s
    /// the first took the plan from 0.588 to 0.672 tok/W and the second to 0.708 (simulated P99
    /// TTFT of its pools 105–915 ms against 1 s); a third found nothing more. Bounded, since a
    /// loosened pool can fail again and be raised again.
    static let maximumLoosenings = 2
}
