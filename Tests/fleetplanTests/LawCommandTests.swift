import Foundation
import Testing

/// End-to-end: the built `fleetplan law` binary, its JSON interface, exit codes and error lines.
@Suite("fleetplan law", .serialized)
struct LawCommandTests {
    @Test func paperPresetReproducesTheHeadlineFigures() throws {
        let run = try Fleetplan.run(["law", "--preset", "paper", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let rows = try run.rows()
        #expect(rows.map { $0.int("window") } == [2048, 4096, 8192, 16384, 32768, 65536, 131072])
        let at4K = try #require(rows.first { $0.int("window") == 4096 })
        let at64K = try #require(rows.first { $0.int("window") == 65536 })
        let at2K = try #require(rows.first { $0.int("window") == 2048 })
        // 17.6 and 1.50 tok/W (paper convention), ±1%; n_max 2^20/W.
        #expect(abs(try #require(at4K.double("tokensPerWattPaper")) - 17.6) <= 0.176)
        #expect(abs(try #require(at64K.double("tokensPerWattPaper")) - 1.50) <= 0.015)
        #expect(at4K.int("nMax") == 256)
        #expect(at64K.int("nMax") == 16)
        #expect(at2K.int("nMax") == 512)
        // Physical is the same throughput over 8 GPUs' watts.
        let physical = try #require(at4K.double("tokensPerWatt"))
        #expect(abs(physical * 8 - (try #require(at4K.double("tokensPerWattPaper")))) < 1e-9)
        // τ = 4.0 ms + 20.48 ms.
        #expect(abs(try #require(at4K.double("iterationSeconds")) - 0.02448) < 1e-12)
        #expect(abs(try #require(at4K.double("weightStreamSeconds")) - 0.004) < 1e-12)
        // H at 4K: 0.32 ms · 2048 / 8192 = 0.08 ms per sequence.
        #expect(abs(try #require(at4K.double("kvSecondsPerSequence")) - 0.00008) < 1e-12)
    }

    @Test func jsonRowsCarryTheDocumentedFields() throws {
        let run = try Fleetplan.run(["law", "--format", "json", "--windows", "4K"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let row = try #require(try run.rows().first)
        for key in ["model", "gpu", "tp", "window", "fits", "kvBytesPerToken", "nMax", "weightStreamSeconds",
                    "kvSecondsPerSequence", "iterationSeconds", "powerPerGPUWatts", "instanceTokensPerSecond",
                    "tokensPerWatt", "tokensPerWattPaper"] {
            #expect(row[key] != nil, "missing \(key)")
        }
        #expect(row.string("model") == "Llama-3.1-70B")
        #expect(row.string("gpu") == "H100-SXM5-80GB")
        #expect(row["fits"] as? Bool == true)
        // 2 · 80 layers · 8 KV heads · 128 · 2 bytes.
        #expect(row.double("kvBytesPerToken") == 327_680)
        // Sorted keys: "fits" comes before "gpu", "gpu" before "iterationSeconds".
        let text = run.standardOutput
        let fits = try #require(text.range(of: "\"fits\""))
        let gpu = try #require(text.range(of: "\"gpu\""))
        #expect(fits.lowerBound < gpu.lowerBound)
    }

    @Test func projectedB200Is1_4To1_8TimesH100AtEveryWindow() throws {
        let run = try Fleetplan.run(["law", "--preset", "paper", "--gpus", "h100,b200", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let rows = try run.rows()
        let b200 = rows.filter { $0.string("gpu") == "B200-SXM-180GB" }
        #expect(b200.count == 7)
        for row in b200 {
            let ratio = try #require(row.double("tokensPerWattRatioToFirst"))
            #expect(ratio >= 1.4 && ratio <= 1.8, "window \(row.int("window") ?? 0): \(ratio)")
        }
    }

    @Test func llama405BOnOneH100IsReportedAsNotFitting() throws {
        let run = try Fleetplan.run(["law", "--models", "llama-3.1-405b", "--tp", "1", "--windows", "4096",
                                     "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        let row = try #require(try run.rows().first)
        #expect(row["fits"] as? Bool == false)
        // 2 · 126 · 8 · 128 · 2.
        #expect(row.double("kvBytesPerToken") == 516_096)
        #expect(row["tokensPerWatt"] == nil)
        #expect(row["instanceTokensPerSecond"] == nil)
        #expect(row["nMax"] == nil)
        #expect(row.string("fitProblem")?.contains("weights") == true)

        let table = try Fleetplan.run(["law", "--models", "llama-3.1-405b", "--tp", "1", "--windows", "4096"])
        #expect(table.exitCode == 0)
        #expect(table.standardOutput.contains("no fit"))
        #expect(table.standardOutput.contains("does not fit"))
    }

    @Test func tableStatesTheConventionAndTheMoECaveat() throws {
        let run = try Fleetplan.run(["law", "--models", "llama-3.1-70b,qwen3-235b-a22b", "--windows", "8K"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("tok/W = output tokens/s ÷ watts of all TP GPUs (physical)"))
        #expect(run.standardOutput.contains("paper = instance tok/s ÷ one GPU's watts"))
        #expect(run.standardOutput.contains("MoE figures are upper bounds"))
        #expect(run.standardOutput.contains("×first"))

        let dense = try Fleetplan.run(["law", "--windows", "8K"])
        #expect(!dense.standardOutput.contains("MoE figures are upper bounds"))
    }

    @Test func csvAndMarkdownRender() throws {
        let csv = try Fleetplan.run(["law", "--format", "csv", "--windows", "4K,64K"])
        #expect(csv.exitCode == 0)
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("model,gpu,tp,window,fits,kvBytesPerToken") == true)
        let markdown = try Fleetplan.run(["law", "--format", "markdown", "--windows", "4K"])
        #expect(markdown.standardOutput.contains("| window | gpu |"))
    }

    struct BadInput: Sendable, CustomStringConvertible {
        var arguments: [String]
        var expected: [String]
        var description: String { arguments.joined(separator: " ") }
    }

    static let badInputs: [BadInput] = [
        BadInput(arguments: ["law", "--gpus", "h1000"], expected: ["--gpus", "h1000", "did you mean h100?"]),
        BadInput(arguments: ["law", "--models", "llama-9000b"], expected: ["--models", "unknown model 'llama-9000b'"]),
        BadInput(arguments: ["law", "--tp", "3"], expected: ["--tp", "TP 3", "64 attention heads and 8 KV heads"]),
        BadInput(arguments: ["law", "--preset", "paper", "--models", "qwen3-235b-a22b"], expected: ["--preset paper"]),
        BadInput(arguments: ["law", "--windows", "lots"], expected: ["--windows", "'lots'"]),
        BadInput(arguments: ["law", "--format", "jsn"], expected: ["--format", "did you mean json?"]),
        BadInput(arguments: ["law", "--catalog", "/nonexistent/x.yaml"], expected: ["/nonexistent/x.yaml", "no such file"]),
    ]

    @Test(arguments: badInputs)
    func badInputGivesOneLineAndExitCode2(_ input: BadInput) throws {
        let run = try Fleetplan.run(input.arguments)
        #expect(run.exitCode == 2)
        #expect(run.standardOutput.isEmpty)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(run.standardError)")
        #expect(run.standardError.hasPrefix("error: "))
        for fragment in input.expected {
            #expect(run.standardError.contains(fragment), "\(run.standardError)")
        }
    }

    @Test func catalogWithAMissingFieldOrNegativeBandwidthIsRefused() throws {
        let complete = """
        gpus:
          - name: X100
            provenance: projected
            source: "test"
            hbm_gb: 100
            hbm_tb_per_s: 4.0
            bf16_tflops: 1000
            tdp_watts: 800
            power: {idle_watts: 300, nominal_watts: 700, k: 1.0, x0: 4.0}
            price_per_gpu_hour: 5
        """
        let good = try Fleetplan.temporaryCatalog(complete)
        let ok = try Fleetplan.run(["law", "--catalog", good, "--gpus", "h100,x100", "--windows", "4K"])
        #expect(ok.exitCode == 0, "\(ok.standardError)")
        #expect(ok.standardOutput.contains("x100") || ok.standardOutput.contains("X100"))

        let missing = try Fleetplan.temporaryCatalog(complete.replacingOccurrences(of: "    tdp_watts: 800\n", with: ""))
        let missingRun = try Fleetplan.run(["law", "--catalog", missing])
        #expect(missingRun.exitCode == 2)
        #expect(missingRun.standardError.split(separator: "\n").count == 1)
        #expect(missingRun.standardError.contains("missing field 'tdp_watts'"))

        let negative = try Fleetplan.temporaryCatalog(complete.replacingOccurrences(of: "hbm_tb_per_s: 4.0", with: "hbm_tb_per_s: -4.0"))
        let negativeRun = try Fleetplan.run(["law", "--catalog", negative])
        #expect(negativeRun.exitCode == 2)
        #expect(negativeRun.standardError.split(separator: "\n").count == 1)
        #expect(negativeRun.standardError.contains("hbm_tb_per_s: must be greater than 0, got -4"))
    }

    @Test func theBundledOverrideExampleLoads() throws {
        let run = try Fleetplan.run(["law", "--catalog", "examples/catalog-override.yaml", "--gpus", "h100,x100",
                                     "--windows", "8K", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.standardError)")
        #expect(try run.rows().count == 2)
    }

    @Test func helpHasExamples() throws {
        let run = try Fleetplan.run(["law", "--help"])
        #expect(run.exitCode == 0)
        #expect(run.standardOutput.contains("EXAMPLES"))
        #expect(run.standardOutput.contains("--preset paper"))
    }
}
