/// A rectangular table of already-formatted cells that renders as aligned text, CSV or Markdown.
///
/// Commands build one `Table` and pick the rendering from `--format`, so every command's text,
/// CSV and Markdown outputs agree column for column.
public struct Table: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable {
        case left, right
    }

    public struct Column: Sendable, Hashable {
        public var title: String
        public var alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .right) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// Cells, one array per row; short rows are padded with empty cells, extra cells are dropped.
    public private(set) var rows: [[String]] = []
    /// Indices of rows after which the text rendering draws a blank line (grouping).
    public private(set) var groupBreaks: Set<Int> = []

    public init(columns: [Column]) {
        self.columns = columns
    }

    public mutating func append(_ cells: [String]) {
        rows.append(Array((cells + Array(repeating: "", count: max(0, columns.count - cells.count))).prefix(columns.count)))
    }

    /// Separates the rows appended so far from the next ones in the text rendering.
    public mutating func breakGroup() {
        if !rows.isEmpty { groupBreaks.insert(rows.count - 1) }
    }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: text()
        case .csv: csv()
        case .markdown: markdown()
        case .json: json()
        }
    }

    /// A JSON array with one object per row, keyed by column title (cells stay text).
    public func json() -> String {
        let objects = rows.map { row in Dictionary(zip(columns.map(\.title), row), uniquingKeysWith: { first, _ in first }) }
        return (try? JSONOutput.string(objects)) ?? "[]\n"
    }

    /// Columns padded to their widest cell (by Characters), two spaces apart, a rule under the header.
    public func text() -> String {
        let widths = columns.indices.map { column in
            max(columns[column].title.count, rows.map { $0[column].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - cells[column].count)
                return columns[column].alignment == .left ? cells[column] + padding : padding + cells[column]
            }.joined(separator: "  ").trailingSpacesTrimmed
        }
        var lines = [line(columns.map(\.title)), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        for (index, row) in rows.enumerated() {
            lines.append(line(row))
            if groupBreaks.contains(index), index != rows.count - 1 { lines.append("") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF-free (LF).
    public func csv() -> String {
        func field(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return ([columns.map(\.title)] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// GitHub-flavoured Markdown with `|` escaped and alignment markers.
    public func markdown() -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + columns.map { $0.alignment == .right ? "---:|" : ":---|" }.joined()
        return ([row(columns.map(\.title)), rule] + rows.map(row)).joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate var trailingSpacesTrimmed: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
