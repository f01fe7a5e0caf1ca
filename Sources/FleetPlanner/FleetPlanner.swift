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
    /// Branch-and-bound nodes after which a search that has not closed its gap starts again from
    /// its best plan with power-of-two scale factors (`SolveOptions.Scaling.powersOfTwo`); nil:
    /// never. On these degenerate MILPs the scaling alone can decide between a proof in a few
    /// nodes and a bound that crawls: agent-heavy at 2000 req/s, 2 s (594 instances) sat 0.024%
    /// above its bound after 42,000 nodes at the 60 s limit with GLPK's automatic scaling, and
    /// power-of-two factors prove the same plan in 9 nodes — but they are no better in general
    /// (the 32-run yardstick: 10,855 → 12,724 nodes), and a restart loses the tree: from 1,000
    /// nodes, five runs of the min-cost, Llama-3.1-8B and Qwen3-235B-A22B sets took from 9% more
    /// to twice the nodes. From 3,000 no search of the yardstick or of those sets is touched, and
    /// agent-heavy at 2000 req/s, 2 s is proven in 2.8 s (at 3000 req/s: 1.85 → 1.4 s). A node
    /// count, not a time, so a scenario always takes the same path.
    public var stalledSearchNodes: Int? = 3000
    /// How near its bound (relative gap) a search must be for `stalledSearchNodes` to stop it: one
    /// still searching, further away, keeps its tree. On threshold routing the restart from 3,000
    /// nodes at a 1.9% gap ended a 10 s run at a 20% gap instead of 13% (agent-heavy, Llama-3.1-8B,
    /// B200 only, 1000 req/s, 500 ms); the searches it rescues stall at 0.02–0.2%.
    static let stalledSearchGap = 5e-3
    /// Single-instance pools of the first incumbent carrying less than this share of the requests
    /// are checked before the proof too: such a "filler" serves a sliver of a band beside the
    /// large pools, and the proven optimum keeps it the same way (on the LMSYS CDF at 1000 req/s,
    /// 2 s the first incumbent was the optimum, and its 0.2 req/s filler failed after a 737-node
    /// proof). Over the 32-run yardstick the re-solves fell from 25 to 22 and the nodes from 10,855
    /// to 10,192, no plan moved; over the min-cost, two-pool, Llama-3.1-8B, Qwen3-235B-A22B and
    /// 33 chat-CDF runs no plan moved by more than 0.05%, with 5 fewer re-solves.
    var incumbentCheckFillerShare = 0.01
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
            state.start = repair.map { .repaired($0, lastBound: solution.bestBound) } ?? .firstIncumbent
        }
        preconditionFailure("unreachable: the loop returns on its last attempt")
    }

    /// One solve of `solve`'s loop: the model with `state.tightening`, started from `state.start`,
    /// plans near the bound checked inside the search (`QueueingCuts`). A search still open after
    /// `stalledSearchNodes` nodes goes on, from its best plan, with power-of-two scale factors.
    /// Adds its time, nodes and plans cut to `state`, and its bound to the gap of a cut-back plan
    /// awaiting one. Returns the solution and the model it is a solution of: with the rows the
    /// checks in the search added, which `state.tightening` then holds too.
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
        state.seconds += Date().timeIntervalSince(searchStarted)
        // One GLPK search of `formulation`; the rows the checks in it add go into `state.tightening`
        // and the model is rebuilt with them (the plan is proven optimal in that model).
        func run(_ options: SolveOptions, nodesBefore: Int) throws -> Solution {
            var options = options
            let cuts = checksPlansInSearch && problem.fixedFleet == nil && problem.objective != .maxLoad
                ? QueueingCuts(planner: silenced, formulation: formulation, tightening: state.tightening,
                               relativeGap: Self.inSearchCheckGap) : nil
            if let cuts { options.lazyConstraints = { cuts.constraints(at: $0) } }
            if let progress {
                let solve = attempt + 1
                options.progress = { snapshot in
                    progress(PlanningProgress(solve: solve, seconds: Date().timeIntervalSince(began),
                                              incumbent: snapshot.incumbent, bound: snapshot.bestBound,
                                              nodes: nodesBefore + snapshot.nodes, objectiveUnit: objectiveUnit,
                                              finished: false, failingPools: [], loosenedPools: []))
                }
            }
            let solution = try solver.solve(formulation.model, options: options)
            state.seconds += solution.seconds
            state.nodes += solution.nodes
            state.plansCutInSearch += cuts?.plansCut ?? 0
            if let cuts, solution.lazyConstraintsAdded > 0 {
                state.tightening = cuts.tightening
                formulation = FleetFormulation(problem: problem, candidates: candidates, routes: routes, tightening: state.tightening)
            }
            return solution
        }
        options.nodeLimit = stalledSearchNodes.map { SolveOptions.NodeLimit(nodes: $0, withinGap: Self.stalledSearchGap) }
        var solution = try run(options, nodesBefore: 0)
        if solution.stoppedAtNodeLimit {
            var rescue = options
            rescue.nodeLimit = nil
            rescue.scaling = .powersOfTwo
            rescue.timeLimitSeconds = max(deadline.timeIntervalSinceNow, 0.001)
            if solution.hasSolution {
                rescue.startingSolution = Dictionary(uniqueKeysWithValues: zip(formulation.model.variables, solution.variableValues))
            }
            let stalled = solution
            solution = try run(rescue, nodesBefore: stalled.nodes)
            solution.lazyConstraintsAdded += stalled.lazyConstraintsAdded
        }
        // This search was of the model the cut-back plan in `passed` is a solution of (unless the
        // checks in it added rows): its bound is that plan's proven gap, tighter than the LP's.
        if state.passedAwaitsBound, solution.lazyConstraintsAdded == 0, let bound = solution.bestBound,
           var cutBack = state.passed, cutBack.report.objective > 0 {
            cutBack.report.gap = min(cutBack.report.gap, max(0, (cutBack.report.objective - bound) / cutBack.report.objective))
            state.passed = cutBack
        }
        state.passedAwaitsBound = false
        return (solution, formulation)
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
