/// A mixed-integer linear program: variables with bounds and kinds, named linear constraints and
/// a linear objective. A plain value (`Sendable`); building it never touches GLPK.
///
/// ## Usage
/// ```swift
/// var model = Model(name: "fleet")
/// let n = model.addVariable("N_p3", kind: .integer, lowerBound: 0, upperBound: 40)
/// let r = (0..<4).map { model.addVariable("r_p3_j\($0)") }        // continuous, ≥ 0
/// let open = model.addVariable("y_p3", kind: .binary)
/// model.addConstraint("demand_j0", r[0] == 12.0)
/// model.addConstraint("capacity_p3", r.sum() <= 25 * n)
/// model.addConstraint("open_p3", n - 40 * open <= 0)
/// model.addConstraint("power", LinearExpression.sum(r.map { 0.7 * $0 }), in: 1...50)
/// model.minimize(700 * n + 50 * open + 10)                     // objective constant allowed
///
/// var options = SolveOptions()
/// options.timeLimitSeconds = 10
/// options.relativeGap = 1e-4
/// let solution = try GLPKSolver().solve(model, options: options)
/// if solution.hasSolution { print(solution.objective, solution[n], solution.mipGap ?? 0) }
/// let lp = try model.lpFormat()                                // CPLEX LP text, readable names
/// ```
///
/// ## Rules
/// - Names are made LP/MPS-safe by `LPName` rules (invalid characters become `_`); after that
///   they must be unique among variables and among constraints.
/// - Invalid data (NaN or infinite coefficients, lower > upper, integer variables with
///   fractional bounds, handles of another model, duplicate names) does not trap while building;
///   `validate()` — run by every solve and export — throws a `MILPError` listing the problems.
///
/// ## Storage and complexity
/// Index-based arrays: columns (names, kinds, bounds) and rows in compressed sparse row form.
/// `addVariable` is amortised O(1); `addConstraint` is O(k log k) for k stored terms (O(k) when
/// they are already sorted by variable), see `LinearExpression.normalizedTerms()`; validation is
/// O(variables + constraints + nonzeros).
public struct Model: Sendable {
    /// Objective direction.
    public enum Sense: Sendable, Hashable {
        case minimize
        case maximize
    }

    /// The model's (sanitised) name.
    public let name: String
    let id: ModelID

    // Columns, index-aligned.
    var variableNames: [String] = []
    var variableKinds: [VariableKind] = []
    var lowerBounds: [Double] = []
    var upperBounds: [Double] = []

    // Rows in compressed sparse row form: row i owns rowStart[i] ..< rowStart[i + 1].
    var constraintNames: [String] = []
    var rowLowerBounds: [Double] = []
    var rowUpperBounds: [Double] = []
    var rowStart: [Int32] = [0]
    var columnIndices: [Int32] = []
    var coefficients: [Double] = []

    /// Dense objective coefficients, index-aligned with the columns.
    var objectiveCoefficients: [Double] = []
    /// The objective's constant term.
    public internal(set) var objectiveConstant: Double = 0
    /// The objective direction (minimise until `maximize(_:)` is called).
    public private(set) var sense: Sense = .minimize

    /// Problems found while building that cannot be re-checked later (e.g. foreign variables).
    var buildIssues: [String] = []

    public init(name: String = "model") {
        self.name = LPName.sanitized(name)
        self.id = ModelID.unique()
    }

    public var variableCount: Int { variableNames.count }
    public var constraintCount: Int { constraintNames.count }
    public var nonzeroCount: Int { coefficients.count }
    /// True when some variable is integer or binary.
    public var hasIntegerVariables: Bool { variableKinds.contains { $0 != .continuous } }

    /// The LP relaxation: this model with every variable continuous (a binary keeps its [0, 1]
    /// bounds). Its variables are this model's, so a solution of one reads the other. O(n).
    public func relaxingIntegrality() -> Model {
        var relaxed = self
        relaxed.variableKinds = Array(repeating: .continuous, count: variableCount)
        return relaxed
    }

    // MARK: Variables

    /// Adds a variable. Continuous and integer variables default to `[0, +∞)`; pass
    /// `-.infinity` for a free variable. A binary variable's bounds are intersected with [0, 1].
    /// Amortised O(1) (plus O(name length) to sanitise the name).
    @discardableResult
    public mutating func addVariable(_ name: String, kind: VariableKind = .continuous,
                                     lowerBound: Double = 0,
                                     upperBound: Double = .infinity) -> Variable {
        let variable = Variable(index: variableNames.count, modelID: id)
        variableNames.append(LPName.sanitized(name))
        variableKinds.append(kind)
        if kind == .binary {
            lowerBounds.append(Swift.max(lowerBound, 0))
            upperBounds.append(Swift.min(upperBound, 1))
        } else {
            lowerBounds.append(lowerBound)
            upperBounds.append(upperBound)
        }
        objectiveCoefficients.append(0)
        return variable
    }

    /// Changes a variable's bounds (e.g. to fix it for a what-if). Checked by `validate()`.
    public mutating func setBounds(of variable: Variable, lowerBound: Double, upperBound: Double) {
        guard owns(variable) else {
            buildIssues.append("setBounds(of:) got \(variable), which belongs to another model")
            return
        }
        lowerBounds[variable.index] = lowerBound
        upperBounds[variable.index] = upperBound
    }

    public func name(of variable: Variable) -> String? {
        owns(variable) ? variableNames[variable.index] : nil
    }

    public func kind(of variable: Variable) -> VariableKind? {
        owns(variable) ? variableKinds[variable.index] : nil
    }

    public func bounds(of variable: Variable) -> (lower: Double, upper: Double)? {
        owns(variable) ? (lowerBounds[variable.index], upperBounds[variable.index]) : nil
    }

    /// All variables, in index order.
    public var variables: [Variable] {
        (0..<variableCount).map { Variable(index: $0, modelID: id) }
    }

    // MARK: Constraints

    /// Adds `constraint` as a row named `name`. Duplicate variables are merged and zeros dropped;
    /// the expression's constant moves into the bounds. O(k log k) for k stored terms.
    @discardableResult
    public mutating func addConstraint(_ name: String, _ constraint: LinearConstraint) -> ConstraintRef {
        let reference = ConstraintRef(index: constraintNames.count, modelID: id)
        let sanitizedName = LPName.sanitized(name)
        let expression = constraint.expression
        if expression.modelID != .none && expression.modelID != id {
            buildIssues.append("constraint '\(sanitizedName)' uses variables of another model")
        }
        let merged = expression.normalizedTerms()
        if let last = merged.indices.last, Int(last) >= variableCount || merged.indices[0] < 0 {
            buildIssues.append("constraint '\(sanitizedName)' refers to a variable index outside this model")
        }
        constraintNames.append(sanitizedName)
        rowLowerBounds.append(constraint.lowerBound - expression.constant)
        rowUpperBounds.append(constraint.upperBound - expression.constant)
        columnIndices.append(contentsOf: merged.indices)
        coefficients.append(contentsOf: merged.coefficients)
        rowStart.append(Int32(truncatingIfNeeded: columnIndices.count))
        return reference
    }

    /// Adds `range.lowerBound ≤ expression ≤ range.upperBound`.
    @discardableResult
    public mutating func addConstraint(_ name: String, _ expression: LinearExpression,
                                       in range: ClosedRange<Double>) -> ConstraintRef {
        addConstraint(name, LinearConstraint(expression, in: range))
    }

    /// Changes a constraint's bounds (right-hand sides), e.g. for what-if sweeps.
    public mutating func setBounds(of constraint: ConstraintRef, lowerBound: Double, upperBound: Double) {
        guard owns(constraint) else {
            buildIssues.append("setBounds(of:) got \(constraint), which belongs to another model")
            return
        }
        rowLowerBounds[constraint.index] = lowerBound
        rowUpperBounds[constraint.index] = upperBound
    }

    public func name(of constraint: ConstraintRef) -> String? {
        owns(constraint) ? constraintNames[constraint.index] : nil
    }

    public func bounds(of constraint: ConstraintRef) -> (lower: Double, upper: Double)? {
        owns(constraint) ? (rowLowerBounds[constraint.index], rowUpperBounds[constraint.index]) : nil
    }

    /// The stored (merged) terms of a row. O(k).
    public func terms(of constraint: ConstraintRef) -> [(variable: Variable, coefficient: Double)] {
        guard owns(constraint) else { return [] }
        let range = Int(rowStart[constraint.index])..<Int(rowStart[constraint.index + 1])
        return range.map { (Variable(index: Int(columnIndices[$0]), modelID: id), coefficients[$0]) }
    }

    /// A row as a constraint (its stored terms and bounds), e.g. to hand it back as a lazy
    /// constraint; nil for a reference to another model. O(k).
    public func constraint(_ reference: ConstraintRef) -> LinearConstraint? {
        guard let bounds = bounds(of: reference) else { return nil }
        return LinearConstraint(LinearExpression(terms: terms(of: reference).map { ($0.variable, $0.coefficient) }),
                                lowerBound: bounds.lower, upperBound: bounds.upper)
    }

    /// All constraints, in index order.
    public var constraints: [ConstraintRef] {
        (0..<constraintCount).map { ConstraintRef(index: $0, modelID: id) }
    }

    // MARK: Objective

    /// Minimise `objective` (replaces any previous objective). O(k log k).
    public mutating func minimize(_ objective: LinearExpression) {
        setObjective(objective, sense: .minimize)
    }

    /// Maximise `objective` (replaces any previous objective). O(k log k).
    public mutating func maximize(_ objective: LinearExpression) {
        setObjective(objective, sense: .maximize)
    }

    /// Minimise a single variable.
    public mutating func minimize(_ variable: Variable) { minimize(LinearExpression(variable)) }

    /// Maximise a single variable.
    public mutating func maximize(_ variable: Variable) { maximize(LinearExpression(variable)) }

    /// The objective as an expression.
    public var objective: LinearExpression {
        var expression = LinearExpression(objectiveConstant)
        for (index, coefficient) in objectiveCoefficients.enumerated() where coefficient != 0 {
            expression.addTerm(coefficient, Variable(index: index, modelID: id))
        }
        return expression
    }

    private mutating func setObjective(_ objective: LinearExpression, sense: Sense) {
        if objective.modelID != .none && objective.modelID != id {
            buildIssues.append("the objective uses variables of another model")
            return
        }
        self.sense = sense
        objectiveConstant = objective.constant
        for index in objectiveCoefficients.indices { objectiveCoefficients[index] = 0 }
        let merged = objective.normalizedTerms()
        for (index, coefficient) in zip(merged.indices, merged.coefficients) {
            guard index >= 0 && Int(index) < variableCount else {
                buildIssues.append("the objective refers to a variable index outside this model")
                continue
            }
            objectiveCoefficients[Int(index)] = coefficient
        }
    }

    // MARK: Ownership

    func owns(_ variable: Variable) -> Bool {
        variable.modelID == id && variable.index >= 0 && variable.index < variableCount
    }

    func owns(_ constraint: ConstraintRef) -> Bool {
        constraint.modelID == id && constraint.index >= 0 && constraint.index < constraintCount
    }
}
