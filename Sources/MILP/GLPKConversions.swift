import CGLPK

// Conversions between the Swift API's values and the C driver's codes.

extension Solution.Status {
    init(_ result: cglpk_result) {
        switch result.status {
        case Int32(CGLPK_STATUS_OPTIMAL.rawValue): self = .optimal
        case Int32(CGLPK_STATUS_FEASIBLE.rawValue): self = .feasible
        case Int32(CGLPK_STATUS_INFEASIBLE.rawValue): self = .infeasible
        case Int32(CGLPK_STATUS_UNBOUNDED.rawValue): self = .unbounded
        case Int32(CGLPK_STATUS_NO_SOLUTION.rawValue): self = .noSolution
        default: self = .failed(GLPKSolver.detail(of: result))
        }
    }
}

extension SolveProgress {
    init(_ snapshot: cglpk_progress) {
        incumbent = snapshot.has_incumbent != 0 ? snapshot.incumbent : nil
        bestBound = snapshot.has_bound != 0 ? snapshot.bound : nil
        relativeGap = snapshot.gap >= 0 ? snapshot.gap : nil
        nodes = Int(snapshot.nodes)
        activeNodes = Int(snapshot.active_nodes)
        seconds = snapshot.seconds
    }
}

extension SolveOptions.LogLevel {
    var glpkMessageLevel: Int32 {
        switch self {
        case .silent: GLP_MSG_OFF
        case .errors: GLP_MSG_ERR
        case .normal: GLP_MSG_ON
        case .verbose: GLP_MSG_ALL
        }
    }
}

extension SolveOptions.Branching {
    var glpkValue: Int32 {
        switch self {
        case .firstFractional: GLP_BR_FFV
        case .lastFractional: GLP_BR_LFV
        case .mostFractional: GLP_BR_MFV
        case .driebeckTomlin: GLP_BR_DTH
        case .pseudocost: GLP_BR_PCH
        }
    }
}

extension SolveOptions.Backtracking {
    var glpkValue: Int32 {
        switch self {
        case .depthFirst: GLP_BT_DFS
        case .breadthFirst: GLP_BT_BFS
        case .bestLocalBound: GLP_BT_BLB
        case .bestProjection: GLP_BT_BPH
        }
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
