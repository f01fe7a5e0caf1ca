import Foundation
@testable import MILP

/// Deterministic pseudo-random numbers (SplitMix64) so every test instance is reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A 0/1 knapsack instance with integer data.
struct KnapsackInstance: Sendable {
    let values: [Int]
    let weights: [Int]
    let capacity: Int

    init(items: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        weights = (0..<items).map { _ in Int.random(in: 10...60, using: &random) }
        // Values loosely correlated with weights make the LP bound weaker than for random data.
        values = weights.map { $0 + Int.random(in: 0...20, using: &random) }
        capacity = weights.reduce(0, +) / 2
    }

    /// Reference optimum by dynamic programming over capacities: O(items × capacity).
    func dynamicProgrammingOptimum() -> Int {
        var best = [Int](repeating: 0, count: capacity + 1)
        for (value, weight) in zip(values, weights) where weight <= capacity {
            for room in stride(from: capacity, through: weight, by: -1) {
                best[room] = max(best[room], best[room - weight] + value)
            }
        }
        return best[capacity]
    }

    func model() -> (Model, [Variable]) {
        var model = Model(name: "knapsack")
        let take = (0..<values.count).map { model.addVariable("take_\($0)", kind: .binary) }
        model.addConstraint("capacity", LinearExpression.sum(zip(weights, take).map { Double($0) * $1 }) <= Double(capacity))
        model.maximize(LinearExpression.sum(zip(values, take).map { Double($0) * $1 }))
        return (model, take)
    }
}

/// A lock-protected box for values written from `@Sendable` callbacks.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    func update(_ change: (inout Value) -> Void) { lock.lock(); change(&stored); lock.unlock() }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("milp-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
