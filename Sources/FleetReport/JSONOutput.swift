import Foundation

/// The one JSON encoder every command uses: pretty-printed, keys sorted, slashes unescaped, so
/// output is deterministic and diffs cleanly.
public enum JSONOutput {
    /// A fresh encoder with fleetplan's settings (JSONEncoder is not Sendable, so none is shared).
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `value` as JSON text ending in a newline.
    /// - Throws: `EncodingError` (e.g. a non-finite number, which callers should not produce).
    public static func string<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try makeEncoder().encode(value), as: UTF8.self) + "\n"
    }
}
