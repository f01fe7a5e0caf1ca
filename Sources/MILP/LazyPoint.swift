/// The LP optimum of a branch-and-bound subproblem, as `SolveOptions.lazyConstraints` sees it.
public struct LazyPoint: Sendable {
    /// Values by variable index (`Model.variables` order); integer variables rounded when integral.
    public let values: [Double]
    /// Every integer variable is integral: unless constraints are returned, the search accepts
    /// this point as its incumbent.
    public let isIntegral: Bool
    /// The objective at this point (the subproblem's LP bound).
    public let objective: Double
    /// The search's best bound over its active subproblems, if it has one.
    public let bestBound: Double?

    public init(values: [Double], isIntegral: Bool, objective: Double, bestBound: Double?) {
        self.values = values
        self.isIntegral = isIntegral
        self.objective = objective
        self.bestBound = bestBound
    }

    /// The value of `variable` at this point (0 for a handle outside the model).
    public func value(of variable: Variable) -> Double {
        values.indices.contains(variable.index) ? values[variable.index] : 0
    }
}
