import Foundation
import Testing
@testable import FleetModel

/// A key given twice in one JSON object is an error where it is (JSONSerialization keeps one of
/// the two values without a word); the same key in different objects, or inside a string, is not.
struct JSONDuplicateKeyTests {
    @Test(arguments: [
        (#"{"rate": 1, "rate": 2}"#, "rate", 12, 1),
        (#"{"a": {"x": 1, "y": 2, "x": 3}}"#, "x", 23, 7),
        (#"[{"k": 1}, {"k": 2, "j": [1, {"k": 0}], "k": 3}]"#, "k", 40, 12),
        (#"{"s\"q": 1, "s\"q": 2}"#, #"s\"q"#, 12, 1),
    ])
    func findsTheSecondOccurrence(json: String, key: String, offset: Int, firstOffset: Int) throws {
        let found = try #require(JSONInput.firstDuplicateKey(in: Data(json.utf8)))
        #expect(found.key == key)
        #expect(found.offset == offset)
        #expect(found.firstOffset == firstOffset)
        #expect(throws: InputError.self) { try JSONInput.parse(Data(json.utf8), file: "x.json") }
    }

    @Test(arguments: [
        #"{"a": {"rate": 1}, "rate": 2, "b": [{"rate": 1}, {"rate": 2}]}"#,
        #"{"s": "x\"rate", "rate": "rate"}"#,
        #"[["rate", "rate"], {"rate": {"rate": 1}}]"#,
        #"{"k": [], "j": {}, "l": [{}]}"#,
    ])
    func acceptsRepeatsInDifferentObjectsAndValues(json: String) throws {
        #expect(JSONInput.firstDuplicateKey(in: Data(json.utf8)) == nil)
        _ = try JSONInput.parse(Data(json.utf8), file: "x.json")
    }
}

/// Limits are written the way the help and the errors show them, from the constants themselves.
@Test(arguments: [(10_000_000.0, "10,000,000"), (0.001, "0.001"), (5.0, "5"), (1000.0, "1,000"), (999.0, "999"),
                  (-1_234_567.0, "-1,234,567"), (1.5, "1.5")])
func limitsAreWrittenGrouped(value: Double, written: String) {
    #expect(InputLimits.grouped(value) == written)
}

@Test func theRateRangeComesFromTheLimits() {
    #expect(InputLimits.rateRange == "0.001 to 10,000,000 requests per second")
    #expect(InputLimits.latencySLOLimit == "3600s")
}
