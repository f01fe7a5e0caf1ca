// Arithmetic on variables, expressions and constants: `2.5 * x + y - 3`.
// The left operand of `+` / `-` is consumed, so chains like `a + b + c` append in place
// (amortised O(terms of the right operand) each) instead of copying the growing left side.

extension LinearExpression {
    public static func * (factor: Double, expression: consuming LinearExpression) -> LinearExpression {
        expression.scale(by: factor)
        return expression
    }

    public static func * (expression: consuming LinearExpression, factor: Double) -> LinearExpression {
        expression.scale(by: factor)
        return expression
    }

    public static func / (expression: consuming LinearExpression, divisor: Double) -> LinearExpression {
        expression.scale(by: 1 / divisor)
        return expression
    }

    public static prefix func - (expression: consuming LinearExpression) -> LinearExpression {
        expression.scale(by: -1)
        return expression
    }

    // MARK: + and -

    public static func + (lhs: consuming LinearExpression, rhs: LinearExpression) -> LinearExpression {
        lhs.add(rhs)
        return lhs
    }

    public static func - (lhs: consuming LinearExpression, rhs: LinearExpression) -> LinearExpression {
        lhs.add(rhs, times: -1)
        return lhs
    }

    public static func + (lhs: consuming LinearExpression, rhs: Variable) -> LinearExpression {
        lhs.addTerm(1, rhs)
        return lhs
    }

    public static func - (lhs: consuming LinearExpression, rhs: Variable) -> LinearExpression {
        lhs.addTerm(-1, rhs)
        return lhs
    }

    public static func + (lhs: Variable, rhs: LinearExpression) -> LinearExpression {
        var result = LinearExpression(lhs)
        result.add(rhs)
        return result
    }

    public static func - (lhs: Variable, rhs: LinearExpression) -> LinearExpression {
        var result = LinearExpression(lhs)
        result.add(rhs, times: -1)
        return result
    }

    public static func + (lhs: consuming LinearExpression, rhs: Double) -> LinearExpression {
        lhs.constant += rhs
        return lhs
    }

    public static func - (lhs: consuming LinearExpression, rhs: Double) -> LinearExpression {
        lhs.constant -= rhs
        return lhs
    }

    public static func + (lhs: Double, rhs: consuming LinearExpression) -> LinearExpression {
        rhs.constant += lhs
        return rhs
    }

    public static func - (lhs: Double, rhs: consuming LinearExpression) -> LinearExpression {
        rhs.scale(by: -1)
        rhs.constant += lhs
        return rhs
    }

    // MARK: Compound assignment

    public static func += (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs) }
    public static func -= (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs, times: -1) }
    public static func += (lhs: inout LinearExpression, rhs: Variable) { lhs.addTerm(1, rhs) }
    public static func -= (lhs: inout LinearExpression, rhs: Variable) { lhs.addTerm(-1, rhs) }
    public static func += (lhs: inout LinearExpression, rhs: Double) { lhs.constant += rhs }
    public static func -= (lhs: inout LinearExpression, rhs: Double) { lhs.constant -= rhs }
    public static func *= (lhs: inout LinearExpression, rhs: Double) { lhs.scale(by: rhs) }
}

extension Variable {
    public static func * (coefficient: Double, variable: Variable) -> LinearExpression {
        LinearExpression(variable, coefficient: coefficient)
    }

    public static func * (variable: Variable, coefficient: Double) -> LinearExpression {
        LinearExpression(variable, coefficient: coefficient)
    }

    public static func / (variable: Variable, divisor: Double) -> LinearExpression {
        LinearExpression(variable, coefficient: 1 / divisor)
    }

    public static prefix func - (variable: Variable) -> LinearExpression {
        LinearExpression(variable, coefficient: -1)
    }

    public static func + (lhs: Variable, rhs: Variable) -> LinearExpression {
        var result = LinearExpression(lhs)
        result.addTerm(1, rhs)
        return result
    }

    public static func - (lhs: Variable, rhs: Variable) -> LinearExpression {
        var result = LinearExpression(lhs)
        result.addTerm(-1, rhs)
        return result
    }

    public static func + (lhs: Variable, rhs: Double) -> LinearExpression {
        LinearExpression(lhs) + rhs
    }

    public static func - (lhs: Variable, rhs: Double) -> LinearExpression {
        LinearExpression(lhs) - rhs
    }

    public static func + (lhs: Double, rhs: Variable) -> LinearExpression {
        LinearExpression(rhs) + lhs
    }

    public static func - (lhs: Double, rhs: Variable) -> LinearExpression {
        LinearExpression(rhs, coefficient: -1) + lhs
    }
}
