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

    /// Writes the model to `url` atomically: GLPK writes a temporary file in the same directory,
    /// which is then renamed over `url`, so readers never see a partial file.
    ///
    /// Readers disagree on objective constants (GLPK's LP format has none; GLPK and HiGHS read
    /// the MPS objective right-hand side with opposite signs), so a nonzero constant is exported
    /// as a variable fixed at 1 whose objective coefficient is the constant, named
    /// `objective_constant` (suffixed if that name is taken). Every reader gets the same optimum.
    /// GLPK's LP writer states a range row `l ≤ a·x ≤ u` as `a·x − s = l` with an extra column
    /// `~r_<i>` in [0, u − l]; MPS keeps ranges as RANGES. Reading back adds no other columns.
    public func write(to url: URL, format: ModelFileFormat) throws {
        try validate()
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try writeWithGLPK(to: temporary.path, format: format)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                throw MILPError(.fileError, "cannot move the written model to '\(url.path)': \(reason)")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    private func exportedText(_ format: ModelFileFormat) throws -> String {
        try validate()
        let temporary = FileManager.default.temporaryDirectory
            .appendingPathComponent("milp-\(UUID().uuidString).\(format.fileExtension)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try writeWithGLPK(to: temporary.path, format: format)
        do {
            return try String(contentsOf: temporary, encoding: .utf8)
        } catch {
            throw MILPError(.fileError, "cannot read back the model GLPK wrote to '\(temporary.path)': \(error)")
        }
    }

    private func writeWithGLPK(to path: String, format: ModelFileFormat) throws {
        let exported = modelForExport()
        let objectiveName = Self.uniqueName("obj", avoiding: Set(exported.constraintNames))
        let buffer = GLPKProblemBuffer(exported, objectiveName: objectiveName)
        var result = cglpk_result()
        withUnsafePointer(to: buffer.problem) { cglpk_write($0, format.cglpkFormat, path, &result) }
        defer { cglpk_result_free(&result) }
        if result.error != Int32(CGLPK_OK.rawValue) {
            throw MILPError(result.error == Int32(CGLPK_ERROR_FILE.rawValue) ? .fileError : .solverFailure,
                            GLPKSolver.detail(of: result))
        }
    }

    /// A copy whose objective constant is carried by a fixed variable (see `write(to:format:)`).
    func modelForExport() -> Model {
        guard objectiveConstant != 0 else { return self }
        var copy = self
        let name = Self.uniqueName("objective_constant", avoiding: Set(variableNames))
        let carrier = copy.addVariable(name, lowerBound: 1, upperBound: 1)
        copy.objectiveCoefficients[carrier.index] = objectiveConstant
        copy.objectiveConstant = 0
        return copy
    }

    static func uniqueName(_ base: String, avoiding taken: Set<String>) -> String {
        if !taken.contains(base) { return base }
        var suffix = 2
        while taken.contains("\(base)_\(suffix)") { suffix += 1 }
        return "\(base)_\(suffix)"
    }
}
