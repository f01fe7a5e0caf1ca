/// A trace timestamp split into whole seconds since 1970-01-01 (UTC, no time zone is
/// applied: only differences matter) and a fraction, so that 7 fractional digits survive
/// (a Double of ~1.7e9 seconds would keep only ~0.2 µs).
struct TraceTimestamp: Sendable, Equatable {
    var wholeSeconds: Int64
    var fractionalSeconds: Double

    /// Seconds from `origin` to `self`.
    func seconds(since origin: TraceTimestamp) -> Double {
        Double(wholeSeconds - origin.wholeSeconds) + (fractionalSeconds - origin.fractionalSeconds)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.fffffff]` (a `T` separator and a trailing `Z` are also
    /// accepted) or a plain number of seconds, from raw bytes without allocating: a trace
    /// has millions of rows and `DateFormatter` would dominate the reading time.
    /// Returns nil when the bytes are neither.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TraceTimestamp? {
        if bytes.count >= 19, bytes[4] == UInt8(ascii: "-") {
            return parseDateTime(bytes)
        }
        return parseSeconds(bytes)
    }

    private static func parseDateTime(_ b: UnsafeBufferPointer<UInt8>) -> TraceTimestamp? {
        func digits(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for i in start..<(start + count) {
                let d = Int(b[i]) - 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        let separator = b[10]
        guard b[7] == UInt8(ascii: "-"), separator == UInt8(ascii: " ") || separator == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }

        var fraction = 0.0
        var index = 19
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < b.count, b[index] >= 48, b[index] <= 57 {
                fraction += Double(b[index] - 48) * scale
                scale *= 0.1
                index += 1
            }
            guard index > start else { return nil }
        }
        if index < b.count, b[index] == UInt8(ascii: "Z") { index += 1 }
        guard index == b.count else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let whole = Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
        return TraceTimestamp(wholeSeconds: whole, fractionalSeconds: fraction)
    }

    private static func parseSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> TraceTimestamp? {
        guard !bytes.isEmpty, bytes.count < 64,
              let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite,
              abs(value) < 1e15 else { return nil }
        let whole = value.rounded(.down)
        return TraceTimestamp(wholeSeconds: Int64(whole), fractionalSeconds: value - whole)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
