/// A fixed list of arrivals (tests, hand-worked examples). Arrivals must be sorted by time.
public struct ScheduledArrivals: ArrivalSource, Sendable {
    private let requests: [ArrivingRequest]
    private var position = 0

    public init(_ requests: [ArrivingRequest]) {
        self.requests = requests
    }

    public mutating func next() -> ArrivingRequest? {
        guard position < requests.count else { return nil }
        defer { position += 1 }
        return requests[position]
    }
}
