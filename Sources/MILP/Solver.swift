/// Something that solves a `Model`. Synchronous: the whole solve happens inside the call, on the
/// calling thread; independent models may be solved concurrently from different tasks.
public protocol Solver: Sendable {
    func solve(_ model: Model, options: SolveOptions) throws -> Solution
}

extension Solver {
    /// Solves with default options.
    public func solve(_ model: Model) throws -> Solution {
        try solve(model, options: SolveOptions())
    }
}
