/// Where the plan's search stands, reported by `FleetPlanner.progress` while it runs: during a
/// solve (at most about once a second, and at each better plan) and when a solve ends.
public struct PlanningProgress: Sendable {
    /// 1 for the first solve, then one more per queueing re-solve.
    public let solve: Int
    /// Seconds since the search started (re-solves included).
    public let seconds: Double
    /// The objective of the best plan this solve has found so far, in `objectiveUnit`; nil before it has one.
    public let incumbent: Double?
    /// The proven bound on this solve's optimum, in `objectiveUnit`; nil before the root is solved.
    public let bound: Double?
    /// Branch-and-bound nodes this solve has created.
    public let nodes: Int
    /// "W" (minimising power), "$/h" (minimising cost) or "share" (maximising the served share).
    public let objectiveUnit: String
    /// True when this solve has ended: `incumbent` and `bound` are then its result.
    public let finished: Bool
    /// When finished: the pools of its plan that miss their P99 TTFT, which the next solve raises
    /// (empty when the plan passes), or — rarely — that break rows the search added after it took
    /// the plan, which the next solve keeps.
    public let failingPools: [String]
    /// When finished with a plan that passes: its pools that hold more instances than their
    /// traffic needs, loosened for one more solve that may find a cheaper plan (empty when the
    /// plan stands).
    public let loosenedPools: [String]

    /// `|incumbent − bound| / |incumbent|`, or nil while either is unknown.
    public var relativeGap: Double? {
        guard let incumbent, let bound, incumbent != 0 else { return nil }
        return abs(incumbent - bound) / abs(incumbent)
    }
}
