import ArgumentParser
import FleetModel

@main
struct Fleetplan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetplan",
        abstract: "Plan GPU fleets for LLM inference: pools, context cutoffs and GPU generations that maximise tokens per watt.",
        discussion: """
        Exit status: 0 on success, 2 for bad input (a file, a flag, a catalog entry; one line on \
        stderr says what and where), 64 for unparseable arguments, 1 for anything else.
        """,
        subcommands: [PlanCommand.self, LawCommand.self, SimulateCommand.self]
    )

    /// Parses and runs the subcommand; the one place where input errors become `error: …` on
    /// stderr and exit status 2 (never a stack trace).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            CLI.fail(error)
        } catch {
            // Unparseable arguments: one line too, instead of the usage block.
            let code = exitCode(for: error)
            if code == .validationFailure {
                CLI.writeToStandardError("error: \(message(for: error)) (run with --help for usage)\n")
                CLI.exitProcess(code.rawValue)
            }
            exit(withError: error)
        }
    }
}
