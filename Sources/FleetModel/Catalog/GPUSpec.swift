/// One GPU generation from the catalog (`models/gpus.yaml`), in SI units.
///
/// Catalog files write vendor units (GB, TB/s, TFLOP/s); they are converted once on load
/// (vendor GB = 1e9 bytes, DESIGN.md §2) so every consumer computes in bytes, seconds and watts.
public struct GPUSpec: Sendable, Hashable, Identifiable {
    /// Canonical name, e.g. `H100-SXM5-80GB`.
    public var name: String
    /// Short names accepted on the command line (`h100`); matched case-insensitively.
    public var aliases: [String]
    /// HBM capacity per GPU, bytes.
    public var hbmBytes: Double
    /// HBM bandwidth per GPU, bytes per second.
    public var hbmBandwidthBytesPerSecond: Double
    /// Dense BF16 tensor throughput per GPU, FLOP per second.
    public var bf16FlopsPerSecond: Double
    /// Dense FP8 tensor throughput per GPU, FLOP per second (nil where the GPU has no FP8 tensor cores).
    public var fp8FlopsPerSecond: Double?
    /// Thermal design power, watts.
    public var tdpWatts: Double
    /// The default power curve P(n).
    public var power: PowerCurve
    /// Alternative named power curves (e.g. `measured` for the B200), selectable per run.
    public var alternativePowerCurves: [String: PowerCurve]
    /// On-demand price, dollars per GPU-hour.
    public var pricePerGPUHourDollars: Double
    /// Purchase price per GPU, dollars (an illustrative default: a user input).
    public var purchasePriceDollars: Double?
    /// GPUs bought together as one server (the procurement unit).
    public var gpusPerServer: Int
    /// Provenance of each figure, keyed by its catalog field path (`hbm_tb_per_s`, `power.k`, …).
    public var provenance: [String: Provenance]

    public var id: String { name }

    /// The first alias (what tables print), or the name if there is none.
    public var shortName: String { aliases.first ?? name }

    public init(
        name: String, aliases: [String], hbmBytes: Double, hbmBandwidthBytesPerSecond: Double,
        bf16FlopsPerSecond: Double, fp8FlopsPerSecond: Double?, tdpWatts: Double, power: PowerCurve,
        alternativePowerCurves: [String: PowerCurve] = [:], pricePerGPUHourDollars: Double,
        purchasePriceDollars: Double? = nil, gpusPerServer: Int = 8, provenance: [String: Provenance] = [:]
    ) {
        self.name = name
        self.aliases = aliases
        self.hbmBytes = hbmBytes
        self.hbmBandwidthBytesPerSecond = hbmBandwidthBytesPerSecond
        self.bf16FlopsPerSecond = bf16FlopsPerSecond
        self.fp8FlopsPerSecond = fp8FlopsPerSecond
        self.tdpWatts = tdpWatts
        self.power = power
        self.alternativePowerCurves = alternativePowerCurves
        self.pricePerGPUHourDollars = pricePerGPUHourDollars
        self.purchasePriceDollars = purchasePriceDollars
        self.gpusPerServer = gpusPerServer
        self.provenance = provenance
    }

    /// The power curve to use: the default one for `nil` or `"default"`, else a named alternative.
    /// - Throws: `InputError.unknownName` naming the curves this GPU has.
    public func powerCurve(named curveName: String?) throws -> PowerCurve {
        guard let curveName, curveName.lowercased() != "default" else { return power }
        if let curve = alternativePowerCurves[curveName] ?? alternativePowerCurves.first(where: {
            $0.key.lowercased() == curveName.lowercased()
        })?.value {
            return curve
        }
        let known = (["default"] + alternativePowerCurves.keys.sorted()).joined(separator: ", ")
        throw InputError(.unknownName, location: "--power-curve",
                         "\(name) has no power curve '\(curveName)'", fix: "it has: \(known)")
    }

    /// Dense tensor FLOP/s for matrix multiplies on weights stored as `format`: the FP8 rate
    /// where both the format and the GPU support it, the BF16 rate otherwise.
    @inlinable
    public func flopsPerSecond(for format: NumericFormat) -> Double {
        if format.usesEightBitTensorCores, let fp8FlopsPerSecond { return fp8FlopsPerSecond }
        return bf16FlopsPerSecond
    }
}
