import Foundation

/// Reading user JSON files with errors that say where the problem is.
///
/// Foundation's `JSONDecoder` reports a syntax error only as "not valid JSON", so files are
/// first parsed with `JSONSerialization`, whose error carries a character offset that is
/// turned into a line and column here.
public enum JSONInput {
    /// The bytes of the file at `path`.
    /// - Throws: `InputError.fileNotFound` when the file is missing or unreadable,
    ///   `InputError.malformed` when it is empty (or only whitespace).
    public static func readFile(_ path: String, what: String = "file") throws -> Data {
        try requireFile(path, what: what)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.fileNotFound, file: path, "\(what) cannot be read", fix: "check the file's permissions")
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw InputError(.malformed, file: path, "\(what) is empty", fix: "write the \(what) contents or pass another file")
        }
        return data
    }

    /// Checks that `path` names an existing file, not a folder.
    /// - Throws: `InputError.fileNotFound` saying which, with the fix.
    public static func requireFile(_ path: String, what: String = "file") throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(.fileNotFound, file: path, "\(what) not found", fix: "check the path")
        }
        if isDirectory.boolValue { throw folder(path, what: what) }
    }

    /// Throws when `path` is a folder (a missing file is left to the caller's own message).
    public static func rejectFolder(_ path: String, what: String = "file") throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw folder(path, what: what)
        }
    }

    private static func folder(_ path: String, what: String) -> InputError {
        InputError(.fileNotFound, file: path, "is a folder, not a \(what)", fix: "give the path of the file inside it")
    }

    /// Parses `data` as JSON (objects, arrays, numbers as `NSNumber`).
    /// - Throws: `InputError.malformed` naming the line and column of a syntax error when
    ///   Foundation reports one (e.g. a truncated file: "unexpected end of file").
    /// - Throws: `InputError.malformed` also for a key given twice in one object, which
    ///   `JSONSerialization` would silently resolve to one of the two values.
    public static func parse(_ data: Data, file: String?) throws -> Any {
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw syntaxError(error, data: data, file: file)
        }
        if let duplicate = firstDuplicateKey(in: data) {
            throw InputError(.malformed, file: file, location: lineAndColumn(ofByte: duplicate.offset, in: data),
                             "key '\(duplicate.key)' appears twice in the same object (first at \(lineAndColumn(ofByte: duplicate.firstOffset, in: data)))",
                             fix: "keep one")
        }
        return tree
    }

    /// The first key written twice in the same object of (syntactically valid) JSON `data`, with
    /// the byte offsets of both. Keys compare as written, escapes included. O(bytes).
    static func firstDuplicateKey(in data: Data) -> (key: String, offset: Int, firstOffset: Int)? {
        // One entry per open container: the keys seen so far (nil for an array), and whether
        // the next string in it is a key.
        var open: [(keys: [String: Int]?, expectsKey: Bool)] = []
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if let last = open.indices.last, open[last].expectsKey, var keys = open[last].keys {
                    let key = String(decoding: bytes[(start + 1)..<min(index, bytes.count)], as: UTF8.self)
                    if let first = keys[key] { return (key, start, first) }
                    keys[key] = start
                    open[last] = (keys, false)
                }
            case UInt8(ascii: "{"): open.append(([:], true))
            case UInt8(ascii: "["): open.append((nil, false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !open.isEmpty { open.removeLast() }
            case UInt8(ascii: ","):
                if let last = open.indices.last, open[last].keys != nil { open[last].expectsKey = true }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// Decodes `type` from `data`, reporting syntax errors with their position and decoding
    /// errors with the JSON path of the field (`plan.pools[2].nMax`).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String?, root: String = "") throws -> T {
        _ = try parse(data, file: file)
        do {
            let decoder = JSONDecoder()
            // fleetplan writes a figure no pool reaches as "Infinity" (see FleetReport's JSONOutput).
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw inputError(error, file: file, root: root)
        }
    }

    /// An `InputError` for a `DecodingError`: missing keys become `.missingField` with the
    /// path, wrong types `.malformed` with what was expected.
    public static func inputError(_ error: DecodingError, file: String?, root: String = "") -> InputError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = fieldPath(context.codingPath + [key], root: root)
            return InputError(.missingField, file: file, location: path, "required key is missing",
                              fix: "add `\(key.stringValue)`")
        case .typeMismatch(let type, let context):
            return InputError(.malformed, file: file, location: fieldPath(context.codingPath, root: root),
                              "expected \(typeName(type))", fix: "write a \(typeName(type)) here")
        case .valueNotFound(let type, let context):
            return InputError(.malformed, file: file, location: fieldPath(context.codingPath, root: root),
                              "value is null, expected \(typeName(type))", fix: "write a \(typeName(type)) here")
        case .dataCorrupted(let context):
            return InputError(.malformed, file: file, location: fieldPath(context.codingPath, root: root),
                              context.debugDescription)
        @unknown default:
            return InputError(.malformed, file: file, "\(error)")
        }
    }

    /// `a.b[2].c` from a coding path (integer keys become subscripts).
    public static func fieldPath(_ path: [any CodingKey], root: String = "") -> String {
        var result = root
        for key in path {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result.isEmpty ? "(top level)" : result
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "number"
        case is Int.Type, is Int64.Type, is UInt64.Type: return "whole number"
        case is String.Type: return "string"
        case is Bool.Type: return "true/false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "array" }
            if name.hasPrefix("Dictionary") { return "object" }
            return "object"
        }
    }

    private static func syntaxError(_ error: any Error, data: Data, file: String?) -> InputError {
        let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String)
            ?? (error as NSError).localizedDescription
        var location: String?
        if let offset = characterOffset(in: detail) {
            location = lineAndColumn(ofByte: offset, in: data)
        } else if detail.localizedCaseInsensitiveContains("end of file") {
            location = lineAndColumn(ofByte: data.count, in: data)
        }
        return InputError(.malformed, file: file, location: location, "invalid JSON: \(detail)",
                          fix: "fix the JSON syntax (is the file truncated?)")
    }

    /// The number after "character " in Foundation's message, if any.
    private static func characterOffset(in message: String) -> Int? {
        guard let range = message.range(of: "character ") else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    private static func lineAndColumn(ofByte offset: Int, in data: Data) -> String {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return "line \(line), column \(column)"
    }
}
