import Testing
@testable import MILP

/// Expression building: operators, merging of duplicate terms, zero dropping, constants.
struct ExpressionTests {
    @Test func duplicatesMergeAndZerosDrop() {
        var model = Model()
        let x = model.addVariable("x"), y = model.addVariable("y"), z = model.addVariable("z")
        let expression = 2 * x + 3 * y - 3 * y + x + 0 * z - 5
        let terms = expression.terms
        #expect(terms.count == 1)
        #expect(terms.first?.variable == x)
        #expect(terms.first?.coefficient == 3)
        #expect(expression.constant == -5)
    }

    @Test func operatorsAndSums() {
        var model = Model()
        let v = (0..<4).map { model.addVariable("v\($0)") }
        var expression = v.sum()                        // v0 + v1 + v2 + v3
        expression += 2 * v[1]                          // v1 now 3
        expression -= v[3]                              // v3 now 0 → dropped
        expression *= 2                                 // 2, 6, 2, 0
        expression = expression / 4 + 1                 // 0.5, 1.5, 0.5 and constant 1
        expression = 3 - expression                     // −0.5, −1.5, −0.5 and constant 2
        let byIndex = Dictionary(uniqueKeysWithValues: expression.terms.map { ($0.variable.index, $0.coefficient) })
        #expect(byIndex == [0: -0.5, 1: -1.5, 2: -0.5])
        #expect(expression.constant == 2)
        let weighted = LinearExpression.sum(v.enumerated().map { Double($0.offset) * $0.element })
        #expect(weighted.terms.map(\.coefficient) == [1, 2, 3])
        let pairs = LinearExpression(terms: [(v[2], 1.0), (v[0], 2.0), (v[2], 4.0)], constant: 1)
        #expect(pairs.terms.map(\.variable.index) == [0, 2])
        #expect(pairs.terms.map(\.coefficient) == [2, 5])
    }

    @Test func constraintConstantsMoveIntoBounds() throws {
        var model = Model()
        let x = model.addVariable("x"), y = model.addVariable("y")
        let row = model.addConstraint("shifted", x + y + 4 <= 10)      // x + y ≤ 6
        let equal = model.addConstraint("equal", 2 * x == y - 1)        // 2x − y = −1
        let ranged = model.addConstraint("ranged", x + 1, in: 2...5)    // 1 ≤ x ≤ 4
        #expect(model.bounds(of: row)?.lower == -.infinity)
        #expect(model.bounds(of: row)?.upper == 6)
        #expect(model.bounds(of: equal)?.lower == -1)
        #expect(model.bounds(of: equal)?.upper == -1)
        #expect(model.bounds(of: ranged)?.lower == 1)
        #expect(model.bounds(of: ranged)?.upper == 4)
        #expect(model.terms(of: equal).map(\.coefficient) == [2, -1])
        model.maximize(x + y)
        // By hand: y = 2x + 1 and x + y ≤ 6 → 3x + 1 ≤ 6 → x = 5/3, y = 13/3, x + y = 6.
        let solution = try GLPKSolver().solve(model)
        #expect(abs(solution.objective - 6) < 1e-9)
        #expect(abs(solution.value(of: x + y + 4) - 10) < 1e-9)
        #expect(abs(solution.activity(of: row) - 6) < 1e-9)
    }

    @Test func namesAreMadeLPSafe() {
        var model = Model(name: "fleet plan")
        let names = ["N_p3", "a b", "1st", ".hidden", "free", "ST", "x[1]", "λ_j", String(repeating: "n", count: 300), ""]
        let variables = names.map { model.addVariable($0) }
        let sanitised = variables.map { model.name(of: $0) ?? "?" }
        #expect(Array(sanitised.prefix(9)) == ["N_p3", "a_b", "_1st", "_.hidden", "free_", "ST_", "x_1_", "__j", String(repeating: "n", count: 255)])
        #expect(sanitised[9] == "_")
        #expect(model.name == "fleet_plan")
    }

    @Test func valuesOfForeignHandlesAreNaN() throws {
        var model = Model()
        let x = model.addVariable("x", lowerBound: 1, upperBound: 1)
        model.minimize(LinearExpression(x))
        var other = Model()
        let foreign = other.addVariable("x")
        let solution = try GLPKSolver().solve(model)
        #expect(solution[x] == 1)
        #expect(solution[foreign].isNaN)
        #expect(solution.value(of: foreign + 1).isNaN)
        #expect(solution.value(of: LinearExpression(2)) == 2)
    }
}

/// A stored row comes back as the constraint it was added as (constants moved into the bounds),
/// and a point satisfies it up to the relative tolerance of its largest term.
@Test func rowsComeBackAsConstraintsAndCheckPoints() throws {
    var model = Model()
    let x = model.addVariable("x"), y = model.addVariable("y")
    let row = model.addConstraint("cap", 1000 * x + 2 * y + 5 <= 2005)
    let constraint = try #require(model.constraint(row))
    #expect(constraint.upperBound == 2000 && constraint.lowerBound == -.infinity)
    #expect(constraint.expression.terms.map(\.coefficient) == [1000, 2])
    #expect(constraint.isSatisfied(by: [2, 0]))                      // 2000 ≤ 2000
    #expect(constraint.isSatisfied(by: [2, 0.00005]))                // 2000.0001: within 1e-7 · 2000
    #expect(!constraint.isSatisfied(by: [2, 0.001]))                 // 2000.002: beyond it
    #expect(!constraint.isSatisfied(by: [2, 0.001], relativeTolerance: 1e-7))
    #expect(constraint.isSatisfied(by: [2, 0.0008], relativeTolerance: 1e-6))    // 2000.0016: within 1e-6 · 2000
    var other = Model()
    let foreign = other.addConstraint("z", 1.0 * other.addVariable("z") <= 1)
    #expect(model.constraint(foreign) == nil)
}

/// An expression at a point: 2x + 3y − x + 1 at x = 1, y = 2 is 2 + 6 − 1 + 1 = 8 (the duplicate x
/// terms both count); a variable past the end of the values counts as 0: at x = 1 alone, 2.
@Test func anExpressionAtAPoint() {
    var model = Model()
    let x = model.addVariable("x"), y = model.addVariable("y")
    let expression = 2 * x + 3 * y - x + 1
    #expect(expression.value(at: [1, 2]) == 8)
    #expect(expression.value(at: [1]) == 2)
    #expect(expression.value(at: []) == 1)
}
