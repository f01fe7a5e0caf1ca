import Foundation

/// Streams the requests of a trace file one at a time, holding one read buffer (1 MiB)
/// rather than the file's rows, so traces of any length can be replayed or summarised.
///
/// Formats:
/// - CSV in the Azure LLM trace format: a header naming `TIMESTAMP`, `ContextTokens` and
///   `GeneratedTokens` (any order, case-insensitive, extra columns ignored), then one row per
///   request, e.g. `2023-11-16 18:17:03.9799600,4808,10`.
/// - JSON Lines (`.jsonl`/`.ndjson`, or any file starting with `{`): one object per line with
///   the same three keys; `TIMESTAMP` may also be a number of seconds.
///
/// Timestamps are `YYYY-MM-DD HH:MM:SS[.fraction]` or plain seconds, and must not go back in
/// time. Errors name the file, the line and the column.
public final class TraceRequestReader {
    /// The two supported layouts.
    public enum Format: Sendable { case csv, jsonLines }

    /// The trace's path, as given.
    public let path: String
    /// The layout detected from the extension or the first byte.
    public private(set) var format: Format = .csv
    /// Line number (1-based) of the last line read.
    public private(set) var lineNumber = 0

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var reachedEnd = false
    private var columns = (timestamp: 0, input: 1, output: 2, count: 3)
    private var origin: TraceTimestamp?
    private var previousArrivalSeconds = 0.0

    private static let chunkBytes = 1 << 20
    static let expectedHeader = "TIMESTAMP,ContextTokens,GeneratedTokens"

    /// Opens the trace and reads its header.
    /// - Throws: `InputError` when the file is missing, empty, or (CSV) its header lacks a
    ///   required column.
    public init(path: String) throws {
        self.path = path
        try JSONInput.requireFile(path, what: "trace file")
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(.fileNotFound, file: path, "trace file cannot be read", fix: "check the file's permissions")
        }
        self.handle = handle
        let lowered = path.lowercased()
        var format: Format = lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") ? .jsonLines : .csv
        try fill()
        guard let first = buffer.first(where: { !Self.isWhitespace($0) }) else {
            throw InputError(.malformed, file: path, "trace file is empty",
                             fix: "start with the header `\(Self.expectedHeader)` and one row per request")
        }
        if first == UInt8(ascii: "{") { format = .jsonLines }
        self.format = format
        if format == .csv { try readHeader() }
    }

    deinit { try? handle.close() }

    /// The next request, or nil at the end of the file.
    /// - Throws: `InputError` naming the line (and column) of a malformed row, a negative or
    ///   non-numeric token count, or a timestamp earlier than the previous row's.
    public func next() throws -> TraceRequest? {
        while let line = try nextLine() {
            let parsed = try line.withUnsafeBufferPointer { bytes -> (TraceTimestamp, Int, Int)? in
                let trimmed = Self.trimmed(bytes)
                if trimmed.isEmpty { return nil }
                return format == .csv ? try parseCSVRow(trimmed) : try parseJSONLine(trimmed)
            }
            guard let (timestamp, input, output) = parsed else { continue }
            let origin = self.origin ?? timestamp
            self.origin = origin
            let arrival = timestamp.seconds(since: origin)
            if arrival < previousArrivalSeconds - 1e-9 {
                throw InputError(.invalidValue, file: path, location: "line \(lineNumber)",
                                 "timestamp is earlier than the previous row's",
                                 fix: "sort the trace by TIMESTAMP")
            }
            previousArrivalSeconds = max(arrival, previousArrivalSeconds)
            return TraceRequest(arrivalSeconds: previousArrivalSeconds, inputTokens: input, outputTokens: output)
        }
        return nil
    }

    // MARK: Lines

    /// Reads more bytes, dropping the consumed prefix of the buffer first.
    private func fill() throws {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let chunk: Data?
        do {
            chunk = try handle.read(upToCount: Self.chunkBytes)
        } catch {
            throw InputError(.fileNotFound, file: path, "trace file cannot be read: \(error.localizedDescription)")
        }
        if let chunk, !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
        } else {
            reachedEnd = true
        }
    }

    /// The next line's bytes (without the newline), or nil at the end of the file.
    private func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[position..<newline]
                position = newline + 1
                lineNumber += 1
                return line
            }
            if reachedEnd {
                guard position < buffer.count else { return nil }
                let line = buffer[position...]
                position = buffer.count
                lineNumber += 1
                return line
            }
            try fill()
        }
    }

    // MARK: CSV

    private func readHeader() throws {
        while let line = try nextLine() {
            let header = line.withUnsafeBufferPointer { String(decoding: Self.trimmed($0), as: UTF8.self) }
            if header.isEmpty { continue }
            let names = header.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"")).lowercased()
            }
            let required = ["timestamp", "contexttokens", "generatedtokens"]
            let missing = required.filter { !names.contains($0) }
            guard missing.isEmpty,
                  let timestamp = names.firstIndex(of: "timestamp"),
                  let input = names.firstIndex(of: "contexttokens"),
                  let output = names.firstIndex(of: "generatedtokens") else {
                throw InputError(.malformed, file: path, location: "line \(lineNumber)",
                                 "header `\(header.prefix(80))` lacks column(s) \(missing.joined(separator: ", "))",
                                 fix: "the first line must be `\(Self.expectedHeader)`")
            }
            columns = (timestamp, input, output, names.count)
            return
        }
        throw InputError(.malformed, file: path, "trace file is empty",
                         fix: "start with the header `\(Self.expectedHeader)` and one row per request")
    }

    private func parseCSVRow(_ row: UnsafeBufferPointer<UInt8>) throws -> (TraceTimestamp, Int, Int) {
        var fields: (timestamp: UnsafeBufferPointer<UInt8>?, input: UnsafeBufferPointer<UInt8>?,
                     output: UnsafeBufferPointer<UInt8>?) = (nil, nil, nil)
        var column = 0
        var start = 0
        for index in 0...row.count where index == row.count || row[index] == UInt8(ascii: ",") {
            let field = Self.trimmed(UnsafeBufferPointer(rebasing: row[start..<index]))
            if column == columns.timestamp { fields.timestamp = field }
            if column == columns.input { fields.input = field }
            if column == columns.output { fields.output = field }
            column += 1
            start = index + 1
        }
        guard let timestampField = fields.timestamp, let inputField = fields.input, let outputField = fields.output else {
            throw InputError(.malformed, file: path, location: "line \(lineNumber)",
                             "row has \(column) columns, the header has \(columns.count)",
                             fix: "write every row as TIMESTAMP,ContextTokens,GeneratedTokens")
        }
        guard let timestamp = TraceTimestamp.parse(timestampField) else {
            throw InputError(.malformed, file: path, location: "line \(lineNumber), column TIMESTAMP",
                             "`\(String(decoding: timestampField, as: UTF8.self))` is not a timestamp",
                             fix: "write YYYY-MM-DD HH:MM:SS.fffffff or seconds")
        }
        let input = try tokenCount(inputField, column: "ContextTokens")
        let output = try tokenCount(outputField, column: "GeneratedTokens")
        return (timestamp, input, output)
    }

    /// A non-negative whole number (`12` or `12.0`).
    private func tokenCount(_ field: UnsafeBufferPointer<UInt8>, column: String) throws -> Int {
        var value = 0
        var index = 0
        var sawDigit = false
        while index < field.count, field[index] >= 48, field[index] <= 57, value < 1 << 40 {
            value = value * 10 + Int(field[index] - 48)
            sawDigit = true
            index += 1
        }
        if index < field.count, field[index] == UInt8(ascii: "."), sawDigit {
            index += 1
            while index < field.count, field[index] == UInt8(ascii: "0") { index += 1 }
        }
        guard sawDigit, index == field.count else {
            let text = String(decoding: field, as: UTF8.self)
            let negative = text.hasPrefix("-") && Double(text) != nil
            throw InputError(negative ? .invalidValue : .malformed, file: path,
                             location: "line \(lineNumber), column \(column)",
                             negative ? "token count \(text) is negative" : "`\(text)` is not a whole number",
                             fix: "write token counts as non-negative integers")
        }
        return value
    }

    // MARK: JSON Lines

    private func parseJSONLine(_ line: UnsafeBufferPointer<UInt8>) throws -> (TraceTimestamp, Int, Int) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(buffer: line))
        } catch {
            let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "invalid JSON"
            throw InputError(.malformed, file: path, location: "line \(lineNumber)", "invalid JSON: \(detail)",
                             fix: "write one JSON object per line")
        }
        guard let fields = object as? [String: Any] else {
            throw InputError(.malformed, file: path, location: "line \(lineNumber)", "not a JSON object",
                             fix: "write {\"TIMESTAMP\": ..., \"ContextTokens\": ..., \"GeneratedTokens\": ...}")
        }
        func field(_ name: String) throws -> Any {
            guard let value = fields[name] else {
                throw InputError(.missingField, file: path, location: "line \(lineNumber), field \(name)",
                                 "missing", fix: "give TIMESTAMP, ContextTokens and GeneratedTokens on every line")
            }
            return value
        }
        let timestampValue = try field("TIMESTAMP")
        var timestamp: TraceTimestamp?
        if let text = timestampValue as? String {
            timestamp = Array(text.utf8).withUnsafeBufferPointer { TraceTimestamp.parse($0) }
        } else if let seconds = timestampValue as? Double, seconds.isFinite {
            let whole = seconds.rounded(.down)
            timestamp = TraceTimestamp(wholeSeconds: Int64(whole), fractionalSeconds: seconds - whole)
        }
        guard let timestamp else {
            throw InputError(.malformed, file: path, location: "line \(lineNumber), field TIMESTAMP",
                             "`\(timestampValue)` is not a timestamp",
                             fix: "write \"YYYY-MM-DD HH:MM:SS.fffffff\" or a number of seconds")
        }
        func tokens(_ name: String) throws -> Int {
            let value = try field(name)
            guard let number = value as? Double, number.isFinite, number == number.rounded() else {
                throw InputError(.malformed, file: path, location: "line \(lineNumber), field \(name)",
                                 "`\(value)` is not a whole number", fix: "write token counts as integers")
            }
            guard number >= 0, number < 1e12 else {
                throw InputError(.invalidValue, file: path, location: "line \(lineNumber), field \(name)",
                                 "token count \(number) is negative or absurd", fix: "write non-negative token counts")
            }
            return Int(number)
        }
        return (timestamp, try tokens("ContextTokens"), try tokens("GeneratedTokens"))
    }

    // MARK: Bytes

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    /// `bytes` without surrounding whitespace, carriage returns and double quotes.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        func strip(_ byte: UInt8) -> Bool { isWhitespace(byte) || byte == UInt8(ascii: "\"") }
        while start < end, strip(bytes[start]) { start += 1 }
        while end > start, strip(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}
