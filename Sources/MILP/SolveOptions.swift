/// Settings for one solve. Defaults: no time limit, exact optimality (gap 0), presolve on,
/// silent, GLPK's default branching (Driebeck–Tomlin) and backtracking (best local bound), no cuts.
public struct SolveOptions: Sendable {
    /// How much of GLPK's terminal output to capture into `Solution.log`. GLPK never prints to
    /// stdout through this layer, whatever the level.
    public enum LogLevel: Sendable, Hashable {
        case silent, errors, normal, verbose
    }

    /// Branching variable choice (GLPK `br_tech`).
    public enum Branching: Sendable, Hashable {
        case firstFractional, lastFractional, mostFractional, driebeckTomlin, pseudocost
    }

    /// Next-node choice (GLPK `bt_tech`).
    public enum Backtracking: Sendable, Hashable {
        case depthFirst, breadthFirst, bestLocalBound, bestProjection
    }

    /// Cutting planes (GLPK `gmi_cuts`, `mir_cuts`, `cov_cuts`, `clq_cuts`).
    public struct Cuts: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let gomory = Cuts(rawValue: 1 << 0)
        public static let mixedIntegerRounding = Cuts(rawValue: 1 << 1)
        public static let cover = Cuts(rawValue: 1 << 2)
        public static let clique = Cuts(rawValue: 1 << 3)
        public static let all: Cuts = [.gomory, .mixedIntegerRounding, .cover, .clique]
    }

    /// Primal heuristics (GLPK `sr_heur`, `fp_heur`, `ps_heur`).
    public struct Heuristics: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let simpleRounding = Heuristics(rawValue: 1 << 0)
        public static let feasibilityPump = Heuristics(rawValue: 1 << 1)
        public static let proximitySearch = Heuristics(rawValue: 1 << 2)
    }

    /// How the problem's rows and columns are scaled before the simplex (GLPK `glp_scale_prob`).
    public enum Scaling: Sendable, Hashable {
        /// GLPK's automatic choice: geometric mean, then equilibration, skipped if already well scaled.
        case automatic
        /// The same with every scale factor rounded to a power of two, so scaling changes no
        /// coefficient's digits. Either can send a degenerate search down a much longer path
        /// than the other on the same model.
        case powersOfTwo
    }

    /// Wall-clock limit for the whole solve, in seconds; nil for none. When it stops a MILP
    /// search the best solution found comes back as `.feasible` with its gap, or `.noSolution`.
    public var timeLimitSeconds: Double?
    /// Stop once `|incumbent − bound| / |incumbent|` is at most this (GLPK `mip_gap`). The result
    /// is then reported `.optimal`; `Solution.mipGap` tells the remaining gap, never more than this.
    public var relativeGap: Double = 0
    /// GLPK's presolver (LP presolver for LPs, MIP presolver for MILPs).
    public var presolve: Bool = true
    public var logLevel: LogLevel = .silent
    /// Called on the solving thread with each new incumbent and at most every
    /// `progressIntervalSeconds` otherwise. Must be quick and must not start another solve
    /// (that throws `.reentrantSolve`).
    public var progress: (@Sendable (SolveProgress) -> Void)?
    public var progressIntervalSeconds: Double = 1
    public var branching: Branching = .driebeckTomlin
    public var backtracking: Backtracking = .bestLocalBound
    public var cuts: Cuts = []
    public var heuristics: Heuristics = [.simpleRounding]
    /// A full assignment offered to GLPK as its first incumbent (through `glp_ios_heur_sol` at
    /// the first heuristic call). It is checked first — every variable present, within bounds,
    /// integral where needed, every constraint satisfied (tolerance 1e-6, relative for large
    /// values) — and silently skipped if it fails; `Solution.startingSolutionAccepted` and
    /// `Solution.detail` tell what happened. GLPK takes heuristic solutions in terms of the
    /// columns of the problem being searched, so a starting solution turns the MIP presolver
    /// off for that solve (the LP relaxation is solved first instead).
    public var startingSolution: [Variable: Double]?
    /// After a MILP, fix the integer variables at their solution values and re-solve the LP, so
    /// the solution carries row duals and reduced costs at the integer solution (the continuous
    /// part is re-optimised, which can only improve the objective).
    public var dualsByFixingIntegers: Bool = false
    /// Lazy constraints (JuMP's lazy-constraint callback): constraints the model leaves out and
    /// the search adds where it needs them. Called on the solving thread with the LP optimum of
    /// every subproblem that is better than the incumbent; the returned constraints that the
    /// point violates are added below the current node and its LP is re-solved. An integral
    /// point (`LazyPoint.isIntegral`) with none returned becomes the incumbent, so returning a
    /// violated constraint is how the callback rejects it. GLPK keeps such rows in the subtree
    /// that generated them: return a constraint again wherever a point violates it, fractional
    /// points included, to have it hold everywhere. A `startingSolution` and GLPK's own
    /// heuristics bypass the callback, so the heuristics are off while it is set, and so is the
    /// MIP presolver (it renumbers variables). Must be quick and must not start another solve.
    public var lazyConstraints: (@Sendable (LazyPoint) -> [LinearConstraint])?
    /// When a MILP search stops for its node count (`nodeLimit`).
    public struct NodeLimit: Sendable, Hashable {
        /// Branch-and-bound nodes created.
        public var nodes: Int
        /// The limit applies once the relative gap is at most this (a search stalled near its
        /// bound); +∞: at any gap, with or without an incumbent.
        public var withinGap: Double

        public init(nodes: Int, withinGap: Double = .infinity) {
            self.nodes = nodes
            self.withinGap = withinGap
        }
    }

    /// Stop a MILP search at a node count; nil for none. The best solution found comes back
    /// `.feasible` with its gap (or `.noSolution`) and `Solution.stoppedAtNodeLimit` set. Unlike
    /// the time limit, it stops every run of the same model and options at the same place.
    public var nodeLimit: NodeLimit?
    public var scaling: Scaling = .automatic
    /// Pivots the primal simplex may take on an LP before the dual simplex finishes it from
    /// where it stopped (nil: 10 per row and column, plus 1,000). Only tests set it.
    var primalSimplexPivotLimit: Int?

    public init() {}

    func validate() throws {
        if let limit = timeLimitSeconds, !(limit > 0) || limit.isNaN {
            throw MILPError(.invalidOptions, "timeLimitSeconds must be positive (or nil for none), got \(limit)")
        }
        if !(relativeGap >= 0) || !relativeGap.isFinite {
            throw MILPError(.invalidOptions, "relativeGap must be a finite number ≥ 0, got \(relativeGap)")
        }
        if let limit = nodeLimit, limit.nodes < 1 || !(limit.withinGap >= 0) {
            throw MILPError(.invalidOptions, "nodeLimit needs at least 1 node and a gap ≥ 0 (or nil for none), "
                            + "got \(limit.nodes) nodes within \(limit.withinGap)")
        }
        if !(progressIntervalSeconds >= 0) || !progressIntervalSeconds.isFinite {
            throw MILPError(.invalidOptions, "progressIntervalSeconds must be a finite number ≥ 0, got \(progressIntervalSeconds)")
        }
    }
}
