import FleetModel

extension FleetPlanner {
    /// The fleets an operator compares a plan with, each to be planned by the same model and SLOs
    /// but without the plan's budgets: for every allowed GPU type, the homogeneous fleet (one pool
    /// at the maximum window, best TP) and the best two-pool split.
    func baselineProblems(for problem: PlanningProblem) -> [(name: String, gpu: GPUSpec, problem: PlanningProblem)] {
        var baselines: [(name: String, gpu: GPUSpec, problem: PlanningProblem)] = []
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
            baselines.append(("homogeneous \(gpu.shortName) @\(tokens(problem.maxWindowTokens))", gpu, homogeneous))

            var twoPool = unconstrained
            twoPool.maxPools = 2
            baselines.append(("two-pool \(gpu.shortName)", gpu, twoPool))
        }
        return baselines
    }

    func baseline(named name: String, gpu: GPUSpec, problem: PlanningProblem) -> (baseline: Baseline, plan: FleetPlan?) {
        do {
            let plan = try silenced.solve(problem).plan
            let summary = Baseline(
                name: name, gpu: gpu.name, feasible: plan.pools.allSatisfy(\.meetsSLO), reason: nil,
                tokensPerWatt: plan.tokensPerWatt, tokensPerWattPaper: plan.tokensPerWattPaper, gpus: plan.gpus,
                powerWatts: plan.powerWatts, costPerHour: plan.costPerHour,
                pools: plan.pools.map { "\($0.instances)× \($0.id)" }, planRatio: nil)
            return (summary, plan)
        } catch let error as InputError {
            return (Baseline(name: name, gpu: gpu.name, feasible: false, reason: error.message), nil)
        } catch {
            return (Baseline(name: name, gpu: gpu.name, feasible: false, reason: "\(error)"), nil)
        }
    }

    /// Whether `plan`, planned without budgets, also keeps the problem's budgets and pool limit.
    func respectsBudgets(_ plan: FleetPlan, of problem: PlanningProblem) -> Bool {
        guard plan.pools.count <= problem.maxPools, plan.pools.allSatisfy(\.meetsSLO) else { return false }
        if let cap = problem.powerCapWatts, plan.facilityPowerWatts > cap { return false }
        if let budget = problem.budgetDollarsPerHour, plan.costPerHour > budget { return false }
        for (name, available) in problem.availableGPUs {
            if plan.pools.filter({ $0.gpu == name }).reduce(0, { $0 + $1.gpus }) > available { return false }
        }
        return true
    }

    private func tokens(_ count: Int) -> String {
        count % 1024 == 0 ? "\(count / 1024)K" : "\(count)"
    }
}
