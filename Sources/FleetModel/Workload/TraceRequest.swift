/// One request: when it arrives and how long it is (a trace row, or a generated arrival).
public struct TraceRequest: Sendable, Equatable, Hashable {
    /// Arrival time in seconds after the trace's first request.
    public var arrivalSeconds: Double
    /// Prompt tokens (the trace's `ContextTokens`).
    public var inputTokens: Int
    /// Generated tokens (the trace's `GeneratedTokens`).
    public var outputTokens: Int

    public init(arrivalSeconds: Double, inputTokens: Int, outputTokens: Int) {
        self.arrivalSeconds = arrivalSeconds
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    /// Input + output tokens: the length the router and the length bins use.
    public var totalTokens: Int { inputTokens + outputTokens }
}
