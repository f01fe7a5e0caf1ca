import Foundation

/// The one JSON encoder every command uses: pretty-printed, keys sorted, slashes unescaped, so
/// output is deterministic and diffs cleanly. A figure a pool cannot reach — the P99 TTFT of a
/// queue that never drains — is written as the string "Infinity" (JSON has no such number), and
/// `JSONInput.decode` reads it back.
public enum JSONOutput {
    /// A fresh encoder with fleetplan's settings (JSONEncoder is not Sendable, so none is shared).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// `value` as JSON text ending in a newline.
    /// - Throws: `EncodingError`.
    public static func string<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try makeEncoder().encode(value), as: UTF8.self) + "\n"
    }
}
