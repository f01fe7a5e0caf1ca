/// Largest values fleetplan accepts where the input sets a count that memory or run time grows
/// with. Each is far beyond any real fleet, and each error that cites one names it.
public enum InputLimits {
    /// Instances in one pool (a plan file's `instances`, a hand fleet's `fleet[].instances`):
    /// a million instances of TP 8 is 8 million GPUs.
    public static let maxInstancesPerPool = 1_000_000
    /// Instances in a whole fleet (the simulator keeps ~100 bytes of state per instance).
    public static let maxInstancesPerFleet = 2_000_000
    /// Batch slots per instance (a plan file's `nMax`); engines run a few hundred.
    public static let maxSlotsPerInstance = 1_000_000
    /// Σ nMax over a fleet's pools (the simulator tabulates power per slot count of each pool).
    public static let maxSlotsPerFleet = 10_000_000
    /// GPUs per instance (a plan file's `tp`).
    public static let maxTensorParallel = 1024
    /// Fewest instances per open pool (`--min-instances`); 2 keeps a spare in each pool.
    public static let maxMinInstancesPerPool = 1000
    /// Requests one simulation may run (`simulate --requests`): minutes of run time.
    public static let maxSimulatedRequests = 100_000_000

    /// Slowest demand planned or simulated, requests/s (one request every ~17 minutes). Below it
    /// each pool's share of the traffic rounds to nothing: the solver returned an empty fleet.
    public static let minRateRequestsPerSecond = 0.001
    /// Fastest demand planned or simulated, requests/s.
    public static let maxRateRequestsPerSecond = 10_000_000.0
    /// Loosest P99 TTFT or TPOT target, seconds (an hour).
    public static let maxLatencySLOSeconds = 3600.0
    /// Dearest electricity, dollars per kWh (today's prices are about 0.05–0.40).
    public static let maxElectricityDollarsPerKWh = 10.0
    /// Highest power usage effectiveness (facility ÷ IT power; real data centres run 1.05–2).
    public static let maxPowerUsageEffectiveness = 5.0
    /// Largest facility power cap, kW (100 GW).
    public static let maxPowerCapKW = 100_000_000.0
    /// Largest budget, dollars per hour.
    public static let maxDollarsPerHour = 1_000_000_000.0

    /// Largest compress-and-route factor (`--compress-max`): a request trimmed to a hundredth.
    public static let maxCompressionFactor = 100.0

    /// "3600s": the loosest latency target as a duration the flags and scenarios accept.
    public static let latencySLOLimit = "\(Int(maxLatencySLOSeconds))s"

    /// "0.001 to 10,000,000 requests per second", for errors and help.
    public static let rateRange = "\(grouped(minRateRequestsPerSecond)) to \(grouped(maxRateRequestsPerSecond)) requests per second"

    /// `x` as help and errors write it: a whole number with its thousands grouped
    /// (`NumberText.grouped`: 10,000,000), any other as Swift prints it (0.001, 1.5).
    public static func grouped(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 9e15 ? NumberText.grouped(Int(x)) : "\(x)"
    }
}
