import ArgumentParser
import FleetModel
import FleetReport

/// `fleetplan law`: the "1/W law" as a table anyone can check — n_max, iteration time and its
/// parts, power and tokens per watt across context windows, for models × GPUs × TP.
struct LawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "law",
        abstract: "Tokens per watt against the context window (the \"1/W law\"), per model, GPU and TP.",
        discussion: """
        For each model × TP × window × GPU, evaluates one instance at its concurrency cap n_max \
        (KV memory, --max-num-seqs, --tpot-ms) with the mean attended context at \
        --mean-context-fraction of the window, and prints n_max, the decode iteration \
        τ = max(W + n·H, compute) with its parts, per-GPU power, instance tokens/s, and tok/W \
        both physical (÷ watts of all TP GPUs) and in the paper convention (÷ one GPU's watts). \
        With several GPUs, models or TPs, ×first is the tok/W ratio to the first at the same window. \
        MoE figures are upper bounds (dispatch / all-to-all not modelled).

        --preset paper installs the 1/W-law paper's calibration (Llama-3.1-70B, TP 8, H100 \
        calibrated, B200 projected) and refuses other combinations.

        EXAMPLES:
          fleetplan law
          fleetplan law --preset paper --gpus h100,b200
          fleetplan law --preset paper --format json
          fleetplan law --models llama-3.1-70b,qwen3-235b-a22b --windows 8K
          fleetplan law --models llama-3.1-405b --tp 1 --windows 4096
          fleetplan law --gpus b200 --power-curve measured --reservation paged
          fleetplan law --catalog examples/catalog-override.yaml --gpus h100,x100
        """
    )

    @Option(name: .long, help: ArgumentHelp("Comma-separated models (name or alias).", valueName: "a,b"))
    var models: String = "llama-3.1-70b"

    @Option(name: .long, help: ArgumentHelp("Comma-separated GPUs (name or alias), shown side by side.", valueName: "a,b"))
    var gpus: String = "h100"

    @Option(name: .long, help: ArgumentHelp("Tensor-parallel degree(s), comma-separated.", valueName: "n"))
    var tp: String = "8"

    @Option(name: .long, help: ArgumentHelp("Context windows in tokens, e.g. 4096,65536 or 4K,64K (default 2K…128K).",
                                            valueName: "list"))
    var windows: String?

    @Option(name: .long, help: ArgumentHelp("physical (catalog rooflines) or paper (the 1/W-law calibration).",
                                            valueName: "preset"))
    var preset: String = ServingConfiguration.Preset.physical.rawValue

    @Option(name: .long, help: ArgumentHelp("KV reservation: window (every sequence may grow to the window) or paged.",
                                            valueName: "mode"))
    var reservation: String = ServingConfiguration.Reservation.window.rawValue

    // Numbers parse unconditionally, so a negative one (`--rate -5`) reaches the checks that say
    // what is wrong with it, not ArgumentParser's "missing value".
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Mean attended context as a fraction of the window.", valueName: "f"))
    var meanContextFraction: Double = 0.5

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Engine cap on concurrent sequences (vLLM max_num_seqs).", valueName: "n"))
    var maxNumSeqs: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Time-per-output-token SLO in milliseconds; caps n_max.", valueName: "ms"))
    var tpotMs: Double?

    @Option(name: .long, help: ArgumentHelp("KV-cache format: fp32, bf16, fp16, fp8, int8, int4.", valueName: "format"))
    var kvDtype: String = NumericFormat.bf16.rawValue

    @Option(name: .long, help: ArgumentHelp("Weight format (default: each model's published format).", valueName: "format"))
    var weightDtype: String?

    @Option(name: .long, help: ArgumentHelp("Named GPU power curve, e.g. measured (B200).", valueName: "name"))
    var powerCurve: String?

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var formatOptions: FormatOptions

    func run() throws {
        let format = try formatOptions.outputFormat()
        let configuration = try servingConfiguration()
        let catalog = try catalogOptions.load()
        let modelSpecs = try CLI.list(models, flag: "--models").map { try catalog.llm(named: $0, location: "--models") }
        let gpuSpecs = try CLI.list(gpus, flag: "--gpus").map { try catalog.gpu(named: $0, location: "--gpus") }
        let degrees = try CLI.list(tp, flag: "--tp").map { try CLI.positiveInteger($0, flag: "--tp") }
        let windowList = try windows.map { try CLI.list($0, flag: "--windows").map { try CLI.tokenCount($0, flag: "--windows") } }
            ?? LawSweep.defaultWindows
        // A window asked for beyond a model's context is an error; the default windows stop at it, with a note.
        var contextNotes: [String] = []
        for model in modelSpecs {
            guard let context = model.maxContextTokens, let longest = windowList.max(), longest > context else { continue }
            if windows != nil {
                throw InputError(.invalidValue, location: "--windows",
                                 "\(longest) tokens is beyond \(model.name)'s \(context)-token context (max_context_tokens in the catalog)",
                                 fix: "give windows of at most \(context) tokens")
            }
            contextNotes.append("\(model.name): windows stop at its \(HumanUnits.tokens(context)) context (max_context_tokens).")
        }

        let points = try LawSweep.run(
            models: modelSpecs, gpus: gpuSpecs, tensorParallel: degrees, windows: windowList,
            configuration: configuration, meanContextFraction: meanContextFraction)
        var report = LawReport(points: points, models: modelSpecs, gpus: gpuSpecs, tensorParallel: degrees,
                               configuration: configuration, meanContextFraction: meanContextFraction)
        report.extraNotes = contextNotes
        CLI.emit(try report.render(format))
    }

    private func servingConfiguration() throws -> ServingConfiguration {
        var configuration = ServingConfiguration()
        configuration.preset = try CLI.choice(preset, flag: "--preset")
        configuration.reservation = try CLI.choice(reservation, flag: "--reservation")
        configuration.kvFormat = try CLI.choice(kvDtype, flag: "--kv-dtype")
        configuration.weightFormat = try weightDtype.map { try CLI.choice($0, flag: "--weight-dtype") }
        configuration.maxNumSeqs = maxNumSeqs
        configuration.tpotSLOSeconds = tpotMs.map { $0 / 1e3 }
        configuration.powerCurve = powerCurve
        if let maxNumSeqs, maxNumSeqs < 1 {
            throw InputError(.invalidValue, location: "--max-num-seqs", "must be at least 1, got \(maxNumSeqs)")
        }
        if let tpotMs, !(tpotMs > 0 && tpotMs <= InputLimits.maxLatencySLOSeconds * 1e3) {
            throw InputError(.invalidValue, location: "--tpot-ms", "must be between 0 and \(InputLimits.grouped(InputLimits.maxLatencySLOSeconds * 1e3)) ms, got \(tpotMs)",
                             fix: "e.g. --tpot-ms 50")
        }
        try configuration.validate()
        return configuration
    }
}
