/// An affine expression `Σ cᵢ·xᵢ + constant` over the variables of one model.
///
/// Build it with operators (`2.5 * x + y - 3`, `+=`), `LinearExpression.sum(_:)` or
/// `Sequence.sum()`. Terms are stored as appended, in two parallel arrays; duplicates and zeros
/// are merged away only when the expression is handed to a model (`normalizedTerms()`), because
/// GLPK aborts on duplicate matrix entries.
///
/// Complexity: appending a term or another expression is amortised O(terms appended) when the
/// left operand is uniquely referenced (`+=`, or `+` on a temporary, which is consumed);
/// normalising is O(k) when indices are already increasing and O(k log k) otherwise.
public struct LinearExpression: Sendable {
    var indices: [Int32]
    var coefficients: [Double]
    /// The constant term.
    public var constant: Double
    var modelID: ModelID

    /// The zero expression.
    public init() {
        indices = []
        coefficients = []
        constant = 0
        modelID = .none
    }

    /// A constant expression.
    public init(_ constant: Double) {
        self.init()
        self.constant = constant
    }

    /// `1·variable`.
    public init(_ variable: Variable) {
        self.init(variable, coefficient: 1)
    }

    /// `coefficient·variable`.
    public init(_ variable: Variable, coefficient: Double) {
        indices = [Int32(truncatingIfNeeded: variable.index)]
        coefficients = [coefficient]
        constant = 0
        modelID = variable.modelID
    }

    /// `Σ coefficient·variable + constant` from pairs.
    public init<S: Sequence>(terms: S, constant: Double = 0) where S.Element == (Variable, Double) {
        self.init(constant)
        for (variable, coefficient) in terms { addTerm(coefficient, variable) }
    }

    /// Number of stored terms (before merging duplicates).
    public var storedTermCount: Int { indices.count }

    /// Adds `coefficient·variable`. Amortised O(1).
    public mutating func addTerm(_ coefficient: Double, _ variable: Variable) {
        indices.append(Int32(truncatingIfNeeded: variable.index))
        coefficients.append(coefficient)
        modelID = modelID.combined(with: variable.modelID)
    }

    /// Adds another expression (terms and constant). Amortised O(other's terms).
    public mutating func add(_ other: LinearExpression, times factor: Double = 1) {
        if factor == 1 {
            indices.append(contentsOf: other.indices)
            coefficients.append(contentsOf: other.coefficients)
        } else {
            indices.append(contentsOf: other.indices)
            coefficients.reserveCapacity(coefficients.count + other.coefficients.count)
            for coefficient in other.coefficients { coefficients.append(coefficient * factor) }
        }
        constant += other.constant * factor
        modelID = modelID.combined(with: other.modelID)
    }

    /// Multiplies every coefficient and the constant. O(terms).
    public mutating func scale(by factor: Double) {
        for k in coefficients.indices { coefficients[k] *= factor }
        constant *= factor
    }

    /// The sum of the expressions. O(total terms).
    public static func sum<S: Sequence>(_ expressions: S) -> LinearExpression
    where S.Element == LinearExpression {
        var total = LinearExpression()
        for expression in expressions { total.add(expression) }
        return total
    }

    /// The terms with duplicate variables merged, exact zeros dropped, sorted by variable index.
    public var terms: [(variable: Variable, coefficient: Double)] {
        let merged = normalizedTerms()
        return zip(merged.indices, merged.coefficients).map {
            (Variable(index: Int($0.0), modelID: modelID), $0.1)
        }
    }

    /// The expression at a point given by variable index (a variable past the end counts as 0),
    /// constant included — e.g. a model's objective at a solution's values. O(terms).
    public func value(at values: [Double]) -> Double {
        var total = constant
        for (index, coefficient) in zip(indices, coefficients) {
            let position = Int(index)
            if values.indices.contains(position) { total += coefficient * values[position] }
        }
        return total
    }

    /// Merges duplicate variables (summing their coefficients), drops zero coefficients and sorts
    /// by index. O(k) if the indices are already strictly increasing, else O(k log k); ties are
    /// summed in insertion order, so the result is deterministic.
    func normalizedTerms() -> (indices: [Int32], coefficients: [Double]) {
        var increasing = true
        var hasZero = false
        for k in indices.indices {
            if coefficients[k] == 0 { hasZero = true }
            if k > 0 && indices[k] <= indices[k - 1] { increasing = false }
        }
        if increasing && !hasZero { return (indices, coefficients) }
        let order = increasing
            ? Array(indices.indices)
            : indices.indices.sorted { (indices[$0], $0) < (indices[$1], $1) }
        var mergedIndices: [Int32] = []
        var mergedCoefficients: [Double] = []
        mergedIndices.reserveCapacity(order.count)
        mergedCoefficients.reserveCapacity(order.count)
        var position = 0
        while position < order.count {
            let index = indices[order[position]]
            var sum = 0.0
            while position < order.count && indices[order[position]] == index {
                sum += coefficients[order[position]]
                position += 1
            }
            if sum != 0 {
                mergedIndices.append(index)
                mergedCoefficients.append(sum)
            }
        }
        return (mergedIndices, mergedCoefficients)
    }
}

extension LinearExpression: CustomStringConvertible {
    /// E.g. `2.5·x#0 + 1·x#3 - 3`, with variables by index (names live in the model).
    public var description: String {
        let merged = normalizedTerms()
        var parts: [String] = []
        for (index, coefficient) in zip(merged.indices, merged.coefficients) {
            parts.append("\(coefficient)·x#\(index)")
        }
        if constant != 0 || parts.isEmpty { parts.append("\(constant)") }
        return parts.joined(separator: " + ")
    }
}

extension Sequence where Element == Variable {
    /// `Σ variable`. O(count).
    public func sum() -> LinearExpression {
        var total = LinearExpression()
        for variable in self { total.addTerm(1, variable) }
        return total
    }
}

extension Sequence where Element == LinearExpression {
    /// `Σ expression`. O(total terms).
    public func sum() -> LinearExpression { LinearExpression.sum(self) }
}
