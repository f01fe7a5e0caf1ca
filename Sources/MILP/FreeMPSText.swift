/// Fixes to the free MPS text GLPK writes, and the inverse for GLPK's reader.
///
/// GLPK's MPS writer names the objective row `R0000000` and has no way to say "maximise"
/// (GLPK's MPS dialect has no OBJSENSE section, so a maximisation would silently be read back as
/// a minimisation by every reader). The writer side renames the row and adds the standard
/// `OBJSENSE` / `MAX` section that HiGHS, CPLEX, Gurobi and others read; the reader side removes
/// that section again before GLPK parses the file and passes the direction on separately.
enum FreeMPSText {
    static let glpkObjectiveRowName = "R0000000"

    /// O(length of the text).
    static func finishing(_ text: String, maximize: Bool, objectiveName: String, renameObjective: Bool) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if renameObjective && !line.hasPrefix("*") && line.contains(glpkObjectiveRowName) {
                let fields = line.split(separator: " ", omittingEmptySubsequences: false)
                lines.append(Substring(fields.map { $0 == glpkObjectiveRowName ? Substring(objectiveName) : $0 }.joined(separator: " ")))
            } else {
                lines.append(line)
            }
            if maximize && line.hasPrefix("NAME") {
                lines.append("OBJSENSE")
                lines.append("    MAX")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Removes an OBJSENSE section (`OBJSENSE` with `MAX`/`MIN` on the same or the next line)
    /// and returns the direction it stated. O(length of the text).
    static func strippingObjectiveSense(_ text: String) -> (text: String, maximize: Bool?) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.hasPrefix("OBJSENSE") }) else { return (text, nil) }
        func sense(_ word: Substring) -> Bool? {
            switch word.uppercased() {
            case "MAX", "MAXIMIZE", "MAXIMISE": true
            case "MIN", "MINIMIZE", "MINIMISE": false
            default: nil
            }
        }
        let sameLine = lines[index].split(separator: " ").dropFirst().first
        var maximize: Bool?
        if let word = sameLine {
            maximize = sense(word)
            lines.remove(at: index)
        } else if index + 1 < lines.count, let word = lines[index + 1].split(separator: " ").first {
            maximize = sense(word)
            lines.removeSubrange(index...(index + 1))
        } else {
            lines.remove(at: index)
        }
        return (lines.joined(separator: "\n"), maximize)
    }
}
