/// The kind of a decision variable.
public enum VariableKind: Sendable, Hashable {
    case continuous
    case integer
    /// Integer in [0, 1].
    case binary
}

/// A handle to a decision variable of one `Model`: its position plus the model's identity.
///
/// 16 bytes, `Hashable`, `Sendable`. Handles from another model are rejected when the model is
/// validated (at solve or export) and read as NaN from a `Solution`.
public struct Variable: Hashable, Sendable, CustomStringConvertible {
    /// 0-based position in the model, in order of `Model.addVariable` calls.
    public let index: Int
    let modelID: ModelID

    init(index: Int, modelID: ModelID) {
        self.index = index
        self.modelID = modelID
    }

    public var description: String { "Variable#\(index)" }
}

/// A handle to a constraint (row) of one `Model`.
public struct ConstraintRef: Hashable, Sendable, CustomStringConvertible {
    /// 0-based position in the model, in order of `Model.addConstraint` calls.
    public let index: Int
    let modelID: ModelID

    init(index: Int, modelID: ModelID) {
        self.index = index
        self.modelID = modelID
    }

    public var description: String { "Constraint#\(index)" }
}

/// Identity of a model, shared by the handles it hands out. Copies of a `Model` share it, so
/// handles created before the copy stay valid in both copies.
struct ModelID: Hashable, Sendable {
    let rawValue: UInt64

    /// An expression without variables belongs to no model yet.
    static let none = ModelID(rawValue: 0)
    /// An expression mixing variables of different models (rejected on use).
    static let mixed = ModelID(rawValue: .max)

    static func unique() -> ModelID {
        var generator = SystemRandomNumberGenerator()
        return ModelID(rawValue: generator.next(upperBound: UInt64.max - 1) + 1)
    }

    /// The identity of an expression combining operands of identities `self` and `other`.
    func combined(with other: ModelID) -> ModelID {
        if self == other || other == .none { return self }
        if self == .none { return other }
        return .mixed
    }
}
