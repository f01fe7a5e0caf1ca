/// "Did you mean …?" for names the user typed: GPU and model names, catalog field names.
public enum NameSuggestion {
    /// The candidate closest to `input` by edit distance (case-insensitive), if it is close
    /// enough to be a plausible typo: at most 2 edits, or a quarter of the input's length for long
    /// names. Ties go to the earlier candidate, so the answer is deterministic.
    ///
    /// Complexity: O(candidates × |input| × |candidate|).
    public static func closest(to input: String, among candidates: [String]) -> String? {
        let needle = Array(input.lowercased())
        let allowed = max(2, needle.count / 4)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(needle, Array(candidate.lowercased()))
            if distance <= allowed, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// Levenshtein distance (insertions, deletions, substitutions each cost 1).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension NameSuggestion {
    /// One of an enum's raw values typed by the user (case-insensitive), or an `InputError` naming
    /// `file` and `location` with a "did you mean" or the list of valid values.
    public static func choice<Value: RawRepresentable & CaseIterable>(
        _ text: String, file: String? = nil, location: String
    ) throws -> Value where Value.RawValue == String {
        if let value = Value(rawValue: text.lowercased()) { return value }
        let names = Value.allCases.map(\.rawValue)
        throw InputError(.invalidValue, file: file, location: location, "unknown value '\(text)'",
                         fix: closest(to: text, among: names).map { "did you mean \($0)?" }
                             ?? "use one of: \(names.joined(separator: ", "))")
    }
}
