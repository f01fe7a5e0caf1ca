import CGLPK
import Foundation

/// Model file formats GLPK reads and writes.
public enum ModelFileFormat: Sendable, Hashable {
    /// CPLEX LP (`glp_write_lp` / `glp_read_lp`).
    case cplexLP
    /// Free (modern) MPS (`glp_write_mps` / `glp_read_mps` with `GLP_MPS_FILE`).
    case freeMPS

    var cglpkFormat: Int32 {
        switch self {
        case .cplexLP: Int32(CGLPK_FORMAT_CPLEX_LP)
        case .freeMPS: Int32(CGLPK_FORMAT_FREE_MPS)
        }
    }

    var fileExtension: String {
        switch self {
        case .cplexLP: "lp"
        case .freeMPS: "mps"
        }
    }
}

extension Model {
    /// The model as CPLEX LP text, written by GLPK with the model's names.
    public func lpFormat() throws -> String { try exportedText(.cplexLP) }

    /// The model as free MPS text, written by GLPK with the model's names.
    public func mpsFormat() throws -> String { try exportedText(.freeMPS) }

    /// Writes the model to `url` atomically: the text goes to a temporary file in the same
    /// directory, which is then renamed over `url`, so readers never see a partial file.
    ///
    /// What the files contain, so that GLPK, HiGHS and other readers all find the same optimum:
    /// - A nonzero objective constant becomes a variable `objective_constant` (suffixed if taken)
    ///   fixed at 1 with the constant as its cost: GLPK's LP format has no constants, and GLPK
    ///   and HiGHS read an MPS objective right-hand side with opposite signs.
    /// - Rows with no finite bound are left out (MPS readers would take them for objectives).
    /// - A model without rows (or variables) gets an always-satisfied placeholder so the
    ///   writers produce a readable file.
    /// - LP: GLPK writes a range row `l ≤ a·x ≤ u` as `a·x − s = l` with an extra column
    ///   `~r_<i>` in [0, u − l].
    /// - MPS: numbers have at most 12 characters (GLPK's limit; relative precision ≈ 1e-10);
    ///   the objective row is named `obj` (suffixed if taken) and a maximisation carries an
    ///   `OBJSENSE MAX` section, which GLPK's own reader lacks: read such files back with
    ///   `GLPKSolver.solve(fileAt:format:options:)`, which handles it, rather than `glpsol`.
    public func write(to url: URL, format: ModelFileFormat) throws {
        let text = try exportedText(format)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                throw MILPError(.fileError, "cannot move the written model to '\(url.path)': \(reason)")
            }
        } catch let error as MILPError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MILPError(.fileError, "cannot write the model to '\(url.path)': \(error.localizedDescription)")
        }
    }

    private func exportedText(_ format: ModelFileFormat) throws -> String {
        try validate()
        let exported = modelForExport()
        let objectiveName = Self.uniqueName("obj", avoiding: Set(exported.constraintNames))
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("milp-\(UUID().uuidString).\(format.fileExtension)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let buffer = GLPKProblemBuffer(exported, objectiveName: objectiveName)
        var result = cglpk_result()
        withUnsafePointer(to: buffer.problem) { cglpk_write($0, format.cglpkFormat, temporary.path, &result) }
        defer { cglpk_result_free(&result) }
        if result.error != Int32(CGLPK_OK.rawValue) {
            throw MILPError(result.error == Int32(CGLPK_ERROR_FILE.rawValue) ? .fileError : .solverFailure,
                            GLPKSolver.detail(of: result))
        }
        let text: String
        do {
            text = try String(contentsOf: temporary, encoding: .utf8)
        } catch {
            throw MILPError(.fileError, "cannot read back the model GLPK wrote to '\(temporary.path)': \(error.localizedDescription)")
        }
        guard format == .freeMPS else { return text }
        return FreeMPSText.finishing(
            text, maximize: sense == .maximize, objectiveName: objectiveName,
            renameObjective: !exported.constraintNames.contains(FreeMPSText.glpkObjectiveRowName))
    }

    /// A copy adjusted for the file writers (see `write(to:format:)`). O(n + m + nonzeros).
    func modelForExport() -> Model {
        var copy = self
        if rowLowerBounds.indices.contains(where: { rowLowerBounds[$0] == -.infinity && rowUpperBounds[$0] == .infinity }) {
            copy.removeFreeRows()
        }
        if objectiveConstant != 0 {
            let name = Self.uniqueName("objective_constant", avoiding: Set(variableNames))
            let carrier = copy.addVariable(name, lowerBound: 1, upperBound: 1)
            copy.objectiveCoefficients[carrier.index] = objectiveConstant
            copy.objectiveConstant = 0
        }
        if copy.variableCount == 0 {
            copy.addVariable("unused", lowerBound: 0, upperBound: 0)
        }
        if copy.constraintCount == 0 {
            // An empty row 0 ≥ 0: always satisfied, constrains nothing.
            copy.addConstraint("no_constraints", LinearConstraint(LinearExpression(), lowerBound: 0, upperBound: .infinity))
        }
        return copy
    }

    private mutating func removeFreeRows() {
        var names: [String] = [], lower: [Double] = [], upper: [Double] = []
        var start: [Int32] = [0], columns: [Int32] = [], values: [Double] = []
        for row in 0..<constraintCount where !(rowLowerBounds[row] == -.infinity && rowUpperBounds[row] == .infinity) {
            names.append(constraintNames[row])
            lower.append(rowLowerBounds[row])
            upper.append(rowUpperBounds[row])
            let range = Int(rowStart[row])..<Int(rowStart[row + 1])
            columns.append(contentsOf: columnIndices[range])
            values.append(contentsOf: coefficients[range])
            start.append(Int32(columns.count))
        }
        constraintNames = names
        rowLowerBounds = lower
        rowUpperBounds = upper
        rowStart = start
        columnIndices = columns
        coefficients = values
    }

    static func uniqueName(_ base: String, avoiding taken: Set<String>) -> String {
        if !taken.contains(base) { return base }
        var suffix = 2
        while taken.contains("\(base)_\(suffix)") { suffix += 1 }
        return "\(base)_\(suffix)"
    }
}
