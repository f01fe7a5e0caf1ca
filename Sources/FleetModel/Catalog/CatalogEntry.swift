/// One GPU or LLM entry as read from a catalog file, before typing: every figure flattened to a
/// field path (`power.idle_watts`, `moe.top_k`) with its provenance and the file and line it came
/// from. Keeping this form lets a user file patch single figures of a built-in entry (the
/// patched figures get the user's provenance, the others keep theirs) before the merged entry is
/// validated as a whole.
struct CatalogEntry: Sendable {
    enum Kind: String, Sendable {
        case gpu = "gpus"
        case llm = "llms"

        var noun: String { self == .gpu ? "GPU" : "model" }
    }

    /// A figure's text with its origin.
    struct Figure: Sendable {
        var value: DataNode
        var provenance: Provenance
        var file: String
        var line: Int?
    }

    var kind: Kind
    var name: String
    var aliases: [String]
    var figures: [String: Figure]
    /// Where the entry was (last) defined: `gpus[2]` of `file` at `line`.
    var file: String
    var line: Int?
    var index: Int

    /// `line 12, gpus[2] (H100-SXM5-80GB)` — the location prefix of errors about this entry.
    func location(field: String? = nil, line figureLine: Int? = nil) -> String {
        var text = "\(kind.rawValue)[\(index)] (\(name))"
        if let field { text += ".\(field)" }
        if let line = figureLine ?? line { text = "line \(line), " + text }
        return text
    }

    /// Every name this entry answers to, canonical name first.
    var allNames: [String] { [name] + aliases }

    func answers(to query: String) -> Bool {
        let query = query.lowercased()
        return allNames.contains { $0.lowercased() == query }
    }

    /// Applies a patch from a user file: its figures replace these, its aliases are added.
    mutating func patch(with other: CatalogEntry) {
        for (path, figure) in other.figures { figures[path] = figure }
        for alias in other.aliases where !answers(to: alias) { aliases.append(alias) }
        file = other.file
        line = other.line
        index = other.index
    }
}

/// The fields a catalog entry may have, as field paths; `*` matches any one name (used for the
/// named alternative power curves).
enum CatalogSchema {
    static let gpuFields: [String] = [
        "hbm_gb", "hbm_tb_per_s", "bf16_tflops", "fp8_tflops", "tdp_watts",
        "power.idle_watts", "power.nominal_watts", "power.k", "power.x0",
        "power_curves.*.idle_watts", "power_curves.*.nominal_watts", "power_curves.*.k", "power_curves.*.x0",
        "price_per_gpu_hour", "purchase_price", "gpus_per_server",
    ]

    static let llmFields: [String] = [
        "layers", "hidden_size", "attention_heads", "kv_heads", "head_dim", "ffn_size", "vocab_size",
        "params_billions", "weight_dtype", "max_context_tokens",
        "moe.experts", "moe.top_k", "moe.expert_ffn_size", "moe.shared_experts", "moe.active_params_billions",
        "mla.kv_lora_rank", "mla.qk_rope_head_dim", "mla.qk_nope_head_dim",
    ]

    static func fields(for kind: CatalogEntry.Kind) -> [String] { kind == .gpu ? gpuFields : llmFields }

    static func isLeaf(_ path: [String], kind: CatalogEntry.Kind) -> Bool {
        fields(for: kind).contains { matches(pattern: $0.split(separator: ".").map(String.init), path: path) }
    }

    static func isBlock(_ path: [String], kind: CatalogEntry.Kind) -> Bool {
        fields(for: kind).contains { field in
            let pattern = field.split(separator: ".").map(String.init)
            return pattern.count > path.count && matches(pattern: Array(pattern.prefix(path.count)), path: path)
        }
    }

    private static func matches(pattern: [String], path: [String]) -> Bool {
        pattern.count == path.count && zip(pattern, path).allSatisfy { $0 == "*" || $0 == $1 }
    }
}

/// Reads the `gpus:` / `llms:` lists of one catalog document into `CatalogEntry` values.
enum CatalogEntryReader {
    private static let provenanceKeys: Set<String> = ["provenance", "source"]

    /// - Throws: `InputError` naming the file, line and field of the first problem.
    static func entries(in root: DataNode, file: String) throws -> [CatalogEntry] {
        guard case .mapping(let sections, _) = root else {
            if case .null = root { return [] }
            throw InputError(.malformed, file: file, location: root.line.map { "line \($0)" },
                             "a catalog file must be a mapping with `gpus:` and/or `llms:` lists",
                             fix: "see models/gpus.yaml for the format")
        }
        var result: [CatalogEntry] = []
        for (key, value) in sections {
            guard let kind = CatalogEntry.Kind(rawValue: key) else {
                let suggestion = NameSuggestion.closest(to: key, among: ["gpus", "llms"])
                throw InputError(.invalidValue, file: file, location: value.line.map { "line \($0)" },
                                 "unknown section '\(key)'",
                                 fix: suggestion.map { "did you mean '\($0)'?" } ?? "use `gpus:` or `llms:`")
            }
            guard case .sequence(let items, _) = value else {
                if case .null = value { continue }
                throw InputError(.malformed, file: file, location: value.line.map { "line \($0), \(key)" },
                                 "must be a list of entries (each starting with `- name:`), got \(value.kindDescription)")
            }
            for (index, item) in items.enumerated() {
                result.append(try entry(item, kind: kind, index: index, file: file))
            }
        }
        return result
    }

    private static func entry(_ node: DataNode, kind: CatalogEntry.Kind, index: Int, file: String) throws -> CatalogEntry {
        let here = "\(kind.rawValue)[\(index)]"
        guard case .mapping(let pairs, let line) = node else {
            throw InputError(.malformed, file: file, location: node.line.map { "line \($0), \(here)" } ?? here,
                             "must be a mapping of fields, got \(node.kindDescription)")
        }
        func at(_ line: Int?, _ path: String) -> String { line.map { "line \($0), \(path)" } ?? path }

        guard let nameNode = pairs.first(where: { $0.key == "name" })?.value else {
            throw InputError(.missingField, file: file, location: at(line, here), "missing field 'name'",
                             fix: "every \(kind.noun) entry needs a unique name")
        }
        guard case .scalar(let name, _) = nameNode, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError(.invalidValue, file: file, location: at(nameNode.line, "\(here).name"),
                             "must be a non-empty name")
        }
        var entry = CatalogEntry(kind: kind, name: name, aliases: [], figures: [:], file: file, line: line, index: index)

        if let aliasNode = pairs.first(where: { $0.key == "aliases" })?.value {
            switch aliasNode {
            case .sequence(let items, _):
                for item in items {
                    guard case .scalar(let alias, _) = item, !alias.isEmpty else {
                        throw InputError(.invalidValue, file: file,
                                         location: at(item.line ?? aliasNode.line, entry.location(field: "aliases")),
                                         "each alias must be a plain name")
                    }
                    entry.aliases.append(alias)
                }
            case .scalar(let alias, _):
                entry.aliases = [alias]
            case .null:
                break
            case .mapping:
                throw InputError(.invalidValue, file: file, location: at(aliasNode.line, entry.location(field: "aliases")),
                                 "must be a list of names, e.g. [h100, h100-sxm]")
            }
        }
        let body = pairs.filter { $0.key != "name" && $0.key != "aliases" }
        try flatten(body, path: [], inherited: nil, line: line, into: &entry)
        return entry
    }

    /// Walks one mapping level: `provenance`/`source` set the default for the figures at and below
    /// this level; `{value:, provenance:, source:}` is a figure with its own provenance.
    private static func flatten(_ pairs: [(key: String, value: DataNode)], path: [String],
                                inherited: Provenance?, line: Int?, into entry: inout CatalogEntry) throws {
        let levelProvenance = try provenance(in: pairs, path: path, line: line, entry: entry) ?? inherited
        for (key, value) in pairs where !provenanceKeys.contains(key) {
            let fieldPath = path + [key]
            let dotted = fieldPath.joined(separator: ".")
            if case .mapping(let inner, let innerLine) = value, inner.contains(where: { $0.key == "value" }),
               CatalogSchema.isLeaf(fieldPath, kind: entry.kind) {
                if let stray = inner.first(where: { $0.key != "value" && !provenanceKeys.contains($0.key) }) {
                    throw InputError(.invalidValue, file: entry.file,
                                     location: entry.location(field: dotted, line: stray.value.line ?? innerLine),
                                     "unknown key '\(stray.key)' in a figure",
                                     fix: "a figure is either a number or {value:, provenance:, source:}")
                }
                let own = try provenance(in: inner, path: fieldPath, line: innerLine, entry: entry) ?? levelProvenance
                // Safe: the `contains` above found the key.
                let figureValue = inner.first(where: { $0.key == "value" })?.value ?? .null(line: innerLine)
                try record(figureValue, at: dotted, provenance: own, into: &entry)
            } else if case .mapping(let inner, let innerLine) = value {
                guard CatalogSchema.isBlock(fieldPath, kind: entry.kind) else {
                    throw unknownField(dotted, line: value.line, entry: entry)
                }
                try flatten(inner, path: fieldPath, inherited: levelProvenance, line: innerLine, into: &entry)
            } else {
                guard CatalogSchema.isLeaf(fieldPath, kind: entry.kind) else {
                    throw unknownField(dotted, line: value.line, entry: entry)
                }
                if case .sequence = value {
                    throw InputError(.invalidValue, file: entry.file, location: entry.location(field: dotted, line: value.line),
                                     "must be a single value, got a list")
                }
                try record(value, at: dotted, provenance: levelProvenance, into: &entry)
            }
        }
    }

    private static func record(_ value: DataNode, at path: String, provenance: Provenance?,
                               into entry: inout CatalogEntry) throws {
        guard let provenance else {
            throw InputError(.missingField, file: entry.file, location: entry.location(field: path, line: value.line),
                             "figure has no provenance",
                             fix: "add `provenance: measured|calibrated|projected` and `source: \"...\"` to the entry or the figure")
        }
        entry.figures[path] = CatalogEntry.Figure(value: value, provenance: provenance, file: entry.file, line: value.line)
    }

    private static func provenance(in pairs: [(key: String, value: DataNode)], path: [String], line: Int?,
                                   entry: CatalogEntry) throws -> Provenance? {
        let kindNode = pairs.first(where: { $0.key == "provenance" })?.value
        let sourceNode = pairs.first(where: { $0.key == "source" })?.value
        if kindNode == nil, sourceNode == nil { return nil }
        let field = (path + ["provenance"]).joined(separator: ".")
        guard let kindNode, case .scalar(let kindText, _) = kindNode else {
            throw InputError(.missingField, file: entry.file, location: entry.location(field: field, line: sourceNode?.line ?? line),
                             "`source` given without `provenance`", fix: "add `provenance: measured|calibrated|projected`")
        }
        guard let kind = Provenance.Kind(rawValue: kindText.lowercased()) else {
            let names = Provenance.Kind.allCases.map(\.rawValue)
            let suggestion = NameSuggestion.closest(to: kindText, among: names)
            throw InputError(.invalidValue, file: entry.file, location: entry.location(field: field, line: kindNode.line),
                             "unknown provenance '\(kindText)'",
                             fix: suggestion.map { "did you mean '\($0)'?" } ?? "use one of: \(names.joined(separator: ", "))")
        }
        guard let sourceNode, case .scalar(let source, _) = sourceNode, !source.isEmpty else {
            throw InputError(.missingField, file: entry.file,
                             location: entry.location(field: (path + ["source"]).joined(separator: "."), line: kindNode.line),
                             "provenance '\(kindText)' needs a `source`", fix: "cite the datasheet, paper or config it comes from")
        }
        return Provenance(kind, source: source)
    }

    private static func unknownField(_ path: String, line: Int?, entry: CatalogEntry) -> InputError {
        let known = CatalogSchema.fields(for: entry.kind)
        let suggestion = NameSuggestion.closest(to: path, among: known)
        return InputError(.invalidValue, file: entry.file, location: entry.location(field: nil, line: line),
                          "unknown field '\(path)'",
                          fix: suggestion.map { "did you mean '\($0)'?" } ?? "known fields: \(known.joined(separator: ", "))")
    }
}
