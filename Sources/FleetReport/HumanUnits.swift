import FleetModel
import Foundation

/// Formatting of SI quantities into the units people read (ms, W, kW, GB, tok/s), with a fixed
/// number of digits so columns line up. Pure functions; "—" for a missing value.
public enum HumanUnits {
    public static let missing = "—"

    /// `value` with `digits` decimals, grouped thousands ("12,345.6").
    public static func fixed(_ value: Double?, digits: Int) -> String {
        guard let value, value.isFinite else { return missing }
        let scale = pow(10, Double(digits))
        // Past ~9e15 the digits would not fit an Int (a trap); such a figure is a runaway anyway.
        guard abs(value) * scale < 9e15 else { return String(format: "%.3g", value) }
        let rounded = (abs(value) * scale).rounded() / scale
        let whole = Int(rounded.rounded(.down))
        var text = NumberText.grouped(whole)
        if digits > 0 {
            let fraction = Int(((rounded - Double(whole)) * scale).rounded())
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: max(0, digits - fractionText.count)) + fractionText
        }
        return (value < 0 && rounded != 0 ? "-" : "") + text
    }

    /// About three significant digits, for figures spanning orders of magnitude (tok/W).
    public static func significant(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        let magnitude = abs(value)
        let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        return fixed(value, digits: digits)
    }

    /// A whole count with grouped thousands.
    public static func count(_ value: Int?) -> String {
        guard let value else { return missing }
        return NumberText.grouped(value)
    }

    /// Seconds as milliseconds with two decimals.
    public static func milliseconds(_ seconds: Double?) -> String {
        fixed(seconds.map { $0 * 1e3 }, digits: 2)
    }

    /// Watts, as W below 10 kW and kW above.
    public static func watts(_ watts: Double?) -> String {
        guard let watts, watts.isFinite else { return missing }
        return abs(watts) >= 10_000 ? fixed(watts / 1e3, digits: 1) + " kW" : fixed(watts, digits: 0) + " W"
    }

    /// Bytes as decimal GB (1e9) with one decimal.
    public static func gigabytes(_ bytes: Double?) -> String {
        fixed(bytes.map { $0 / 1e9 }, digits: 1) + (bytes == nil ? "" : " GB")
    }

    /// A token count as the short window names people use: 4096 → "4K", 131072 → "128K", 1000 → "1000".
    public static func tokens(_ tokens: Int) -> String {
        if tokens >= 1 << 20, tokens % (1 << 20) == 0 { return "\(tokens >> 20)M" }
        if tokens >= 1024, tokens % 1024 == 0 { return "\(tokens >> 10)K" }
        return String(tokens)
    }

    /// A ratio as "1.75×".
    public static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return fixed(value, digits: 2) + "×"
    }
}
