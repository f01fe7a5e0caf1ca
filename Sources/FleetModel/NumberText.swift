/// Numbers as fleetplan writes them for people, shared by the limits the inputs are checked
/// against (`InputLimits`) and the reports (`HumanUnits` in FleetReport).
public enum NumberText {
    /// A whole number with its thousands grouped by commas: 10000000 → "10,000,000",
    /// -1234567 → "-1,234,567". O(digits).
    public static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
