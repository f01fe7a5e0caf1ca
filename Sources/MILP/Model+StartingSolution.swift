extension Model {
    /// Absolute tolerance for bounds and integrality, scaled by the magnitude of the bound.
    static let startTolerance = 1e-6

    /// Why `assignment` is not a point of this model — a variable missing or out of its bounds, an
    /// integer that is not whole, a constraint violated (tolerance 1e-6, relative for large
    /// values) — or nil if it is one: the check a `SolveOptions.startingSolution` goes through.
    /// O(n + nonzeros).
    public func infeasibility(of assignment: [Variable: Double]) -> String? {
        switch checkStartingSolution(assignment) {
        case .success: nil
        case .failure(let problem): problem.description
        }
    }

    /// Checks that `assignment` is a complete, feasible point and returns it as a dense vector
    /// (integers rounded exactly, values clamped into their bounds), or why it is not.
    /// O(n + nonzeros).
    func checkStartingSolution(_ assignment: [Variable: Double]) -> Result<[Double], StartingSolutionProblem> {
        var values = [Double](repeating: .nan, count: variableCount)
        for (variable, value) in assignment {
            guard owns(variable) else {
                return .failure(StartingSolutionProblem("it contains \(variable), which belongs to another model"))
            }
            values[variable.index] = value
        }
        for index in 0..<variableCount {
            let name = variableNames[index]
            var value = values[index]
            guard value.isFinite else {
                return .failure(StartingSolutionProblem(value.isNaN ? "no value for '\(name)'" : "'\(name)' is \(value)"))
            }
            let lower = lowerBounds[index], upper = upperBounds[index]
            if value < lower - Self.startTolerance * Swift.max(1, abs(lower))
                || value > upper + Self.startTolerance * Swift.max(1, abs(upper)) {
                return .failure(StartingSolutionProblem("'\(name)' = \(value) is outside its bounds [\(lower), \(upper)]"))
            }
            value = Swift.min(Swift.max(value, lower), upper)
            if variableKinds[index] != .continuous {
                let rounded = value.rounded()
                if abs(value - rounded) > Self.startTolerance {
                    return .failure(StartingSolutionProblem("integer variable '\(name)' = \(value) is not a whole number"))
                }
                value = rounded
            }
            values[index] = value
        }
        for row in 0..<constraintCount {
            var activity = 0.0
            var magnitude = 1.0
            for k in Int(rowStart[row])..<Int(rowStart[row + 1]) {
                let term = coefficients[k] * values[Int(columnIndices[k])]
                activity += term
                magnitude = Swift.max(magnitude, abs(term))
            }
            let tolerance = Self.startTolerance * magnitude
            if activity < rowLowerBounds[row] - tolerance || activity > rowUpperBounds[row] + tolerance {
                return .failure(StartingSolutionProblem("constraint '\(constraintNames[row])' has activity \(activity) outside [\(rowLowerBounds[row]), \(rowUpperBounds[row])]"))
            }
        }
        return .success(values)
    }
}

/// Why a starting solution was not offered to GLPK.
struct StartingSolutionProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
