import Foundation

/// The GPUs and LLMs fleetplan knows: the built-in catalog in `models/` merged with an optional
/// user file (`--catalog FILE`).
///
/// Lookups accept the canonical name or any alias, case-insensitively, and suggest the closest
/// name on a typo. Order is the catalog files' order, so output is stable.
public struct Catalog: Sendable {
    public private(set) var gpus: [GPUSpec]
    public private(set) var llms: [LLMSpec]

    public init(gpus: [GPUSpec], llms: [LLMSpec]) {
        self.gpus = gpus
        self.llms = llms
    }

    // MARK: Lookup

    /// The GPU called `name` (canonical name or alias, any case).
    /// - Parameter location: where the name came from (e.g. `--gpus`), for the error message.
    /// - Throws: `InputError.unknownName` with a "did you mean …?" suggestion.
    public func gpu(named name: String, location: String? = nil) throws -> GPUSpec {
        let query = name.lowercased()
        if let gpu = gpus.first(where: { ([$0.name] + $0.aliases).contains { $0.lowercased() == query } }) {
            return gpu
        }
        throw Self.unknown(name, noun: "GPU", names: gpus.map { ([$0.name] + $0.aliases) }, location: location)
    }

    /// The LLM called `name` (canonical name or alias, any case).
    /// - Throws: `InputError.unknownName` with a "did you mean …?" suggestion.
    public func llm(named name: String, location: String? = nil) throws -> LLMSpec {
        let query = name.lowercased()
        if let llm = llms.first(where: { ([$0.name] + $0.aliases).contains { $0.lowercased() == query } }) {
            return llm
        }
        throw Self.unknown(name, noun: "model", names: llms.map { ([$0.name] + $0.aliases) }, location: location)
    }

    private static func unknown(_ name: String, noun: String, names: [[String]], location: String?) -> InputError {
        let everyName = names.flatMap { $0 }
        if let suggestion = NameSuggestion.closest(to: name, among: everyName) {
            return InputError(.unknownName, location: location, "unknown \(noun) '\(name)'", fix: "did you mean \(suggestion)?")
        }
        let short = names.map { $0.count > 1 ? $0[1] : $0[0] }.joined(separator: ", ")
        return InputError(.unknownName, location: location, "unknown \(noun) '\(name)'", fix: "known: \(short)")
    }

    // MARK: Loading

    /// Loads every catalog file (`*.yaml`, `*.yml`, `*.json`, in name order) of `directory`, then
    /// applies `overrideFile` on top: an entry whose name or alias matches an existing entry
    /// patches it (the figures it gives replace the built-in ones, its aliases are added; the
    /// merged entry is validated again), any other entry is added.
    ///
    /// - Throws: `InputError` naming the file, line and field of the first problem.
    public static func load(directory: URL, overrideFile: URL? = nil) throws -> Catalog {
        let fileManager = FileManager.default
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw InputError(.fileNotFound, file: directory.path, "cannot read the catalog directory",
                             fix: "set FLEETPLAN_MODELS to the repository's models/ directory")
        }
        let files = names.filter { name in
            let lower = name.lowercased()
            return !name.hasPrefix(".") && (lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".json"))
        }.sorted()
        var entries: [CatalogEntry] = []
        for file in files {
            let url = directory.appendingPathComponent(file)
            for entry in try readEntries(url: url, displayPath: url.path) {
                if entries.contains(where: { $0.kind == entry.kind && $0.answers(to: entry.name) }) {
                    throw InputError(.invalidValue, file: url.path, location: entry.location(),
                                     "\(entry.kind.noun) '\(entry.name)' is defined twice in the built-in catalog")
                }
                entries.append(entry)
            }
        }
        var catalog = try build(entries)
        if let overrideFile {
            catalog = try catalog.applying(overrideFile: overrideFile, builtIn: entries)
        }
        return catalog
    }

    /// Parses catalog text directly (tests, embedded examples). `file` names it in errors and
    /// picks JSON when it ends in `.json`.
    public static func parse(text: String, file: String = "catalog.yaml") throws -> Catalog {
        try build(try CatalogEntryReader.entries(in: try DataNode.parse(text: text, file: file), file: file))
    }

    /// The built-in catalog (located by `CatalogLocator`) with an optional user override file.
    public static func loadDefault(overrideFile: URL? = nil) throws -> Catalog {
        try load(directory: try CatalogLocator.locate(), overrideFile: overrideFile)
    }

    private func applying(overrideFile: URL, builtIn: [CatalogEntry]) throws -> Catalog {
        var entries = builtIn
        for patch in try Self.readEntries(url: overrideFile, displayPath: overrideFile.relativePath) {
            if let index = entries.firstIndex(where: { $0.kind == patch.kind && $0.answers(to: patch.name) }) {
                entries[index].patch(with: patch)
            } else {
                entries.append(patch)
            }
        }
        return try Self.build(entries, userFile: overrideFile.relativePath)
    }

    private static func readEntries(url: URL, displayPath: String) throws -> [CatalogEntry] {
        let text: String
        try JSONInput.rejectFolder(url.path, what: "catalog file")
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw InputError(exists ? .malformed : .fileNotFound, file: displayPath,
                             exists ? "cannot read the file as UTF-8 text" : "no such file",
                             fix: exists ? nil : "check the path")
        }
        let entries = try CatalogEntryReader.entries(in: try DataNode.parse(text: text, file: displayPath), file: displayPath)
        // An override that adds or patches nothing is a mistake (the wrong file, or one not yet written).
        if entries.isEmpty {
            throw InputError(.malformed, file: displayPath, "catalog file has no gpus: or llms: entries",
                             fix: "add entries (see examples/catalog-override.yaml) or leave --catalog out")
        }
        return entries
    }

    /// Types and validates entries, and checks that every name and alias is unique per kind.
    /// - Parameter userFile: the override file, if any: a clash between one of its entries and a
    ///   built-in one is reported at the user's entry, whichever comes first.
    private static func build(_ entries: [CatalogEntry], userFile: String? = nil) throws -> Catalog {
        for kind in [CatalogEntry.Kind.gpu, .llm] {
            var owner: [String: CatalogEntry] = [:]
            for entry in entries where entry.kind == kind {
                for name in entry.allNames {
                    if let other = owner[name.lowercased()], other.name != entry.name {
                        let (blamed, kept) = other.file == userFile && entry.file != userFile ? (other, entry) : (entry, other)
                        throw InputError(.invalidValue, file: blamed.file, location: blamed.location(field: "aliases"),
                                         "name '\(name)' is already used by \(kind.noun) '\(kept.name)'",
                                         fix: "pick a different alias")
                    }
                    owner[name.lowercased()] = entry
                }
            }
        }
        return Catalog(
            gpus: try entries.filter { $0.kind == .gpu }.map(GPUSpec.init(entry:)),
            llms: try entries.filter { $0.kind == .llm }.map(LLMSpec.init(entry:))
        )
    }
}
