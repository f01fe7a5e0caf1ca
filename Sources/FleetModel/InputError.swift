/// A problem with what the user gave us — a file, a flag, a catalog entry — reported
/// as one line that names where it is, what is wrong and how to fix it.
///
/// Every input path in fleetplan throws this instead of trapping, so the CLI can print
/// `error: <description>` and exit non-zero.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable category (also used to pick the exit code).
    public enum Code: String, Sendable, Codable {
        case fileNotFound
        case malformed
        case missingField
        case invalidValue
        case unknownName
        case unsupported
        case infeasible
    }

    public var code: Code
    /// The file the problem is in (a path as the user wrote it), if any.
    public var file: String?
    /// Where inside the input: a field path (`gpus[2].hbm_gb`), a line (`line 14`) or a flag (`--rate`).
    public var location: String?
    /// What is wrong, in words.
    public var message: String
    /// How to fix it, if we can say.
    public var fix: String?

    public init(_ code: Code, file: String? = nil, location: String? = nil, _ message: String, fix: String? = nil) {
        self.code = code
        self.file = file
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let location { parts.append(location) }
        var line = (parts + [message]).joined(separator: ": ")
        if let fix { line += " (\(fix))" }
        return line
    }
}
