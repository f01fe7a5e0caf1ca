import Testing
@testable import MILP

/// Duals of a MILP at its integer solution, by fixing the integers and re-solving the LP.
struct MIPDualsTests {
    /// Two suppliers with fixed opening costs serve a demand of 12:
    /// supplier 1 costs 3 per unit (capacity 10, opening 20), supplier 2 costs 5 (capacity 10,
    /// opening 4). Opening only one cannot serve 12, so both open: 10 units at 3, 2 at 5.
    /// Objective 20 + 4 + 30 + 10 = 64. At that solution, one more unit of demand comes from
    /// supplier 2 (dual of demand = 5) and one more unit of supplier 1's capacity saves 5 − 3 = 2
    /// (dual of its capacity row = −2).
    static func model() -> (Model, demand: ConstraintRef, capacity1: ConstraintRef, capacity2: ConstraintRef) {
        var model = Model(name: "suppliers")
        let open1 = model.addVariable("open_1", kind: .binary), open2 = model.addVariable("open_2", kind: .binary)
        let ship1 = model.addVariable("ship_1"), ship2 = model.addVariable("ship_2")
        let demand = model.addConstraint("demand", ship1 + ship2 == 12)
        let capacity1 = model.addConstraint("capacity_1", ship1 - 10 * open1 <= 0)
        let capacity2 = model.addConstraint("capacity_2", ship2 - 10 * open2 <= 0)
        model.minimize(20 * open1 + 4 * open2 + 3 * ship1 + 5 * ship2)
        return (model, demand, capacity1, capacity2)
    }

    @Test func dualsAtTheIntegerSolution() throws {
        let (model, demand, capacity1, capacity2) = Self.model()
        var options = SolveOptions()
        options.dualsByFixingIntegers = true
        let solution = try GLPKSolver().solve(model, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 64)
        #expect(abs((solution.dual(of: demand) ?? .nan) - 5) < 1e-9)
        #expect(abs((solution.dual(of: capacity1) ?? .nan) - (-2)) < 1e-9)
        #expect(abs(solution.dual(of: capacity2) ?? .nan) < 1e-9)     // slack 8 → dual 0
        #expect(solution.rowDuals["demand"].map { abs($0 - 5) < 1e-9 } == true)
    }

    @Test func noDualsForAMILPByDefault() throws {
        let solution = try GLPKSolver().solve(Self.model().0)
        #expect(solution.objective == 64)
        #expect(solution.rowDualValues == nil)
        #expect(solution.dual(of: Self.model().demand) == nil)
        #expect(solution.rowDuals.isEmpty)
    }
}
