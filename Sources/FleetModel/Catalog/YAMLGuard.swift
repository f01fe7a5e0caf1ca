import Yams

/// Checks YAML text before it reaches the parser (Yams / libyaml), which has two failure modes
/// no scenario or catalog needs: nesting tens of thousands of levels deep overflows the stack
/// (a crash, not an error), and aliases (`*name`) can expand a few lines into billions of nodes
/// (the "billion laughs": gigabytes of memory, then a trap).
///
/// `checkDuplicateKeys` then refuses a key given twice in one mapping (`rate: 200` … `rate: 300`),
/// which the decoder would settle silently by keeping the last.
///
/// The check is a line-by-line scan, not a parse: quotes and comments are recognised where a
/// value can start (at the start of a line or after `-`, `?`, `:`, `[`, `{` or `,`), so a `*`
/// or `[` inside a string, a comment or a plain value does not count.
public enum YAMLGuard {
    /// Deepest nesting accepted: flow brackets, block list markers and indentation columns
    /// together. The bundled files nest fewer than 10 levels.
    public static let maxNesting = 256

    /// - Throws: `InputError.malformed` naming `file` and the line, for an alias or nesting
    ///   deeper than `maxNesting`.
    public static func check(_ text: String, file: String) throws {
        var flowDepth = 0
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let characters = Array(line.unicodeScalars)
            var index = 0
            // Indentation and block markers (`- - x` nests two lists) count as levels.
            var blockDepth = 0
            while index < characters.count {
                let character = characters[index]
                if character == " " || character == "\t" {
                    blockDepth += 1
                } else if (character == "-" || character == "?"),
                          index + 1 == characters.count || characters[index + 1] == " " {
                    blockDepth += 1
                } else {
                    break
                }
                index += 1
            }
            // The last character that is not a space: decides whether a value can start here.
            var previous: Unicode.Scalar?
            var quote: Unicode.Scalar?
            while index < characters.count {
                let character = characters[index]
                defer { index += 1 }
                if let open = quote {
                    if open == "\"" && character == "\\" {
                        index += 1
                    } else if character == open {
                        if open == "'", index + 1 < characters.count, characters[index + 1] == "'" {
                            index += 1
                        } else {
                            quote = nil
                            previous = character
                        }
                    }
                    continue
                }
                if character == " " || character == "\t" || character == "\r" { continue }
                let valueCanStart = previous == nil || "-?:[{,".unicodeScalars.contains(previous!)
                let afterSpace = index == 0 || characters[index - 1] == " " || characters[index - 1] == "\t"
                if character == "#", afterSpace { break }
                if valueCanStart {
                    if character == "'" || character == "\"" {
                        quote = character
                        continue
                    }
                    if character == "&" || character == "!" {
                        // An anchor or tag: the value still starts after it.
                        while index + 1 < characters.count, !" \t[]{},".unicodeScalars.contains(characters[index + 1]) { index += 1 }
                        continue
                    }
                    if character == "*" {
                        throw InputError(.malformed, file: file, location: "line \(lineNumber)",
                                         "YAML aliases (*name) are not supported",
                                         fix: "write the value out where the alias is")
                    }
                }
                if character == "[" || character == "{", valueCanStart {
                    flowDepth += 1
                } else if character == "]" || character == "}" {
                    flowDepth = max(0, flowDepth - 1)
                }
                if flowDepth + blockDepth > maxNesting {
                    throw InputError(.malformed, file: file, location: "line \(lineNumber)",
                                     "nested more than \(maxNesting) levels deep",
                                     fix: "a scenario or catalog needs a few levels; check the brackets and indentation")
                }
                previous = character
            }
            if flowDepth + blockDepth > maxNesting {
                throw InputError(.malformed, file: file, location: "line \(lineNumber)",
                                 "nested more than \(maxNesting) levels deep",
                                 fix: "a scenario or catalog needs a few levels; check the brackets and indentation")
            }
        }
    }

    /// - Throws: `InputError.malformed` naming `file`, the line and the key of the first key
    ///   that appears twice in the same mapping. YAML syntax errors are left to the caller's parse.
    public static func checkDuplicateKeys(_ text: String, file: String) throws {
        guard let root = try? Yams.compose(yaml: text) else { return }
        var pending: [Node] = [root]
        while let node = pending.popLast() {
            switch node {
            case .mapping(let mapping):
                var seen = Set<String>()
                for (key, value) in mapping {
                    if case .scalar(let scalar) = key, !seen.insert(scalar.string).inserted {
                        throw InputError(.malformed, file: file, location: key.mark.map { "line \($0.line)" },
                                         "key '\(scalar.string)' appears twice in the same mapping", fix: "keep one")
                    }
                    pending.append(value)
                }
            case .sequence(let sequence):
                pending.append(contentsOf: sequence)
            default:
                break
            }
        }
    }
}
