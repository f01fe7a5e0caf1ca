/// Largest values fleetplan accepts where the input sets a count that memory or run time grows
/// with. Each is far beyond any real fleet, and each error that cites one names it.
public enum InputLimits {
    /// Instances in one pool (a plan file's `instances`, a hand fleet's `fleet[].instances`):
    /// a million instances of TP 8 is 8 million GPUs.
    public static let maxInstancesPerPool = 1_000_000
    /// Batch slots per instance (a plan file's `nMax`); engines run a few hundred.
    public static let maxSlotsPerInstance = 1_000_000
    /// GPUs per instance (a plan file's `tp`).
    public static let maxTensorParallel = 1024
    /// Fewest instances per open pool (`--min-instances`); 2 keeps a spare in each pool.
    public static let maxMinInstancesPerPool = 1000
    /// Requests one simulation may run (`simulate --requests`): minutes of run time.
    public static let maxSimulatedRequests = 100_000_000
}
