import Foundation
import FleetModel
import MILP
import Synchronization

/// Sizes a fleet: enumerates candidate pools, solves the fleet MILP, re-evaluates the result
/// exactly, re-solves while a pool misses its P99 TTFT, and evaluates the baselines an operator
/// compares against.
public struct FleetPlanner: Sendable {
    public var solver: any Solver
    /// Most re-solves the queueing check may trigger before giving up.
    public var maximumResolves = 12
    /// Branch-and-bound strategy. Driebeck–Tomlin branching with best-bound backtracking was the
    /// fastest to a proven optimum on the full catalog across five public workloads (measured with
    /// `fleetplan-bench`; see the README's "Solver" paragraph).
    public var branching: SolveOptions.Branching = .driebeckTomlin
    public var backtracking: SolveOptions.Backtracking = .bestLocalBound
    /// Cutting planes GLPK may add (none by default: they slowed the fleet MILP down when measured).
    public var cuts: SolveOptions.Cuts = []
    /// Drop candidates another candidate beats on every coefficient (`DominancePruning`).
    public var pruneDominated = true
    /// Start each solve from a known solution — the last plan repaired after a queueing re-solve,
    /// or `firstIncumbent` — so the search only has to prove it (or beat it). Changes the time,
    /// never the optimum.
    public var seedsIncumbent = true
    /// Check plans near the proven bound with the queueing model inside the search, cutting off
    /// those that fail (`QueueingCuts`), instead of only after it: most queueing re-solves then
    /// happen in the same branch-and-bound tree.
    public var checksPlansInSearch = true
    /// Called on the solving thread as the plan's search goes (not the baselines'): during each
    /// solve at most about once a second and at each better plan, and when each solve ends. Must
    /// be quick; nil (the default) reports nothing.
    public var progress: (@Sendable (PlanningProgress) -> Void)?

    public init(solver: any Solver = GLPKSolver()) {
        self.solver = solver
    }

    /// This planner without `progress`, for the searches beside the plan's (baselines, diagnoses).
    var silenced: FleetPlanner {
        var copy = self
        copy.progress = nil
        return copy
    }

    /// Plans the fleet and its baselines.
    /// - Throws: `InputError` for invalid or infeasible problems (with the reason in words),
    ///   `MILPError` if the solver fails.
    public func plan(_ problem: PlanningProblem, baselines: Bool = true) throws -> PlanResult {
        try planExportingModel(problem, baselines: baselines).result
    }

    /// `plan`, plus the CPLEX LP text of the MILP whose solution the plan is (after any queueing
    /// re-solves: the last solve, or an earlier one whose plan a loosening did not beat), so another
    /// solver can confirm it.
    public func planExportingModel(_ problem: PlanningProblem, baselines: Bool = true) throws -> (result: PlanResult, lp: String) {
        try problem.validate()
        // The baselines are independent MILPs: solve them beside the plan, one per core — once the
        // checks that need no solver pass, so a hopeless scenario fails at once.
        let checked = try checkedCandidates(for: problem)
        let baselineProblems = baselines && problem.fixedFleet == nil ? self.baselineProblems(for: problem) : []
        let planned = Mutex<Result<Outcome, any Error>?>(nil)
        let compared = Mutex<[(baseline: Baseline, plan: FleetPlan?)?]>(Array(repeating: nil, count: baselineProblems.count))
        DispatchQueue.concurrentPerform(iterations: 1 + baselineProblems.count) { index in
            if index == 0 {
                let outcome = Result { try solve(problem, checked: checked) }
                planned.withLock { $0 = outcome }
            } else {
                let entry = baselineProblems[index - 1]
                let fleet = baseline(named: entry.name, gpu: entry.gpu, problem: entry.problem)
                compared.withLock { $0[index - 1] = fleet }
            }
        }
        guard let outcome = try planned.withLock({ $0 })?.get() else {
            preconditionFailure("concurrentPerform runs every iteration before it returns")
        }
        let lp = try outcome.model.lpFormat()
        var result = PlanResult(plan: outcome.plan, baselines: [], solver: outcome.report)
        let fleets = compared.withLock { $0.compactMap { $0 } }
        guard !fleets.isEmpty else { return (result, lp) }
        // The MILP prices power by a secant, so an exactly evaluated baseline can come out ahead by
        // a fraction of a percent; an operator should then get that fleet, not a worse "optimum".
        func better(_ a: FleetPlan, than b: FleetPlan) -> Bool {
            problem.objective == .minCost ? a.costPerHour < b.costPerHour * (1 - 1e-9)
                : a.tokensPerWatt > b.tokensPerWatt * (1 + 1e-9)
        }
        for (baseline, plan) in fleets {
            guard let plan, better(plan, than: result.plan), respectsBudgets(plan, of: problem) else { continue }
            var adopted = plan
            adopted.notes.append("the \(baseline.name) fleet, evaluated exactly, beat the MILP's optimum of the "
                + "linearised power model by \(String(format: "%.2f", (plan.tokensPerWatt / result.plan.tokensPerWatt - 1) * 100))% tok/W; "
                + "it is the plan")
            result.plan = adopted
        }
        result.baselines = fleets.map { entry in
            var baseline = entry.baseline
            if let theirs = baseline.tokensPerWatt, theirs > 0 { baseline.planRatio = result.plan.tokensPerWatt / theirs }
            return baseline
        }
        return (result, lp)
    }

    /// The MILP of `problem` as CPLEX LP text (exactly the first model `plan` solves).
    public func exportLP(_ problem: PlanningProblem) throws -> String {
        try problem.validate()
        let (candidates, routes) = try checkedCandidates(for: problem)
        return try FleetFormulation(problem: problem, candidates: candidates, routes: routes).model.lpFormat()
    }

    struct Outcome {
        var plan: FleetPlan
        var report: SolverReport
        /// The model of the solve the plan comes from (after any queueing re-solves).
        var model: Model
    }

    /// Every candidate pool and route of `problem`, once the checks that need no solver pass
    /// (something fits, every band has a pool that can serve it in time).
    func checkedCandidates(for problem: PlanningProblem) throws -> (candidates: [CandidatePool], routes: [Route]) {
        let candidates = try CandidatePool.enumerate(for: problem)
        let routes = Route.enumerate(candidates: candidates, problem: problem)
        try InfeasibilityDiagnosis.checkCoverage(problem: problem, candidates: candidates, routes: routes)
        return (candidates, routes)
    }

    /// The plan of `problem`: solve, check every pool with the queueing model, and re-solve while
    /// pools fail (`tighten`) or hold more than their traffic needs (`loosen`), within the time
    /// limit and `maximumResolves`. What one solve hands the next is in `ResolveState`.
    /// - Parameter checked: `checkedCandidates(for: problem)`, if the caller already has it.
    func solve(_ problem: PlanningProblem, checked: (candidates: [CandidatePool], routes: [Route])? = nil) throws -> Outcome {
        let (allCandidates, allRoutes) = try checked ?? checkedCandidates(for: problem)
        let (candidates, routes) = pruneDominated && problem.fixedFleet == nil
            ? DominancePruning.prune(candidates: allCandidates, routes: allRoutes, problem: problem)
            : (allCandidates, allRoutes)

        var state = ResolveState()
        let objectiveUnit = problem.objective == .minCost ? "$/h" : problem.objective == .maxLoad ? "share" : "W"
        func report(for solution: Solution, of formulation: FleetFormulation, attempt: Int) -> SolverReport {
            SolverReport(
                status: solution.status.description, objective: solution.objective,
                objectiveUnit: objectiveUnit,
                gap: solution.mipGap ?? 0, seconds: state.seconds, nodes: state.nodes, candidates: allCandidates.count,
                prunedCandidates: allCandidates.count - candidates.count,
                variables: formulation.model.variableCount, constraints: formulation.model.constraintCount,
                resolves: attempt, plansCutInSearch: state.plansCutInSearch)
        }
        // An earlier plan that passed, returned when the search after it ends without a cheaper one
        // (none found, the time limit, or pools still failing): the search's totals, and a note.
        func finished(_ earlier: Outcome, attempt: Int) -> Outcome {
            var outcome = earlier
            outcome.report.seconds = state.seconds
            outcome.report.nodes = state.nodes
            outcome.report.resolves = attempt
            outcome.report.plansCutInSearch = state.plansCutInSearch
            outcome.plan.notes.append("the solves after solve \(earlier.report.resolves + 1) ended without a cheaper plan "
                + "that passes the queueing check; no plan of the exported model is better by more than "
                + String(format: "%.2g%%", outcome.report.gap * 100))
            return outcome
        }
        // The time limit covers the whole search, re-solves included, not each solve.
        let began = Date()
        let deadline = began.addingTimeInterval(problem.solverTimeLimitSeconds)
        for attempt in 0...maximumResolves {
            let (solution, formulation) = try search(attempt: attempt, problem: problem, candidates: candidates, routes: routes,
                                                     state: &state, began: began, deadline: deadline, objectiveUnit: objectiveUnit)
            // After a loosening re-solve the time limit stopped, the plan that passed stands.
            if solution.status == .noSolution || solution.status == .feasible, let passed = state.passed {
                return finished(passed, attempt: attempt)
            }
            // A re-solve the time limit stopped with no plan, or a worse one than the last plan raised in place.
            if solution.status == .noSolution || solution.status == .feasible, let previous = state.previous,
               let fallback = raisedOutcome(previous, report: report(for: solution, of: previous.assembler.formulation, attempt: attempt)),
               !solution.hasSolution || fallback.report.objective < solution.objective {
                return fallback
            }
            try requirePlan(from: solution, formulation: formulation)
            let assembler = PlanAssembler(problem: problem, candidates: candidates, routes: routes,
                                          formulation: formulation, solution: solution)
            try requireInstances(for: assembler, solution: solution)
            var plan = assembler.assemble()
            let failing = plan.pools.filter { !$0.meetsSLO }
            // A plan taken unchecked can break rows the search added after it: such pools pass the
            // check but the plan is not one of the tightened model, so it is solved again (rare).
            let outsideModel = failing.isEmpty && (solution.lazyConstraintsAdded > 0)
                ? formulation.poolsBreakingTheirRows(at: solution.variableValues).map { candidates[$0].key } : []
            let solved = SolvedState(assembler: assembler, failing: failing, bound: solution.bestBound)
            let solvedReport = report(for: solution, of: formulation, attempt: attempt)
            let outOfTime = deadline.timeIntervalSinceNow <= 0
            let loosening = failing.isEmpty && outsideModel.isEmpty && state.loosenings < Self.maximumLoosenings
                && attempt < maximumResolves && !outOfTime
                && problem.fixedFleet == nil && problem.objective != .maxLoad
                ? loosen(assembler.flowsByPool(), of: assembler, formulation: formulation, tightening: &state.tightening) : nil
            progress?(PlanningProgress(solve: attempt + 1, seconds: Date().timeIntervalSince(began),
                                       incumbent: solution.objective, bound: solution.bestBound, nodes: solution.nodes,
                                       objectiveUnit: objectiveUnit, finished: true, failingPools: failing.map(\.id) + outsideModel,
                                       loosenedPools: loosening?.pools ?? []))
            // After a loosening, a search the time limit stops with pools failing leaves the plan that passed.
            if outOfTime, !failing.isEmpty, let passed = state.passed {
                return finished(passed, attempt: attempt)
            }
            // No time left to re-solve: the failing pools get the instances that carry their traffic.
            if outOfTime, !failing.isEmpty, attempt < maximumResolves, problem.fixedFleet == nil,
               let raised = raisedOutcome(solved, report: solvedReport) {
                return raised
            }
            if let loosening {
                addClosingNotes(to: &plan, solution: solution, failing: failing, attempt: attempt,
                                outOfTime: outOfTime, problem: problem)
                let outcome = try cutBackOutcome(Outcome(plan: plan, report: solvedReport, model: formulation.model), of: formulation,
                                                 to: loosening, tightening: state.tightening, attempt: attempt)
                if state.passed.map({ outcome.report.objective < $0.report.objective }) ?? true {
                    state.passed = outcome
                    state.passedAwaitsBound = outcome.report.status == Solution.Status.feasible.description
                }
                state.loosenings += 1
                state.previous = nil
                state.start = .cutBack(loosening.values)
                continue
            }
            if (failing.isEmpty && outsideModel.isEmpty) || attempt == maximumResolves || problem.fixedFleet != nil || outOfTime {
                addClosingNotes(to: &plan, solution: solution, failing: failing, attempt: attempt,
                                outOfTime: outOfTime, problem: problem)
                let outcome = Outcome(plan: plan, report: solvedReport, model: formulation.model)
                guard let passed = state.passed, !failing.isEmpty || passed.report.objective < outcome.report.objective
                else { return outcome }
                return finished(passed, attempt: attempt)
            }
            state.previous = solved
            var repair: [Double]? = solution.variableValues
            tighten(failing: failing, flowsByPool: assembler.flowsByPool(), formulation: formulation,
                    tightening: &state.tightening, repair: &repair)
            state.start = repair.map { .repaired($0) } ?? .firstIncumbent
        }
        preconditionFailure("unreachable: the loop returns on its last attempt")
    }

    /// One solve of `solve`'s loop: the model with `state.tightening`, started from `state.start`,
    /// plans near the bound checked inside the search (`QueueingCuts`). Adds its time, nodes and
    /// plans cut to `state`, and its bound to the gap of a cut-back plan awaiting one. Returns the
    /// solution and the model it is a solution of: with the rows the checks in the search added,
    /// which `state.tightening` then holds too.
    private func search(attempt: Int, problem: PlanningProblem, candidates: [CandidatePool], routes: [Route],
                        state: inout ResolveState, began: Date, deadline: Date, objectiveUnit: String)
        throws -> (solution: Solution, formulation: FleetFormulation) {
        var formulation = FleetFormulation(problem: problem, candidates: candidates, routes: routes, tightening: state.tightening)
        var budgeted = problem
        budgeted.solverTimeLimitSeconds = max(deadline.timeIntervalSinceNow, 0.001)
        var options = solveOptions(for: budgeted)
        let searchStarted = Date()
        options.startingSolution = try startingPlan(state.start, formulation: &formulation, tightening: &state.tightening,
                                                    budgeted: budgeted)
        let cuts = checksPlansInSearch && problem.fixedFleet == nil && problem.objective != .maxLoad
            ? QueueingCuts(planner: silenced, formulation: formulation, tightening: state.tightening,
                           relativeGap: Self.inSearchCheckGap) : nil
        if let cuts { options.lazyConstraints = { cuts.constraints(at: $0) } }
        state.seconds += Date().timeIntervalSince(searchStarted)
        if let progress {
            let solve = attempt + 1
            options.progress = { snapshot in
                progress(PlanningProgress(solve: solve, seconds: Date().timeIntervalSince(began),
                                          incumbent: snapshot.incumbent, bound: snapshot.bestBound, nodes: snapshot.nodes,
                                          objectiveUnit: objectiveUnit, finished: false, failingPools: [],
                                          loosenedPools: []))
            }
        }
        let solution = try solver.solve(formulation.model, options: options)
        state.seconds += solution.seconds
        state.nodes += solution.nodes
        state.plansCutInSearch += cuts?.plansCut ?? 0
        // This search was of the model the cut-back plan in `passed` is a solution of (unless the
        // checks in it added rows): its bound is that plan's proven gap, tighter than the LP's.
        if state.passedAwaitsBound, solution.lazyConstraintsAdded == 0, let bound = solution.bestBound,
           var cutBack = state.passed, cutBack.report.objective > 0 {
            cutBack.report.gap = min(cutBack.report.gap, max(0, (cutBack.report.objective - bound) / cutBack.report.objective))
            state.passed = cutBack
        }
        state.passedAwaitsBound = false
        // The plan is proven optimal in the model with the rows the checks in the search added.
        if let cuts, solution.lazyConstraintsAdded > 0 {
            state.tightening = cuts.tightening
            formulation = FleetFormulation(problem: problem, candidates: candidates, routes: routes, tightening: state.tightening)
        }
        return (solution, formulation)
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

    /// The plan a solve starts from (`start`). A repaired or cut-back plan while it is a solution
    /// of the model — after a loosening, the restricted MILP's plan (`firstIncumbent`) instead when
    /// that is cheaper: the plan cut back to what its traffic needs can be far from the loosened
    /// model's optimum, and on pools of tens of thousands of instances GLPK's search finds nothing
    /// better by itself (the chat CDF at 1,000,000 req/s, 1 s sat 8% above its bound until the
    /// 60 s limit; now 1.2–2.3 s, same plan). Tried on every re-solve it changed no plan but added
    /// a restricted MILP to each (the 42 runs with baselines measured a few percent slower, within
    /// this machine's drift). On the first solve, or when the plan given is not a solution of the
    /// model, the checked first incumbent (`checkedFirstIncumbent`, which may tighten `formulation`).
    func startingPlan(_ start: ResolveState.Start, formulation: inout FleetFormulation,
                      tightening: inout FleetFormulation.Tightening, budgeted: PlanningProblem) throws -> [Variable: Double]? {
        let model = formulation.model
        func assignment(_ values: [Double]) -> [Variable: Double] {
            Dictionary(uniqueKeysWithValues: zip(model.variables, values))
        }
        let (values, afterLoosening): ([Double]?, Bool) = switch start {
        case .firstIncumbent: (nil, false)
        case .repaired(let values): (values, false)
        case .cutBack(let values): (values, true)
        }
        let given = values.map(assignment).flatMap { model.infeasibility(of: $0) == nil ? $0 : nil }
        guard seedsIncumbent else { return given }
        if let given {
            guard afterLoosening, budgeted.objective != .maxLoad,
                  let restricted = try firstIncumbent(for: formulation, problem: budgeted) else { return given }
            let objective = model.objective
            let givenObjective = objective.terms.reduce(objective.constant) { $0 + $1.coefficient * (given[$1.variable] ?? 0) }
            return restricted.objective < givenObjective ? assignment(restricted.variableValues) : given
        }
        // It may have tightened the model: the start is keyed by the variables of the new one.
        let found = try checkedFirstIncumbent(formulation: &formulation, tightening: &tightening, budgeted: budgeted)
        return found.map { Dictionary(uniqueKeysWithValues: zip(formulation.model.variables, $0.variableValues)) }
    }

    /// The first incumbent (`firstIncumbent`), with its large pools checked before anything is
    /// proven: where one fails, the proven optimum (which keeps such pools with nearly the same
    /// traffic) would fail the same way and its proof would be thrown away, so the failure is
    /// tightened into `formulation` at once and the incumbent found again.
    private func checkedFirstIncumbent(formulation: inout FleetFormulation, tightening: inout FleetFormulation.Tightening,
                                       budgeted: PlanningProblem) throws -> Solution? {
        let problem = formulation.problem, candidates = formulation.candidates, routes = formulation.routes
        var incumbent = try firstIncumbent(for: formulation, problem: budgeted)
        for _ in 0..<maximumResolves {
            guard let found = incumbent else { break }
            let assembler = PlanAssembler(problem: problem, candidates: candidates, routes: routes,
                                          formulation: formulation, solution: found)
            let failing = assembler.assemble().pools.filter {
                !$0.meetsSLO && $0.instances >= Self.incumbentCheckMinimumInstances
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

    /// Throws what a solve that came back without a plan means, in the operator's terms.
    private func requirePlan(from solution: Solution, formulation: FleetFormulation) throws {
        let problem = formulation.problem
        switch solution.status {
        case .optimal, .feasible:
            return
        case .noSolution:
            throw InputError(.infeasible, location: "time-limit",
                             "the solver found no plan within the \(problem.solverTimeLimitSeconds) s time limit",
                             fix: "raise --time-limit")
        case .infeasible:
            throw try InfeasibilityDiagnosis(planner: silenced, problem: problem, candidates: formulation.candidates,
                                             routes: formulation.routes).explain(solverStatus: solution.status)
        case .unbounded:
            throw InputError(.infeasible, location: "plan", "the fleet model is unbounded, which should not happen",
                             fix: "please report this scenario")
        case .failed(let reason):
            throw InputError(.infeasible, location: "solver", "GLPK failed: \(reason)")
        }
    }

    /// Throws if the solution routes traffic to a pool it gives no instance: when a pool's whole
    /// demand needs less than GLPK's integrality tolerance (1e-5) of one instance — a demand
    /// millions of times below what one instance carries, only seen on hardware far beyond any
    /// real GPU — the solver counts that fraction as zero and the traffic would vanish from the plan.
    private func requireInstances(for assembler: PlanAssembler, solution: Solution) throws {
        let formulation = assembler.formulation
        guard let (index, _) = assembler.flowsByPool().sorted(by: { $0.key < $1.key })
            .first(where: { solution.value(of: formulation.instances[$0.key]) < 0.5 }) else { return }
        let problem = formulation.problem, pool = formulation.candidates[index]
        let need = Self.instancesNeededByRows(assembler.flowsByPool()[index] ?? [], on: pool, problem: problem)
        throw InputError(
            .infeasible, location: "rate",
            "at \(problem.rateRequestsPerSecond) requests/s the traffic of \(pool.key) needs "
                + "\(String(format: "%.1g", need)) of one instance, too little for the solver to tell from none",
            fix: "plan a higher --rate, or check the GPU's figures in the catalog")
    }

    /// What the returned plan says about how the search ended: a time limit short of the proof, a
    /// fleet fixed by hand, pools the re-solves could not bring within the SLO.
    private func addClosingNotes(to plan: inout FleetPlan, solution: Solution, failing: [PlannedPool], attempt: Int,
                                 outOfTime: Bool, problem: PlanningProblem) {
        if solution.status == .feasible, let gap = solution.mipGap {
            plan.notes.append("the \(String(format: "%g", problem.solverTimeLimitSeconds)) s time limit stopped the search "
                + "\(String(format: "%.2g%%", gap * 100)) from the proven bound: no plan is better by more than that "
                + "(raise --time-limit for a proof)")
        }
        if problem.fixedFleet != nil {
            plan.notes.append("a fleet fixed by hand: the demand is routed over it (the routing minimises "
                + "\(problem.objective == .minCost ? "cost" : "power")), nothing is resized")
            if !failing.isEmpty {
                plan.notes.append("\(failing.count) pool(s) miss the SLO: " + failing.map(\.id).joined(separator: ", "))
            }
        } else if !failing.isEmpty {
            plan.notes.append((outOfTime && attempt < maximumResolves ? "when the time limit ran out, " : "")
                + "after \(attempt) re-solves \(failing.count) pool(s) still miss the SLO: "
                + failing.map { "\($0.id) P99 TTFT \(InfeasibilityDiagnosis.milliseconds($0.p99TTFTSeconds))" }
                    .joined(separator: ", "))
        }
    }

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

    func solveOptions(for problem: PlanningProblem) -> SolveOptions {
        var options = SolveOptions()
        // A hair under the request, so rounding in the reported gap never shows more than was asked.
        options.relativeGap = problem.relativeGap * (1 - 1e-6)
        options.timeLimitSeconds = problem.solverTimeLimitSeconds
        options.branching = branching
        options.backtracking = backtracking
        options.cuts = cuts
        return options
    }
}
