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

    @Test(arguments: yamlCases)
    func yamlThatWouldCrashTheParser(_ input: Case) throws {
        Self.expectOneLineError(input, try Self.run(input))
    }
}
