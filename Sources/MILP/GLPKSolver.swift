import CGLPK
import Foundation

/// Solves models with GLPK 5 (`glp_simplex` for LPs, `glp_intopt` branch-and-cut for MILPs).
///
/// Each call validates the model, then builds, solves, reads and frees the GLPK problem inside
/// one synchronous C call on the current thread (GLPK's state is thread-local), so concurrent
/// solves of different models from different tasks are safe. GLPK's fatal errors are trapped in
/// C and rethrown as `MILPError(.solverFailure)`; GLPK is reset and the next solve works.
public struct GLPKSolver: Solver {
    public init() {}

    public func solve(_ model: Model, options: SolveOptions) throws -> Solution {
        let clock = ContinuousClock()
        let started = clock.now
        try model.validate()
        try options.validate()
        var start: [Double]?
        var startNote: String?
        if let assignment = options.startingSolution {
            if model.hasIntegerVariables {
                switch model.checkStartingSolution(assignment) {
                case .success(let values): start = values
                case .failure(let reason): startNote = "starting solution skipped: \(reason)"
                }
            } else {
                startNote = "starting solution ignored: the simplex method does not use one"
            }
        }
        let buffer = GLPKProblemBuffer(model)
        let startPointer = start.map { buffer.copy($0) }
        var result = try Self.run(options: options, start: startPointer) { params, result in
            withUnsafePointer(to: buffer.problem) { problem in cglpk_solve(problem, params, result) }
        }
        defer { cglpk_result_free(&result) }
        return Self.solution(from: result, options: options, modelID: model.id,
                             variableNames: model.variableNames, constraintNames: model.constraintNames,
                             startGiven: options.startingSolution != nil && model.hasIntegerVariables,
                             startNote: startNote, seconds: (clock.now - started).seconds)
    }

    /// Reads a CPLEX LP or free MPS file with GLPK and solves it. Values are keyed by the file's
    /// names (`Solution.value(named:)`, `valuesByName`); `Variable` handles do not apply.
    /// An MPS `OBJSENSE` section (which GLPK's reader lacks, see `Model.write(to:format:)`) is
    /// honoured.
    public func solve(fileAt url: URL, format: ModelFileFormat, options: SolveOptions = SolveOptions()) throws -> Solution {
        let clock = ContinuousClock()
        let started = clock.now
        try options.validate()
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw MILPError(.fileError, "cannot read model file '\(url.path)': it does not exist or is not readable")
        }
        var path = url.path
        var objectiveSense: Int32 = 0
        var strippedCopy: URL?
        defer { if let strippedCopy { try? FileManager.default.removeItem(at: strippedCopy) } }
        if format == .freeMPS {
            let text: String
            do {
                text = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw MILPError(.fileError, "cannot read model file '\(url.path)': \(error.localizedDescription)")
            }
            let stripped = FreeMPSText.strippingObjectiveSense(text)
            if let maximize = stripped.maximize {
                objectiveSense = maximize ? GLP_MAX : GLP_MIN
                let copy = FileManager.default.temporaryDirectory.appendingPathComponent("milp-\(UUID().uuidString).mps")
                do {
                    try Data(stripped.text.utf8).write(to: copy)
                } catch {
                    throw MILPError(.fileError, "cannot write a temporary copy of '\(url.path)': \(error.localizedDescription)")
                }
                strippedCopy = copy
                path = copy.path
            }
        }
        var result = try Self.run(options: options, start: nil) { params, result in
            cglpk_solve_file(path, format.cglpkFormat, objectiveSense, params, result)
        }
        defer { cglpk_result_free(&result) }
        let variableNames = Self.names(result.col_names, length: result.col_names_length)
        let constraintNames = Self.names(result.row_names, length: result.row_names_length)
        return Self.solution(from: result, options: options, modelID: .none,
                             variableNames: variableNames, constraintNames: constraintNames,
                             startGiven: false, startNote: nil, seconds: (clock.now - started).seconds)
    }

    // MARK: Bridge

    /// Holds the Swift progress closure for the C trampoline.
    private final class ProgressBox {
        let handler: @Sendable (SolveProgress) -> Void
        init(_ handler: @escaping @Sendable (SolveProgress) -> Void) { self.handler = handler }
    }

    /// Holds the Swift lazy-constraint closure for the C trampoline.
    private final class LazyBox {
        let handler: @Sendable (LazyPoint) -> [LinearConstraint]
        init(_ handler: @escaping @Sendable (LazyPoint) -> [LinearConstraint]) { self.handler = handler }
    }

    /// Fills `cglpk_params` from `options`, runs `call`, and turns C-level errors into throws.
    /// On a throw the result's memory is already released.
    private static func run(options: SolveOptions, start: UnsafePointer<Double>?,
                            _ call: (UnsafePointer<cglpk_params>, UnsafeMutablePointer<cglpk_result>) -> Void) throws -> cglpk_result {
        var params = cglpk_params()
        cglpk_init_params(&params)
        params.msg_lev = options.logLevel.glpkMessageLevel
        params.presolve = options.presolve ? 1 : 0
        params.time_limit_seconds = options.timeLimitSeconds ?? 0
        params.mip_gap = options.relativeGap
        params.br_tech = options.branching.glpkValue
        params.bt_tech = options.backtracking.glpkValue
        params.gmi_cuts = options.cuts.contains(.gomory) ? 1 : 0
        params.mir_cuts = options.cuts.contains(.mixedIntegerRounding) ? 1 : 0
        params.cov_cuts = options.cuts.contains(.cover) ? 1 : 0
        params.clq_cuts = options.cuts.contains(.clique) ? 1 : 0
        params.sr_heur = options.heuristics.contains(.simpleRounding) ? 1 : 0
        params.fp_heur = options.heuristics.contains(.feasibilityPump) ? 1 : 0
        params.ps_heur = options.heuristics.contains(.proximitySearch) ? 1 : 0
        params.start = start
        params.duals_by_fixing_integers = options.dualsByFixingIntegers ? 1 : 0
        params.progress_interval_seconds = options.progressIntervalSeconds
        params.primal_pivot_limit = Int32(clamping: options.primalSimplexPivotLimit ?? 0)
        params.node_limit = Int32(clamping: options.nodeLimit?.nodes ?? 0)
        params.node_limit_gap = options.nodeLimit.map { $0.withinGap.isFinite ? $0.withinGap : -1 } ?? -1
        params.scaling = options.scaling == .powersOfTwo ? Int32(CGLPK_SCALING_POWERS_OF_TWO.rawValue)
                                                         : Int32(CGLPK_SCALING_AUTOMATIC.rawValue)
        let box = options.progress.map(ProgressBox.init)
        if let box {
            params.progress_context = Unmanaged.passUnretained(box).toOpaque()
            params.progress = { context, snapshot in
                guard let context, let snapshot else { return }
                let box = Unmanaged<ProgressBox>.fromOpaque(context).takeUnretainedValue()
                box.handler(SolveProgress(snapshot.pointee))
            }
        }
        let lazyBox = options.lazyConstraints.map(LazyBox.init)
        if let lazyBox {
            params.lazy_context = Unmanaged.passUnretained(lazyBox).toOpaque()
            params.lazy = { context, point, sink in
                guard let context, let point, let sink else { return }
                let box = Unmanaged<LazyBox>.fromOpaque(context).takeUnretainedValue()
                let c = point.pointee
                let lazyPoint = LazyPoint(values: Array(UnsafeBufferPointer(start: c.values, count: Int(c.num_cols))),
                                          isIntegral: c.integral != 0, objective: c.objective,
                                          bestBound: c.has_bound != 0 ? c.bound : nil)
                for constraint in box.handler(lazyPoint) {
                    let terms = constraint.expression.normalizedTerms()
                    let lower = constraint.lowerBound - constraint.expression.constant
                    let upper = constraint.upperBound - constraint.expression.constant
                    // GLPK would abort on these; a row with a column outside the model the sink refuses.
                    guard terms.coefficients.allSatisfy(\.isFinite), !lower.isNaN, !upper.isNaN, lower <= upper else { continue }
                    _ = cglpk_lazy_add_row(sink, Int32(terms.indices.count), terms.indices, terms.coefficients, lower, upper)
                }
            }
        }
        var result = cglpk_result()
        withExtendedLifetime((box, lazyBox)) {
            withUnsafePointer(to: params) { call($0, &result) }
        }
        guard result.error != Int32(CGLPK_OK.rawValue) else { return result }
        let message = detail(of: result)
        let code: MILPError.Code = switch result.error {
        case Int32(CGLPK_ERROR_NESTED.rawValue): .reentrantSolve
        case Int32(CGLPK_ERROR_FILE.rawValue): .fileError
        case Int32(CGLPK_ERROR_MEMORY.rawValue): .outOfMemory
        default: .solverFailure
        }
        let log = result.log.map { String(cString: $0) } ?? ""
        cglpk_result_free(&result)
        let fileContext = code == .fileError ? Self.lastLines(of: log) : ""
        throw MILPError(code, fileContext.isEmpty ? message : "\(message): \(fileContext)")
    }

    private static func solution(from result: cglpk_result, options: SolveOptions, modelID: ModelID,
                                 variableNames: [String], constraintNames: [String],
                                 startGiven: Bool, startNote: String?, seconds: Double) -> Solution {
        let columns = Int(result.num_cols), rows = Int(result.num_rows)
        let status = Solution.Status(result)
        let hasValues = result.has_values != 0
        let hasDuals = result.has_duals != 0
        var detail = detail(of: result)
        var startAccepted: Bool?
        if startGiven {
            switch result.start_status {
            case Int32(CGLPK_START_ACCEPTED.rawValue):
                startAccepted = true
                detail += "; starting solution accepted"
            case Int32(CGLPK_START_REJECTED.rawValue):
                startAccepted = false
                detail += "; starting solution rejected by GLPK (not better than its incumbent)"
            case Int32(CGLPK_START_UNUSED.rawValue):
                startAccepted = false
                detail += "; starting solution not needed (the search never called for a heuristic)"
            default:
                startAccepted = false
            }
        }
        if let startNote { detail += "; \(startNote)" }
        if options.dualsByFixingIntegers && result.is_mip != 0 && hasValues && !hasDuals {
            detail += "; duals unavailable: the LP with integers fixed could not be solved"
        }
        let log = options.logLevel == .silent ? "" : (result.log.map { String(cString: $0) } ?? "")
        var solution = Solution(
            status: status,
            detail: detail,
            objective: hasValues ? result.objective : .nan,
            bestBound: result.has_bound != 0 ? result.best_bound : nil,
            mipGap: hasValues && result.has_bound != 0 ? result.mip_gap : nil,
            seconds: seconds,
            nodes: Int(result.nodes),
            isMIP: result.is_mip != 0,
            log: log,
            startingSolutionAccepted: startAccepted,
            variableValues: hasValues ? Array(UnsafeBufferPointer(start: result.col_value, count: columns)) : [],
            constraintActivities: hasValues ? Array(UnsafeBufferPointer(start: result.row_value, count: rows)) : [],
            rowDualValues: hasDuals ? Array(UnsafeBufferPointer(start: result.row_dual, count: rows)) : nil,
            reducedCostValues: hasDuals ? Array(UnsafeBufferPointer(start: result.col_dual, count: columns)) : nil,
            modelID: modelID,
            variableNames: variableNames,
            constraintNames: constraintNames,
            hasSolution: hasValues
        )
        solution.lazyConstraintsAdded = Int(result.lazy_rows)
        solution.stoppedAtNodeLimit = result.node_limit_reached != 0
        return solution
    }

    static func detail(of result: cglpk_result) -> String {
        withUnsafeBytes(of: result.detail) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    static func names(_ buffer: UnsafeMutablePointer<CChar>?, length: Int) -> [String] {
        guard let buffer, length > 0 else { return [] }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        return bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    static func lastLines(of log: String, count: Int = 3) -> String {
        log.split(separator: "\n").suffix(count).joined(separator: " | ")
    }
}
