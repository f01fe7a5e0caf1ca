import Foundation
@testable import FleetModel

/// The repository's `models/` directory, found from this file's path (Tests/FleetModelTests/…).
let modelsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("models")

/// The built-in catalog, loaded once per use (cheap: two small YAML files).
func builtInCatalog() throws -> Catalog {
    try Catalog.load(directory: modelsDirectory)
}

/// Writes `text` to a fresh temporary file named `name` and returns its URL.
func temporaryFile(named name: String, contents text: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleetplan-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
}

/// Relative closeness: |a − b| ≤ tolerance · |b|.
func isClose(_ a: Double, _ b: Double, relative tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * abs(b)
}
