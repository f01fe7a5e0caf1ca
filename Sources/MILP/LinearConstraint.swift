/// A relation `lowerBound ≤ expression ≤ upperBound`, built with `<=`, `>=`, `==` or directly.
///
/// The expression's constant is moved into the bounds when the constraint is added to a model.
/// `x == y` between two `Variable`s is `Equatable`'s `Bool`; write `x - y == 0` for a constraint.
public struct LinearConstraint: Sendable {
    public var expression: LinearExpression
    /// `-Double.infinity` for none.
    public var lowerBound: Double
    /// `+Double.infinity` for none.
    public var upperBound: Double

    public init(_ expression: LinearExpression, lowerBound: Double, upperBound: Double) {
        self.expression = expression
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// `range.lowerBound ≤ expression ≤ range.upperBound`.
    public init(_ expression: LinearExpression, in range: ClosedRange<Double>) {
        self.init(expression, lowerBound: range.lowerBound, upperBound: range.upperBound)
    }
}

extension LinearConstraint {
    /// Whether the point (values by variable index; a variable past the end counts as 0) lies
    /// within the bounds, up to `relativeTolerance` of the largest term (or of 1). O(terms).
    public func isSatisfied(by values: [Double], relativeTolerance: Double = 1e-7) -> Bool {
        var activity = expression.constant, magnitude = 1.0
        for term in expression.terms {
            let product = term.coefficient * (values.indices.contains(term.variable.index) ? values[term.variable.index] : 0)
            activity += product
            magnitude = Swift.max(magnitude, abs(product))
        }
        let tolerance = relativeTolerance * magnitude
        return activity >= lowerBound - tolerance && activity <= upperBound + tolerance
    }
}

extension LinearExpression {
    public static func <= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
        LinearConstraint(lhs, lowerBound: -.infinity, upperBound: rhs)
    }

    public static func >= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
        LinearConstraint(lhs, lowerBound: rhs, upperBound: .infinity)
    }

    public static func == (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
        LinearConstraint(lhs, lowerBound: rhs, upperBound: rhs)
    }

    public static func <= (lhs: Double, rhs: LinearExpression) -> LinearConstraint { rhs >= lhs }
    public static func >= (lhs: Double, rhs: LinearExpression) -> LinearConstraint { rhs <= lhs }
    public static func == (lhs: Double, rhs: LinearExpression) -> LinearConstraint { rhs == lhs }

    public static func <= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
        (lhs - rhs) <= 0
    }

    public static func >= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
        (lhs - rhs) >= 0
    }

    public static func == (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
        (lhs - rhs) == 0
    }


    public static func <= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearExpression(lhs) <= rhs }
    public static func >= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearExpression(lhs) >= rhs }
    public static func == (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearExpression(lhs) == rhs }
    public static func <= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs <= LinearExpression(rhs) }
    public static func >= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs >= LinearExpression(rhs) }
    public static func == (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs == LinearExpression(rhs) }
}

extension Variable {
    public static func <= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) <= rhs }
    public static func >= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) >= rhs }
    public static func == (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) == rhs }
    public static func <= (lhs: Double, rhs: Variable) -> LinearConstraint { lhs <= LinearExpression(rhs) }
    public static func >= (lhs: Double, rhs: Variable) -> LinearConstraint { lhs >= LinearExpression(rhs) }
    public static func == (lhs: Double, rhs: Variable) -> LinearConstraint { lhs == LinearExpression(rhs) }
    public static func <= (lhs: Variable, rhs: Variable) -> LinearConstraint { LinearExpression(lhs) <= LinearExpression(rhs) }
    public static func >= (lhs: Variable, rhs: Variable) -> LinearConstraint { LinearExpression(lhs) >= LinearExpression(rhs) }
}
