/// The outcome of a solve: status, objective, variable values and (when available) duals.
///
/// A `Sendable` value with no ties to GLPK. Reading a value that does not exist — there is no
/// solution, or the handle belongs to another model — gives NaN rather than trapping.
public struct Solution: Sendable {
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        /// Proven optimal (for a MILP: within `SolveOptions.relativeGap`; see `mipGap`).
        case optimal
        /// A limit stopped the search with a solution; `mipGap` tells how far from proven.
        case feasible
        case infeasible
        case unbounded
        /// A limit stopped the search before any solution was found.
        case noSolution
        /// GLPK could not finish (numerical trouble); the reason is attached.
        case failed(String)

        public var description: String {
            switch self {
            case .optimal: "optimal"
            case .feasible: "feasible"
            case .infeasible: "infeasible"
            case .unbounded: "unbounded"
            case .noSolution: "no solution"
            case .failed(let reason): "failed: \(reason)"
            }
        }
    }

    public let status: Status
    /// Why, in words: e.g. "integer infeasible: the LP relaxation is feasible but no integer
    /// solution exists", or "time limit reached; returning the best integer solution found".
    public let detail: String
    /// Objective value including its constant; NaN without a solution.
    public let objective: Double
    /// Best proven bound on the optimum (equals `objective` when optimal); nil when unknown.
    public let bestBound: Double?
    /// `|objective − bestBound| / (|objective| + ε)`; 0 when optimal, nil when unknown.
    public let mipGap: Double?
    /// Wall-clock seconds of the whole call: check, build, solve, read back.
    public let seconds: Double
    /// Branch-and-cut nodes created (0 for LPs or when presolve alone solved it).
    public let nodes: Int
    public let isMIP: Bool
    /// Captured GLPK terminal output at `SolveOptions.logLevel` (empty when silent).
    public let log: String
    /// nil when no starting solution was given or the model is an LP; false when it was skipped
    /// (see `detail` for why), rejected by GLPK, or never needed; true when GLPK took it.
    public let startingSolutionAccepted: Bool?
    /// Constraints `SolveOptions.lazyConstraints` added during the search (each time one was
    /// added below a node).
    public var lazyConstraintsAdded: Int = 0
    /// True when `SolveOptions.nodeLimit` stopped the search.
    public var stoppedAtNodeLimit = false
    /// Values by variable index; empty without a solution.
    public let variableValues: [Double]
    /// Row activities (Σ a·x, without the expression constants) by constraint index.
    public let constraintActivities: [Double]
    /// Row duals by constraint index, in GLPK's convention (change of the objective per unit
    /// increase of the row's active bound); nil unless the problem is an LP solved to optimality
    /// or `SolveOptions.dualsByFixingIntegers` was set.
    public let rowDualValues: [Double]?
    /// Reduced costs by variable index; same availability as `rowDualValues`.
    public let reducedCostValues: [Double]?

    let modelID: ModelID
    let variableNames: [String]
    let constraintNames: [String]

    /// True when values are available (status `optimal` or `feasible`).
    public let hasSolution: Bool

    public func value(of variable: Variable) -> Double {
        guard variable.modelID == modelID, variableValues.indices.contains(variable.index) else { return .nan }
        return variableValues[variable.index]
    }

    public subscript(_ variable: Variable) -> Double { value(of: variable) }

    /// The expression evaluated at the solution (constant included). O(terms).
    public func value(of expression: LinearExpression) -> Double {
        guard hasSolution, expression.modelID == modelID || expression.modelID == .none else { return .nan }
        var total = expression.constant
        for (index, coefficient) in zip(expression.indices, expression.coefficients) {
            guard variableValues.indices.contains(Int(index)) else { return .nan }
            total += coefficient * variableValues[Int(index)]
        }
        return total
    }

    /// A value by variable name (e.g. for models read from a file). O(n).
    public func value(named name: String) -> Double? {
        guard let index = variableNames.firstIndex(of: name), variableValues.indices.contains(index) else { return nil }
        return variableValues[index]
    }

    /// The row activity `Σ a·x` of a constraint (without the expression's constant).
    public func activity(of constraint: ConstraintRef) -> Double {
        guard constraint.modelID == modelID, constraintActivities.indices.contains(constraint.index) else { return .nan }
        return constraintActivities[constraint.index]
    }

    /// The row dual of a constraint, nil when duals are unavailable.
    public func dual(of constraint: ConstraintRef) -> Double? {
        guard constraint.modelID == modelID, let duals = rowDualValues,
              duals.indices.contains(constraint.index) else { return nil }
        return duals[constraint.index]
    }

    /// The reduced cost of a variable, nil when unavailable.
    public func reducedCost(of variable: Variable) -> Double? {
        guard variable.modelID == modelID, let costs = reducedCostValues,
              costs.indices.contains(variable.index) else { return nil }
        return costs[variable.index]
    }

    /// Row duals by constraint name; empty when unavailable. O(m).
    public var rowDuals: [String: Double] {
        guard let duals = rowDualValues else { return [:] }
        return Dictionary(zip(constraintNames, duals), uniquingKeysWith: { first, _ in first })
    }

    /// Reduced costs by variable name; empty when unavailable. O(n).
    public var reducedCosts: [String: Double] {
        guard let costs = reducedCostValues else { return [:] }
        return Dictionary(zip(variableNames, costs), uniquingKeysWith: { first, _ in first })
    }

    /// Variable values by name; empty without a solution. O(n).
    public var valuesByName: [String: Double] {
        Dictionary(zip(variableNames, variableValues), uniquingKeysWith: { first, _ in first })
    }
}
