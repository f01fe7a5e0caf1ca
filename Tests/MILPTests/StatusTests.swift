import Testing
@testable import MILP

/// Infeasible and unbounded models come back as statuses (never errors or crashes), with the
/// reason told apart: LP relaxation infeasible vs integer infeasible.
struct StatusTests {
    static func options(presolve: Bool) -> SolveOptions {
        var options = SolveOptions()
        options.presolve = presolve
        return options
    }

    @Test(arguments: [true, false])
    func infeasibleLP(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable("x"), y = model.addVariable("y")
        model.addConstraint("at_most_one", x + y <= 1)
        model.addConstraint("at_least_two", x + y >= 2)
        model.minimize(x + y)
        let solution = try GLPKSolver().solve(model, options: Self.options(presolve: presolve))
        #expect(solution.status == .infeasible)
        #expect(!solution.hasSolution)
        #expect(solution.objective.isNaN)
        #expect(solution[x].isNaN)
    }

    @Test(arguments: [true, false])
    func unboundedLP(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable("x"), y = model.addVariable("y")
        model.addConstraint("difference", x - y <= 1)
        model.maximize(x + y)
        let solution = try GLPKSolver().solve(model, options: Self.options(presolve: presolve))
        #expect(solution.status == .unbounded)
    }

    @Test(arguments: [true, false])
    func milpWithInfeasibleRelaxation(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable("x", kind: .integer, upperBound: 10)
        let y = model.addVariable("y", kind: .integer, upperBound: 10)
        model.addConstraint("at_most_one", x + y <= 1)
        model.addConstraint("at_least_two", x + y >= 2)
        model.minimize(x + y)
        let solution = try GLPKSolver().solve(model, options: Self.options(presolve: presolve))
        #expect(solution.status == .infeasible)
        #expect(solution.detail.contains("LP relaxation is infeasible"))
    }

    /// 2x + 2y = 3 has fractional solutions (x = 1.5) but no integer one; bounds keep the search
    /// finite. The relaxation is feasible, so the verdict must say "integer infeasible".
    @Test(arguments: [true, false])
    func milpIntegerInfeasible(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable("x", kind: .integer, upperBound: 5)
        let y = model.addVariable("y", kind: .integer, upperBound: 5)
        model.addConstraint("parity", 2 * x + 2 * y == 3)
        model.minimize(x)
        let solution = try GLPKSolver().solve(model, options: Self.options(presolve: presolve))
        #expect(solution.status == .infeasible)
        #expect(solution.detail.contains("integer infeasible"))
    }

    @Test(arguments: [true, false])
    func unboundedMILP(presolve: Bool) throws {
        var model = Model()
        let n = model.addVariable("n", kind: .integer)
        let y = model.addVariable("y")
        model.addConstraint("link", n - y <= 1)
        model.maximize(n + y)
        let solution = try GLPKSolver().solve(model, options: Self.options(presolve: presolve))
        #expect(solution.status == .unbounded)
    }

    /// The relaxation is unbounded (z is free to grow) but 2x = 1 has no integer solution, so the
    /// MILP is infeasible, not unbounded.
    @Test(arguments: [true, false])
    func unboundedRelaxationWithoutIntegerPoint(presolve: Bool) throws {
        var model = Model()
        let x = model.addVariable("x", kind: .integer, upperBound: 3)
        let z = model.addVariable("z")
        model.addConstraint("half", 2 * x == 1)
        model.addConstraint("grow", z - x >= 0)
        model.maximize(z)
        let solution = try GLPKSolver().solve(model, options: Self.options(presolve: presolve))
        #expect(solution.status == .infeasible)
        #expect(solution.detail.contains("integer infeasible"))
    }

    @Test func modelWithoutConstraints() throws {
        var model = Model()
        let x = model.addVariable("x", lowerBound: 2, upperBound: 5)
        let n = model.addVariable("n", kind: .integer, lowerBound: -3, upperBound: 4)
        model.minimize(3 * x - n + 1)
        let solution = try GLPKSolver().solve(model)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 3 * 2 - 4 + 1)
        #expect(solution[x] == 2)
        #expect(solution[n] == 4)
    }

    @Test func modelWithoutVariables() throws {
        var model = Model()
        model.minimize(LinearExpression(7))
        let solution = try GLPKSolver().solve(model)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 7)
        #expect(solution.variableValues.isEmpty)
    }

    @Test func emptyModelWithViolatedConstantConstraint() throws {
        var model = Model()
        let x = model.addVariable("x")
        // A row whose terms cancel: 0 ≥ 1 can never hold.
        model.addConstraint("impossible", x - x >= 1)
        #expect(model.terms(of: model.constraints[0]).isEmpty)
        let solution = try GLPKSolver().solve(model)
        #expect(solution.status == .infeasible)
    }

    @Test func objectiveConstantAndMaximisation() throws {
        var model = Model()
        let x = model.addVariable("x", kind: .integer, upperBound: 10)
        let y = model.addVariable("y", upperBound: 2.5)
        model.addConstraint("budget", 2 * x + y <= 9)
        model.maximize(3 * x + 2 * y - 4)
        let solution = try GLPKSolver().solve(model)
        // By hand: y earns 2 per unit of budget, x 1.5, so the LP takes y = 2.5, x = 3.25.
        // Integer x: x = 3, y = 2.5 gives 9 + 5 − 4 = 10; x = 4, y = 1 gives 12 + 2 − 4 = 10;
        // x = 4 leaves budget 1 for y, x = 3 leaves 3 (capped at 2.5). Optimum 10.
        #expect(solution.status == .optimal)
        #expect(solution.objective == 10)
        #expect(solution.value(of: 3 * x + 2 * y - 4) == 10)
        #expect(solution.bestBound == 10)
    }
}
