/// An error from the MILP layer: an invalid model or option, a trapped GLPK failure, or file I/O.
///
/// Solver outcomes such as "infeasible" are not errors: they come back as `Solution.status`.
public struct MILPError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The model breaks a rule GLPK relies on (bounds, coefficients, names, foreign variables).
        case invalidModel
        /// A `SolveOptions` value is out of range.
        case invalidOptions
        /// GLPK raised a fatal error. It was trapped and GLPK was reset; the process goes on.
        case solverFailure
        /// A solve was started from inside a progress callback of another solve on the same thread.
        case reentrantSolve
        /// Reading or writing a model file failed.
        case fileError
        /// Memory for the solution could not be allocated.
        case outOfMemory
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
