import Foundation

/// Finds the built-in catalog directory (`models/`, recognised by its `gpus.yaml`) at run time.
///
/// Search order: the `FLEETPLAN_MODELS` environment variable; the directories above the running
/// executable's real path (the binary lives in `<repo>/.build/<config>/fleetplan`); the
/// directories above the current directory.
public enum CatalogLocator {
    /// The environment variable that points at a catalog directory explicitly.
    public static let environmentVariable = "FLEETPLAN_MODELS"
    /// The file whose presence marks a catalog directory.
    public static let markerFile = "gpus.yaml"

    /// - Throws: `InputError.fileNotFound` saying where it looked and how to point at the catalog.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = currentExecutablePath(),
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> URL {
        let fileManager = FileManager.default
        if let explicit = environment[environmentVariable], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            guard fileManager.fileExists(atPath: url.appendingPathComponent(markerFile).path) else {
                throw InputError(.fileNotFound, file: explicit, location: environmentVariable,
                                 "no \(markerFile) in this directory", fix: "point \(environmentVariable) at the repository's models/ directory")
            }
            return url
        }
        var starts: [URL] = []
        if let executablePath {
            starts.append(URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: currentDirectory))
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("models")
                if fileManager.fileExists(atPath: candidate.appendingPathComponent(markerFile).path) {
                    return candidate
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw InputError(.fileNotFound, location: "catalog",
                         "cannot find the built-in catalog (models/\(markerFile)) above the executable or the current directory",
                         fix: "run from the repository or set \(environmentVariable)=/path/to/fleetplan/models")
    }

    /// The running executable's path (`/proc/self/exe` on Linux, which is already the real path).
    public static func currentExecutablePath() -> String? {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments.first
    }
}
