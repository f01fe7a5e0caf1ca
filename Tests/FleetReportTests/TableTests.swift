import Foundation
import Testing
@testable import FleetReport
import FleetModel

@Suite("Table rendering")
struct TableTests {
    func sample() -> Table {
        var table = Table(columns: [Table.Column("name", .left), Table.Column("value")])
        table.append(["a", "1"])
        table.append(["longer, with comma", "22"])
        table.append(["pipe | \"quote\""])
        return table
    }

    @Test func textAlignsColumns() {
        let lines = sample().text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Widest name cell is 18 characters, widest value 5 ("value"): two spaces apart.
        #expect(lines[0] == "name                value")
        #expect(lines[1] == "------------------  -----")
        #expect(lines[2] == "a                       1")
        #expect(lines[3] == "longer, with comma     22")
        #expect(lines[4] == "pipe | \"quote\"") // the padded empty cell is trimmed
    }

    @Test func csvQuotesPerRFC4180() {
        #expect(sample().csv() == "name,value\na,1\n\"longer, with comma\",22\n\"pipe | \"\"quote\"\"\",\n")
    }

    @Test func markdownEscapesPipes() {
        let lines = sample().markdown().split(separator: "\n").map(String.init)
        #expect(lines[0] == "| name | value |")
        #expect(lines[1] == "|:---|---:|")
        #expect(lines[4] == "| pipe \\| \"quote\" |  |")
    }

    @Test func groupBreaksAddBlankLines() {
        var table = Table(columns: [Table.Column("x")])
        table.append(["1"])
        table.breakGroup()
        table.append(["2"])
        #expect(table.text() == "x\n-\n1\n\n2\n")
    }

    @Test func jsonHasSortedKeys() throws {
        let text = try JSONOutput.string(["b": 1, "a": 2])
        #expect(text == "{\n  \"a\" : 2,\n  \"b\" : 1\n}\n")
    }

    /// A pool whose queue never drains has an infinite P99: written as "Infinity" (JSON has no
    /// such number, and the encoder used to throw), and read back as infinity by `JSONInput`.
    @Test func jsonWritesAndReadsAnUnboundedFigure() throws {
        struct Figure: Codable { var p99TTFTSeconds: Double }
        let text = try JSONOutput.string(Figure(p99TTFTSeconds: .infinity))
        #expect(text.contains("\"Infinity\""))
        let back = try JSONInput.decode(Figure.self, from: Data(text.utf8), file: "plan.json")
        #expect(back.p99TTFTSeconds == .infinity)
    }

    @Test func humanUnits() {
        #expect(HumanUnits.fixed(12345.678, digits: 1) == "12,345.7")
        #expect(HumanUnits.fixed(-0.004, digits: 2) == "0.00")
        #expect(HumanUnits.fixed(0.999, digits: 2) == "1.00")
        #expect(HumanUnits.milliseconds(0.02448) == "24.48")
        #expect(HumanUnits.watts(593.44) == "593 W")
        #expect(HumanUnits.watts(12_500) == "12.5 kW")
        #expect(HumanUnits.tokens(131_072) == "128K")
        #expect(HumanUnits.tokens(1000) == "1000")
        #expect(HumanUnits.significant(17.62) == "17.6")
        #expect(HumanUnits.significant(0.1877) == "0.188")
        #expect(HumanUnits.significant(nil) == "—")
        #expect(HumanUnits.fixed(.infinity, digits: 2) == "—")
        #expect(HumanUnits.fixed(1e20, digits: 2) == "1e+20")
    }
}
