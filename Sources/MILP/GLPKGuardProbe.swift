import CGLPK

/// Test hook: makes GLPK hit a fatal error inside the C guard, to check that the error is
/// trapped, reported, and that GLPK works normally afterwards. Not part of the public API.
enum GLPKGuardProbe {
    enum Misuse {
        /// `glp_set_mat_row` with the same column twice (GLPK would abort).
        case duplicateMatrixEntry
        /// `glp_set_col_bnds` on a column that does not exist (GLPK would abort).
        case columnIndexOutOfRange
    }

    /// Throws `MILPError(.solverFailure)` carrying GLPK's message when the guard works.
    static func trigger(_ misuse: Misuse) throws {
        var result = cglpk_result()
        let probe = misuse == .duplicateMatrixEntry ? CGLPK_PROBE_DUPLICATE_ENTRY : CGLPK_PROBE_BAD_COLUMN_INDEX
        cglpk_probe_misuse(Int32(probe), &result)
        defer { cglpk_result_free(&result) }
        if result.error != Int32(CGLPK_OK.rawValue) {
            throw MILPError(.solverFailure, GLPKSolver.detail(of: result))
        }
    }
}
