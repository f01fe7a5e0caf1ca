import Foundation
import FleetModel
import MILP

/// Explains in words why no fleet satisfies a problem: the first constraint that, on its own,
/// makes the demand unservable.
struct InfeasibilityDiagnosis {
    let planner: FleetPlanner
    let problem: PlanningProblem
    let candidates: [CandidatePool]
    let routes: [Route]

    /// Checks, before any solve, that every length bin has a pool that can hold it and that
    /// prompts too long to prefill within the TTFT SLO stay within the P99 allowance.
    static func checkCoverage(problem: PlanningProblem, candidates: [CandidatePool], routes: [Route]) throws {
        let binsWithRoutes = Set(routes.map(\.bin))
        let largestWindow = candidates.map(\.windowTokens).max() ?? 0
        // Advice to raise --max-window only while it stays within the model's context.
        let context = problem.model.maxContextTokens ?? Int.max
        for (j, bin) in problem.workload.bins.enumerated() where !binsWithRoutes.contains(j) {
            let share = problem.workload.bins[j...].reduce(0) { $0 + $1.requestFraction }
            let factor = (Double(bin.maxTokens) / Double(max(largestWindow, 1))).rounded(.up)
            let compress = factor <= InputLimits.maxCompressionFactor
                ? "let compress-and-route trim them (--compress-max \(Int(factor)))" : "leave them out of the workload"
            if problem.fixedFleet != nil {
                // A fleet described by hand: the fix is in its pools, not in planning flags.
                throw InputError(
                    .infeasible, location: "fleet",
                    "requests of up to \(bin.maxTokens) tokens (\(percent(share)) of traffic are longer than \(bin.minTokens)) "
                        + "fit no pool of the fleet (the largest window is \(largestWindow) tokens)",
                    fix: "add a pool with a window of at least \(min(bin.maxTokens, context)) tokens to fleet:")
            }
            // Compression trims prompts only: a window no longer than the band's mean output cannot take it,
            // whatever --compress-max says (--compress-max 8 at --max-window 8K was advised to be 8).
            if let compression = problem.compression,
               Double(bin.maxTokens) <= compression.maxFactor * Double(largestWindow),
               Double(largestWindow) - bin.meanOutputTokens < 1 {
                let needed = min(context, max(1024, Scenario.nextPowerOfTwo(Int(bin.meanOutputTokens.rounded(.up)) + 1)))
                throw InputError(
                    .infeasible, location: "max-window",
                    "requests of up to \(bin.maxTokens) tokens (\(percent(share)) of traffic are longer than \(bin.minTokens)) "
                        + "produce \(Int(bin.meanOutputTokens.rounded())) output tokens on average, more than the largest window "
                        + "(\(largestWindow) tokens) holds, and compression trims only prompts",
                    fix: "raise --max-window to at least \(needed)")
            }
            throw InputError(
                .infeasible, location: "max-window",
                "requests of up to \(bin.maxTokens) tokens (\(percent(share)) of traffic are longer than "
                    + "\(bin.minTokens)) do not fit the largest window any allowed pool can serve (\(largestWindow) tokens)",
                fix: bin.maxTokens <= context
                    ? "raise --max-window to at least \(bin.maxTokens), allow a GPU with more memory, or \(compress)"
                    : "\(problem.model.name)'s context is \(context) tokens: allow a GPU with more memory or \(compress)")
        }
        // Bands that fit no window can only be served compressed, and only `fraction` of them can be.
        if let compression = problem.compression, compression.fraction < 1 {
            let directBins = Set(routes.filter { !$0.compressed }.map(\.bin))
            if let j = problem.workload.bins.indices.first(where: { !directBins.contains($0) }) {
                let bin = problem.workload.bins[j]
                throw InputError(
                    .infeasible, location: "compress-fraction",
                    "requests of \(bin.minTokens)–\(bin.maxTokens) tokens fit no allowed window (largest \(largestWindow)) and only "
                        + "\(percent(compression.fraction)) of them may be compressed",
                    fix: bin.maxTokens <= context ? "raise --max-window to at least \(bin.maxTokens) or set --compress-fraction 1"
                        : "set --compress-fraction 1 (\(problem.model.name)'s context is \(context) tokens)")
            }
        }
        // Whatever the partition into pools, the pools' tail shares average to at least the share of
        // requests no pool can prefill in time; above the allowance some pool must miss its P99.
        var unservable = 0.0
        var shortestUnservable = Double.infinity
        for (j, bin) in problem.workload.bins.enumerated() {
            let best = routes.filter { $0.bin == j }.map(\.tailShare).min() ?? 1
            unservable += bin.requestFraction * best
            if best > 0 { shortestUnservable = min(shortestUnservable, Double(bin.minTokens)) }
        }
        if unservable > Route.tailAllowance + 1e-12 {
            let budget = problem.ttftP99Seconds * Route.prefillShareOfSLO
            let chunk = problem.prefillChunkTokens
            let fastest = candidates.max { a, b in
                a.longestPrefill(withinSeconds: budget, chunkTokens: chunk) < b.longestPrefill(withinSeconds: budget, chunkTokens: chunk)
            }
            let longest = fastest.map { Int(min($0.longestPrefill(withinSeconds: budget, chunkTokens: chunk), 1e9)) } ?? 0
            if longest == 0 {
                throw InputError(
                    .infeasible, location: "ttft-p99",
                    "a \(milliseconds(problem.ttftP99Seconds)) P99 TTFT is shorter than one decode iteration plus the "
                        + "shortest prefill on every allowed pool",
                    fix: "raise --ttft-p99 (tens of milliseconds at least)")
            }
            throw InputError(
                .infeasible, location: "ttft-p99",
                "\(percent(unservable)) of requests (prompts beyond ~\(longest) tokens, in bins above \(Int(shortestUnservable)) tokens) "
                    + "cannot be prefilled within the \(milliseconds(problem.ttftP99Seconds)) P99 TTFT on any allowed GPU "
                    + "(the fastest, \(fastest.map { "\($0.gpu.shortName) TP \($0.tensorParallel)" } ?? "none"), prefills at most "
                    + "\(longest) prompt tokens in time); a P99 target tolerates 1%",
                fix: "raise --ttft-p99, lower --max-window, allow faster GPUs or FP8 weights (--weight-format fp8)")
        }
    }

    /// Finds the budget that binds by re-solving for the largest servable share of the demand
    /// with all budgets, then with each one lifted in turn.
    func explain(solverStatus: Solution.Status) throws -> InputError {
        let full = try servableShare(problem)
        if problem.fixedFleet != nil {
            return InputError(.infeasible, location: "fleet",
                              "the fleet serves at most \(Self.percent(full)) of the demand within its capacities and the P99 TTFT",
                              fix: "add instances or pools, or lower the rate")
        }
        var suspects: [(name: String, relaxed: PlanningProblem, describe: (Double) -> String)] = []
        // The pool minimum first: when lifting it alone is enough, it is what an operator chose to add.
        if problem.minInstancesPerPool > 1 {
            var relaxed = problem
            relaxed.minInstancesPerPool = 1
            suspects.append(("min-instances", relaxed, {
                "at least \(problem.minInstancesPerPool) instances per pool, within the other limits, serve at most \(Self.percent($0)) of the demand"
            }))
        }
        if let cap = problem.powerCapWatts {
            var relaxed = problem
            relaxed.powerCapWatts = nil
            suspects.append(("power-cap-kw", relaxed, { "a \(Self.kilowatts(cap)) facility power cap serves at most \(Self.percent($0)) of the demand" }))
        }
        if let budget = problem.budgetDollarsPerHour {
            var relaxed = problem
            relaxed.budgetDollarsPerHour = nil
            suspects.append(("budget-per-hour", relaxed, { "a budget of $\(Int(budget.rounded()))/h serves at most \(Self.percent($0)) of the demand" }))
        }
        if !problem.availableGPUs.isEmpty {
            var relaxed = problem
            relaxed.availableGPUs = [:]
            let list = problem.availableGPUs.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
            suspects.append(("available", relaxed, { "the available GPUs (\(list)) serve at most \(Self.percent($0)) of the demand" }))
        }
        var relaxedPools = problem
        relaxedPools.maxPools = max(problem.maxPools, candidates.count)
        suspects.append(("max-pools", relaxedPools, { "at most \(problem.maxPools) pool(s) serve at most \(Self.percent($0)) of the demand" }))

        for suspect in suspects {
            if try servableShare(suspect.relaxed) >= 1 - 1e-6 {
                return InputError(.infeasible, location: suspect.name, suspect.describe(full),
                                  fix: "relax --\(suspect.name) or lower the demand")
            }
        }
        return InputError(.infeasible, location: "plan",
                          "no fleet meets every constraint together (at most \(Self.percent(full)) of the demand can be served; solver: \(solverStatus))",
                          fix: "relax the budgets, the SLOs or the demand")
    }

    /// Largest share s of the demand the constraints allow (0 if none at all).
    private func servableShare(_ problem: PlanningProblem) throws -> Double {
        var maxLoad = problem
        maxLoad.objective = .maxLoad
        let formulation = FleetFormulation(problem: maxLoad, candidates: candidates, routes: routes)
        let solution = try planner.solver.solve(formulation.model, options: planner.solveOptions(for: maxLoad))
        guard solution.hasSolution, let share = formulation.servedShare else { return 0 }
        return solution.value(of: share)
    }

    static func percent(_ share: Double) -> String {
        let value = share * 100
        guard value.isFinite, value < 1e15 else { return String(format: "%.1f%%", value) }
        return value >= 10 ? "\(Int(value.rounded()))%" : String(format: "%.1f%%", value)
    }

    static func kilowatts(_ watts: Double) -> String { "\(String(format: "%g", (watts / 100).rounded() / 10)) kW" }
    /// "482 ms"; "unbounded" for a pool whose queue never drains (a Double too large for Int would trap).
    static func milliseconds(_ seconds: Double) -> String {
        let value = seconds * 1000
        guard value.isFinite, abs(value) < 1e15 else { return "unbounded" }
        // Below a millisecond, rounding would say "0 ms" (a 1 µs SLO was reported as "a 0 ms P99 TTFT").
        if abs(value) < 1, value != 0 { return String(format: "%.3g ms", value) }
        return "\(Int(value.rounded())) ms"
    }
}

private func percent(_ share: Double) -> String { InfeasibilityDiagnosis.percent(share) }
private func milliseconds(_ seconds: Double) -> String { InfeasibilityDiagnosis.milliseconds(seconds) }
