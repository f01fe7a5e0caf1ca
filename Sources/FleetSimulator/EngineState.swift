/// The engine's mutable records: per instance, per waiting or running sequence, per event.

/// Scalar state of one instance (its sequences live in the engine's per-instance heaps and
/// queues, so reading this struct never copies a container).
struct InstanceState {
    let pool: Int
    /// Sequences holding a slot: prefilling (incl. admitted, not yet started) + decoding.
    var occupiedSlots = 0
    /// KV tokens reserved by those sequences.
    var reservedKVTokens = 0
    /// Σ current context of the decoding sequences, tokens; grows by the number of decoding
    /// sequences each iteration, so the iteration time is O(1) to evaluate.
    var decodingContextTokens = 0
    /// Iterations finished so far; decoding sequences finish at a known iteration index.
    var completedIterations = 0
    var isRunning = false
    var idleSinceSeconds = 0.0

    // The iteration in progress.
    var iterationStartSeconds = 0.0
    /// Sequences computed in the iteration (decoding + prefilling): sets the power draw.
    var iterationBatch = 0
    var iterationDecoders = 0
    /// Prefilling sequences (a prefix of the prefill queue) whose prefill ends with this
    /// iteration; each emits its first token at its end.
    var iterationPrefillCompletions = 0

    init(pool: Int) { self.pool = pool }
}

/// A request waiting in its pool's FCFS queue.
struct QueuedRequest {
    var arrivalSeconds: Double
    var inputTokens: Int32
    var outputTokens: Int32
    var kvReservedTokens: Int32
    var isMeasured: Bool
}

/// A request admitted to an instance whose prompt is not fully processed yet.
struct PrefillingSequence {
    var arrivalSeconds: Double
    var remainingPrefillTokens: Int32
    var inputTokens: Int32
    var outputTokens: Int32
    var kvReservedTokens: Int32
    var isMeasured: Bool
}

/// A sequence generating tokens; ordered by the iteration that produces its last token.
struct DecodingSequence: Comparable {
    var finishIteration: Int
    var firstTokenSeconds: Double
    /// Context during its last iteration (input + output − 1), removed from the context sum
    /// when it finishes.
    var finalContextTokens: Int32
    var outputTokens: Int32
    var kvReservedTokens: Int32
    var isMeasured: Bool

    static func < (lhs: DecodingSequence, rhs: DecodingSequence) -> Bool {
        lhs.finishIteration < rhs.finishIteration
    }

    static func == (lhs: DecodingSequence, rhs: DecodingSequence) -> Bool {
        lhs.finishIteration == rhs.finishIteration
    }
}

/// The end of an instance's current iteration; ties broken by instance index so event
/// order — and therefore the whole run — is deterministic.
struct IterationEnd: Comparable {
    var seconds: Double
    var instance: Int

    static func < (lhs: IterationEnd, rhs: IterationEnd) -> Bool {
        lhs.seconds < rhs.seconds || (lhs.seconds == rhs.seconds && lhs.instance < rhs.instance)
    }
}
