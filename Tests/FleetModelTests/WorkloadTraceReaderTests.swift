import Foundation
import Testing
import FleetModel

@Suite struct WorkloadTraceReaderTests {
    static let header = "TIMESTAMP,ContextTokens,GeneratedTokens\n"

    /// Six requests, hand-checkable: totals 60, 90, 100 → bin (0, 64]/(64, 128]; 500 → (256, 512].
    static let smallTrace = header + """
        2023-11-16 18:17:03.0000000,50,10
        2023-11-16 18:17:03.5000000,80,10
        2023-11-16 18:17:04.2500000,90,10
        2023-11-16 18:17:05.0000000,400,100
        2023-11-16 18:17:05.0000000,40,20
        2023-11-16 18:17:07.0000000,300,200

        """

    @Test("bins over the standard edges with exact means and p99 input")
    func binsFromTrace() throws {
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let workload = try Workload.fromTrace(path: try files.write("t.csv", Self.smallTrace))
        // Totals: 60, 90, 100, 500, 60, 500 → (0,64]: 2; (64,128]: 2; (256,512]: 2.
        #expect(workload.bins.map(\.maxTokens) == [64, 128, 512])
        #expect(workload.bins.map(\.minTokens) == [0, 64, 256])
        for bin in workload.bins { #expect(abs(bin.requestFraction - 2.0 / 6) < 1e-12) }
        // (0,64]: inputs 50, 40 → mean 45, outputs 10, 20 → 15, p99 input (rank 2 of 2) = 50.
        #expect(workload.bins[0].meanInputTokens == 45)
        #expect(workload.bins[0].meanOutputTokens == 15)
        #expect(workload.bins[0].p99InputTokens == 50)
        // (256,512]: inputs 400, 300; outputs 100, 200.
        #expect(workload.bins[2].meanInputTokens == 350)
        #expect(workload.bins[2].meanOutputTokens == 150)
        #expect(workload.bins[2].p99InputTokens == 400)

        let arrivals = try #require(workload.arrivals)
        #expect(arrivals.requestCount == 6)
        #expect(abs(arrivals.durationSeconds - 4) < 1e-9)
        // Five gaps over 4 s.
        #expect(abs(arrivals.meanRateRequestsPerSecond - 5.0 / 4) < 1e-9)
        // Shorter than a minute: peak and p95 fall back to the mean rate.
        #expect(arrivals.peakMinuteRateRequestsPerSecond == arrivals.meanRateRequestsPerSecond)
    }

    @Test("JSON Lines gives the same workload as CSV")
    func jsonLines() throws {
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let csv = try Workload.fromTrace(path: try files.write("t.csv", Self.smallTrace))
        let lines = Self.smallTrace.split(separator: "\n").dropFirst().map { row -> String in
            let f = row.split(separator: ",")
            return #"{"TIMESTAMP": "\#(f[0])", "ContextTokens": \#(f[1]), "GeneratedTokens": \#(f[2])}"#
        }
        let jsonl = try Workload.fromTrace(path: try files.write("t.jsonl", lines.joined(separator: "\n")))
        #expect(jsonl.bins == csv.bins)
        #expect(jsonl.arrivals == csv.arrivals)
    }

    /// Arrivals built so every statistic is known exactly (see the comments), crossing
    /// midnight to exercise the date arithmetic.
    @Test("arrival statistics: mean, minute peak and p95, SCV, index of dispersion")
    func arrivalStatistics() throws {
        // Minute 0: 30 arrivals every 2 s (0, 2, …, 58). Minute 1: 90 arrivals every 2/3 s
        // (60, 60.67, …, 119.33). One more at 120 s. Start 23:59:00, so minute 1 is the next day.
        var seconds: [Double] = (0..<30).map { Double($0) * 2 }
        seconds += (0..<90).map { 60 + Double($0) * 2 / 3 }
        seconds.append(120)
        let base = TimeInterval(1_700_179_140) // 2023-11-16 23:59:00 UTC
        var rows = Self.header
        for second in seconds {
            rows += Self.timestamp(base + second) + ",100,10\n"
        }
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let statistics = try ArrivalStatistics.fromTrace(path: try files.write("a.csv", rows))

        #expect(statistics.requestCount == 121)
        #expect(abs(statistics.durationSeconds - 120) < 1e-6)
        // 120 gaps over 120 s.
        #expect(abs(statistics.meanRateRequestsPerSecond - 1) < 1e-6)
        // Complete minutes: 30/60 and 90/60 req/s; p95 by nearest rank (2 of 2) = peak.
        #expect(abs(statistics.peakMinuteRateRequestsPerSecond - 1.5) < 1e-9)
        #expect(abs(statistics.p95MinuteRateRequestsPerSecond - 1.5) < 1e-9)
        // Gaps: 30 of 2 s and 90 of 2/3 s: mean 1, variance (30·1² + 90·(1/3)²)/120 = 1/3.
        #expect(abs(statistics.interArrivalSquaredCoefficientOfVariation - 1.0 / 3) < 1e-5)
        // Per-second counts over seconds 0…119: minute 0 alternates 1, 0 (30 each); minute 1
        // alternates 2, 1 (30 each). Mean 1, variance (30·1 + 30·1)/120 = 0.5.
        #expect(abs(statistics.perSecondCountIndexOfDispersion - 0.5) < 1e-9)
    }

    /// `YYYY-MM-DD HH:MM:SS.fffffff` in UTC.
    static func timestamp(_ seconds: TimeInterval) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let whole = seconds.rounded(.down)
        let fraction = Int(((seconds - whole) * 1e7).rounded())
        return formatter.string(from: Date(timeIntervalSince1970: whole)) + "." + String(format: "%07d", fraction)
    }

    @Test("the streaming reader yields arrivals relative to the first row, across buffer refills")
    func streamingLargeTrace() throws {
        // ~4.5 MB: several 1 MiB reads, so rows straddle buffer boundaries.
        var text = Self.header
        let rows = 120_000
        text.reserveCapacity(rows * 40)
        for index in 0..<rows {
            let tenths = index
            text += "2023-11-16 \(10 + tenths / 36_000):\(String(format: "%02d", tenths / 600 % 60)):\(String(format: "%02d", tenths / 10 % 60)).\(tenths % 10)000000,\(index % 997),\(index % 13 + 1)\r\n"
        }
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let reader = try TraceRequestReader(path: try files.write("big.csv", text))
        var count = 0
        var inputSum = 0
        var last = TraceRequest(arrivalSeconds: -1, inputTokens: 0, outputTokens: 0)
        while let request = try reader.next() {
            #expect(request.arrivalSeconds >= last.arrivalSeconds)
            count += 1
            inputSum += request.inputTokens
            last = request
        }
        #expect(count == rows)
        #expect(inputSum == (0..<rows).reduce(0) { $0 + $1 % 997 })
        // Row i arrives at i/10 s.
        #expect(abs(last.arrivalSeconds - Double(rows - 1) / 10) < 1e-6)
        #expect(last.outputTokens == (rows - 1) % 13 + 1)
    }

    @Test("malformed traces name the line and column", arguments: [
        (header + "2023-11-16 18:17:03.97,12x,5\n", "line 2, column ContextTokens", "not a whole number"),
        (header + "2023-11-16 18:17:03.97,12,-5\n", "line 2, column GeneratedTokens", "negative"),
        (header + "2023-11-16 18:17:03.97,12,5\nyesterday,1,1\n", "line 3, column TIMESTAMP", "not a timestamp"),
        (header + "2023-11-16 18:17:03.97,12\n", "line 2", "columns"),
        (header + "2023-11-16 18:17:05,1,1\n2023-11-16 18:17:04,1,1\n", "line 3", "earlier"),
        ("time,prompt,output\n1,2,3\n", "line 1", "lacks column"),
        (header, nil, "no requests"),
    ] as [(String, String?, String)])
    func malformed(contents: String, location: String?, message: String) throws {
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let path = try files.write("bad.csv", contents)
        let error = inputError { _ = try Workload.fromTrace(path: path) }
        #expect(error?.file == path)
        #expect(error?.location == location)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test("a JSON Lines row with a missing field or bad JSON names the line")
    func malformedJSONLines() throws {
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let missing = try files.write("m.jsonl", #"{"TIMESTAMP": 1.5, "ContextTokens": 3, "GeneratedTokens": 1}"# + "\n"
                                      + #"{"TIMESTAMP": 2.5, "ContextTokens": 3}"# + "\n")
        #expect(inputError { _ = try Workload.fromTrace(path: missing) }?.location == "line 2, field GeneratedTokens")
        let broken = try files.write("b.jsonl", #"{"TIMESTAMP": 1.5, "ContextTokens": 3, "#)
        #expect(inputError { _ = try Workload.fromTrace(path: broken) }?.location == "line 1")
    }

    @Test("empty and missing trace files")
    func emptyAndMissing() throws {
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let empty = try files.write("empty.csv", "")
        #expect(inputError { _ = try Workload.fromTrace(path: empty) }?.message.contains("empty") == true)
        #expect(inputError { _ = try Workload.fromTrace(path: files.path("none.csv")) }?.code == .fileNotFound)
    }

    @Test("edges extend past 131,072 in the 2^k, 1.5·2^k pattern")
    func edgesExtend() throws {
        #expect(StandardLengthEdges.edges(covering: 300_000).suffix(4) == [131_072, 196_608, 262_144, 393_216])
        let files = try WorkloadTestFiles()
        defer { files.remove() }
        let workload = try Workload.fromTrace(path: try files.write("long.csv", Self.header + "2023-11-16 00:00:00,200000,10\n"))
        #expect(workload.bins.map(\.maxTokens) == [262_144])
        #expect(workload.bins[0].minTokens == 196_608)
    }

    /// The real Azure conversation trace, when ../shared/data is present: row count and
    /// means checked against an independent pass over the file in the test.
    @Test("the Azure conversation trace summarises consistently")
    func azureConversationTrace() throws {
        let path = "/work/shared/data/azure-llm-2023/conv.csv"
        guard FileManager.default.fileExists(atPath: path) else { return }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",") }
        let inputMean = Double(rows.reduce(0) { $0 + Int($1[1])! }) / Double(rows.count)
        let workload = try Workload.fromTrace(path: path)
        #expect(workload.arrivals?.requestCount == rows.count)
        #expect(abs(workload.meanInputTokens - inputMean) < 1e-6)
    }
}
