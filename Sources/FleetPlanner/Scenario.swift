import Foundation
import FleetModel
import Yams

/// A planning scenario as written in a YAML or JSON file (see `examples/`), or assembled from
/// command-line flags. Every field is optional: flags overlay a file (`overlaid(by:)`), and
/// `problem(catalog:)` fills the defaults and checks everything.
public struct Scenario: Sendable, Codable, Equatable {
    public struct WorkloadSource: Sendable, Codable, Equatable {
        /// A length CDF JSON file (path relative to the scenario file).
        public var cdf: String?
        /// A request trace CSV/JSONL in the Azure format.
        public var trace: String?
        /// Inline bins.
        public var bins: [InlineLengthBin]?
        /// Output tokens as a share of total tokens (CDFs and inline bins), default 0.2.
        public var outputFraction: Double?
        public init(cdf: String? = nil, trace: String? = nil, bins: [InlineLengthBin]? = nil, outputFraction: Double? = nil) {
            self.cdf = cdf
            self.trace = trace
            self.bins = bins
            self.outputFraction = outputFraction
        }
    }

    public struct ServiceLevels: Sendable, Codable, Equatable {
        /// P99 TTFT, e.g. `500ms`, `0.5s` or seconds as a number.
        public var ttftP99: DurationText?
        /// Time per output token, e.g. `50ms`.
        public var tpot: DurationText?
        public init(ttftP99: DurationText? = nil, tpot: DurationText? = nil) {
            self.ttftP99 = ttftP99
            self.tpot = tpot
        }
    }

    public struct Compression: Sendable, Codable, Equatable {
        public var maxFactor: Double?
        public var fraction: Double?
        public init(maxFactor: Double? = nil, fraction: Double? = nil) {
            self.maxFactor = maxFactor
            self.fraction = fraction
        }
    }

    public struct Budgets: Sendable, Codable, Equatable {
        public var powerCapKW: Double?
        public var pue: Double?
        public var dollarsPerHour: Double?
        public var electricityDollarsPerKWh: Double?
        /// GPUs available by name or alias, e.g. `{h100: 512}`.
        public var available: [String: Int]?
        public init(powerCapKW: Double? = nil, pue: Double? = nil, dollarsPerHour: Double? = nil,
                    electricityDollarsPerKWh: Double? = nil, available: [String: Int]? = nil) {
            self.powerCapKW = powerCapKW
            self.pue = pue
            self.dollarsPerHour = dollarsPerHour
            self.electricityDollarsPerKWh = electricityDollarsPerKWh
            self.available = available
        }
    }

    public struct Serving: Sendable, Codable, Equatable {
        public var preset: String?
        public var reservation: String?
        public var weightFormat: String?
        public var kvFormat: String?
        public var maxNumSeqs: Int?
        public var computeEfficiency: Double?
        public var bandwidthEfficiency: Double?
        public var perSequenceOverheadSeconds: Double?
        public var maxUtilisation: Double?
        public init(preset: String? = nil, reservation: String? = nil, weightFormat: String? = nil, kvFormat: String? = nil,
                    maxNumSeqs: Int? = nil, computeEfficiency: Double? = nil, bandwidthEfficiency: Double? = nil,
                    perSequenceOverheadSeconds: Double? = nil, maxUtilisation: Double? = nil) {
            self.preset = preset
            self.reservation = reservation
            self.weightFormat = weightFormat
            self.kvFormat = kvFormat
            self.maxNumSeqs = maxNumSeqs
            self.computeEfficiency = computeEfficiency
            self.bandwidthEfficiency = bandwidthEfficiency
            self.perSequenceOverheadSeconds = perSequenceOverheadSeconds
            self.maxUtilisation = maxUtilisation
        }
    }

    /// A pool of a fleet described by hand (`fleet:`), to evaluate or simulate instead of optimise.
    public struct FleetEntry: Sendable, Codable, Equatable {
        public var gpu: String
        public var tp: Int
        public var window: Int
        public var instances: Int
        public init(gpu: String, tp: Int, window: Int, instances: Int) {
            self.gpu = gpu
            self.tp = tp
            self.window = window
            self.instances = instances
        }
    }

    public struct SolverSettings: Sendable, Codable, Equatable {
        public var timeLimitSeconds: Double?
        public var gap: Double?
        public init(timeLimitSeconds: Double? = nil, gap: Double? = nil) {
            self.timeLimitSeconds = timeLimitSeconds
            self.gap = gap
        }
    }

    public var model: String?
    public var workload: WorkloadSource?
    /// Requests per second; defaults to a trace's peak-minute rate.
    public var rate: Double?
    /// GPU names or aliases, or `[all]`.
    public var gpus: [String]?
    public var tp: [Int]?
    public var windows: [Int]?
    public var maxWindow: Int?
    public var slo: ServiceLevels?
    public var maxPools: Int?
    /// Fewest instances per open pool (default 1).
    public var minInstances: Int?
    public var routing: String?
    public var compression: Compression?
    public var objective: String?
    public var budgets: Budgets?
    public var serving: Serving?
    public var solver: SolverSettings?
    /// A fixed fleet: the planner only routes the demand over it and evaluates it.
    public var fleet: [FleetEntry]?

    /// The folder the workload path is resolved against (the scenario file's, or the current one for flags).
    public var workloadDirectory: String?
    /// The file the scenario came from, for error messages.
    public var file: String?
    /// Top-level fields that flags set over the file's (`overlaid(by:)`): errors in them are not the file's.
    public var fieldsFromFlags: Set<String> = []

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, workload, rate, gpus, tp, windows, maxWindow, slo, maxPools, minInstances, routing, compression, objective
        case budgets, serving, solver, fleet
    }
}

/// A duration written as `500ms`, `0.5s`, `2m` or a bare number of seconds.
public struct DurationText: Sendable, Codable, Equatable {
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    /// Parses `text`; nil if it is not a duration.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let value = Double(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)) else { return nil }
            self.seconds = value * scale
            return
        }
        guard let value = Double(trimmed) else { return nil }
        self.seconds = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            seconds = number
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = DurationText(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a duration (write e.g. 500ms or 0.5s)")
        }
        seconds = parsed.seconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }
}

extension Scenario {
    /// Reads a scenario file (YAML, or JSON when the name ends in `.json`).
    /// - Throws: `InputError` naming the file and the field or line.
    public static func load(path: String) throws -> Scenario {
        let data = try JSONInput.readFile(path, what: "scenario file")
        var scenario: Scenario
        if path.lowercased().hasSuffix(".json") {
            // Names first: a misspelt key explains a "required key is missing" below.
            let tree = try JSONInput.parse(data, file: path)
            try checkFieldNames(in: tree, file: path)
            do {
                scenario = try JSONDecoder().decode(Scenario.self, from: data)
            } catch let error as DecodingError {
                throw typeError(error, tree: tree, file: path) ?? JSONInput.inputError(error, file: path)
            }
        } else {
            guard let text = String(data: data, encoding: .utf8) else {
                throw InputError(.malformed, file: path, "is not UTF-8 text", fix: "save the scenario as UTF-8 YAML or JSON")
            }
            try YAMLGuard.check(text, file: path)
            try YAMLGuard.checkDuplicateKeys(text, file: path)
            let tree: Any?
            do {
                tree = try Yams.load(yaml: text)
            } catch {
                throw notValidYAML(error, file: path)
            }
            try checkFieldNames(in: tree as Any, file: path)
            do {
                scenario = try YAMLDecoder().decode(Scenario.self, from: text)
            } catch let error as DecodingError {
                throw typeError(error, tree: tree, file: path) ?? JSONInput.inputError(error, file: path)
            } catch {
                throw notValidYAML(error, file: path)
            }
        }
        scenario.file = path
        scenario.workloadDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return scenario
    }

    /// Yams' message (its first line, which gives the line and column) as an `InputError`.
    private static func notValidYAML(_ error: any Error, file: String) -> InputError {
        InputError(.malformed, file: file, "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")",
                   fix: "check indentation and quoting")
    }

    /// The fields each part of a scenario file may have. Decoding ignores any other key, so a
    /// misspelt one (`ratee: 400`) would silently leave its default in force.
    static let fieldNames: [String: Set<String>] = {
        func labels(_ value: Any) -> Set<String> { Set(Mirror(reflecting: value).children.compactMap(\.label)) }
        return [
            "": Set(CodingKeys.allCases.map(\.stringValue)),
            "workload": labels(WorkloadSource()),
            "workload.bins": labels(InlineLengthBin(maxTokens: 0, fraction: 0)),
            "slo": labels(ServiceLevels()),
            "compression": labels(Compression()),
            "budgets": labels(Budgets()),
            "serving": labels(Serving()),
            "solver": labels(SolverSettings()),
            "fleet": labels(FleetEntry(gpu: "", tp: 0, window: 0, instances: 0)),
        ]
    }()

    /// Throws for the first key of `tree` (the file parsed as plain maps and lists) that no
    /// scenario field has, naming it and the closest field. Maps whose keys are data (GPU names
    /// under `budgets.available`) are not checked.
    static func checkFieldNames(in tree: Any, file: String) throws {
        // JSONSerialization gives [String: Any]; Yams keys its maps by AnyHashable.
        func fields(_ node: Any) -> [String: Any]? {
            if let map = node as? [String: Any] { return map }
            guard let map = node as? [AnyHashable: Any] else { return nil }
            return Dictionary(map.map { ("\($0.key.base)", $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        func check(_ node: Any, section: String, location: String) throws {
            guard let allowed = fieldNames[section], let map = fields(node) else { return }
            for (key, child) in map.sorted(by: { $0.key < $1.key }) {
                let path = location.isEmpty ? key : "\(location).\(key)"
                guard allowed.contains(key) else {
                    throw InputError(.unknownName, file: file, location: path, "unknown field",
                                     fix: NameSuggestion.closest(to: key, among: allowed.sorted()).map { "did you mean \($0)?" }
                                         ?? "the fields here are \(allowed.sorted().joined(separator: ", "))")
                }
                let childSection = section.isEmpty ? key : "\(section).\(key)"
                if let list = child as? [Any] {
                    for (index, element) in list.enumerated() {
                        try check(element, section: childSection, location: "\(path)[\(index)]")
                    }
                } else {
                    try check(child, section: childSection, location: path)
                }
            }
        }
        try check(tree, section: "", location: "")
    }

    /// This scenario with every field `overrides` sets replacing its own (flags over a file).
    public func overlaid(by overrides: Scenario) -> Scenario {
        var merged = self
        func take<T>(_ keyPath: WritableKeyPath<Scenario, T?>, _ name: String) {
            if let value = overrides[keyPath: keyPath] {
                merged[keyPath: keyPath] = value
                merged.fieldsFromFlags.insert(name)
            }
        }
        take(\.model, "model"); take(\.rate, "rate"); take(\.gpus, "gpus"); take(\.tp, "tp"); take(\.windows, "windows")
        take(\.maxWindow, "maxWindow"); take(\.maxPools, "maxPools"); take(\.minInstances, "minInstances")
        take(\.routing, "routing"); take(\.objective, "objective"); take(\.fleet, "fleet")
        if let flags = overrides.workload {
            // Paths given on the command line are relative to the current directory, not the file.
            if flags.cdf != nil || flags.trace != nil || flags.bins != nil {
                merged.workload = WorkloadSource(cdf: flags.cdf, trace: flags.trace, bins: flags.bins,
                                                 outputFraction: flags.outputFraction ?? workload?.outputFraction)
                merged.workloadDirectory = FileManager.default.currentDirectoryPath
            } else if let fraction = flags.outputFraction {
                merged.workload = workload ?? WorkloadSource()
                merged.workload?.outputFraction = fraction
            }
        }
        merged.slo = ServiceLevels(ttftP99: overrides.slo?.ttftP99 ?? slo?.ttftP99, tpot: overrides.slo?.tpot ?? slo?.tpot)
        if overrides.compression != nil || compression != nil {
            merged.compression = Compression(maxFactor: overrides.compression?.maxFactor ?? compression?.maxFactor,
                                             fraction: overrides.compression?.fraction ?? compression?.fraction)
        }
        let budgetsA = budgets ?? Budgets(), budgetsB = overrides.budgets ?? Budgets()
        merged.budgets = Budgets(powerCapKW: budgetsB.powerCapKW ?? budgetsA.powerCapKW, pue: budgetsB.pue ?? budgetsA.pue,
                                 dollarsPerHour: budgetsB.dollarsPerHour ?? budgetsA.dollarsPerHour,
                                 electricityDollarsPerKWh: budgetsB.electricityDollarsPerKWh ?? budgetsA.electricityDollarsPerKWh,
                                 available: budgetsB.available ?? budgetsA.available)
        let servingA = serving ?? Serving(), servingB = overrides.serving ?? Serving()
        merged.serving = Serving(
            preset: servingB.preset ?? servingA.preset, reservation: servingB.reservation ?? servingA.reservation,
            weightFormat: servingB.weightFormat ?? servingA.weightFormat, kvFormat: servingB.kvFormat ?? servingA.kvFormat,
            maxNumSeqs: servingB.maxNumSeqs ?? servingA.maxNumSeqs,
            computeEfficiency: servingB.computeEfficiency ?? servingA.computeEfficiency,
            bandwidthEfficiency: servingB.bandwidthEfficiency ?? servingA.bandwidthEfficiency,
            perSequenceOverheadSeconds: servingB.perSequenceOverheadSeconds ?? servingA.perSequenceOverheadSeconds,
            maxUtilisation: servingB.maxUtilisation ?? servingA.maxUtilisation)
        merged.solver = SolverSettings(timeLimitSeconds: overrides.solver?.timeLimitSeconds ?? solver?.timeLimitSeconds,
                                       gap: overrides.solver?.gap ?? solver?.gap)
        return merged
    }
}
