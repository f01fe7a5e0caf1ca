/// What `FleetPlanner.solve` carries from one solve of a plan to the next: the limits the queueing
/// checks have set, where the next search starts, the plans to fall back on, and the totals the
/// report gives.
struct ResolveState {
    /// Per-candidate limits the queueing checks have raised (and loosenings lowered) so far.
    var tightening = FleetFormulation.Tightening()
    /// The plan the next solve starts from.
    var start = Start.firstIncumbent
    /// The last solve's plan, what failed in it and its proven bound: raised in place
    /// (`FleetPlanner.raisedOutcome`), it stands when the time limit stops the re-solve short of a
    /// better plan. Nil after a loosening.
    var previous: FleetPlanner.SolvedState?
    /// The cheapest plan so far that passed the check, with its own model.
    var passed: FleetPlanner.Outcome?
    /// Whether `passed` is a plan cut back after the last solve, whose gap the next solve proves.
    var passedAwaitsBound = false
    /// Times pools that held more instances than their traffic needed were loosened (`FleetPlanner.loosen`).
    var loosenings = 0
    /// Over every solve so far: seconds, branch-and-bound nodes, and plans the checks in the
    /// search cut off.
    var seconds = 0.0
    var nodes = 0
    var plansCutInSearch = 0

    /// Where a solve's search starts (`FleetPlanner.startingPlan`), by variable index.
    enum Start {
        /// The first solve: the restricted MILP's plan (`FleetPlanner.checkedFirstIncumbent`).
        case firstIncumbent
        /// After a queueing failure: the last plan with its failing pools raised — a solution of
        /// the next model when raising minimums is all that changed, so the search need not find
        /// one again — and the bound the solve that found the plan proved.
        case repaired([Double], lastBound: Double?)
        /// After a loosening: the plan cut back to what its traffic needs (the restricted MILP's
        /// plan instead when that is cheaper).
        case cutBack([Double])
    }
}
