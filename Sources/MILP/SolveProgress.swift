/// A snapshot of a branch-and-cut search, for `SolveOptions.progress`.
public struct SolveProgress: Sendable {
    /// Objective of the best integer solution so far.
    public let incumbent: Double?
    /// Best bound on the optimum over the open nodes.
    public let bestBound: Double?
    /// `|incumbent − bound| / (|incumbent| + ε)`.
    public let relativeGap: Double?
    /// Nodes created so far, including those already removed from the tree.
    public let nodes: Int
    public let activeNodes: Int
    /// Seconds since GLPK started solving.
    public let seconds: Double
}
