import Foundation
import Yams

/// A YAML or JSON document reduced to what the catalog reader needs — mappings (in file order),
/// sequences, scalars and nulls — each with the 1-based line it came from where the parser knows
/// it (YAML yes, JSON no), so errors can point at the line.
indirect enum DataNode: Sendable {
    case scalar(String, line: Int?)
    case mapping([(key: String, value: DataNode)], line: Int?)
    case sequence([DataNode], line: Int?)
    case null(line: Int?)

    var line: Int? {
        switch self {
        case .scalar(_, let line), .mapping(_, let line), .sequence(_, let line), .null(let line): line
        }
    }

    /// A short noun for error messages ("a list", "a number or text").
    var kindDescription: String {
        switch self {
        case .scalar: "a single value"
        case .mapping: "a mapping (key: value lines)"
        case .sequence: "a list"
        case .null: "empty"
        }
    }

    /// Parses `text`; JSON when `file` ends in `.json`, YAML otherwise.
    /// - Throws: `InputError.malformed` naming the file and, for YAML, the line.
    static func parse(text: String, file: String) throws -> DataNode {
        if file.lowercased().hasSuffix(".json") {
            return try parseJSON(text: text, file: file)
        }
        try YAMLGuard.check(text, file: file)
        do {
            guard let root = try Yams.compose(yaml: text) else { return .null(line: 1) }
            return try convert(root, file: file)
        } catch let error as YamlError {
            throw InputError(.malformed, file: file, location: yamlErrorLocation(error),
                             "not valid YAML: \(yamlErrorProblem(error))", fix: "check indentation and quoting")
        }
    }

    private static func convert(_ node: Node, file: String) throws -> DataNode {
        let line = node.mark?.line
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, node.null != nil { return .null(line: line) }
            return .scalar(scalar.string, line: line)
        case .sequence(let sequence):
            return .sequence(try sequence.map { try convert($0, file: file) }, line: line)
        case .mapping(let mapping):
            var pairs: [(key: String, value: DataNode)] = []
            var seen = Set<String>()
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let key) = keyNode else {
                    throw InputError(.malformed, file: file, location: line.map { "line \($0)" },
                                     "mapping keys must be plain names")
                }
                guard seen.insert(key.string).inserted else {
                    throw InputError(.malformed, file: file, location: keyNode.mark.map { "line \($0.line)" },
                                     "key '\(key.string)' appears twice in the same mapping", fix: "keep one")
                }
                pairs.append((key.string, try convert(valueNode, file: file)))
            }
            return .mapping(pairs, line: line)
        }
    }

    /// Syntax errors name their line and column (`JSONInput.parse`).
    private static func parseJSON(text: String, file: String) throws -> DataNode {
        convertJSON(try JSONInput.parse(Data(text.utf8), file: file))
    }

    private static func convertJSON(_ object: Any) -> DataNode {
        switch object {
        case let dictionary as [String: Any]:
            // JSON objects carry no order; sort so that errors and merges are deterministic.
            return .mapping(dictionary.keys.sorted().map { ($0, convertJSON(dictionary[$0] as Any)) }, line: nil)
        case let array as [Any]:
            return .sequence(array.map(convertJSON), line: nil)
        case let string as String:
            return .scalar(string, line: nil)
        case let number as NSNumber:
            return .scalar(number.stringValue, line: nil)
        case is NSNull:
            return .null(line: nil)
        default:
            return .scalar(String(describing: object), line: nil)
        }
    }

    private static func yamlErrorLocation(_ error: YamlError) -> String? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            "line \(mark.line)"
        default:
            nil
        }
    }

    private static func yamlErrorProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _),
             .reader(let problem, _, _, _):
            problem
        default:
            String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }
}
