import Testing
@testable import MILP

/// Misuse that would make GLPK abort is rejected in Swift, or — as a last defence — trapped by
/// the C guard; either way it throws and the next model in the process solves correctly.
struct MisuseTests {
    /// A model with a known optimum: max x + y, x + 2y ≤ 4, 3x + y ≤ 6, x, y integer ≥ 0.
    /// Integer points: (2, 0) → 2, (1, 1) → 2, (0, 2) → 2, (1, 1.5) not integer. Optimum 2.
    static func checkNextModelSolves() throws {
        var model = Model()
        let x = model.addVariable("x", kind: .integer), y = model.addVariable("y", kind: .integer)
        model.addConstraint("a", x + 2 * y <= 4)
        model.addConstraint("b", 3 * x + y <= 6)
        model.maximize(x + y)
        let solution = try GLPKSolver().solve(model)
        #expect(solution.status == .optimal)
        #expect(solution.objective == 2)
    }

    static func expectInvalidModel(_ model: Model, mentioning text: String) {
        #expect {
            _ = try GLPKSolver().solve(model)
        } throws: { error in
            guard let error = error as? MILPError else { return false }
            return error.code == .invalidModel && error.message.contains(text)
        }
        #expect(throws: MILPError.self) { _ = try model.lpFormat() }
    }

    @Test func integerVariableWithFractionalBounds() throws {
        var model = Model()
        let n = model.addVariable("n", kind: .integer, lowerBound: 0.5, upperBound: 3)
        model.minimize(LinearExpression(n))
        Self.expectInvalidModel(model, mentioning: "whole-number bounds")
        try Self.checkNextModelSolves()
    }

    @Test func lowerBoundAboveUpperBound() throws {
        var model = Model()
        let x = model.addVariable("x", lowerBound: 4, upperBound: 1)
        let c = model.addConstraint("range", LinearExpression(x), in: 0...10)
        model.setBounds(of: c, lowerBound: 5, upperBound: 2)
        Self.expectInvalidModel(model, mentioning: "exceeds the upper bound")
        try Self.checkNextModelSolves()
    }

    @Test func nonFiniteCoefficients() throws {
        var model = Model()
        let x = model.addVariable("x")
        model.addConstraint("bad_row", Double.nan * x <= 1)
        model.minimize(Double.infinity * x)
        Self.expectInvalidModel(model, mentioning: "coefficient of 'x' is nan")
        Self.expectInvalidModel(model, mentioning: "objective coefficient is inf")
        try Self.checkNextModelSolves()
    }

    @Test func variableOfAnotherModel() throws {
        var other = Model()
        _ = other.addVariable("a")
        let foreign = other.addVariable("b")
        var model = Model()
        let x = model.addVariable("x")
        model.addConstraint("mixed", x + foreign <= 1)
        Self.expectInvalidModel(model, mentioning: "another model")
        try Self.checkNextModelSolves()
    }

    /// A handle created in a copy of the model, after the copy, has an index the original lacks.
    @Test func variableIndexOutsideTheModel() throws {
        var base = Model()
        _ = base.addVariable("a")
        var extended = base
        let late = extended.addVariable("late")
        base.addConstraint("uses_late", late <= 1)
        base.minimize(LinearExpression(late))
        Self.expectInvalidModel(base, mentioning: "outside this model")
        try Self.checkNextModelSolves()
    }

    @Test func duplicateNamesAfterSanitising() throws {
        var model = Model()
        let x = model.addVariable("cap a")   // becomes cap_a
        let y = model.addVariable("cap-a")   // becomes cap_a too
        model.addConstraint("row", x + y <= 1)
        model.addConstraint("row", x - y <= 1)
        Self.expectInvalidModel(model, mentioning: "variable name 'cap_a' is used more than once")
        Self.expectInvalidModel(model, mentioning: "constraint name 'row' is used more than once")
        try Self.checkNextModelSolves()
    }

    @Test func invalidOptions() throws {
        var options = SolveOptions()
        options.timeLimitSeconds = -1
        #expect(throws: MILPError.self) { _ = try GLPKSolver().solve(Model(), options: options) }
        options = SolveOptions()
        options.relativeGap = .nan
        #expect(throws: MILPError.self) { _ = try GLPKSolver().solve(Model(), options: options) }
    }

    /// The C guard itself: GLPK's glp_error (which would abort) becomes a thrown error.
    @Test(arguments: [GLPKGuardProbe.Misuse.duplicateMatrixEntry, .columnIndexOutOfRange])
    func guardTrapsGLPKFatalErrors(misuse: GLPKGuardProbe.Misuse) throws {
        #expect {
            try GLPKGuardProbe.trigger(misuse)
        } throws: { error in
            guard let error = error as? MILPError, error.code == .solverFailure else { return false }
            let expected = misuse == .duplicateMatrixEntry ? "glp_set_mat_row" : "glp_set_col_bnds"
            return error.message.contains(expected)
        }
        try Self.checkNextModelSolves()
        // Repeatedly, on whatever threads the test runner uses.
        for _ in 0..<20 {
            #expect(throws: MILPError.self) { try GLPKGuardProbe.trigger(misuse) }
        }
        try Self.checkNextModelSolves()
    }

    /// A progress callback that starts another solve must get an error, not corrupt GLPK.
    @Test func solveFromInsideProgressCallbackIsRefused() throws {
        let instance = KnapsackInstance(items: 60, seed: 5)
        let nestedErrors = LockedBox<[MILPError.Code]>([])
        var options = SolveOptions()
        options.progressIntervalSeconds = 0
        options.progress = { _ in
            do {
                _ = try GLPKSolver().solve(Model())
            } catch let error as MILPError {
                nestedErrors.update { $0.append(error.code) }
            } catch {}
        }
        let solution = try GLPKSolver().solve(instance.model().0, options: options)
        #expect(solution.status == .optimal)
        #expect(solution.objective == Double(instance.dynamicProgrammingOptimum()))
        #expect(!nestedErrors.value.isEmpty)
        #expect(nestedErrors.value.allSatisfy { $0 == .reentrantSolve })
    }
}
