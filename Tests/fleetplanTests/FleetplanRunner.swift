import Foundation

/// Runs the built `fleetplan` executable, which SwiftPM places beside the test bundle
/// (`.build/<triple>/debug/fleetplan`), and captures what it prints.
struct FleetplanRun {
    var exitCode: Int32
    var standardOutput: String
    var standardError: String

    /// The JSON document printed on stdout.
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(standardOutput.utf8)) as? [String: Any] else {
            throw RunnerError("stdout is not a JSON object: \(standardOutput.prefix(200))")
        }
        return object
    }

    /// The `rows` of a `law --format json` document.
    func rows() throws -> [[String: Any]] {
        guard let rows = try json()["rows"] as? [[String: Any]] else { throw RunnerError("no rows array") }
        return rows
    }
}

struct RunnerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum Fleetplan {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable: next to the test bundle (or the test runner executable on Linux).
    static func executable() throws -> URL {
        var directories: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let runner = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: runner).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("fleetplan")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw RunnerError("cannot find the fleetplan executable near \(directories.map(\.path))")
    }

    /// Runs `fleetplan arguments…` from the repository root, stdout and stderr captured through files
    /// (no pipe can fill up and block).
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> FleetplanRun {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = repository
        if let environment { process.environment = environment }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fleetplan-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return FleetplanRun(
            exitCode: process.terminationStatus,
            standardOutput: try String(contentsOf: outURL, encoding: .utf8),
            standardError: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Writes a scratch catalog file and returns its path.
    static func temporaryCatalog(_ text: String, name: String = "catalog.yaml") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleetplan-cat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

extension Dictionary where Key == String, Value == Any {
    func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func string(_ key: String) -> String? { self[key] as? String }
}
