import Foundation
import Testing
import FleetModel

@Suite struct WorkloadInlineBinsTests {
    @Test("inline bins chain their edges and fill missing means")
    func fillsMeans() throws {
        let workload = try Workload.fromInlineBins([
            InlineLengthBin(maxTokens: 1000, fraction: 0.5),
            InlineLengthBin(maxTokens: 3000, fraction: 0.3, meanInputTokens: 1600),
            InlineLengthBin(maxTokens: 5000, fraction: 0.2, meanInputTokens: 3500, meanOutputTokens: 500,
                            p99InputTokens: 4400),
        ], source: "scenario")
        #expect(workload.bins.map(\.minTokens) == [0, 1000, 3000])
        // (0, 1000]: midpoint 500 → output 100, input 400; p99 input 0.8·990 = 792.
        #expect(abs(workload.bins[0].meanOutputTokens - 100) < 1e-9)
        #expect(abs(workload.bins[0].p99InputTokens - 792) < 1e-9)
        // Input 1600 given: output keeps 20:80 → 400.
        #expect(abs(workload.bins[1].meanOutputTokens - 400) < 1e-9)
        #expect(workload.bins[2].p99InputTokens == 4400)
        // Weighted means: input 0.5·400 + 0.3·1600 + 0.2·3500 = 1380.
        #expect(abs(workload.meanInputTokens - 1380) < 1e-9)
    }

    @Test("invalid inline bins name the field", arguments: [
        ([InlineLengthBin(maxTokens: 1000, fraction: 0.5), InlineLengthBin(maxTokens: 800, fraction: 0.5)],
         "workload.bins[1].maxTokens"),
        ([InlineLengthBin(maxTokens: 1000, fraction: 0.5), InlineLengthBin(maxTokens: 2000, fraction: 0.4)],
         "workload.bins"),
        ([InlineLengthBin(maxTokens: 1000, fraction: 1.5)], "workload.bins[0]"),
        ([InlineLengthBin(maxTokens: 1000, fraction: 1, meanInputTokens: 5000, meanOutputTokens: 100)],
         "workload.bins[0]"),
        ([InlineLengthBin(maxTokens: 1000, fraction: 1, meanInputTokens: -5, meanOutputTokens: 100)],
         "workload.bins[0]"),
        ([], "workload.bins"),
    ])
    func invalid(bins: [InlineLengthBin], location: String) {
        let error = inputError {
            _ = try Workload.fromInlineBins(bins, source: "s", file: "scenario.yaml", field: "workload.bins")
        }
        #expect(error?.location == location, "\(String(describing: error))")
        #expect(error?.file == "scenario.yaml")
    }

    @Test("inline bins decode from the scenario schema")
    func decodes() throws {
        let json = #"[{"maxTokens": 2048, "fraction": 1, "meanOutputTokens": 300}]"#
        let bins = try JSONDecoder().decode([InlineLengthBin].self, from: Data(json.utf8))
        let workload = try Workload.fromInlineBins(bins, source: "s")
        // Output 300 given: input keeps 80:20 → 1200.
        #expect(abs(workload.bins[0].meanInputTokens - 1200) < 1e-9)
    }
}
