/// Makes names safe for the CPLEX LP and free MPS files GLPK writes, so exported models keep
/// readable names that GLPK, HiGHS and others read back unchanged.
///
/// Rules (the intersection of what GLPK's LP writer keeps verbatim and what MPS allows):
/// ASCII letters, digits and `_ . ( ) , ~ # @ { } ! $ % & | ? /`; any other character becomes `_`;
/// a name may not start with a digit or `.` (prefixed with `_`); LP keywords such as `st`, `free`
/// or `inf` get a trailing `_`; at most 255 characters.
enum LPName {
    static let maximumLength = 255

    private static let allowedPunctuation: Set<UInt8> = Set("_.()~,#@{}!$%&|?/".utf8)

    private static let keywords: Set<String> = [
        "min", "minimize", "minimise", "minimum", "max", "maximize", "maximise", "maximum",
        "subject", "such", "st", "s.t.", "st.", "to", "that", "bound", "bounds", "free", "inf",
        "infinity", "nan", "general", "generals", "gen", "integer", "integers", "int", "binary",
        "binaries", "bin", "semi", "semis", "semi-continuous", "sos", "end",
    ]

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return allowedPunctuation.contains(byte)
        }
    }

    /// The sanitised form of `raw`. O(length); returns `raw` itself when it is already valid.
    static func sanitized(_ raw: String) -> String {
        let bytes = Array(raw.utf8)
        let startsBadly = bytes.first.map { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? true
        let isKeyword = bytes.count <= 16 && keywords.contains(raw.lowercased())
        if !startsBadly && !isKeyword && bytes.count <= maximumLength && bytes.allSatisfy(isAllowed) {
            return raw
        }
        var result: [UInt8] = startsBadly ? [UInt8(ascii: "_")] : []
        // Each non-ASCII scalar becomes one `_`, not one per UTF-8 byte.
        for scalar in raw.unicodeScalars {
            let byte = scalar.isASCII ? UInt8(scalar.value) : UInt8(ascii: "_")
            result.append(isAllowed(byte) ? byte : UInt8(ascii: "_"))
        }
        if isKeyword { result.append(UInt8(ascii: "_")) }
        if result.count > maximumLength { result.removeLast(result.count - maximumLength) }
        return String(decoding: result, as: UTF8.self)
    }
}
