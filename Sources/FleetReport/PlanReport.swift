import FleetPlanner

/// The output of `fleetplan plan`: pools, routing table, fleet totals, baselines and the solver's
/// report, as a text table, Markdown or JSON (the `PlanResult` document, sorted keys).
public struct PlanReport: Sendable {
    public var result: PlanResult

    public init(result: PlanResult) { self.result = result }

    public func render(_ format: OutputFormat) throws -> String {
        switch format {
        case .json: return try JSONOutput.string(result)
        case .markdown: return sections(markdown: true)
        case .table, .csv: return sections(markdown: false)
        }
    }

    private func sections(markdown: Bool) -> String {
        let plan = result.plan
        func render(_ table: Table) -> String { markdown ? table.markdown() : table.text() }
        func heading(_ text: String) -> String { markdown ? "### \(text)\n\n" : "\(text)\n" }
        var out = ""
        out += heading("Fleet plan — \(plan.model), \(plan.rateRequestsPerSecond == plan.rateRequestsPerSecond.rounded() ? HumanUnits.fixed(plan.rateRequestsPerSecond, digits: 0) : HumanUnits.significant(plan.rateRequestsPerSecond)) req/s, "
            + "P99 TTFT ≤ \(HumanUnits.milliseconds(plan.slo.ttftP99Seconds)) ms"
            + (plan.slo.tpotSeconds.map { ", TPOT ≤ \(HumanUnits.milliseconds($0)) ms" } ?? "")
            + " (objective: \(plan.objective), preset: \(plan.preset))")
        out += "\n" + render(poolTable) + "\n"
        out += heading("Routing (length band → pool share; * = compressed to the pool's window)")
        out += "\n" + render(routingTable) + "\n"
        out += heading("Fleet")
        out += "\n" + render(totalsTable) + "\n"
        if !result.baselines.isEmpty {
            out += heading("Baselines (same model and SLOs, no budgets)")
            out += "\n" + render(baselineTable) + "\n"
        }
        let solver = result.solver
        out += "solver: \(solver.status), objective \(HumanUnits.significant(solver.objective)) \(solver.objectiveUnit), "
            + "gap \(String(format: "%.2g", solver.gap)), \(HumanUnits.fixed(solver.seconds, digits: 3)) s, "
            + "\(solver.nodes) nodes, \(solver.candidates) candidate pools (\(solver.prunedCandidates) dominated), \(solver.variables) variables, "
            + "\(solver.constraints) constraints, \(solver.resolves) queueing re-solve(s)\n"
        out += "tok/W = output tokens/s ÷ watts of every GPU (physical); paper = Σ instance tok/s ÷ Σ one GPU's watts\n"
        for note in plan.notes { out += "note: \(note)\n" }
        return out
    }

    private var poolTable: Table {
        var table = Table(columns: [
            .init("pool", .left), .init("GPU", .left), .init("TP"), .init("window"), .init("inst"), .init("GPUs"),
            .init("n_max"), .init("n_op"), .init("ρ"), .init("req/s"), .init("W/GPU"), .init("power"),
            .init("tok/s"), .init("tok/W"), .init("P99 TTFT ms"), .init("TPOT ms"), .init("SLO", .left),
        ])
        for pool in result.plan.pools {
            table.append([
                pool.id, pool.gpu, String(pool.tp), HumanUnits.tokens(pool.window), HumanUnits.count(pool.instances),
                HumanUnits.count(pool.gpus), HumanUnits.count(pool.nMax), HumanUnits.fixed(pool.operatingConcurrency, digits: 1),
                HumanUnits.fixed(pool.utilisation, digits: 2), HumanUnits.fixed(pool.requestsPerSecond, digits: 1),
                HumanUnits.fixed(pool.powerPerGPUWatts, digits: 0), HumanUnits.watts(pool.powerWatts),
                HumanUnits.fixed(pool.throughputTokensPerSecond, digits: 0), HumanUnits.significant(pool.tokensPerWatt),
                HumanUnits.milliseconds(pool.p99TTFTSeconds), HumanUnits.milliseconds(pool.p99TPOTSeconds),
                pool.meetsSLO ? "ok" : "MISS",
            ])
        }
        return table
    }

    private var routingTable: Table {
        var table = Table(columns: [.init("band (tokens)", .left), .init("requests"), .init("mean in"), .init("mean out"),
                                    .init("pools", .left)])
        for band in result.plan.routing {
            let shares = band.shares.map { "\($0.pool) \(HumanUnits.fixed($0.fraction * 100, digits: 0))%\($0.compressed ? "*" : "")" }
            table.append([
                "\(band.minTokens)–\(band.maxTokens)", HumanUnits.fixed(band.requestFraction * 100, digits: 2) + "%",
                HumanUnits.fixed(band.meanInputTokens, digits: 0), HumanUnits.fixed(band.meanOutputTokens, digits: 0),
                shares.joined(separator: ", "),
            ])
        }
        return table
    }

    private var totalsTable: Table {
        let plan = result.plan
        var table = Table(columns: [.init("GPUs"), .init("IT power"), .init("facility power"), .init("tok/s"),
                                    .init("tok/W"), .init("tok/W (paper)"), .init("$/hour"), .init("$/year")])
        table.append([
            HumanUnits.count(plan.gpus), HumanUnits.watts(plan.powerWatts), HumanUnits.watts(plan.facilityPowerWatts),
            HumanUnits.fixed(plan.outputTokensPerSecond, digits: 0), HumanUnits.significant(plan.tokensPerWatt),
            HumanUnits.significant(plan.tokensPerWattPaper), HumanUnits.fixed(plan.costPerHour, digits: 0),
            HumanUnits.fixed(plan.costPerYear, digits: 0),
        ])
        return table
    }

    private var baselineTable: Table {
        var table = Table(columns: [.init("baseline", .left), .init("GPUs"), .init("power"), .init("tok/W"),
                                    .init("tok/W (paper)"), .init("$/hour"), .init("plan ÷ baseline"), .init("pools", .left)])
        for baseline in result.baselines {
            guard baseline.feasible, baseline.tokensPerWatt != nil else {
                table.append([baseline.name, "—", "—", "—", "—", "—", "—", "infeasible: \(baseline.reason ?? "misses the SLO")"])
                continue
            }
            table.append([
                baseline.name, HumanUnits.count(baseline.gpus), HumanUnits.watts(baseline.powerWatts),
                HumanUnits.significant(baseline.tokensPerWatt), HumanUnits.significant(baseline.tokensPerWattPaper),
                HumanUnits.fixed(baseline.costPerHour, digits: 0), HumanUnits.ratio(baseline.planRatio),
                (baseline.pools ?? []).joined(separator: " + "),
            ])
        }
        return table
    }
}
