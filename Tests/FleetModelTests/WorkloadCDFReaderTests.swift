import Foundation
import Testing
import FleetModel

@Suite struct WorkloadCDFReaderTests {
    @Test("array CDF: bins between points, first bin from 0, zero bins dropped, midpoint means")
    func arrayForm() throws {
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let path = try files.write("cdf.json", "[[64, 0.0], [128, 0.25], [256, 0.25], [1024, 1.0]]")
        let workload = try Workload.fromCDF(path: path)
        // (0, 64] has 0 and (128, 256] has 0.25 − 0.25 = 0: dropped.
        #expect(workload.bins.map(\.minTokens) == [64, 256])
        #expect(workload.bins.map(\.maxTokens) == [128, 1024])
        #expect(workload.bins.map(\.requestFraction) == [0.25, 0.75])
        // (64, 128]: midpoint 96; output 20% = 19.2, input 76.8; p99 total 64 + 0.99·64 = 127.36.
        let first = workload.bins[0]
        #expect(abs(first.meanOutputTokens - 19.2) < 1e-9)
        #expect(abs(first.meanInputTokens - 76.8) < 1e-9)
        #expect(abs(first.p99InputTokens - 0.8 * 127.36) < 1e-9)
        // (256, 1024]: midpoint 640.
        #expect(abs(workload.bins[1].meanTotalTokens - 640) < 1e-9)
        #expect(workload.arrivals == nil)
        #expect(workload.source.contains("cdf.json"))
    }

    @Test("the first point's own mass forms the bin (0, t0]")
    func firstBinFromZero() throws {
        let workload = try Workload.fromCDF(data: Data("[[100, 0.5], [300, 1]]".utf8), file: nil)
        #expect(workload.bins[0].minTokens == 0)
        #expect(workload.bins[0].maxTokens == 100)
        #expect(workload.bins[0].requestFraction == 0.5)
        #expect(abs(workload.bins[0].meanTotalTokens - 50) < 1e-9)
    }

    @Test("object form: cdf field, per-file outputFraction, caller's fraction wins")
    func objectForm() throws {
        let json = #"{"cdf": [[1000, 0.5], [2000, 1.0]], "outputFraction": 0.5, "source": "test-mix", "n_samples": 10}"#
        let fromFile = try Workload.fromCDF(data: Data(json.utf8), file: "mix.json")
        // (0, 1000]: midpoint 500, half output.
        #expect(abs(fromFile.bins[0].meanOutputTokens - 250) < 1e-9)
        #expect(fromFile.source.contains("test-mix"))
        let overridden = try Workload.fromCDF(data: Data(json.utf8), file: "mix.json", outputFraction: 0.1)
        #expect(abs(overridden.bins[0].meanOutputTokens - 50) < 1e-9)
    }

    @Test("a last point within 1e-6 of 1 is accepted as 1")
    func endTolerance() throws {
        let workload = try Workload.fromCDF(data: Data("[[10, 0.4], [20, 0.9999995]]".utf8), file: nil)
        #expect(abs(workload.bins.reduce(0) { $0 + $1.requestFraction } - 1) < 1e-12)
    }

    @Test("invalid CDFs name the point and the problem", arguments: [
        ("[[64, 0.5], [128, 0.4], [256, 1]]", "cdf[1]", "decreases"),
        ("[[64, 0.5], [128, 1.5]]", "cdf[1]", "outside [0, 1]"),
        ("[[64, -0.1], [128, 1]]", "cdf[0]", "outside [0, 1]"),
        ("[[128, 0.5], [128, 1]]", "cdf[1]", "not greater"),
        ("[[128, 0.5], [64, 1]]", "cdf[1]", "not greater"),
        ("[[64, 0.5], [128, 0.9]]", "cdf[1]", "not 1"),
        ("[[-64, 0.5], [128, 1]]", "cdf[0]", "positive whole number"),
        ("[[64.5, 0.5], [128, 1]]", "cdf[0]", "positive whole number"),
        ("[[64, 0.5], [128]]", "cdf[1]", "pair"),
        ("[]", "cdf", "no points"),
        (#"{"points": []}"#, "cdf", "no `cdf`"),
        ("42", "(top level)", "expected an array"),
    ])
    func invalid(json: String, location: String, message: String) {
        let error = inputError { _ = try Workload.fromCDF(data: Data(json.utf8), file: "bad.json") }
        #expect(error?.location == location)
        #expect(error?.file == "bad.json")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test("truncated JSON reports a line and column")
    func truncated() throws {
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let path = try files.write("cut.json", "[\n  [64, 0.1],\n  [128, 0.")
        let error = inputError { _ = try Workload.fromCDF(path: path) }
        #expect(error?.code == .malformed)
        #expect(error?.location?.hasPrefix("line 3") == true, "\(String(describing: error))")
        #expect(error?.file == path)
    }

    @Test("a syntax error in the middle is located")
    func syntaxErrorLocated() {
        let error = inputError { _ = try Workload.fromCDF(data: Data("[[64, 0.1],\n [128, 1] x]".utf8), file: "x.json") }
        #expect(error?.location?.hasPrefix("line 2") == true, "\(String(describing: error))")
    }

    @Test("empty and missing files")
    func emptyAndMissing() throws {
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let empty = try files.write("empty.json", "  \n")
        #expect(inputError { _ = try Workload.fromCDF(path: empty) }?.message.contains("empty") == true)
        #expect(inputError { _ = try Workload.fromCDF(path: files.path("absent.json")) }?.code == .fileNotFound)
    }

    @Test("an output fraction outside [0, 1) is rejected")
    func badOutputFraction() {
        let error = inputError { _ = try Workload.fromCDF(data: Data("[[10, 1]]".utf8), file: nil, outputFraction: 1.2) }
        #expect(error?.code == .invalidValue)
    }

    /// [[1, 1.0]] gave its band 0.1 output tokens per request: a plan of 0 tok/s that simulate
    /// refused. A request produces at least one token; longer bands keep the 20% share.
    @Test("bands too short for a whole output token at the output share get one output token")
    func atLeastOneOutputToken() throws {
        let tiny = try Workload.fromCDF(data: Data("[[1, 1.0]]".utf8), file: nil)
        #expect(tiny.bins.map(\.meanOutputTokens) == [1])
        #expect(tiny.bins.map(\.meanInputTokens) == [0])
        let short = try Workload.fromCDF(data: Data("[[4, 0.5], [16, 1.0]]".utf8), file: nil)
        #expect(short.bins.map(\.meanOutputTokens) == [1, 2])
        #expect(short.bins.map(\.meanInputTokens) == [1, 8])
    }

    /// A file's own outputFraction of 0 (no output tokens: a plan of 0 tok/s that simulate then
    /// refused) names the file; an override the caller gives does not blame the file.
    @Test("an output fraction of 0 is rejected, naming the file only when it is the file's")
    func zeroOutputFraction() {
        let own = inputError { _ = try Workload.fromCDF(data: Data("{\"cdf\": [[10, 1]], \"outputFraction\": 0}".utf8), file: "of0.json") }
        #expect(own?.description == "of0.json: outputFraction: output fraction 0.0 is outside (0, 1) (give the output tokens' share of total tokens, e.g. 0.2)")
        let given = inputError { _ = try Workload.fromCDF(data: Data("[[10, 1]]".utf8), file: "cdf.json", outputFraction: 0) }
        #expect(given?.file == nil)
    }

    /// The published Azure CDF, when ../shared/data is present: fractions by hand from its
    /// points (F(4096) = 0.8982082668085861).
    @Test("the Azure CDF file reads as its points say")
    func azureCDF() throws {
        let path = "/work/shared/data/cdfs/azure_cdf.json"
        guard FileManager.default.fileExists(atPath: path) else { return }
        let workload = try Workload.fromCDF(path: path)
        #expect(abs(workload.fraction(atMostTokens: 4096) - 0.8982082668085861) < 1e-12)
        #expect(abs(workload.fraction(atMostTokens: 64) - 0.00837324818165691) < 1e-12)
        // (8192, 12288] and everything above 16384 have zero mass: 13 of 18 bins remain.
        #expect(workload.bins.count == 13)
        #expect(workload.maxTokens == 16384)
    }
}
