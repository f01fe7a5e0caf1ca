import FleetModel

/// The output of `fleetplan law`: header lines stating the convention, the table, and notes
/// (MoE caveat, pools that do not fit, what the ratio compares), in any `OutputFormat`.
public struct LawReport: Sendable {
    public var points: [LawPoint]
    public var models: [LLMSpec]
    public var gpus: [GPUSpec]
    public var tensorParallel: [Int]
    public var configuration: ServingConfiguration
    public var meanContextFraction: Double
    /// Notes the command adds (e.g. default windows left out beyond a model's context).
    public var extraNotes: [String] = []

    /// The conventions stated above every law table (and in the JSON document).
    public static let physicalConvention = "tok/W = output tokens/s ÷ watts of all TP GPUs (physical)"
    public static let paperConvention = "paper = instance tok/s ÷ one GPU's watts"
    public static let moeCaveat = "MoE: decode streams only the active parameters (the MoE lever); expert dispatch / all-to-all "
        + "overhead is not modelled, and a batch touches more than top-k experts per step, so MoE figures are upper bounds."

    public init(points: [LawPoint], models: [LLMSpec], gpus: [GPUSpec], tensorParallel: [Int],
                configuration: ServingConfiguration, meanContextFraction: Double) {
        self.points = points
        self.models = models
        self.gpus = gpus
        self.tensorParallel = tensorParallel
        self.configuration = configuration
        self.meanContextFraction = meanContextFraction
    }

    /// Rendered output: what goes to stdout, and notes for stderr (CSV keeps stdout pure data).
    public func render(_ format: OutputFormat) throws -> (output: String, diagnostics: String) {
        switch format {
        case .json:
            return (try JSONOutput.string(document), "")
        case .csv:
            return (csvTable.csv(), notes.map { "note: \($0)\n" }.joined())
        case .table:
            let header = headerLines.joined(separator: "\n") + "\n\n"
            let footer = notes.isEmpty ? "" : "\n" + notes.map { "note: \($0)" }.joined(separator: "\n") + "\n"
            return (header + textTable.text() + footer, "")
        case .markdown:
            let header = headerLines.map { $0 + "  " }.joined(separator: "\n") + "\n\n"
            let footer = notes.isEmpty ? "" : "\n" + notes.map { "- \($0)" }.joined(separator: "\n") + "\n"
            return (header + textTable.markdown() + footer, "")
        }
    }

    // MARK: Pieces

    /// The JSON document: conventions, settings, notes and one object per row.
    public struct Document: Encodable, Sendable {
        public var command = "law"
        public var conventions: [String: String]
        public var preset: ServingConfiguration.Preset
        public var reservation: ServingConfiguration.Reservation
        public var meanContextFraction: Double
        public var configuration: ServingConfiguration
        public var notes: [String]
        public var rows: [LawPoint]
    }

    public var document: Document {
        Document(
            conventions: ["tokensPerWatt": Self.physicalConvention, "tokensPerWattPaper": Self.paperConvention],
            preset: configuration.preset, reservation: configuration.reservation,
            meanContextFraction: meanContextFraction, configuration: configuration, notes: notes, rows: points)
    }

    var headerLines: [String] {
        var settings = [
            "preset \(configuration.preset.rawValue)",
            "KV reservation \(configuration.reservation.rawValue)",
            "mean context = \(HumanUnits.fixed(meanContextFraction, digits: 2)) × window",
        ]
        if configuration.preset == .physical {
            settings.append("KV \(configuration.kvFormat.rawValue)")
            settings.append("weights " + (configuration.weightFormat?.rawValue ?? "as published"))
        }
        if let maxNumSeqs = configuration.maxNumSeqs { settings.append("max_num_seqs \(maxNumSeqs)") }
        if let tpot = configuration.tpotSLOSeconds { settings.append("TPOT ≤ \(HumanUnits.milliseconds(tpot)) ms") }
        if let curve = configuration.powerCurve { settings.append("power curve \(curve)") }
        let modelList = models.map { "\($0.shortName) = \($0.name)" + ($0.isMixtureOfExperts ? " (MoE)" : "") }
        let gpuList = gpus.map { "\($0.shortName) = \($0.name)" }
        return [
            "fleetplan law — tokens per watt against the context window (the \"1/W law\")",
            "models: " + modelList.joined(separator: ", ") + "; GPUs: " + gpuList.joined(separator: ", ")
                + "; TP " + tensorParallel.map(String.init).joined(separator: ", "),
            settings.joined(separator: "; "),
            Self.physicalConvention + "; " + Self.paperConvention,
            "W = weight streaming per iteration; KV = n_max × H(mean context); compute = n_max × compute per sequence; "
                + "τ = max(W + KV, compute)",
        ]
    }

    var notes: [String] {
        var notes: [String] = []
        if models.contains(where: \.isMixtureOfExperts) { notes.append(Self.moeCaveat) }
        if configuration.preset == .paper {
            notes.append("preset paper: W, H, KV capacity and power are the paper's calibration for Llama-3.1-70B at TP 8 "
                + "(H100 calibrated; B200 projected, ±20%).")
        }
        if let first = points.first, points.contains(where: { $0.tokensPerWattRatioToFirst != nil }) {
            notes.append("×first = tok/W ÷ tok/W of \(shortModel(first.model)) on \(shortGPU(first.gpu)) at TP \(first.tp) at the same window.")
        }
        var seen = Set<String>()
        for point in points where !point.fits {
            let problem = point.fitProblem ?? "does not fit"
            // Weight problems repeat for every window: report them once per pool.
            let key = problem.hasPrefix("weights") ? "\(point.model)|\(point.gpu)|\(point.tp)" : "\(point.model)|\(point.gpu)|\(point.tp)|\(point.window)"
            guard seen.insert(key).inserted else { continue }
            let at = problem.hasPrefix("weights") ? "" : " at \(HumanUnits.tokens(point.window))"
            notes.append("\(shortModel(point.model)) on \(shortGPU(point.gpu)) TP \(point.tp)\(at) does not fit: \(problem).")
        }
        if points.contains(where: { $0.nMaxLimit == .tpot && $0.nMax == 0 }) {
            notes.append("n_max 0 (tpot): one decode step already exceeds the TPOT SLO.")
        }
        return notes + extraNotes
    }

    private func shortModel(_ name: String) -> String { models.first { $0.name == name }?.shortName ?? name }
    private func shortGPU(_ name: String) -> String { gpus.first { $0.name == name }?.shortName ?? name }

    var textTable: Table {
        let showModel = models.count > 1
        let showTP = tensorParallel.count > 1
        let showRatio = points.contains { $0.tokensPerWattRatioToFirst != nil }
        var columns: [Table.Column] = [Table.Column("window")]
        if showModel { columns.append(Table.Column("model", .left)) }
        columns.append(Table.Column("gpu", .left))
        if showTP { columns.append(Table.Column("tp")) }
        columns += [
            Table.Column("n_max"), Table.Column("limit", .left), Table.Column("W ms"), Table.Column("KV ms"),
            Table.Column("compute ms"), Table.Column("τ ms"), Table.Column("P/GPU"), Table.Column("tok/s"),
            Table.Column("tok/W"), Table.Column("tok/W paper"),
        ]
        if showRatio { columns.append(Table.Column("×first")) }
        var table = Table(columns: columns)
        var previousGroup: String?
        for point in points {
            let group = "\(point.model)|\(point.tp)|\(point.window)"
            if let previousGroup, previousGroup != group, gpus.count > 1 { table.breakGroup() }
            previousGroup = group
            var cells = [HumanUnits.tokens(point.window)]
            if showModel { cells.append(shortModel(point.model)) }
            cells.append(shortGPU(point.gpu))
            if showTP { cells.append(String(point.tp)) }
            cells += [
                point.fits ? HumanUnits.count(point.nMax) : "no fit",
                limitText(point),
                HumanUnits.milliseconds(point.weightStreamSeconds),
                HumanUnits.milliseconds(point.kvSecondsPerIteration),
                point.computeSecondsPerIteration.map { $0 > 0 ? HumanUnits.milliseconds($0) : HumanUnits.missing } ?? HumanUnits.missing,
                HumanUnits.milliseconds(point.iterationSeconds),
                HumanUnits.watts(point.powerPerGPUWatts),
                HumanUnits.fixed(point.instanceTokensPerSecond, digits: 0),
                HumanUnits.significant(point.tokensPerWatt),
                HumanUnits.significant(point.tokensPerWattPaper),
            ]
            if showRatio { cells.append(HumanUnits.ratio(point.tokensPerWattRatioToFirst)) }
            table.append(cells)
        }
        return table
    }

    private func limitText(_ point: LawPoint) -> String {
        guard point.fits, let limit = point.nMaxLimit else { return HumanUnits.missing }
        switch limit {
        case .kvCache: return point.iterationBound == "compute" ? "kv, compute-bound" : "kv"
        case .maxNumSeqs: return "max_num_seqs"
        case .tpot: return "tpot"
        case .memory: return HumanUnits.missing
        }
    }

    /// CSV: one line per row with raw SI numbers (seconds, watts, bytes) under the JSON field names.
    var csvTable: Table {
        let keys = [
            "model", "gpu", "tp", "window", "fits", "kvBytesPerToken", "kvBytesPerTokenPerGPU", "weightBytesPerGPU",
            "kvCapacityTokensPerInstance", "meanContextTokens", "nMax", "nMaxLimit", "weightStreamSeconds",
            "kvSecondsPerSequence", "kvSecondsPerIteration", "computeSecondsPerIteration", "iterationSeconds",
            "powerPerGPUWatts", "instancePowerWatts", "instanceTokensPerSecond", "tokensPerWatt", "tokensPerWattPaper",
            "tokensPerWattRatioToFirst",
        ]
        var table = Table(columns: keys.map { Table.Column($0) })
        func number(_ value: Double?) -> String {
            guard let value else { return "" }
            return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
        for point in points {
            table.append([
                point.model, point.gpu, String(point.tp), String(point.window), String(point.fits),
                number(point.kvBytesPerToken), number(point.kvBytesPerTokenPerGPU), number(point.weightBytesPerGPU),
                number(point.kvCapacityTokensPerInstance), number(point.meanContextTokens),
                point.nMax.map(String.init) ?? "", point.nMaxLimit?.rawValue ?? "", number(point.weightStreamSeconds),
                number(point.kvSecondsPerSequence), number(point.kvSecondsPerIteration),
                number(point.computeSecondsPerIteration), number(point.iterationSeconds), number(point.powerPerGPUWatts),
                number(point.instancePowerWatts), number(point.instanceTokensPerSecond), number(point.tokensPerWatt),
                number(point.tokensPerWattPaper), number(point.tokensPerWattRatioToFirst),
            ])
        }
        return table
    }
}
