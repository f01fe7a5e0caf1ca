/// How a command prints its result. Every command offers the same four.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    /// Aligned text for a terminal, with header lines and notes.
    case table
    /// Pretty-printed JSON with sorted keys: the machine interface.
    case json
    /// RFC 4180 CSV of the table rows (no notes).
    case csv
    /// A GitHub-flavoured Markdown table, notes as a list.
    case markdown
}
