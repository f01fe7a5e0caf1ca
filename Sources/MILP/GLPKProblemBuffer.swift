import CGLPK

/// C copies of a model's arrays in the `cglpk_problem` layout, alive for one GLPK call.
///
/// Copying (O(n + m + nonzeros), a few hundred microseconds for 100k nonzeros) keeps the bridge
/// simple: stable pointers for the whole call, no nested `withUnsafeBufferPointer` pyramids.
final class GLPKProblemBuffer {
    private(set) var problem = cglpk_problem()
    private var allocations: [UnsafeMutableRawPointer] = []

    init(_ model: Model, objectiveName: String? = nil) {
        problem.name = copyString(model.name)
        problem.objective_name = objectiveName.map(copyString)
        problem.num_cols = Int32(model.variableCount)
        problem.num_rows = Int32(model.constraintCount)
        problem.maximize = model.sense == .maximize ? 1 : 0
        problem.objective_constant = model.objectiveConstant
        problem.objective = copy(model.objectiveCoefficients)
        problem.col_kind = copy(model.variableKinds.map { $0 == .continuous ? Int32(CGLPK_CONTINUOUS) : Int32(CGLPK_INTEGER) })
        problem.col_lower = copy(model.lowerBounds)
        problem.col_upper = copy(model.upperBounds)
        problem.col_names = copyNames(model.variableNames)
        problem.row_lower = copy(model.rowLowerBounds)
        problem.row_upper = copy(model.rowUpperBounds)
        problem.row_names = copyNames(model.constraintNames)
        problem.row_start = copy(model.rowStart)
        problem.col_index = copy(model.columnIndices)
        problem.value = copy(model.coefficients)
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }

    /// Copies `values` into memory owned by this buffer (at least one element, so never null).
    func copy<T>(_ values: [T]) -> UnsafePointer<T> {
        let memory = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(values.count, 1))
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { memory.initialize(from: base, count: source.count) }
        }
        allocations.append(UnsafeMutableRawPointer(memory))
        return UnsafePointer(memory)
    }

    private func copyString(_ string: String) -> UnsafePointer<CChar> {
        copy(Array(string.utf8CString))
    }

    /// Names back to back, each NUL-terminated (the layout `cglpk_problem` expects).
    private func copyNames(_ names: [String]) -> UnsafePointer<CChar> {
        var bytes: [CChar] = []
        bytes.reserveCapacity(names.reduce(0) { $0 + $1.utf8.count + 1 })
        for name in names {
            for byte in name.utf8 { bytes.append(CChar(bitPattern: byte)) }
            bytes.append(0)
        }
        return copy(bytes)
    }
}
