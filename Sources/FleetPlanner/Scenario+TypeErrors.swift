import Foundation
import FleetModel

extension Scenario {
    /// What each scenario field holds, in words with an example, for type errors: the decoder
    /// alone said "expected object (write a object here)" for a list and "value is null" for
    /// text where a number belongs. Paths have no indices (`fleet.tp` is every pool's `tp`).
    static let expectedKinds: [String: String] = {
        var kinds: [String: String] = [
            "workload": "a mapping, e.g. workload: {cdf: workloads/chat-cdf.json}",
            "slo": "a mapping, e.g. slo: {ttftP99: 500ms}",
            "compression": "a mapping, e.g. compression: {maxFactor: 2, fraction: 0.75}",
            "budgets": "a mapping, e.g. budgets: {pue: 1.2}",
            "serving": "a mapping, e.g. serving: {preset: physical}",
            "solver": "a mapping, e.g. solver: {timeLimitSeconds: 60}",
            "budgets.available": "a mapping of GPU to count, e.g. available: {h100: 512}",
            "gpus": "a list of GPU names, e.g. gpus: [h100, b200]",
            "tp": "a list of whole numbers, e.g. tp: [4, 8]",
            "windows": "a list of token counts, e.g. windows: [8192, 32768]",
            "fleet": "a list of pools, e.g. fleet: [{gpu: h100, tp: 8, window: 8192, instances: 10}]",
            "workload.bins": "a list of bins, e.g. bins: [{maxTokens: 2048, fraction: 0.8}, {maxTokens: 8192, fraction: 0.2}]",
            "slo.ttftP99": "a duration, e.g. 500ms or 2s",
            "slo.tpot": "a duration, e.g. 50ms",
        ]
        for path in ["model", "routing", "objective", "workload.cdf", "workload.trace", "serving.preset", "serving.reservation",
                     "serving.weightFormat", "serving.kvFormat", "fleet.gpu", "gpus[]"] {
            kinds[path] = "a name"
        }
        for path in ["rate", "workload.outputFraction", "compression.maxFactor", "compression.fraction", "budgets.powerCapKW",
                     "budgets.pue", "budgets.dollarsPerHour", "budgets.electricityDollarsPerKWh", "serving.computeEfficiency",
                     "serving.bandwidthEfficiency", "serving.perSequenceOverheadSeconds", "serving.maxUtilisation",
                     "solver.timeLimitSeconds", "solver.gap", "workload.bins.fraction", "workload.bins.meanInputTokens",
                     "workload.bins.meanOutputTokens", "workload.bins.p99InputTokens"] {
            kinds[path] = "a number"
        }
        for path in ["maxWindow", "maxPools", "minInstances", "serving.maxNumSeqs", "fleet.tp", "fleet.window", "fleet.instances",
                     "tp[]", "windows[]", "budgets.available[]", "workload.bins.maxTokens"] {
            kinds[path] = "a whole number"
        }
        kinds["fleet[]"] = "a pool, e.g. {gpu: h100, tp: 8, window: 8192, instances: 10}"
        kinds["workload.bins[]"] = "a bin, e.g. {maxTokens: 2048, fraction: 0.8}"
        return kinds
    }()

    /// A type error in a scenario file, saying what the field holds and what it should, e.g.
    /// `rate: expected a number, got a list`, or nil when the field is not one we describe.
    static func typeError(_ error: DecodingError, tree: Any?, file: String) -> InputError? {
        let codingPath: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context): codingPath = context.codingPath
        default: return nil
        }
        // `budgets.available.h100` → "budgets.available[]": the keys of that mapping are data.
        var names: [String] = []
        var node: Any? = tree
        for key in codingPath {
            if let index = key.intValue {
                names[names.count - 1] += "[]"
                node = (node as? [Any]).flatMap { index < $0.count ? $0[index] : nil }
            } else {
                if names.joined(separator: ".") == "budgets.available" {
                    names[names.count - 1] += "[]"
                } else {
                    names.append(key.stringValue)
                }
                node = mapping(node)?[key.stringValue] ?? nil
            }
        }
        // An element of a list of pools or bins is described by its fields (`fleet.tp`), the element itself as `fleet[]`.
        let path = names.joined(separator: ".")
        let fieldPath = names.map { $0.hasSuffix("[]") ? String($0.dropLast(2)) : $0 }.joined(separator: ".")
        guard let expected = expectedKinds[path] ?? expectedKinds[fieldPath] else { return nil }
        return InputError(.malformed, file: file, location: JSONInput.fieldPath(codingPath),
                          "expected \(expected.components(separatedBy: ", e.g.").first ?? expected), got \(describe(node))",
                          fix: expected.contains(", e.g. ") ? "write " + (expected.components(separatedBy: ", e.g. ").last ?? "") : nil)
    }

    private static func mapping(_ node: Any?) -> [String: Any?]? {
        if let map = node as? [String: Any] { return map }
        guard let map = node as? [AnyHashable: Any] else { return nil }
        return Dictionary(map.map { ("\($0.key.base)", $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// "a list", "a mapping", "'lots'", "8.5", "nothing".
    private static func describe(_ node: Any?) -> String {
        switch node {
        case nil, is NSNull: return "nothing"
        case is [Any]: return "a list"
        case let map? where mapping(map) != nil: return "a mapping"
        case let text as String: return "'\(text)'"
        case let value?: return "\(value)"
        }
    }
}
