import MILP

/// The answers that stand when a search cannot finish the job: the last plan raised in place when
/// the time limit leaves no room for a re-solve, and a plan cut back to what its traffic needs when
/// the solves after a loosening find nothing cheaper that passes.
extension FleetPlanner {
    /// A solve's plan, the pools in it that failed the queueing check, and the solve's proven bound.
    struct SolvedState {
        let assembler: PlanAssembler
        let failing: [PlannedPool]
        let bound: Double?
    }

    /// A plan that passed the check, as the answer to fall back on if the solves after its loosening
    /// find nothing cheaper that passes: with the loosened pools cut back to the instances their
    /// traffic needs (`loosen`'s plan, routing unchanged), which passes the check and the untightened
    /// capacity rows by construction and costs less. It is a solution of the loosened model, not
    /// proven optimal in it (its cheaper plans failed the check), so it is reported feasible, with
    /// its gap to that model's LP relaxation — or to the bound the next solve proves for the model,
    /// when that solve adds no rows of its own. Falling back on the plan as solved instead kept
    /// instances its traffic did not need whenever the loosened re-solves kept failing: over 55
    /// runs of the bundled chat CDF (20–3000 req/s, P99 TTFT 0.8–2 s) the cut-back plans were 2.6%
    /// cheaper in geometric mean (up to 16.6%) and none dearer. The plan as solved if the cut-back
    /// one fails the check (it should not). One check and one LP.
    func cutBackOutcome(_ solved: Outcome, of formulation: FleetFormulation, to loosening: (values: [Double], pools: [String]),
                        tightening: FleetFormulation.Tightening, attempt: Int) throws -> Outcome {
        let problem = formulation.problem
        let loosened = FleetFormulation(problem: problem, candidates: formulation.candidates, routes: formulation.routes,
                                        tightening: tightening)
        let assembler = PlanAssembler(problem: problem, candidates: formulation.candidates, routes: formulation.routes,
                                      formulation: loosened, values: loosening.values)
        var plan = assembler.assemble()
        guard plan.pools.allSatisfy(\.meetsSLO) else { return solved }
        var lpOptions = SolveOptions()
        lpOptions.timeLimitSeconds = problem.solverTimeLimitSeconds
        let relaxation = try solver.solve(loosened.model.relaxingIntegrality(), options: lpOptions)
        let objective = assembler.value(of: loosened.model.objective)
        guard relaxation.status == .optimal, objective > 0 else { return solved }
        var report = solved.report
        report.status = Solution.Status.feasible.description
        report.objective = objective
        report.gap = max(0, (objective - relaxation.objective) / objective)
        report.variables = loosened.model.variableCount
        report.constraints = loosened.model.constraintCount
        plan.notes.append("solve \(attempt + 1)'s plan with its pools cut back to the instances their traffic needs ("
            + loosening.pools.joined(separator: ", ") + "): a solution of the exported model, not proven optimal in it "
            + "(its cheaper plans fail the queueing check)")
        return Outcome(plan: plan, report: report, model: loosened.model)
    }

    /// The plan of `state` with each failing pool given the fewest instances (up to 4N + 4) that
    /// carry its traffic within the SLO, its routing kept — what the planner returns when the time
    /// limit leaves no room for a queueing re-solve — with `report` restated for it: feasible, its
    /// objective, and its gap to the solve's proven bound. Nil if a pool cannot be raised, or for
    /// max-load (raising instances serves no more).
    func raisedOutcome(_ state: SolvedState, report: SolverReport) -> Outcome? {
        let assembler = state.assembler, problem = assembler.problem
        guard problem.objective != .maxLoad else { return nil }
        var values = assembler.values
        let flowsByPool = assembler.flowsByPool()
        for pool in state.failing {
            guard let index = assembler.candidates.firstIndex(where: { $0.key == pool.id }),
                  let enough = Self.instancesCarrying(flowsByPool[index] ?? [], on: assembler.candidates[index],
                                                      above: pool.instances, problem: problem) else { return nil }
            values[assembler.formulation.instances[index].index] = Double(enough)
        }
        let raised = PlanAssembler(problem: problem, candidates: assembler.candidates, routes: assembler.routes,
                                   formulation: assembler.formulation, values: values)
        var plan = raised.assemble()
        guard plan.pools.allSatisfy(\.meetsSLO) else { return nil }
        let objective = raised.value(of: assembler.formulation.model.objective)
        var report = report
        report.status = Solution.Status.feasible.description
        report.objective = objective
        if let bound = state.bound, objective > 0 { report.gap = max(0, (objective - bound) / objective) }
        plan.notes.append("the time limit left no room for a queueing re-solve: " + state.failing.map(\.id).joined(separator: ", ")
            + " got the instances that bring their traffic within the SLO, without re-routing it; no plan is better by more than "
            + String(format: "%.2g%%", report.gap * 100))
        return Outcome(plan: plan, report: report, model: assembler.formulation.model)
    }
}
