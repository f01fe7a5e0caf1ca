import Foundation
import Testing

@Suite("fleetplan plan", .serialized)
struct PlanCommandTests {
    @Test func bundledExampleGivesAConsistentJSONPlan() throws {
        let run = try Fleetplan.run(["plan", "examples/chat-fleet.yaml", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let document = try run.json()
        let plan = try #require(document["plan"] as? [String: Any])
        let pools = try #require(plan["pools"] as? [[String: Any]])
        #expect(!pools.isEmpty)
        // Totals are the sums of the pools, and tok/W is tokens per second over watts.
        let gpus = pools.compactMap { $0.int("gpus") }.reduce(0, +)
        #expect(plan.int("gpus") == gpus)
        for pool in pools {
            #expect(pool.int("gpus") == (pool.int("instances") ?? 0) * (pool.int("tp") ?? 0))
            #expect((pool.double("utilisation") ?? 2) <= 1)
            #expect(pool["meetsSLO"] as? Bool == true)
        }
        let watts = try #require(plan.double("powerWatts"))
        let tokens = try #require(plan.double("outputTokensPerSecond"))
        #expect(abs(try #require(plan.double("tokensPerWatt")) - tokens / watts) < 1e-9 * tokens / watts)
        // 200 req/s of the example CDF: mean output = Σ fraction × 20% × bin midpoint.
        let edges = [0.0, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]
        let cumulative = [0.0, 0.10, 0.27, 0.48, 0.68, 0.84, 0.93, 0.975, 0.994, 1.0]
        var meanOutput = 0.0
        for i in 1..<edges.count { meanOutput += (cumulative[i] - cumulative[i - 1]) * 0.2 * (edges[i - 1] + edges[i]) / 2 }
        #expect(abs(tokens - 200 * meanOutput) < 1e-6 * tokens)
        for band in try #require(plan["routing"] as? [[String: Any]]) {
            let shares = try #require(band["shares"] as? [[String: Any]])
            #expect(abs(shares.compactMap { $0.double("fraction") }.reduce(0, +) - 1) < 1e-9)
        }
        let solver = try #require(document["solver"] as? [String: Any])
        #expect(solver.string("status") == "optimal")
        #expect((solver.double("gap") ?? 1) <= 1e-4)
        let baselines = try #require(document["baselines"] as? [[String: Any]])
        #expect(baselines.count == 4)
        for baseline in baselines where baseline["feasible"] as? Bool == true {
            #expect((baseline.double("planRatio") ?? 0) >= 1 - 1e-9, "\(baseline)")
        }
    }

    /// The bundled fleet described by hand carries its demand: sizes kept, every pool within its SLO.
    @Test func bundledHandFleetCarriesItsDemand() throws {
        let run = try Fleetplan.run(["plan", "examples/hand-fleet.yaml", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let plan = try #require(try run.json()["plan"] as? [String: Any])
        let pools = try #require(plan["pools"] as? [[String: Any]])
        let instances = Dictionary(uniqueKeysWithValues: pools.compactMap { pool in
            pool.string("id").map { ($0, pool.int("instances") ?? 0) }
        })
        #expect(instances == ["b200_tp8_w16384": 12, "b200_tp8_w65536": 14])
        #expect(pools.allSatisfy { $0["meetsSLO"] as? Bool == true })
        #expect(abs((pools.compactMap { $0.double("requestsPerSecond") }.reduce(0, +)) - 200) < 1e-6)
    }

    @Test func tableNamesTheObjectiveAndConvention() throws {
        let run = try Fleetplan.run(["plan", "examples/chat-fleet.yaml", "--objective", "min-cost", "--no-baselines"])
        #expect(run.exitCode == 0)
        #expect(run.standardOutput.contains("objective: min-cost"))
        #expect(run.standardOutput.contains("tok/W = output tokens/s ÷ watts of every GPU (physical)"))
    }

    @Test func exportLPWritesTheModel() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).lp").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Fleetplan.run(["plan", "examples/chat-fleet.yaml", "--no-baselines", "--export-lp", path])
        #expect(run.exitCode == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("Minimize"))
        #expect(text.contains("demand_b0"))
    }

    static let badInputs: [(name: String, arguments: [String], file: String?, mentions: String)] = [
        ("non-monotone CDF", ["--workload", "@file", "--rate", "10"], "[[100, 0.5], [200, 0.4], [300, 1.0]]", "decreases"),
        ("truncated JSON", ["--workload", "@file", "--rate", "10"], "[[100, 0.5], [200", "JSON"),
        ("CSV with a non-number", ["--workload", "@file.csv", "--rate", "10"],
         "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,48x,10\n", "line 2"),
        ("empty file", ["--workload", "@file", "--rate", "10"], "", "empty"),
        ("missing file", ["--workload", "/nonexistent/cdf.json", "--rate", "10"], nil, "not found"),
        ("zero rate", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "0"], nil, "rate"),
        ("negative rate", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "-5"], nil, "positive number of requests"),
        ("negative TPOT", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10", "--tpot", "-5ms"], nil,
         "--tpot: '-5ms' is not a positive duration"),
        ("negative gap", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10", "--gap", "-1"], nil, "gap: must be"),
        ("no time to solve", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10", "--time-limit", "0"], nil,
         "time-limit: must be"),
        ("compression share without compress-max", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10",
                                                    "--compress-fraction", "0.5"], nil, "--compress-max"),
        ("absurd rate", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "1e12"], nil, "rate"),
        ("impossible SLO", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10", "--ttft-p99", "1ms"], nil, "ttft-p99"),
        ("TP the model cannot use", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10", "--tp", "3"], nil, "TP 3"),
        ("unknown GPU", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10", "--gpus", "h1000"], nil, "did you mean h100?"),
        ("unknown model", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10", "--model", "llama-9000b"], nil, "llama-9000b"),
        ("bad scenario field", ["examples/chat-fleet.yaml", "--routing", "zigzag"], nil, "routing"),
        ("no instances per pool", ["examples/chat-fleet.yaml", "--min-instances", "0"], nil, "min-instances"),
        ("misspelt scenario field", ["@file.yaml"], "model: llama-3.1-70b\nratee: 10\n", "ratee: unknown field (did you mean rate?)"),
        ("misspelt nested field", ["@file.yaml"], "rate: 10\nslo:\n  ttftP9: 2s\n", "slo.ttftP9: unknown field (did you mean ttftP99?)"),
        ("misspelt field of a JSON scenario", ["@file"], "{\"model\": \"llama-3.1-70b\", \"rat\": 10}", "rat: unknown field"),
        ("malformed YAML", ["@file.yaml"], "model: llama-3.1-70b\n  rate: 10\n", "not valid YAML: 2:7"),
        ("truncated catalog", ["--workload", "examples/workloads/chat-cdf.json", "--rate", "10", "--catalog", "@file"],
         "{\"gpus\": [", "line 1, column 11"),
    ]

    @Test(arguments: badInputs)
    func badInputGivesOneLineAndExitCode2(_ input: (name: String, arguments: [String], file: String?, mentions: String)) throws {
        var arguments = input.arguments
        if let contents = input.file {
            let suffix = arguments.contains("@file.csv") ? ".csv" : arguments.contains("@file.yaml") ? ".yaml" : ".json"
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString)\(suffix)").path
            try contents.write(toFile: path, atomically: true, encoding: .utf8)
            arguments = arguments.map { $0.hasPrefix("@file") ? path : $0 }
        }
        let run = try Fleetplan.run(["plan"] + arguments + ["--no-baselines"])
        #expect(run.exitCode == 2, "\(input.name): \(run.standardError)")
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(input.name): \(run.standardError)")
        #expect(run.standardError.hasPrefix("error: "))
        #expect(run.standardError.contains(input.mentions), "\(input.name): \(run.standardError)")
    }

    /// `--progress` reports on standard error, one "ended" line per solve (the first plus each
    /// queueing re-solve, as the JSON counts them) and nothing of the baselines; each solve but
    /// the last names the pools that missed their P99 TTFT or hold more instances than their
    /// traffic needs, the last has every pool in its SLO.
    /// The plan on standard output is the one planned without it. The bundled example solves
    /// once; the chat CDF on the whole catalog at 100 req/s, 1 s re-solves.
    @Test(arguments: [
        ["examples/chat-fleet.yaml"],
        ["--workload", "examples/workloads/chat-cdf.json", "--rate", "100", "--ttft-p99", "1s", "--gpus", "all", "--no-baselines"],
    ])
    func progressReportsEachSolveOnStandardError(scenario: [String]) throws {
        let arguments = ["plan"] + scenario + ["--format", "json"]
        let quiet = try Fleetplan.run(arguments)
        let reported = try Fleetplan.run(arguments + ["--progress"])
        #expect(quiet.exitCode == 0 && reported.exitCode == 0, "\(reported.standardError)")
        #expect(quiet.standardError.isEmpty)
        let plan = try #require(try reported.json()["plan"] as? [String: Any])
        let quietPlan = try #require(try quiet.json()["plan"] as? [String: Any])
        #expect(plan.double("powerWatts") == quietPlan.double("powerWatts"))
        let solver = try #require(try reported.json()["solver"] as? [String: Any])
        let solves = try #require(solver.int("resolves")) + 1
        let lines = reported.standardError.split(separator: "\n").map(String.init)
        let ended = lines.filter { $0.contains(": ended at ") }
        #expect(ended.count == solves, "\(reported.standardError)")
        #expect(ended.last?.contains("solve \(solves): ended at") == true)
        #expect(ended.last?.hasSuffix("every pool meets its P99 TTFT") == true)
        #expect(ended.dropLast().allSatisfy {
            $0.contains("; missing their P99 TTFT: ") || $0.contains("; more instances than their traffic needs: ")
        }, "\(reported.standardError)")
        #expect(lines.allSatisfy { $0.hasPrefix("[") && $0.contains("] solve ") }, "\(reported.standardError)")
    }
}
