import Foundation
import Testing
@testable import FleetModel

/// Nesting deep enough to overflow the parser's stack and alias bombs are refused before the
/// YAML reaches Yams, with the line; ordinary files, and brackets, stars and quotes inside
/// strings, comments and plain values, pass.
@Suite struct YAMLGuardTests {
    static let deepList = "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
    static let aliasBomb = """
        a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
        """

    @Test(arguments: [
        (deepList, "line 1", "nested more than 256 levels deep"),
        ("a:\n  b: " + String(repeating: "{c: ", count: 300) + "1" + String(repeating: "}", count: 300), "line 2",
         "nested more than 256 levels deep"),
        (String(repeating: "- ", count: 300) + "x", "line 1", "nested more than 256 levels deep"),
        ("a: " + String(repeating: "&x [", count: 300), "line 1", "nested more than 256 levels deep"),
        (aliasBomb, "line 2", "YAML aliases (*name) are not supported"),
        ("rate: &r 200\nmaxPools: *r\n", "line 2", "YAML aliases (*name) are not supported"),
        ("gpus:\n  - *g\n", "line 2", "YAML aliases (*name) are not supported"),
    ])
    func refused(text: String, line: String, message: String) {
        #expect(throws: InputError(.malformed, file: "s.yaml", location: line, message,
                                   fix: message.hasPrefix("YAML") ? "write the value out where the alias is"
                                       : "a scenario or catalog needs a few levels; check the brackets and indentation")) {
            try YAMLGuard.check(text, file: "s.yaml")
        }
    }

    @Test(arguments: [
        "a: " + String(repeating: "[", count: 250) + String(repeating: "]", count: 250),
        "source: \"see *note and [[[[ \\\" ]]\"\nnote: 'it''s *not* an alias [['\n",
        "name: a*b [c\nlist: [x, \"*\", '*']   # *comment [[[\n",
        "fleet:\n  - {gpu: b200, tp: 8, window: 16384, instances: 12}\n  - - nested\n    - list\n",
    ])
    func accepted(text: String) throws {
        try YAMLGuard.check(text, file: "s.yaml")
    }

    /// `rate: 200` then `rate: 300` was accepted, the last silently winning.
    @Test(arguments: [
        ("model: llama-3.1-70b\nrate: 200\nrate: 300\n", "line 3", "rate"),
        ("slo:\n  ttftP99: 1s\n  ttftP99: 2s\n", "line 3", "ttftP99"),
        ("fleet:\n  - {gpu: h100, tp: 8, gpu: b200}\n", "line 2", "gpu"),
    ])
    func duplicateKeysAreRefused(text: String, line: String, key: String) {
        #expect(throws: InputError(.malformed, file: "s.yaml", location: line, "key '\(key)' appears twice in the same mapping",
                                   fix: "keep one")) {
            try YAMLGuard.checkDuplicateKeys(text, file: "s.yaml")
        }
    }

    @Test func sameKeyInDifferentMappingsIsFine() throws {
        try YAMLGuard.checkDuplicateKeys("fleet:\n  - {gpu: h100, tp: 8}\n  - {gpu: b200, tp: 8}\nslo: {tp: 1}\n", file: "s.yaml")
    }

    @Test func bundledFilesPass() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for path in ["models/gpus.yaml", "models/llms.yaml", "examples/chat-fleet.yaml", "examples/hand-fleet.yaml",
                     "examples/catalog-override.yaml", "examples/paper-azure.yaml"] {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            try YAMLGuard.check(text, file: path)
            try YAMLGuard.checkDuplicateKeys(text, file: path)
        }
    }
}
