import Foundation
import Testing
@testable import FleetModel

@Suite("Built-in catalog")
struct BuiltInCatalogTests {
    @Test(arguments: ["a100", "h100", "h200", "b200", "gb200", "l40s"])
    func hasGPU(_ alias: String) throws {
        let gpu = try builtInCatalog().gpu(named: alias)
        #expect(gpu.hbmBytes > 0)
        #expect(gpu.power.nominalWatts > gpu.power.idleWatts)
    }

    @Test(arguments: ["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "qwen3-235b-a22b", "qwen3-30b-a3b",
                      "mixtral-8x7b", "deepseek-v3"])
    func hasModel(_ alias: String) throws {
        let model = try builtInCatalog().llm(named: alias)
        #expect(model.attentionHeads % model.kvHeads == 0)
    }

    @Test func everyFigureHasProvenance() throws {
        let catalog = try builtInCatalog()
        for gpu in catalog.gpus {
            for field in ["hbm_gb", "hbm_tb_per_s", "bf16_tflops", "tdp_watts", "power.idle_watts", "power.k",
                          "price_per_gpu_hour"] {
                let provenance = try #require(gpu.provenance[field], "\(gpu.name).\(field)")
                #expect(!provenance.source.isEmpty)
            }
        }
        for model in catalog.llms {
            for field in ["layers", "kv_heads", "head_dim", "params_billions"] {
                #expect(model.provenance[field] != nil, "\(model.name).\(field)")
            }
        }
        // Block-level and per-figure provenance override the entry's.
        let b200 = try builtInCatalog().gpu(named: "b200")
        #expect(b200.provenance["power.idle_watts"]?.kind == .projected)
        #expect(b200.provenance["power_curves.measured.idle_watts"]?.kind == .measured)
        #expect(b200.provenance["hbm_gb"]?.kind == .measured)
    }

    @Test func unitsAreConvertedToSI() throws {
        let h100 = try builtInCatalog().gpu(named: "H100")
        #expect(h100.name == "H100-SXM5-80GB")
        #expect(h100.hbmBytes == 80e9)
        #expect(h100.hbmBandwidthBytesPerSecond == 3.35e12)
        #expect(h100.bf16FlopsPerSecond == 989e12)
        #expect(try builtInCatalog().gpu(named: "a100").fp8FlopsPerSecond == nil)
    }

    @Test func qwen3HeadDimIsExplicit() throws {
        let qwen = try builtInCatalog().llm(named: "Qwen3-235B-A22B")
        // 4096 / 64 would be 64; the config says 128.
        #expect(qwen.headDim == 128)
        #expect(qwen.hiddenSize / qwen.attentionHeads == 64)
    }

    @Test func lookupIsCaseInsensitiveAndSuggests() throws {
        let catalog = try builtInCatalog()
        #expect(try catalog.gpu(named: "h100-sxm5-80gb").name == "H100-SXM5-80GB")
        let error = #expect(throws: InputError.self) { try catalog.gpu(named: "h1000", location: "--gpus") }
        #expect(error?.code == .unknownName)
        #expect(error?.description == "--gpus: unknown GPU 'h1000' (did you mean h100?)")
        let unknownModel = #expect(throws: InputError.self) { try catalog.llm(named: "llama-9000b") }
        #expect(unknownModel?.description.contains("llama-9000b") == true)
    }

    @Test func suggestionsNeedToBeClose() {
        #expect(NameSuggestion.closest(to: "h1000", among: ["a100", "h100", "h200"]) == "h100")
        #expect(NameSuggestion.closest(to: "zzzzzz", among: ["a100", "h100"]) == nil)
        #expect(NameSuggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
    }
}

@Suite("Catalog files: validation and overrides")
struct CatalogValidationTests {
    /// A two-layer model that passes validation.
    static let tinyModelEntry = """
        llms:
          - name: Tiny
            provenance: measured
            source: "test"
            layers: 2
            hidden_size: 64
            attention_heads: 4
            kv_heads: 4
            head_dim: 16
            ffn_size: 128
            vocab_size: 100
            params_billions: 0.001
        """

    static let gpuEntry = """
    gpus:
      - name: X100
        aliases: [x100]
        provenance: projected
        source: "test"
        hbm_gb: 100
        hbm_tb_per_s: 4.0
        bf16_tflops: 1000
        tdp_watts: 800
        power: {idle_watts: 300, nominal_watts: 700, k: 1.0, x0: 4.0}
        price_per_gpu_hour: 5
    """

    @Test func aCompleteEntryParses() throws {
        let catalog = try Catalog.parse(text: Self.gpuEntry, file: "x.yaml")
        let gpu = try catalog.gpu(named: "x100")
        #expect(gpu.hbmBandwidthBytesPerSecond == 4e12)
        #expect(gpu.gpusPerServer == 8)
        #expect(gpu.provenance["power.k"] == Provenance(.projected, source: "test"))
    }

    @Test func missingFieldIsNamedWithItsLine() {
        let text = Self.gpuEntry.replacingOccurrences(of: "    hbm_tb_per_s: 4.0\n", with: "")
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "x.yaml") }
        #expect(error?.code == .missingField)
        #expect(error?.description.hasPrefix("x.yaml: line 2, gpus[0] (X100).hbm_tb_per_s: missing field 'hbm_tb_per_s'") == true)
    }

    @Test func negativeBandwidthIsRefused() {
        let text = Self.gpuEntry.replacingOccurrences(of: "hbm_tb_per_s: 4.0", with: "hbm_tb_per_s: -4.0")
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "x.yaml") }
        #expect(error?.code == .invalidValue)
        #expect(error?.description.contains("line 7, gpus[0] (X100).hbm_tb_per_s: must be greater than 0, got -4") == true)
    }

    /// Figures so large that the serving model's arithmetic overflowed (1e308 GB of HBM trapped
    /// converting an infinite token count to Int) are refused with the field and the limit.
    @Test(arguments: [
        ("hbm_gb: 100", "hbm_gb: 1e308", "line 6, gpus[0] (X100).hbm_gb: must be at most 10000, got 1e+308"),
        ("hbm_gb: 100", "hbm_gb: 10001", "hbm_gb: must be at most 10000, got 10001"),
        ("hbm_tb_per_s: 4.0", "hbm_tb_per_s: 1e20", "hbm_tb_per_s: must be at most 10000, got 1e+20"),
        ("bf16_tflops: 1000", "bf16_tflops: 1e308", "bf16_tflops: must be at most 1000000, got 1e+308"),
        ("tdp_watts: 800", "tdp_watts: 1e308", "tdp_watts: must be at most 100000"),
        ("nominal_watts: 700", "nominal_watts: 1e308", "power.nominal_watts: must be at most 100000"),
        ("k: 1.0", "k: 1e308", "power.k: must be at most 100"),
        ("x0: 4.0", "x0: -1e308", "power.x0: must be at least -64"),
        ("price_per_gpu_hour: 5", "price_per_gpu_hour: 1e308", "price_per_gpu_hour: must be at most 10000, got 1e+308"),
    ])
    func absurdGPUFiguresAreRefused(original: String, replacement: String, message: String) {
        let text = Self.gpuEntry.replacingOccurrences(of: original, with: replacement)
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "x.yaml") }
        #expect(error?.code == .invalidValue)
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test(arguments: [
        ("params_billions: 0.001", "params_billions: 1e308", "params_billions: must be at most 1000000, got 1e+308"),
        ("layers: 2", "layers: 100000000000000", "layers: must be at most 10000"),
        ("vocab_size: 100", "vocab_size: 1000000000000", "vocab_size: must be at most 100000000"),
        ("params_billions: 0.001", "params_billions: 0.001\n    max_context_tokens: 1e12",
         "max_context_tokens: must be at most 1073741824"),
    ])
    func absurdModelFiguresAreRefused(original: String, replacement: String, message: String) {
        let text = Self.tinyModelEntry.replacingOccurrences(of: original, with: replacement)
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "m.yaml") }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test func typoInAFieldNameGetsASuggestion() {
        let text = Self.gpuEntry.replacingOccurrences(of: "hbm_tb_per_s: 4.0", with: "hbm_tb_per_sec: 4.0")
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "x.yaml") }
        #expect(error?.description.contains("unknown field 'hbm_tb_per_sec'") == true)
        #expect(error?.description.contains("did you mean 'hbm_tb_per_s'?") == true)
    }

    @Test func everyFigureNeedsAProvenance() {
        let text = Self.gpuEntry.replacingOccurrences(of: "    provenance: projected\n    source: \"test\"\n", with: "")
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "x.yaml") }
        #expect(error?.description.contains("has no provenance") == true)
    }

    @Test func provenanceKindIsChecked() {
        let text = Self.gpuEntry.replacingOccurrences(of: "provenance: projected", with: "provenance: guessed")
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "x.yaml") }
        #expect(error?.description.contains("unknown provenance 'guessed'") == true)
    }

    @Test func nonNumbersAndBrokenYAMLAreRefused() {
        let text = Self.gpuEntry.replacingOccurrences(of: "hbm_gb: 100", with: "hbm_gb: lots")
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "x.yaml") }
        #expect(error?.description.contains("must be a number") == true)
        let broken = #expect(throws: InputError.self) { try Catalog.parse(text: "gpus: [\n  - name: {", file: "b.yaml") }
        #expect(broken?.code == .malformed)
    }

    @Test func modelsAreValidatedToo() {
        // 6 attention heads over 4 KV heads: not a whole number of query heads per KV head.
        let text = Self.tinyModelEntry.replacingOccurrences(of: "attention_heads: 4", with: "attention_heads: 6")
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "m.yaml") }
        #expect(error?.description.contains("kv_heads: must divide attention_heads (6), got 4") == true)
        let moe = text.replacingOccurrences(of: "kv_heads: 4", with: "kv_heads: 2")
            + "\n    moe: {experts: 4, top_k: 8, expert_ffn_size: 32, active_params_billions: 0.0005}"
        let moeError = #expect(throws: InputError.self) { try Catalog.parse(text: moe, file: "m.yaml") }
        #expect(moeError?.description.contains("moe.top_k: must be at most moe.experts (4), got 8") == true)
    }

    @Test func jsonIsAccepted() throws {
        let json = """
        {"gpus": [{"name": "J1", "aliases": ["j1"], "provenance": "projected", "source": "test",
          "hbm_gb": 10, "hbm_tb_per_s": 1, "bf16_tflops": 100, "tdp_watts": 100,
          "power": {"idle_watts": 40, "nominal_watts": 90, "k": 1, "x0": 3}, "price_per_gpu_hour": 1}]}
        """
        let catalog = try Catalog.parse(text: json, file: "j.json")
        #expect(try catalog.gpu(named: "j1").hbmBytes == 10e9)
    }

    @Test func overrideFilePatchesAndExtends() throws {
        let override = try temporaryFile(named: "override.yaml", contents: """
        gpus:
          - name: h100            # an alias: patches the built-in H100-SXM5-80GB
            aliases: [my-h100]
            price_per_gpu_hour: {value: 2.50, provenance: measured, source: "our contract"}
        \(Self.gpuEntry.split(separator: "\n").dropFirst().joined(separator: "\n"))
        """)
        let catalog = try Catalog.load(directory: modelsDirectory, overrideFile: override)
        let h100 = try catalog.gpu(named: "my-h100")
        #expect(h100.name == "H100-SXM5-80GB")
        #expect(h100.pricePerGPUHourDollars == 2.50)
        #expect(h100.provenance["price_per_gpu_hour"]?.source == "our contract")
        // Untouched figures keep their values and provenance.
        #expect(h100.hbmBandwidthBytesPerSecond == 3.35e12)
        #expect(h100.provenance["hbm_tb_per_s"]?.kind == .measured)
        #expect(try catalog.gpu(named: "x100").tdpWatts == 800)
        #expect(catalog.gpus.count == (try builtInCatalog()).gpus.count + 1)
    }

    @Test func overridesAreValidatedAfterMerging() throws {
        let override = try temporaryFile(named: "bad.yaml", contents: """
        gpus:
          - name: b200
            provenance: measured
            source: "test"
            hbm_tb_per_s: -8
        """)
        let error = #expect(throws: InputError.self) { try Catalog.load(directory: modelsDirectory, overrideFile: override) }
        #expect(error?.file?.hasSuffix("bad.yaml") == true)
        #expect(error?.description.contains("hbm_tb_per_s: must be greater than 0") == true)
    }

    @Test func duplicateAliasesAreRefused() {
        let text = Self.gpuEntry + "\n" + Self.gpuEntry.split(separator: "\n").dropFirst().joined(separator: "\n")
            .replacingOccurrences(of: "name: X100", with: "name: X200")
        let error = #expect(throws: InputError.self) { try Catalog.parse(text: text, file: "x.yaml") }
        #expect(error?.description.contains("'x100' is already used") == true)
    }

    /// A user file giving the built-in H100 the alias b200 was reported at the built-in
    /// B200's line in models/gpus.yaml; the user's entry is the one to change.
    @Test func aliasClashWithTheBuiltInCatalogNamesTheUsersFile() throws {
        let url = try temporaryFile(named: "clash.yaml", contents: """
            gpus:
              - name: H100-SXM5-80GB
                aliases: [b200]
            """)
        let error = #expect(throws: InputError.self) { try Catalog.load(directory: modelsDirectory, overrideFile: url) }
        #expect(error?.file == url.relativePath)
        #expect(error?.description.hasSuffix("gpus[0] (H100-SXM5-80GB).aliases: name 'b200' is already used by GPU 'B200-SXM-180GB' (pick a different alias)") == true,
                "\(error?.description ?? "")")
    }

    /// An empty --catalog file (or one whose lists are empty) was accepted and changed nothing.
    @Test(arguments: ["", "# nothing yet\n", "gpus: []\nllms:\n"])
    func emptyOverrideFileIsRefused(text: String) throws {
        let url = try temporaryFile(named: "empty.yaml", contents: text)
        let error = #expect(throws: InputError.self) { try Catalog.load(directory: modelsDirectory, overrideFile: url) }
        #expect(error?.description == "\(url.relativePath): catalog file has no gpus: or llms: entries "
            + "(add entries (see examples/catalog-override.yaml) or leave --catalog out)")
    }

    @Test func missingOverrideFileIsAnInputError() {
        let error = #expect(throws: InputError.self) {
            try Catalog.load(directory: modelsDirectory, overrideFile: URL(fileURLWithPath: "/nonexistent/catalog.yaml"))
        }
        #expect(error?.code == .fileNotFound)
    }
}

@Suite("Locating the built-in catalog")
struct CatalogLocatorTests {
    @Test func environmentVariableWins() throws {
        let found = try CatalogLocator.locate(environment: ["FLEETPLAN_MODELS": modelsDirectory.path],
                                              executablePath: nil, currentDirectory: "/")
        #expect(found.standardizedFileURL.path == modelsDirectory.standardizedFileURL.path)
    }

    @Test func walksUpFromTheExecutable() throws {
        let repository = modelsDirectory.deletingLastPathComponent()
        let fakeBinary = repository.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/fleetplan").path
        let found = try CatalogLocator.locate(environment: [:], executablePath: fakeBinary, currentDirectory: "/")
        #expect(found.standardizedFileURL.path == modelsDirectory.standardizedFileURL.path)
    }

    @Test func saysHowToFixWhenNothingIsFound() {
        let error = #expect(throws: InputError.self) {
            try CatalogLocator.locate(environment: [:], executablePath: "/usr/bin/true", currentDirectory: "/")
        }
        #expect(error?.description.contains("FLEETPLAN_MODELS") == true)
    }
}
