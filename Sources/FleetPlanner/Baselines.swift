import FleetModel

extension FleetPlanner {
    /// The fleets an operator compares a plan with, each planned by the same model and SLOs but
    /// without the plan's budgets: for every allowed GPU type, the homogeneous fleet (one pool
    /// at the maximum window, best TP) and the best two-pool split.
    func baselineFleets(for problem: PlanningProblem, planTokensPerWatt: Double) throws -> [Baseline] {
        var baselines: [Baseline] = []
        for gpu in problem.gpus {
            var unconstrained = problem
            unconstrained.gpus = [gpu]
            unconstrained.powerCapWatts = nil
            unconstrained.budgetDollarsPerHour = nil
            unconstrained.availableGPUs = [:]
            if unconstrained.objective == .maxLoad { unconstrained.objective = .maxTokensPerWatt }

            var homogeneous = unconstrained
            homogeneous.windows = [problem.maxWindowTokens]
            homogeneous.maxPools = 1
            homogeneous.compression = nil
            baselines.append(baseline(named: "homogeneous \(gpu.shortName) @\(tokens(problem.maxWindowTokens))",
                                      gpu: gpu, problem: homogeneous, planTokensPerWatt: planTokensPerWatt))

            var twoPool = unconstrained
            twoPool.maxPools = 2
            baselines.append(baseline(named: "two-pool \(gpu.shortName)", gpu: gpu, problem: twoPool,
                                      planTokensPerWatt: planTokensPerWatt))
        }
        return baselines
    }

    private func baseline(named name: String, gpu: GPUSpec, problem: PlanningProblem,
                          planTokensPerWatt: Double) -> Baseline {
        do {
            let plan = try solve(problem).plan
            return Baseline(
                name: name, gpu: gpu.name, feasible: plan.pools.allSatisfy(\.meetsSLO), reason: nil,
                tokensPerWatt: plan.tokensPerWatt, tokensPerWattPaper: plan.tokensPerWattPaper, gpus: plan.gpus,
                powerWatts: plan.powerWatts, costPerHour: plan.costPerHour,
                pools: plan.pools.map { "\($0.instances)× \($0.id)" },
                planRatio: plan.tokensPerWatt > 0 ? planTokensPerWatt / plan.tokensPerWatt : nil)
        } catch let error as InputError {
            return Baseline(name: name, gpu: gpu.name, feasible: false, reason: error.message)
        } catch {
            return Baseline(name: name, gpu: gpu.name, feasible: false, reason: "\(error)")
        }
    }

    private func tokens(_ count: Int) -> String {
        count % 1024 == 0 ? "\(count / 1024)K" : "\(count)"
    }
}
