import MILP

/// Where each solve's search starts: a plan found fast by a restricted MILP, or the last plan
/// repaired or cut back — it changes the time to the proof, never the optimum.
extension FleetPlanner {
    /// The plan a solve starts from (`start`): a repaired or cut-back plan while it is a solution of
    /// the model, or the restricted MILP's plan (`firstIncumbent`) instead when that is cheaper —
    /// tried after a loosening, and for a repaired plan more than `repairedStartMargin` above the
    /// bound of the solve it came from. A cut-back plan can be far from the loosened model's
    /// optimum, and on pools of tens of thousands of instances GLPK's search finds nothing better
    /// by itself (the chat CDF at 1,000,000 req/s, 1 s sat 8% above its bound until the 60 s
    /// limit; now 1.2–2.3 s, same plan). On the first solve, or when the plan given is not a
    /// solution of the model, the checked first incumbent (`checkedFirstIncumbent`, which may
    /// tighten `formulation`).
    func startingPlan(_ start: ResolveState.Start, formulation: inout FleetFormulation,
                      tightening: inout FleetFormulation.Tightening, budgeted: PlanningProblem) throws -> [Variable: Double]? {
        let model = formulation.model
        // The restricted MILP is tried beside a given plan that costs more than this.
        let (values, restrictedAbove): ([Double]?, Double) = switch start {
        case .firstIncumbent: (nil, .infinity)
        case .repaired(let repaired, let lastBound): (repaired, lastBound.map { $0 * (1 + Self.repairedStartMargin) } ?? .infinity)
        case .cutBack(let cutBack): (cutBack, -.infinity)
        }
        func assignment(_ values: [Double]) -> [Variable: Double] {
            Dictionary(uniqueKeysWithValues: zip(model.variables, values))
        }
        let given = values.flatMap { model.infeasibility(of: assignment($0)) == nil ? $0 : nil }
        guard seedsIncumbent else { return given.map(assignment) }
        if let given {
            let cost = model.objective.value(at: given)
            guard cost > restrictedAbove, budgeted.objective != .maxLoad,
                  let restricted = try firstIncumbent(for: formulation, problem: budgeted) else { return assignment(given) }
            return assignment(restricted.objective < cost ? restricted.variableValues : given)
        }
        // It may have tightened the model: the start is keyed by the variables of the new one.
        let found = try checkedFirstIncumbent(formulation: &formulation, tightening: &tightening, budgeted: budgeted)
        return found.map { Dictionary(uniqueKeysWithValues: zip(formulation.model.variables, $0.variableValues)) }
    }

    /// How far above the bound of the solve it came from (relative) a repaired plan must start
    /// for the restricted MILP to be tried beside it (`startingPlan`). Raising a pool that failed
    /// the queueing check can cost far more than re-routing its traffic — on the LMSYS CDF at
    /// 100 req/s, 1 s the repaired plan started solve 2 at 15.3 kW against a 12.2 kW bound, and
    /// GLPK took 645 nodes to find and prove 13.3 kW. Over the 32-run yardstick the nodes fell from
    /// 11,735 to 10,855 and no plan moved by more than 0.002% (that run: 1.96 → 1.41 s; at
    /// 500 ms 1.50 → 1.07 s); with min-cost 19,005 → 17,282 nodes (costs within 0.003%), two
    /// pools 5,422 → 5,090, Llama-3.1-8B 13,538 → 12,482 and Qwen3-235B-A22B 10,227 → 9,873 with
    /// the same plans; 33 chat-CDF runs 8,662 → 7,591 nodes, three plans moved (−4.4%, −3.7%,
    /// +1.9%: the re-solves took another path). Margins of 2% and 5% did about as well
    /// (10,947 and 11,101 nodes). Tried on every repaired plan it changed no plan but added a
    /// restricted MILP to each, and some searches grew (the LMSYS CDF at 1000 req/s, 2 s:
    /// 1,440 → 1,798 nodes).
    static let repairedStartMargin = 0.1

    /// The first incumbent (`firstIncumbent`), with its large pools and its single-instance
    /// fillers (`incumbentCheckFillerShare`) checked before anything is proven: where one fails,
    /// the proven optimum (which keeps such pools with nearly the same traffic) would fail the same
    /// way and its proof would be thrown away, so the failure is tightened into `formulation` at
    /// once and the incumbent found again.
    private func checkedFirstIncumbent(formulation: inout FleetFormulation, tightening: inout FleetFormulation.Tightening,
                                       budgeted: PlanningProblem) throws -> Solution? {
        let problem = formulation.problem, candidates = formulation.candidates, routes = formulation.routes
        var incumbent = try firstIncumbent(for: formulation, problem: budgeted)
        for _ in 0..<maximumResolves {
            guard let found = incumbent else { break }
            let assembler = PlanAssembler(problem: problem, candidates: candidates, routes: routes,
                                          formulation: formulation, solution: found)
            let failing = assembler.assemble().pools.filter { pool in
                !pool.meetsSLO && (pool.instances >= Self.incumbentCheckMinimumInstances
                    || (pool.instances == 1 && pool.requestsPerSecond < incumbentCheckFillerShare * problem.rateRequestsPerSecond))
            }
            guard !failing.isEmpty else { break }
            var unused: [Double]?
            tighten(failing: failing, flowsByPool: assembler.flowsByPool(), formulation: formulation,
                    tightening: &tightening, repair: &unused)
            formulation = FleetFormulation(problem: problem, candidates: candidates, routes: routes, tightening: tightening)
            incumbent = try firstIncumbent(for: formulation, problem: budgeted)
        }
        return incumbent
    }

    /// A good first incumbent, found fast, or nil: solve the LP relaxation, keep the candidates it
    /// opens and those nearest to being opened (lowest reduced cost of N_p plus y_p), and solve the
    /// MILP with every other candidate closed. That is a solution of the whole model, so the
    /// proof of optimality is unchanged; it only starts with a bound to prune against. The search
    /// spent most of its nodes finding such a solution: on the LMSYS CDF (18 bands, whole catalog)
    /// the first solve took 0.35 s without a start and 0.09 s when given its own optimum.
    /// Skipped when the model has too few candidates for the restriction to matter.
    func firstIncumbent(for formulation: FleetFormulation, problem: PlanningProblem) throws -> Solution? {
        let pools = formulation.candidates.indices
        guard problem.fixedFleet == nil,
              pools.count > Self.incumbentRelaxedCandidates + Self.incumbentNearbyCandidates else { return nil }
        var lpOptions = SolveOptions()
        lpOptions.timeLimitSeconds = problem.solverTimeLimitSeconds
        let relaxation = try solver.solve(formulation.model.relaxingIntegrality(), options: lpOptions)
        guard relaxation.status == .optimal, let reducedCosts = relaxation.reducedCostValues else { return nil }
        let opened = pools
            .map { p in (pool: p, watts: relaxation.value(of: formulation.instances[p]) * Double(formulation.candidates[p].tensorParallel)
                                      * formulation.candidates[p].fixedPowerPerGPUWatts) }
            .filter { $0.watts > 1e-9 }
            .sorted { $0.watts > $1.watts }
            .prefix(Self.incumbentRelaxedCandidates)
        var kept = Set(opened.map(\.pool))
        func openingCost(_ p: Int) -> Double {
            reducedCosts[formulation.instances[p].index] + reducedCosts[formulation.open[p].index]
        }
        kept.formUnion(pools.filter { !kept.contains($0) }.sorted { openingCost($0) < openingCost($1) }
            .prefix(Self.incumbentNearbyCandidates))
        var restricted = formulation.model
        for p in pools where !kept.contains(p) {
            restricted.setBounds(of: formulation.instances[p], lowerBound: 0, upperBound: 0)
            restricted.setBounds(of: formulation.open[p], lowerBound: 0, upperBound: 0)
        }
        var options = solveOptions(for: problem)
        options.timeLimitSeconds = min(problem.solverTimeLimitSeconds / 10, 1)
        options.relativeGap = max(options.relativeGap, Self.incumbentRelativeGap)
        let solution = try solver.solve(restricted, options: options)
        return solution.hasSolution ? solution : nil
    }

    /// Pools of the first incumbent this large are checked before the proof. Smaller ones are not:
    /// their traffic mix still moves on the way to the optimum, and raising them from an
    /// incumbent's mix changes which pools the re-solves raise, and so the plan (checking every
    /// pool cost one LMSYS plan 7.6%; from 8 instances, the bundled chat CDF at 100 req/s 1.8%).
    /// From 16, over 132 whole-catalog runs (three CDFs, 30–1000 req/s, 0.5–2 s, 2–4 pools, three
    /// models) every plan stayed the same, the chat CDF at 1 s moved −1.3% to +0.02% (100–3000
    /// req/s), and agent-heavy at 1000 req/s, 1 s went from 1.07 s (2 re-solves) to 0.24 s (none).
    static let incumbentCheckMinimumInstances = 16

    /// Candidates the LP relaxation opens that `firstIncumbent` keeps, most GPU power first.
    static let incumbentRelaxedCandidates = 12
    /// Further candidates it keeps, those nearest to entering the relaxation's solution.
    static let incumbentNearbyCandidates = 20
    /// The restricted MILP stops at this relative gap: its solution only has to be good, the full
    /// search proves the optimum. Over 32 whole-catalog CDF runs (three CDFs, 30–1000 req/s,
    /// 0.5–2 s), timed alternately against a 1e-4 gap, it cut total wall time from 69.5–70.4 s to
    /// 65.2–65.3 s with every plan unchanged; the slowest run went from 14.6–15.1 s to 11.7 s.
    static let incumbentRelativeGap = 1e-2
}
