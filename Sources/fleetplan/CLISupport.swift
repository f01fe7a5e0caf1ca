import ArgumentParser
import FleetModel
import FleetReport
import Foundation

/// Helpers every subcommand shares: error printing, catalog loading, list and choice parsing.
enum CLI {
    /// Exit status for input errors (bad flags, files, catalog entries).
    static let inputErrorExitCode: Int32 = 2

    /// Prints `error: <one line>` to stderr and exits with status 2.
    static func fail(_ error: InputError) -> Never {
        writeToStandardError("error: \(error.description)\n")
        exitProcess(inputErrorExitCode)
    }

    static func exitProcess(_ code: Int32) -> Never {
        exit(code)
    }

    static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes a command's rendered output: the result to stdout, diagnostics to stderr.
    static func emit(_ rendered: (output: String, diagnostics: String)) {
        FileHandle.standardOutput.write(Data(rendered.output.utf8))
        if !rendered.diagnostics.isEmpty { writeToStandardError(rendered.diagnostics) }
    }

    /// Runs `body`; an error about the hand-described `fleet` (only a scenario file has one) names that file.
    static func namingScenario<T>(_ scenario: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as InputError where error.file == nil && error.location?.hasPrefix("fleet") == true {
            error.file = scenario
            throw error
        }
    }

    /// Splits a comma-separated flag value, trimming blanks.
    static func list(_ text: String, flag: String) throws -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard items.contains(where: { !$0.isEmpty }) else { throw InputError(.invalidValue, location: flag, "needs at least one value") }
        // `8,,4` is a typo, not the list 8, 4: say so rather than guess.
        guard !items.contains(where: \.isEmpty) else {
            throw InputError(.invalidValue, location: flag, "'\(text)' has an empty item",
                             fix: "separate values with single commas, e.g. \(items.filter { !$0.isEmpty }.joined(separator: ","))")
        }
        return items
    }

    /// A positive whole number, e.g. a TP degree.
    static func positiveInteger(_ text: String, flag: String) throws -> Int {
        guard let value = Int(text), value >= 1 else {
            throw InputError(.invalidValue, location: flag, "'\(text)' is not a positive whole number", fix: "e.g. \(flag) 4,8")
        }
        return value
    }

    /// A token count: `4096`, `4K` / `4k` (×1024), `1M` (×2^20).
    static func tokenCount(_ text: String, flag: String) throws -> Int {
        let lower = text.lowercased()
        let (digits, scale): (Substring, Int) = lower.hasSuffix("k") ? (lower.dropLast(), 1024)
            : lower.hasSuffix("m") ? (lower.dropLast(), 1 << 20) : (Substring(lower), 1)
        guard let value = Int(digits), value >= 1, value <= Int(Int32.max) / scale else {
            throw InputError(.invalidValue, location: flag, "'\(text)' is not a token count",
                             fix: "write e.g. 4096 or 4K")
        }
        return value * scale
    }

    /// One of an enum's raw values, with a "did you mean" on a typo.
    static func choice<Value: RawRepresentable & CaseIterable>(_ text: String, flag: String) throws -> Value
    where Value.RawValue == String {
        try NameSuggestion.choice(text, location: flag)
    }
}

/// `--catalog FILE`: the user's catalog additions and overrides on top of the built-in `models/`.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A YAML or JSON catalog file whose GPUs/LLMs extend or patch the built-in catalog (models/).",
        valueName: "file"))
    var catalog: String?

    func load() throws -> Catalog {
        try Catalog.loadDefault(overrideFile: catalog.map { URL(fileURLWithPath: $0) })
    }
}

/// `--format table|json|csv|markdown`.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Output format: table, json, csv or markdown.", valueName: "format"))
    var format: String = OutputFormat.table.rawValue

    func outputFormat() throws -> OutputFormat { try CLI.choice(format, flag: "--format") }
}
