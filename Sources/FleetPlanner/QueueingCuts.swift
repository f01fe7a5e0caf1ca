import MILP
import Synchronization

/// The queueing check inside the branch-and-bound, as lazy constraints: a plan the search is about
/// to take as its incumbent while within `FleetPlanner.inSearchCheckGap` of the proven bound is
/// checked (`PoolEvaluation`), and if a pool misses its P99 TTFT the plan is cut off by the rows a
/// re-solve would have added (`FleetPlanner.tighten`): the search goes on in the same tree instead
/// of starting again. Every row found so far is handed back wherever an LP optimum breaks it,
/// fractional ones included, so the rows hold in every subtree (GLPK keeps a lazy row only below
/// the node that got it) and the proven bound is one of the tightened model.
///
/// Plans further from the bound are taken unchecked: most are beaten before the end, and raising
/// minimums for a pool whose traffic is still moving over-constrains the plan (checking every
/// plan cost the LMSYS CDF at 100 req/s, 500 ms 30% more power). So are plans whose failing pools
/// are large (`FleetPlanner.incumbentCheckMinimumInstances` instances or more): the single- and
/// few-instance pools that fill the last rounding are what the re-solves used to walk between.
/// A plan taken unchecked that ends up the answer and fails is left to the re-solve after the
/// search, as before.
final class QueueingCuts: Sendable {
    private struct State {
        var tightening: FleetFormulation.Tightening
        /// Every row of the tightened model the searched model lacks or has with other numbers.
        var rows: [LinearConstraint] = []
        /// Near-optimal plans that failed the check and were cut off.
        var plansCut = 0
    }

    private let planner: FleetPlanner
    private let formulation: FleetFormulation
    private let relativeGap: Double
    /// The searched model's rows by name, to tell which rows a tightening changes.
    private let searchedRows: [String: LinearConstraint]
    private let state: Mutex<State>

    /// - Parameters:
    ///   - formulation: the model being searched, built with `tightening`.
    ///   - relativeGap: plans within this relative distance of the search's bound are checked.
    init(planner: FleetPlanner, formulation: FleetFormulation, tightening: FleetFormulation.Tightening,
         relativeGap: Double) {
        self.planner = planner
        self.formulation = formulation
        self.relativeGap = relativeGap
        searchedRows = Self.rowsByName(of: formulation.model)
        state = Mutex(State(tightening: tightening))
    }

    /// The searched model's tightening plus what the checks in the search added.
    var tightening: FleetFormulation.Tightening { state.withLock { $0.tightening } }
    /// Near-optimal plans that failed the check and were cut off so far.
    var plansCut: Int { state.withLock { $0.plansCut } }

    /// What `SolveOptions.lazyConstraints` asks: the rows found so far that `point` breaks; for
    /// a near-optimal integral point that breaks none, the rows its failing pools call for (none
    /// if it passes the check). O(rows found × their terms) per point, plus one check of every
    /// pool (O(routes · samples)) per near-optimal plan.
    func constraints(at point: LazyPoint) -> [LinearConstraint] {
        state.withLock { state in
            let broken = state.rows.filter { Self.breaks(point.values, $0) }
            guard broken.isEmpty, point.isIntegral, isNearOptimal(point) else { return broken }
            let assembler = PlanAssembler(problem: formulation.problem, candidates: formulation.candidates,
                                          routes: formulation.routes, formulation: formulation, values: point.values)
            let failing = assembler.assemble().pools.filter { !$0.meetsSLO }
            guard !failing.isEmpty, failing.allSatisfy({ $0.instances < FleetPlanner.incumbentCheckMinimumInstances }) else { return [] }
            state.plansCut += 1
            var noRepair: [Double]?
            planner.tighten(failing: failing, flowsByPool: assembler.flowsByPool(), formulation: formulation,
                            tightening: &state.tightening, repair: &noRepair)
            let tightened = FleetFormulation(problem: formulation.problem, candidates: formulation.candidates,
                                             routes: formulation.routes, tightening: state.tightening)
            state.rows = Self.rowsByName(of: tightened.model).sorted { $0.key < $1.key }.compactMap { name, row in
                searchedRows[name].map { Self.same($0, row) } == true ? nil : row
            }
            return state.rows.filter { Self.breaks(point.values, $0) }
        }
    }

    private func isNearOptimal(_ point: LazyPoint) -> Bool {
        guard let bound = point.bestBound, point.objective != 0 else { return true }
        return abs(point.objective - bound) / abs(point.objective) <= relativeGap
    }

    private static func rowsByName(of model: Model) -> [String: LinearConstraint] {
        var rows: [String: LinearConstraint] = [:]
        for reference in model.constraints {
            if let name = model.name(of: reference), let row = model.constraint(reference) { rows[name] = row }
        }
        return rows
    }

    private static func same(_ a: LinearConstraint, _ b: LinearConstraint) -> Bool {
        let x = a.expression.terms, y = b.expression.terms
        return a.lowerBound == b.lowerBound && a.upperBound == b.upperBound && x.count == y.count
            && zip(x, y).allSatisfy { $0.variable.index == $1.variable.index && $0.coefficient == $1.coefficient }
    }

    /// Whether `values` lies outside `row` (relative tolerance 1e-7, as the C driver's).
    private static func breaks(_ values: [Double], _ row: LinearConstraint) -> Bool {
        !row.isSatisfied(by: values, relativeTolerance: 1e-7)
    }
}
