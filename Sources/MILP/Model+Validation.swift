extension Model {
    /// At most this many problems are listed in a validation error (the count is always given).
    static let listedIssueLimit = 10

    /// Checks everything GLPK relies on, so GLPK's abort() guard is never the first line of
    /// defence. Throws `MILPError(.invalidModel)` listing the problems found. O(n + m + nonzeros).
    public func validate() throws {
        var listed = Array(buildIssues.prefix(Self.listedIssueLimit))
        var total = buildIssues.count
        func note(_ issue: @autoclosure () -> String) {
            total += 1
            if listed.count < Self.listedIssueLimit { listed.append(issue()) }
        }
        if variableCount > Int(Int32.max) - 1 || nonzeroCount > Int(Int32.max) - 1 {
            note("the model is too large for GLPK (more than 2^31 variables or nonzeros)")
        }
        for index in 0..<variableCount {
            let name = variableNames[index]
            let lower = lowerBounds[index], upper = upperBounds[index]
            if let problem = Self.boundsProblem(lower: lower, upper: upper) {
                note("variable '\(name)': \(problem)")
            } else if variableKinds[index] != .continuous {
                if (lower.isFinite && lower != lower.rounded()) || (upper.isFinite && upper != upper.rounded()) {
                    note("variable '\(name)': an integer variable needs whole-number bounds, got [\(lower), \(upper)]; round them (ceil the lower, floor the upper)")
                }
            }
            if !objectiveCoefficients[index].isFinite {
                note("variable '\(name)': objective coefficient is \(objectiveCoefficients[index])")
            }
        }
        if !objectiveConstant.isFinite { note("the objective constant is \(objectiveConstant)") }
        for row in 0..<constraintCount {
            let name = constraintNames[row]
            if let problem = Self.boundsProblem(lower: rowLowerBounds[row], upper: rowUpperBounds[row]) {
                note("constraint '\(name)': \(problem)")
            }
            for k in Int(rowStart[row])..<Int(rowStart[row + 1]) where !coefficients[k].isFinite {
                let column = Int(columnIndices[k])
                let variable = column < variableCount ? variableNames[column] : "#\(column)"
                note("constraint '\(name)': coefficient of '\(variable)' is \(coefficients[k])")
            }
        }
        for duplicate in Self.duplicates(in: variableNames) {
            note("variable name '\(duplicate)' is used more than once (after making names LP-safe); names must be unique")
        }
        for duplicate in Self.duplicates(in: constraintNames) {
            note("constraint name '\(duplicate)' is used more than once (after making names LP-safe); names must be unique")
        }
        guard total == 0 else {
            let more = total > listed.count ? "; and \(total - listed.count) more" : ""
            throw MILPError(.invalidModel, "model '\(name)' has \(total) problem\(total == 1 ? "" : "s"): \(listed.joined(separator: "; "))\(more)")
        }
    }

    /// A description of what is wrong with the bounds, or nil when they are usable.
    static func boundsProblem(lower: Double, upper: Double) -> String? {
        if lower.isNaN || upper.isNaN { return "a bound is NaN (lower \(lower), upper \(upper))" }
        if lower == .infinity { return "the lower bound is +infinity" }
        if upper == -.infinity { return "the upper bound is -infinity" }
        if lower > upper { return "the lower bound \(lower) exceeds the upper bound \(upper)" }
        return nil
    }

    /// Names occurring more than once, in order of their second occurrence. O(n) expected.
    static func duplicates(in names: [String]) -> [String] {
        var seen = Set<String>(minimumCapacity: names.count)
        var reported = Set<String>()
        var result: [String] = []
        for name in names where !seen.insert(name).inserted {
            if reported.insert(name).inserted { result.append(name) }
        }
        return result
    }
}
