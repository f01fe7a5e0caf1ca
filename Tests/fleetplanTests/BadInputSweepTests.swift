import Foundation
import Testing

/// Inputs from the adversarial sweep that used to crash, hang or print an unclear message: each
/// now gives one `error:` line on stderr naming the file, flag or field, and exit status 2.
/// `@file.EXT` in the arguments is replaced by a scratch file holding `file`.
@Suite("bad inputs from the sweep", .serialized)
struct BadInputSweepTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var file: String?
        var mentions: [String]
        var testDescription: String { name }
    }

    static let chat = "examples/workloads/chat-cdf.json"

    static func scratch(_ contents: String, suffix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString)\(suffix)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func run(_ input: Case) throws -> FleetplanRun {
        var arguments = input.arguments
        if let contents = input.file, let placeholder = arguments.first(where: { $0.hasPrefix("@file") }) {
            let path = try scratch(contents, suffix: String(placeholder.dropFirst("@file".count)))
            arguments = arguments.map { $0 == placeholder ? path : $0 }
        }
        return try Fleetplan.run(arguments)
    }

    static func expectOneLineError(_ input: Case, _ run: FleetplanRun) {
        #expect(run.exitCode == 2, "\(input.name): \(run.standardError)")
        #expect(run.standardError.hasPrefix("error: "), "\(input.name): \(run.standardError)")
        #expect(run.standardError.split(separator: "\n").count == 1, "\(input.name): \(run.standardError)")
        for text in input.mentions {
            #expect(run.standardError.contains(text), "\(input.name): \(run.standardError)")
        }
        #expect(run.standardOutput.isEmpty, "\(input.name)")
    }

    static let yamlCases: [Case] = [
        Case(name: "scenario nested 100,000 levels deep (was a stack overflow in libyaml)",
             arguments: ["plan", "@file.yaml", "--workload", chat],
             file: "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n",
             mentions: [".yaml: line 1: nested more than 256 levels deep"]),
        Case(name: "scenario alias bomb (was gigabytes of memory, then a trap)",
             arguments: ["plan", "@file.yaml", "--workload", chat],
             file: "a: &a [x, x, x, x, x, x, x, x, x]\n"
                + (1...9).map { level in
                    let name = "abcdefghij".map(String.init)
                    return "\(name[level]): &\(name[level]) [" + Array(repeating: "*\(name[level - 1])", count: 9).joined(separator: ", ") + "]"
                }.joined(separator: "\n") + "\nrate: 100\n",
             mentions: [".yaml: line 2: YAML aliases (*name) are not supported"]),
        Case(name: "catalog nested 100,000 levels deep",
             arguments: ["law", "--catalog", "@file.yaml"],
             file: "gpus: " + String(repeating: "[", count: 100_000) + "\n",
             mentions: [".yaml: line 1: nested more than 256 levels deep"]),
    ]

    static func catalog(gpuFigure: String = "hbm_gb: 80", llmFigure: String = "params_billions: 1") -> String {
        """
        gpus:
          - name: Z1
            aliases: [z1]
            provenance: projected
            source: "x"
            \(gpuFigure)
            hbm_tb_per_s: 12.0
            bf16_tflops: 3500
            tdp_watts: 1400
            power: {idle_watts: 600, nominal_watts: 1200, k: 1.0, x0: 4.6}
            price_per_gpu_hour: 14.00
        llms:
          - name: Bad-1B
            aliases: [bad]
            provenance: measured
            source: "x"
            layers: 64
            hidden_size: 5120
            attention_heads: 40
            kv_heads: 8
            head_dim: 128
            ffn_size: 27648
            vocab_size: 152064
            \(llmFigure)
        """
    }

    static let catalogCases: [Case] = [
        Case(name: "GPU with 1e308 GB of HBM (was a trap converting infinity to Int)",
             arguments: ["law", "--catalog", "@file.yaml", "--gpus", "z1"], file: catalog(gpuFigure: "hbm_gb: 1e308"),
             mentions: [".yaml: line 6, gpus[0] (Z1).hbm_gb: must be at most 10000, got 1e+308"]),
        Case(name: "plan on a GPU with 1e308 GB of HBM",
             arguments: ["plan", "--catalog", "@file.yaml", "--gpus", "z1", "--workload", chat, "--rate", "10"],
             file: catalog(gpuFigure: "hbm_gb: 1e308"), mentions: ["gpus[0] (Z1).hbm_gb: must be at most 10000"]),
        Case(name: "model of 1e308 billion parameters (was a trap in ServingModel.gigabytes)",
             arguments: ["law", "--catalog", "@file.yaml", "--models", "bad"], file: catalog(llmFigure: "params_billions: 1e308"),
             mentions: ["llms[0] (Bad-1B).params_billions: must be at most 1000000, got 1e+308"]),
        Case(name: "GPU at 1e308 dollars per hour (was exit 1 with internal MILP names)",
             arguments: ["plan", "--catalog", "@file.yaml", "--gpus", "z1", "--workload", chat, "--rate", "10",
                         "--objective", "min-cost"],
             file: catalog(gpuFigure: "hbm_gb: 80\n    price_per_gpu_hour: 1e308").replacingOccurrences(of: "    price_per_gpu_hour: 14.00\n", with: ""),
             mentions: ["price_per_gpu_hour: must be at most 10000"]),
        Case(name: "GPU of 1e308 TFLOP/s (was Infinity in the plan's JSON)",
             arguments: ["plan", "--catalog", "@file.yaml", "--gpus", "z1", "--workload", chat, "--rate", "10"],
             file: catalog().replacingOccurrences(of: "bf16_tflops: 3500", with: "bf16_tflops: 1e308"),
             mentions: ["bf16_tflops: must be at most 1000000"]),
    ]

    static let handFleet = """
        model: llama-3.1-70b
        workload: {cdf: \(Fleetplan.repository.path)/examples/workloads/chat-cdf.json}
        rate: 200
        slo: {ttftP99: 2s}
        fleet:
          - {gpu: b200, tp: 8, window: 16384, instances: 1000000000}
          - {gpu: b200, tp: 8, window: 65536, instances: 14}
        """

    static let countCases: [Case] = [
        Case(name: "plan of a hand fleet of 1e9 instances (was a hang)", arguments: ["plan", "@file.yaml"], file: handFleet,
             mentions: [".yaml: fleet[0].instances: must be between 1 and 1000000, got 1000000000"]),
        Case(name: "simulate a hand fleet of 1e9 instances (was a hang)", arguments: ["simulate", "@file.yaml"], file: handFleet,
             mentions: [".yaml: fleet[0].instances: must be between 1 and 1000000, got 1000000000"]),
        Case(name: "hand fleet of three pools of 700,000 instances", arguments: ["plan", "@file.yaml"],
             file: handFleet.replacingOccurrences(of: "instances: 1000000000", with: "instances: 700000")
                .replacingOccurrences(of: "instances: 14", with: "instances: 700000")
                + "\n  - {gpu: b200, tp: 8, window: 32768, instances: 700000}\n",
             mentions: [".yaml: fleet: the pools have 2100000 instances in all, more than 2000000"]),
        Case(name: "simulate 10^12 requests (was a hang)",
             arguments: ["simulate", "examples/hand-fleet.yaml", "--requests", "1000000000000"], file: nil,
             mentions: ["--requests: 1000000000000 requests is more than the 100000000 one simulation runs"]),
        Case(name: "a million instances in every pool",
             arguments: ["plan", "--workload", chat, "--rate", "100", "--min-instances", "1000000", "--no-baselines"], file: nil,
             mentions: ["min-instances: must be between 1 and 1000 instances per open pool, got 1000000"]),
    ]

    @Test(arguments: countCases)
    func countsThatTimeOrMemoryGrowWith(_ input: Case) throws {
        Self.expectOneLineError(input, try Self.run(input))
    }

    /// A plan file whose pool has 1e9 instances asked for 88 GB and trapped (exit 134).
    @Test func planFileWithABillionInstances() throws {
        let plan = try String(contentsOf: Fleetplan.repository.appendingPathComponent("Tests/FleetSimulatorTests/Fixtures/two-pool-plan.json"),
                              encoding: .utf8)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [String: Any])
        var inner = try #require(object["plan"] as? [String: Any])
        var pools = try #require(inner["pools"] as? [[String: Any]])
        pools[0]["instances"] = 1_000_000_000
        inner["pools"] = pools
        object["plan"] = inner
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let input = Case(name: "plan file with 1e9 instances", arguments: ["simulate", "@file.json"], file: text,
                         mentions: [".json: plan.pools[0].instances: 1000000000 instances in one pool is beyond the 1000000"])
        Self.expectOneLineError(input, try Self.run(input))
    }

    static let plan100 = ["plan", "--workload", chat, "--gpus", "h100,b200", "--ttft-p99", "1s", "--no-baselines"]
    static let trace = """
        TIMESTAMP,ContextTokens,GeneratedTokens
        2023-11-16 18:17:03.000,1000,100
        2023-11-16 18:17:04.000,2000,200
        2023-11-16 18:17:06.000,500,50
        """

    /// Values no capacity plan has, which used to give an empty "optimal" fleet, "Infinity" in
    /// the JSON, exit 1 with internal MILP names, or a plan for 2.4 years of P99 TTFT.
    static let rangeCases: [Case] = [
        Case(name: "1e-12 req/s (was an empty 'optimal' fleet)", arguments: plan100 + ["--rate", "1e-12"], file: nil,
             mentions: ["rate: 1e-12 requests per second is too little demand to size a fleet for (give 0.001 to 10,000,000"]),
        Case(name: "1e-6 req/s (was 120 s, then a time-limit error)", arguments: plan100 + ["--rate", "1e-6"], file: nil,
             mentions: ["rate: 1e-06 requests per second is too little demand"]),
        Case(name: "P99 TTFT of 1e9 s (was marked ok at 2.4 years)", arguments: plan100 + ["--rate", "100", "--ttft-p99", "1e9s"],
             file: nil, mentions: ["ttft-p99: a P99 TTFT of 1000000000.0 s is no latency target (give at most 3600s"]),
        Case(name: "scenario P99 TTFT of 1e308 s", arguments: ["plan", "@file.yaml", "--workload", chat, "--no-baselines"],
             file: "rate: 100\nslo: {ttftP99: 1e308}\n", mentions: [".yaml: ttft-p99: a P99 TTFT of 1e+308 s is no latency target"]),
        Case(name: "electricity at 1e308 $/kWh (was exit 1 naming MILP variables)",
             arguments: plan100 + ["--rate", "100", "--electricity", "1e308", "--objective", "min-cost"], file: nil,
             mentions: ["electricity: must be between 0 and 10 $/kWh, got 1e+308"]),
        Case(name: "PUE 1e308 (was Infinity in the JSON)", arguments: plan100 + ["--rate", "100", "--pue", "1e308"], file: nil,
             mentions: ["pue: must be between 1 and 5 (facility power ÷ IT power), got 1e+308"]),
        Case(name: "PUE 100", arguments: plan100 + ["--rate", "100", "--pue", "100"], file: nil, mentions: ["pue: must be between 1 and 5"]),
        Case(name: "infinite power cap", arguments: plan100 + ["--rate", "100", "--power-cap-kw", "inf"], file: nil,
             mentions: ["power-cap-kw: must be a positive number of kW up to 100,000,000 (100 GW), got inf"]),
        Case(name: "budget of 1e308 $/h", arguments: plan100 + ["--rate", "100", "--budget-per-hour", "1e308"], file: nil,
             mentions: ["budget-per-hour: must be positive dollars per hour up to 1,000,000,000"]),
        Case(name: "--compress-max 1e9", arguments: plan100 + ["--rate", "100", "--compress-max", "1e9"], file: nil,
             mentions: ["compress-max: must be between 1 and 100 (the longest request, as a multiple of the window, that may be trimmed), got 1000000000.0 (e.g. --compress-max 2)"]),
        Case(name: "gap of 2", arguments: plan100 + ["--rate", "100", "--gap", "2"], file: nil,
             mentions: ["gap: must be a relative MIP gap in [0, 1), got 2.0"]),
        Case(name: "law with an infinite TPOT", arguments: ["law", "--tpot-ms", "inf"], file: nil,
             mentions: ["--tpot-ms: must be between 0 and 3,600,000 ms, got inf"]),
        Case(name: "simulate at 1e12 req/s (was 'Measured over 0.0 s')",
             arguments: ["simulate", "examples/hand-fleet.yaml", "--rate", "1e12"], file: nil,
             mentions: ["--rate: 1000000000000.0 requests/s is not a rate to simulate (give 0.001 to 10,000,000"]),
        Case(name: "trace scaled to 1e-300 req/s (was Infinity watts)",
             arguments: ["simulate", "examples/hand-fleet.yaml", "--trace", "@file.csv", "--scale-to-rate", "1e-300"], file: trace,
             mentions: ["--scale-to-rate: 1e-300 requests/s is not a rate to replay at"]),
    ]

    @Test(arguments: rangeCases)
    func valuesOutOfRange(_ input: Case) throws {
        Self.expectOneLineError(input, try Self.run(input))
    }

    /// The slowest rate accepted plans a fleet that serves it, and says the rate as given.
    @Test func slowestRateStillPlansAFleet() throws {
        let run = try Fleetplan.run(Self.plan100 + ["--rate", "0.001", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let plan = try #require(try run.json()["plan"] as? [String: Any])
        #expect(plan.double("rateRequestsPerSecond") == 0.001)
        let pools = try #require(plan["pools"] as? [[String: Any]])
        #expect(pools.compactMap { $0.int("instances") }.reduce(0, +) >= 1)
        let table = try Fleetplan.run(Self.plan100 + ["--rate", "0.001"])
        #expect(table.standardOutput.hasPrefix("Fleet plan — Llama-3.1-70B, 0.001 req/s,"), "\(table.standardOutput.prefix(80))")
        let whole = try Fleetplan.run(Self.plan100 + ["--rate", "10"])
        #expect(whole.standardOutput.hasPrefix("Fleet plan — Llama-3.1-70B, 10 req/s,"), "\(whole.standardOutput.prefix(80))")
    }

    /// A trickle on a GPU at the catalog's limits, where one instance carries the whole demand
    /// 10^5–10^7 times over: the fleet is exactly one instance (no plan serves traffic with none,
    /// and one suffices). At 0.1 req/s it was an empty fleet reported optimal, then an error that
    /// the traffic was "too little for the solver to tell from none"; at 0.01 req/s, with instance
    /// totals in the model, "infeasible" (`FleetFormulation.perInstanceCapacity`).
    @Test(arguments: ["0.001", "0.01", "0.1"])
    func trickleOnAGPUAtTheCatalogsLimitsGetsOneInstance(rate: String) throws {
        let catalog = Self.catalog(gpuFigure: "hbm_gb: 10000").replacingOccurrences(of: "hbm_tb_per_s: 12.0", with: "hbm_tb_per_s: 1000")
            .replacingOccurrences(of: "bf16_tflops: 3500", with: "bf16_tflops: 1000000")
        let file = try Self.scratch(catalog, suffix: ".yaml")
        let run = try Fleetplan.run(["plan", "--catalog", file, "--gpus", "z1", "--model", "llama-3.1-8b", "--workload", Self.chat,
                                     "--rate", rate, "--ttft-p99", "1s", "--no-baselines", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let plan = try #require(try run.json()["plan"] as? [String: Any])
        let pools = try #require(plan["pools"] as? [[String: Any]])
        #expect(pools.compactMap { $0.int("instances") } == [1])
    }

    /// A plan file whose rate is 1e308 was simulated to degenerate figures.
    @Test func planFileRateOutOfRange() throws {
        let plan = try String(contentsOf: Fleetplan.repository.appendingPathComponent("Tests/FleetSimulatorTests/Fixtures/two-pool-plan.json"),
                              encoding: .utf8)
        let input = Case(name: "plan file at 1e308 req/s", arguments: ["simulate", "@file.json"],
                         file: plan.replacingOccurrences(of: "\"rateRequestsPerSecond\": 40.0", with: "\"rateRequestsPerSecond\": 1e308"),
                         mentions: [".json: plan.rateRequestsPerSecond: rate 1e+308 requests/s is out of range"])
        Self.expectOneLineError(input, try Self.run(input))
    }

    /// Windows beyond the model's context (the catalog's max_context_tokens: 131072 for
    /// Llama-3.1-70B, 32768 for Mixtral-8x7B) used to be accepted and planned.
    static let contextCases: [Case] = [
        Case(name: "plan --max-window 256K", arguments: plan100 + ["--rate", "100", "--max-window", "256K"], file: nil,
             mentions: ["max-window: 262144 tokens is beyond Llama-3.1-70B's 131072-token context (max_context_tokens in the catalog) (give at most 131072)"]),
        Case(name: "plan --windows 262144", arguments: plan100 + ["--rate", "100", "--windows", "8K,262144", "--max-window", "128K"],
             file: nil, mentions: ["windows: 262144 tokens is beyond Llama-3.1-70B's 131072-token context"]),
        Case(name: "hand fleet pool beyond the context",
             arguments: ["plan", "@file.yaml"],
             file: handFleet.replacingOccurrences(of: "instances: 1000000000", with: "instances: 12")
                .replacingOccurrences(of: "window: 65536", with: "window: 262144"),
             mentions: [".yaml: fleet[1].window: 262144 tokens is beyond Llama-3.1-70B's 131072-token context"]),
        Case(name: "Mixtral on a workload with 64K requests",
             arguments: ["plan", "--workload", chat, "--model", "mixtral-8x7b", "--gpus", "b200", "--rate", "100", "--ttft-p99", "1s"],
             file: nil,
             mentions: ["workload: 0.6% of requests fall in length bands beyond Mixtral-8x7B's 32768-token context (max_context_tokens), up to 65536 tokens (let compress-and-route trim them (--compress-max 2 --compress-fraction 1)"]),
        Case(name: "Mixtral trimming only 75% of the long requests is told not to raise --max-window past its context",
             arguments: ["plan", "--workload", chat, "--model", "mixtral-8x7b", "--gpus", "b200", "--rate", "100", "--ttft-p99", "1s",
                         "--compress-max", "2", "--no-baselines"],
             file: nil, mentions: ["only 75% of them may be compressed (set --compress-fraction 1 (Mixtral-8x7B's context is 32768 tokens))"]),
        Case(name: "trace with a 20M-token request, in the band up to 24M = 192× the context (was advised --compress-max 192, beyond its limit)",
             arguments: ["plan", "--workload", "@file.csv", "--rate", "10", "--no-baselines"],
             file: trace.replacingOccurrences(of: "18:17:04.000,2000,200", with: "18:17:04.000,20000000,200"),
             mentions: ["workload: 33% of requests fall in length bands beyond Llama-3.1-70B's 131072-token context (max_context_tokens), up to 25165824 tokens (they are 192× the context, beyond what compress-and-route trims (at most 100×): leave them out of the workload or plan a model with a longer context)"]),
        Case(name: "law --windows 256K", arguments: ["law", "--windows", "256K"], file: nil,
             mentions: ["--windows: 262144 tokens is beyond Llama-3.1-70B's 131072-token context"]),
        Case(name: "law Mixtral at 64K", arguments: ["law", "--models", "mixtral-8x7b", "--windows", "64K"], file: nil,
             mentions: ["--windows: 65536 tokens is beyond Mixtral-8x7B's 32768-token context (max_context_tokens in the catalog) (give windows of at most 32768 tokens)"]),
    ]

    @Test(arguments: contextCases)
    func windowsBeyondTheModelsContext(_ input: Case) throws {
        Self.expectOneLineError(input, try Self.run(input))
    }

    /// Mixtral's plan, its long requests trimmed, has no pool beyond 32K (it had 64K pools).
    @Test func mixtralPlanStaysWithinItsContext() throws {
        let run = try Fleetplan.run(["plan", "--workload", Self.chat, "--model", "mixtral-8x7b", "--gpus", "b200", "--rate", "100",
                                     "--ttft-p99", "1s", "--compress-max", "2", "--compress-fraction", "1", "--no-baselines",
                                     "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let plan = try #require(try run.json()["plan"] as? [String: Any])
        let windows = try #require(plan["pools"] as? [[String: Any]]).compactMap { $0.int("window") }
        #expect(!windows.isEmpty)
        #expect(windows.allSatisfy { $0 <= 32768 }, "\(windows)")
    }

    /// law's default windows (2K…128K) stop at Mixtral's 32K context, and a note says so.
    @Test func lawDefaultWindowsStopAtTheContext() throws {
        let run = try Fleetplan.run(["law", "--models", "mixtral-8x7b", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        #expect(try run.rows().compactMap { $0.int("window") } == [2048, 4096, 8192, 16384, 32768])
        let notes = try #require(try run.json()["notes"] as? [String])
        #expect(notes.contains("Mixtral-8x7B: windows stop at its 32K context (max_context_tokens)."))
    }

    /// A folder where a file belongs was reported as a permissions problem, "cannot read the file
    /// as UTF-8 text" or "(NSCocoaErrorDomain error 256.)".
    @Test(arguments: [
        (["plan", "--workload", "@dir", "--rate", "10"], "is a folder, not a CDF file (give the path of the file inside it)"),
        (["plan", "--workload", "@dir.csv", "--rate", "10"], "is a folder, not a trace file (give the path of the file inside it)"),
        (["plan", "@dir.yaml", "--workload", chat], "is a folder, not a scenario file (give the path of the file inside it)"),
        (["simulate", "@dir.json"], "is a folder, not a plan file (give the path of the file inside it)"),
        (["simulate", "examples/hand-fleet.yaml", "--trace", "@dir.csv"], "is a folder, not a trace file"),
        (["law", "--catalog", "@dir.yaml"], "is a folder, not a catalog file (give the path of the file inside it)"),
        (["plan", "examples/chat-fleet.yaml", "--no-baselines", "--export-lp", "@dir"], "is a folder, not a file to write (give a file name, e.g. "),
    ])
    func folderGivenAsAFile(arguments: [String], message: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-dir-\(UUID().uuidString)")
        let placeholder = try #require(arguments.first { $0.hasPrefix("@dir") })
        let path = directory.path + placeholder.dropFirst("@dir".count)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Fleetplan.run(arguments.map { $0 == placeholder ? path : $0 })
        Self.expectOneLineError(Case(name: arguments.joined(separator: " "), arguments: arguments, mentions: ["error: \(path): \(message)"]), run)
    }

    /// A scenario field of the wrong type said "expected object (write a object here)" for a list
    /// or a number, and "value is null" for text where a number belongs; an empty list of TP
    /// degrees said "cannot be split over TP  (...)".
    @Test(arguments: [
        ("rate: [200]\n", "rate: expected a number, got a list"),
        ("gpus: h100\n", "gpus: expected a list of GPU names, got 'h100' (write gpus: [h100, b200])"),
        ("tp: 8\n", "tp: expected a list of whole numbers, got 8 (write tp: [4, 8])"),
        ("tp: [eight]\n", "tp[0]: expected a whole number, got 'eight'"),
        ("budgets: {available: {h100: lots}}\n", "budgets.available.h100: expected a whole number, got 'lots'"),
        ("fleet: lots\n", "fleet: expected a list of pools, got 'lots' (write fleet: [{gpu: h100, tp: 8, window: 8192, instances: 10}])"),
        ("fleet:\n  - {gpu: h100, tp: 8, window: 8192, instances: many}\n", "fleet[0].instances: expected a whole number, got 'many'"),
        ("slo: 5\n", "slo: expected a mapping, got 5 (write slo: {ttftP99: 500ms})"),
        ("maxPools: 2.5\n", "maxPools: expected a whole number, got 2.5"),
        ("tp: []\n", "tp: lists no tensor-parallel degree (list one or more of 1, 2, 4, 8, 16, 32, 64, or leave tp out for 1, 2, 4, 8)"),
        ("gpus: []\n", "gpus: lists no GPU type (list GPU names, e.g. [h100, b200], or all)"),
    ])
    func scenarioFieldOfTheWrongType(scenario: String, message: String) throws {
        let input = Case(name: scenario, arguments: ["plan", "@file.yaml", "--workload", Self.chat, "--rate", "10", "--no-baselines"],
                         file: scenario, mentions: [".yaml: " + message])
        Self.expectOneLineError(input, try Self.run(input))
        // The same in a JSON scenario.
        if scenario == "rate: [200]\n" {
            let json = Case(name: "JSON", arguments: ["plan", "@file.json", "--workload", Self.chat, "--no-baselines"],
                            file: "{\"rate\": [200]}", mentions: [".json: rate: expected a number, got a list"])
            Self.expectOneLineError(json, try Self.run(json))
        }
    }

    /// An output fraction given in the scenario (or by flag) was blamed on the CDF file; one
    /// given with a trace was silently ignored.
    @Test func outputFractionErrorsNameWhereItWasGiven() throws {
        let inScenario = Case(name: "scenario outputFraction 1.5", arguments: ["plan", "@file.yaml", "--no-baselines"],
                              file: "workload: {cdf: \(Fleetplan.repository.path)/\(Self.chat), outputFraction: 1.5}\nrate: 10\n",
                              mentions: [".yaml: workload.outputFraction: output fraction 1.5 is outside (0, 1)"])
        Self.expectOneLineError(inScenario, try Self.run(inScenario))
        let byFlag = Case(name: "--output-fraction 1.5", arguments: Self.plan100 + ["--rate", "10", "--output-fraction", "1.5"],
                          mentions: ["error: --output-fraction: output fraction 1.5 is outside (0, 1)"])
        Self.expectOneLineError(byFlag, try Self.run(byFlag))
        let withTrace = Case(name: "--output-fraction with a trace", arguments: ["plan", "--workload", "@file.csv", "--output-fraction", "0.3"],
                             file: Self.trace, mentions: ["error: --output-fraction: applies to a CDF or inline bins; a trace gives each request's own output tokens"])
        Self.expectOneLineError(withTrace, try Self.run(withTrace))
    }

    /// Errors about a scenario's names and its hand fleet did not name the scenario file, and on
    /// a hand fleet simulate suggested --max-window / --compress-max, which it does not have.
    static let scenarioNamingCases: [Case] = [
        Case(name: "unknown model in the scenario", arguments: ["plan", "@file.yaml", "--workload", chat, "--rate", "10"],
             file: "model: gpt-5\n", mentions: [".yaml: model: unknown model 'gpt-5'"]),
        Case(name: "unknown GPU in the scenario", arguments: ["plan", "@file.yaml", "--workload", chat, "--rate", "10"],
             file: "gpus: [1]\n", mentions: [".yaml: gpus: unknown GPU '1'"]),
        Case(name: "unknown GPU in the hand fleet", arguments: ["plan", "@file.yaml"],
             file: handFleet.replacingOccurrences(of: "gpu: b200, tp: 8, window: 16384, instances: 1000000000",
                                                  with: "gpu: z900, tp: 8, window: 16384, instances: 12"),
             mentions: [".yaml: fleet[0].gpu: unknown GPU 'z900'"]),
        Case(name: "a hand fleet too small for its demand", arguments: ["plan", "@file.yaml"],
             file: handFleet.replacingOccurrences(of: "instances: 1000000000", with: "instances: 1")
                .replacingOccurrences(of: "instances: 14", with: "instances: 1"),
             mentions: [".yaml: fleet: the fleet serves at most"]),
        Case(name: "simulate a hand fleet whose windows are too short", arguments: ["simulate", "@file.yaml"],
             file: handFleet.replacingOccurrences(of: "instances: 1000000000", with: "instances: 12")
                .replacingOccurrences(of: "window: 65536", with: "window: 1024"),
             mentions: [".yaml: fleet: requests of up to 32768 tokens (2.5% of traffic are longer than 16384) fit no pool of the fleet (the largest window is 16384 tokens) (add a pool with a window of at least 32768 tokens to fleet:)"]),
    ]

    @Test(arguments: scenarioNamingCases)
    func scenarioErrorsNameTheScenario(_ input: Case) throws {
        Self.expectOneLineError(input, try Self.run(input))
        #expect(!input.mentions.contains { $0.contains("--max-window") })
    }

    /// A name a flag gives is not blamed on the scenario file.
    @Test func flagErrorsDoNotNameTheScenario() throws {
        let run = try Fleetplan.run(["plan", "examples/chat-fleet.yaml", "--model", "gpt-5"])
        #expect(run.exitCode == 2)
        #expect(run.standardError.hasPrefix("error: model: unknown model 'gpt-5'"), "\(run.standardError)")
    }

    /// Messages that named no fix, or blamed the rate for a trace that gives none.
    static let fixCases: [Case] = [
        Case(name: "trace whose requests all arrive at once", arguments: ["plan", "--workload", "@file.csv", "--no-baselines"],
             file: "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.000,1000,100\n2023-11-16 18:17:03.000,2000,200\n",
             mentions: [".csv: rate: the trace's requests all arrive at one time, so it gives no request rate (pass --rate REQ_PER_S or set rate: in the scenario)"]),
        Case(name: "--rate 0", arguments: plan100 + ["--rate", "0"],
             mentions: ["rate: the request rate must be a positive number of requests per second, got 0.0 (give 0.001 to 10,000,000 requests per second, e.g. 1000)"]),
        Case(name: "--max-pools 0", arguments: plan100 + ["--rate", "10", "--max-pools", "0"],
             mentions: ["max-pools: must be at least 1, got 0 (e.g. --max-pools 4 (the default))"]),
        Case(name: "--tp 0", arguments: plan100 + ["--rate", "10", "--tp", "0"], mentions: ["--tp: '0' is not a positive whole number (e.g. --tp 4,8)"]),
        Case(name: "--max-num-seqs 0", arguments: plan100 + ["--rate", "10", "--max-num-seqs", "0"],
             mentions: ["serving.maxNumSeqs: must be at least 1 sequence, got 0 (e.g. 256, vLLM's default)"]),
        Case(name: "scenario with rate twice (the last silently won)", arguments: ["plan", "@file.yaml", "--workload", chat],
             file: "rate: 200\nrate: 300\n", mentions: [".yaml: line 2: key 'rate' appears twice in the same mapping (keep one)"]),
        Case(name: "JSON scenario with rate twice (the first silently won)", arguments: ["plan", "@file.json", "--workload", chat],
             file: "{\"rate\": 200,\n \"slo\": {\"ttftP99\": \"2s\"},\n \"rate\": 300}\n",
             mentions: [".json: line 3, column 2: key 'rate' appears twice in the same object (first at line 1, column 2) (keep one)"]),
        Case(name: "CDF object with its cdf twice", arguments: plan100 + ["--rate", "10", "--workload", "@file.json"],
             file: "{\"cdf\": [[1000, 0.5], [2000, 1.0]], \"cdf\": [[500, 1.0]]}",
             mentions: [".json: line 1, column 37: key 'cdf' appears twice in the same object (first at line 1, column 2) (keep one)"]),
        Case(name: "--ttft-p99 1us (was called 'a 0 ms P99 TTFT')", arguments: plan100 + ["--rate", "10", "--ttft-p99", "1us"],
             mentions: ["ttft-p99: a 0.001 ms P99 TTFT is shorter than one decode iteration"]),
        Case(name: "--compress-max 8 at --max-window 8K (advised --compress-max 8, the value given)",
             arguments: ["plan", "--workload", chat, "--gpus", "all", "--max-window", "8K", "--compress-max", "8",
                         "--compress-fraction", "1", "--rate", "10", "--no-baselines"],
             mentions: ["max-window: requests of up to 65536 tokens (0.6% of traffic are longer than 32768) produce 9830 output tokens on average, more than the largest window (8192 tokens) holds, and compression trims only prompts (raise --max-window to at least 16384)"]),
        Case(name: "--tp 8,,4 (was read as 8,4)", arguments: plan100 + ["--rate", "10", "--tp", "8,,4"],
             mentions: ["--tp: '8,,4' has an empty item (separate values with single commas, e.g. 8,4)"]),
        Case(name: "plan --format csv (printed the text table)", arguments: plan100 + ["--rate", "10", "--format", "csv"],
             mentions: ["--format: a plan has no CSV form (use table, json or markdown (json for machine-readable output))"]),
    ]

    @Test(arguments: fixCases)
    func messagesSayHowToFix(_ input: Case) throws {
        Self.expectOneLineError(input, try Self.run(input))
    }

    /// The objective error lists max-load; --help now documents it.
    @Test func helpNamesEveryObjective() throws {
        let run = try Fleetplan.run(["plan", "--help"])
        #expect(run.standardOutput.contains("max-load"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("0.001 to 10,000,000"))
    }

    /// With 1000 requests and --warmup-fraction 0.9999 one request is measured (999 are warm-up),
    /// so one of the hand fleet's two pools has none; the SLO line said "met by every pool".
    @Test func poolWithoutMeasuredRequestsIsNotCalledCompliant() throws {
        let arguments = ["simulate", "examples/hand-fleet.yaml", "--requests", "1000", "--warmup-fraction", "0.9999"]
        let json = try Fleetplan.run(arguments + ["--format", "json"])
        #expect(json.exitCode == 0, "\(json.standardError)")
        let pools = try #require(try json.json()["pools"] as? [[String: Any]])
        let unmeasured = pools.filter { ($0["slo"] as? [String: Any])?["ttftMet"] == nil }.compactMap { $0.string("id") }
        #expect(unmeasured == ["b200_tp8_w65536"])
        let table = try Fleetplan.run(arguments)
        #expect(table.standardOutput.contains("SLO (P99 TTFT ≤ 2,000.00 ms): met by every measured pool; no measured request "
            + "reached b200_tp8_w65536 (simulate more requests or lower --warmup-fraction)."), "\(table.standardOutput)")
    }

    /// A CDF of one-token requests planned 0 tok/s, and simulate then refused the plan.
    @Test func oneTokenRequestsPlanAndSimulate() throws {
        let cdf = try Self.scratch("{\"cdf\": [[1, 1.0]]}", suffix: ".json")
        let plan = try Fleetplan.run(["plan", "--workload", cdf, "--rate", "100", "--gpus", "h100,b200", "--ttft-p99", "1s",
                                      "--no-baselines", "--format", "json"])
        #expect(plan.exitCode == 0, "\(plan.standardError)")
        let document = try #require(try plan.json()["plan"] as? [String: Any])
        #expect(document.double("outputTokensPerSecond") == 100)
        let path = try Self.scratch(plan.standardOutput, suffix: ".json")
        let simulated = try Fleetplan.run(["simulate", path, "--requests", "2000"])
        #expect(simulated.exitCode == 0, "\(simulated.standardError)")
    }

    @Test(arguments: catalogCases)
    func absurdCatalogFigures(_ input: Case) throws {
        Self.expectOneLineError(input, try Self.run(input))
    }

    @Test(arguments: yamlCases)
    func yamlThatWouldCrashTheParser(_ input: Case) throws {
        Self.expectOneLineError(input, try Self.run(input))
    }
}
