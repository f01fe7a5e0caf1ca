import Foundation
import Testing
import FleetModel
@testable import FleetSimulator

@Suite struct PlanFileReaderTests {
    @Test("the fixture plan decodes with its pools, bands and predictions")
    func readsFixture() throws {
        let fleet = try SimulatedFleet.fromPlanFile(path: try TestFleets.fixturePlanPath())
        #expect(fleet.pools.map(\.id) == ["short", "long"])
        #expect(fleet.pools[0].slotsPerInstance == 64)
        #expect(fleet.pools[0].iteration.perContextTokenSeconds == 3.90625e-8)
        #expect(fleet.pools[0].power.midpointLog2Batch == 4.2)
        #expect(fleet.pools[1].predicted?.tokensPerWatt == nil)
        #expect(fleet.routing.count == 4)
        #expect(fleet.routing[3].shares[0].compressed)
        #expect(fleet.routing[1].shares.map(\.fraction) == [0.5, 0.5])
        #expect(fleet.slo.ttftP99Seconds == 0.5)
        #expect(fleet.designRateRequestsPerSecond == 40)
        #expect(fleet.predicted?.tokensPerWatt == 2.0)
        #expect(fleet.plannedReservation == .window)
    }

    static let minimalPool = """
        {"id": "p0", "gpu": "G", "tp": 1, "window": 1024, "instances": 1, "nMax": 4,
         "kvCapacityTokensPerInstance": 4096, "weightStreamSeconds": 0.01, "prefillTokensPerSecond": 1000,
         "power": {"idleWatts": 100, "nominalWatts": 200, "k": 1, "x0": 2}}
        """
    static let minimalBand = """
        {"minTokens": 0, "maxTokens": 1024, "requestFraction": 1, "meanInputTokens": 400, "meanOutputTokens": 100,
         "shares": [{"pool": "p0", "fraction": 1}]}
        """

    func readError(_ json: String) -> InputError? {
        do {
            _ = try SimulatedFleet.fromPlanJSON(Data(json.utf8), file: "plan.json")
            return nil
        } catch let error as InputError {
            return error
        } catch {
            return InputError(.malformed, "unexpected \(error)")
        }
    }

    @Test("a minimal plan without the wrapper or optional keys is accepted")
    func minimal() throws {
        let fleet = try SimulatedFleet.fromPlanJSON(Data("{\"pools\": [\(Self.minimalPool)], \"routing\": [\(Self.minimalBand)]}".utf8),
                                                    file: nil)
        #expect(fleet.slo.ttftP99Seconds == nil)
        #expect(fleet.pools[0].iteration.perSequenceSeconds == 0)
    }

    @Test("a fractional KV capacity (a planner's budget ÷ bytes per token) is floored")
    func fractionalCapacity() throws {
        let pool = Self.minimalPool.replacingOccurrences(of: "\"kvCapacityTokensPerInstance\": 4096",
                                                         with: "\"kvCapacityTokensPerInstance\": 4096.7")
        let fleet = try SimulatedFleet.fromPlanJSON(Data("{\"pools\": [\(pool)], \"routing\": [\(Self.minimalBand)]}".utf8), file: nil)
        #expect(fleet.pools[0].kvCapacityTokensPerInstance == 4096)
    }

    @Test("a missing key is named with its path")
    func missingKey() {
        let pool = Self.minimalPool.replacingOccurrences(of: "\"nMax\": 4,", with: "")
        let error = readError("{\"plan\": {\"pools\": [\(pool)], \"routing\": [\(Self.minimalBand)]}}")
        #expect(error?.code == .missingField)
        #expect(error?.location == "plan.pools[0].nMax")
        #expect(error?.file == "plan.json")
    }

    @Test("truncated JSON reports where it ends")
    func truncated() {
        let error = readError("{\"plan\": {\"pools\": [\n\(Self.minimalPool)")
        #expect(error?.code == .malformed)
        #expect(error?.location?.hasPrefix("line ") == true)
    }

    @Test("a share naming an unknown pool is rejected with the known ids")
    func unknownPool() {
        let band = Self.minimalBand.replacingOccurrences(of: "\"pool\": \"p0\"", with: "\"pool\": \"p9\"")
        let error = readError("{\"plan\": {\"pools\": [\(Self.minimalPool)], \"routing\": [\(band)]}}")
        #expect(error?.code == .unknownName)
        #expect(error?.location == "plan.routing[0].shares[0].pool")
        #expect(error?.description.contains("p0") == true)
    }

    @Test("values that cannot run are rejected", arguments: [
        ("\"nMax\": 4", "\"nMax\": 0", "plan.pools[0].nMax"),
        ("\"weightStreamSeconds\": 0.01", "\"weightStreamSeconds\": 0", "plan.pools[0].weightStreamSeconds"),
        ("\"kvCapacityTokensPerInstance\": 4096", "\"kvCapacityTokensPerInstance\": 100", "plan.pools[0].kvCapacityTokensPerInstance"),
        // Counts that memory grows with: 1e9 instances asked for 88 GB and trapped.
        ("\"instances\": 1", "\"instances\": 1000000000", "plan.pools[0].instances"),
        ("\"instances\": 1", "\"instances\": 1000001", "plan.pools[0].instances"),
        ("\"nMax\": 4", "\"nMax\": 1000000000", "plan.pools[0].nMax"),
        ("\"tp\": 1", "\"tp\": 1000000000000", "plan.pools[0].tp"),
    ])
    func invalidPoolValues(original: String, replacement: String, location: String) {
        let pool = Self.minimalPool.replacingOccurrences(of: original, with: replacement)
        let error = readError("{\"plan\": {\"pools\": [\(pool)], \"routing\": [\(Self.minimalBand)]}}")
        #expect(error?.code == .invalidValue)
        #expect(error?.location == location)
    }

    @Test("a pool of 1,000,000 instances, the limit, is read")
    func instanceLimit() throws {
        let pool = Self.minimalPool.replacingOccurrences(of: "\"instances\": 1", with: "\"instances\": 1000000")
        let fleet = try SimulatedFleet.fromPlanJSON(Data("{\"pools\": [\(pool)], \"routing\": [\(Self.minimalBand)]}".utf8), file: nil)
        #expect(fleet.pools[0].instances == 1_000_000)
    }

    /// Three pools of 700,000 instances are each within the per-pool limit, but not together.
    @Test("a fleet over two million instances in all is rejected")
    func fleetInstanceLimit() {
        let pools = (0..<3).map {
            Self.minimalPool.replacingOccurrences(of: "\"instances\": 1", with: "\"instances\": 700000")
                .replacingOccurrences(of: "\"id\": \"p0\"", with: "\"id\": \"p\($0)\"")
        }
        let error = readError("{\"plan\": {\"pools\": [\(pools.joined(separator: ", "))], \"routing\": [\(Self.minimalBand)]}}")
        #expect(error?.description == "plan.json: plan.pools: the fleet has 2100000 instances, more than the 2000000 the simulator runs (give the pools' instance counts)")
    }

    @Test("shares must sum to 1 within a band")
    func sharesSum() {
        let band = Self.minimalBand.replacingOccurrences(of: "\"fraction\": 1}", with: "\"fraction\": 0.6}")
        let error = readError("{\"plan\": {\"pools\": [\(Self.minimalPool)], \"routing\": [\(band)]}}")
        #expect(error?.location == "plan.routing[0].shares")
    }

    @Test("a missing plan file is reported as such")
    func missingFile() {
        #expect(throws: InputError.self) { try SimulatedFleet.fromPlanFile(path: "/nonexistent/plan.json") }
    }
}
