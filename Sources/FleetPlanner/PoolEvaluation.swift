import Foundation
import FleetModel

/// Exact figures of one pool from its final loads — the numbers a plan reports.
///
/// Per instance and second of wall time, chunked prefill takes Π = Σ r·prefill / N seconds and
/// decode iterations the rest. A decode iteration reads the weights once and each decoding
/// sequence's KV: τ_d = W + n_d·H̄, with H̄ the output-weighted h0 + h1·context of the routed
/// requests. The effective iteration time (TPOT) is τ = τ_d / (1 − Π), and Little's law gives
/// n_d = B·τ / N for B output tokens per second, hence τ = W / (1 − Π − B·H̄/N). Sequences in flight
/// n = Σ r·(prefill + out·τ) / N set the power t·P(n) per instance. The queue is M/G/c over
/// N · n_max slots (DESIGN.md §6).
struct PoolEvaluation {
    let pool: CandidatePool
    let instances: Int
    /// (route, requests per second) pairs routed to this pool.
    let flows: [(route: Route, rate: Double)]
    let problem: PlanningProblem

    var requestsPerSecond: Double { flows.reduce(0) { $0 + $1.rate } }
    var outputTokensPerSecond: Double { flows.reduce(0) { $0 + $1.rate * $1.route.outputTokens } }

    /// L̄: window/2 under the paper preset (its calibration), otherwise the mean context a decode
    /// step attends, input + half the output, weighted by output tokens (slot time).
    var meanContextTokens: Double {
        if pool.isPaperCalibrated { return Double(pool.windowTokens) / 2 }
        let tokens = outputTokensPerSecond
        guard tokens > 0 else { return pool.designMeanContextTokens }
        let weighted = flows.reduce(0.0) { $0 + $1.rate * $1.route.outputTokens * ($1.route.inputTokens + $1.route.outputTokens / 2) }
        return weighted / tokens
    }

    /// Effective decode iteration time τ (= TPOT), seconds, or ∞ if the pool cannot keep up.
    var iterationSeconds: Double {
        let n = Double(instances)
        guard n > 0 else { return requestsPerSecond > 0 ? .infinity : pool.profile.weightStreamSeconds }
        let prefillShare = flows.reduce(0.0) { $0 + $1.rate * $1.route.prefillSeconds } / n
        let kvShare = flows.reduce(0.0) { sum, flow in
            sum + flow.rate * flow.route.outputTokens
                * pool.kvSecondsPerSequence(contextTokens: flow.route.inputTokens + flow.route.outputTokens / 2)
        } / n
        let computeShare = flows.reduce(0.0) { $0 + $1.rate * $1.route.computeSeconds } / n
        let free = 1 - prefillShare - kvShare
        guard free > 0, computeShare < 1 else { return .infinity }
        return pool.profile.weightStreamSeconds / free
    }

    /// Sequences in flight per instance at iteration time `tau`.
    func concurrency(iterationSeconds tau: Double) -> Double {
        guard instances > 0, tau.isFinite else { return requestsPerSecond > 0 ? .infinity : 0 }
        return flows.reduce(0.0) { $0 + $1.rate * ($1.route.prefillSeconds + $1.route.outputTokens * tau) } / Double(instances)
    }

    func evaluate(id: String) -> PlannedPool {
        let profile = pool.profile
        let context = meanContextTokens
        let tau = iterationSeconds
        let concurrency = concurrency(iterationSeconds: tau)
        let finite = concurrency.isFinite
        let perGPU = finite ? profile.powerPerGPUWatts(concurrency: concurrency) : profile.power.nominalWatts
        let instanceCount = Double(instances)
        let watts = instanceCount * Double(pool.tensorParallel) * perGPU
        let tokens = outputTokensPerSecond
        let lambda = requestsPerSecond

        let queue = serviceQueue(iterationSeconds: tau)
        let slotWait = queue.map { $0.waitSeconds(percentile: 0.99) } ?? 0
        let wait = slotWait + p99PrefillQueueSeconds
        let p99Input = p99InputTokens
        let ttft = slotWait + p99FirstTokenAfterSlotSeconds
        let utilisation = pool.maxConcurrency > 0 ? concurrency / Double(pool.maxConcurrency) : .infinity
        let tpotOK = problem.serving.tpotSLOSeconds.map { tau <= $0 * (1 + 1e-9) } ?? true
        let gpuDollars = instanceCount * Double(pool.tensorParallel) * pool.gpu.pricePerGPUHourDollars
        let energyDollars = watts * problem.powerUsageEffectiveness / 1000 * problem.electricityDollarsPerKWh

        return PlannedPool(
            id: id, gpu: pool.gpu.name, tp: pool.tensorParallel, window: pool.windowTokens,
            instances: instances, gpus: instances * pool.tensorParallel, nMax: pool.maxConcurrency,
            kvCapacityTokensPerInstance: profile.kvCapacityTokensPerInstance,
            operatingConcurrency: concurrency, utilisation: utilisation, requestsPerSecond: lambda,
            meanContextTokens: context,
            weightStreamSeconds: profile.weightStreamSeconds, perSequenceSeconds: profile.perSequenceSeconds,
            perContextTokenSeconds: profile.perContextTokenSeconds,
            computeSecondsPerSequence: profile.computeSecondsPerSequence,
            prefillTokensPerSecond: pool.isPaperCalibrated ? 0 : profile.prefillTokensPerSecond,
            prefillSecondsPerSquaredInputToken: pool.isPaperCalibrated ? 0 : profile.prefillSecondsPerSquaredInputToken,
            power: .init(idleWatts: profile.power.idleWatts, nominalWatts: profile.power.nominalWatts,
                         k: profile.power.steepness, x0: profile.power.midpointLog2Batch),
            iterationSeconds: tau, powerPerGPUWatts: perGPU, powerWatts: watts,
            throughputTokensPerSecond: tokens,
            tokensPerWatt: watts > 0 ? tokens / watts : 0,
            tokensPerWattPaper: watts > 0 ? tokens / (instanceCount * perGPU) : 0,
            p99InputTokens: p99Input, p99WaitSeconds: wait, p99TTFTSeconds: ttft, p99TPOTSeconds: tau,
            meetsSLO: finite && utilisation <= 1 && ttft <= problem.ttftP99Seconds * (1 + 1e-9) && tpotOK,
            costPerHour: gpuDollars + energyDollars)
    }

    /// The pool as an M/G/c queue over its slots, or nil when it carries no traffic.
    func serviceQueue(iterationSeconds tau: Double) -> MultiServerQueue? {
        let lambda = requestsPerSecond
        guard lambda > 0, tau.isFinite else { return nil }
        var mean = 0.0
        var secondMoment = 0.0
        for (route, rate) in flows {
            let service = route.prefillSeconds + route.outputTokens * tau
            mean += rate * service
            secondMoment += rate * service * service
        }
        mean /= lambda
        secondMoment /= lambda
        let scv = mean > 0 ? max(0, secondMoment / (mean * mean) - 1) : 0
        return MultiServerQueue(arrivalRatePerSecond: lambda, meanServiceSeconds: mean, serviceSCV: scv,
                                servers: instances * pool.maxConcurrency)
    }

    /// P99 wait for the prefill engine inside an instance, seconds: prompts queue FCFS for the
    /// instance's prefill compute, busy a share Π = Σ r·prefill / N of the time. M/G/1
    /// (Pollaczek–Khinchine) mean wait Π·E[P²] / (2·E[P]·(1 − Π)), with an exponential tail
    /// P(W > t) = Π·e^(−Π·t / E[W]), so t99 = E[W]/Π · ln(Π / 0.01). 0 when Π ≤ 1%.
    var p99PrefillQueueSeconds: Double {
        let lambda = requestsPerSecond
        guard instances > 0, lambda > 0 else { return 0 }
        var mean = 0.0
        var secondMoment = 0.0
        for (route, rate) in flows {
            mean += rate * route.prefillSeconds
            secondMoment += rate * route.prefillSeconds * route.prefillSeconds
        }
        let share = mean / Double(instances)
        mean /= lambda
        secondMoment /= lambda
        guard share > Route.tailAllowance, mean > 0 else { return 0 }
        guard share < 1 else { return .infinity }
        let meanWait = share * secondMoment / (2 * mean * (1 - share))
        return meanWait / share * log(share / Route.tailAllowance)
    }

    /// P99 over the pool's requests of (prefill queue wait + first-token time of the request's own
    /// prompt), seconds. Tails are not added: P(TTFT > t) = Σ_i share_i · P(W > t − first-token(L_i))
    /// over each route's prompts (8 quantiles of its spread), with the prefill queue's tail
    /// P(W > x) = Π·e^(−Π·x / E[W]); t is found by bisection. O(routes · 8 · 60).
    var p99FirstTokenAfterSlotSeconds: Double {
        let lambda = requestsPerSecond
        guard lambda > 0 else { return 0 }
        let chunk = problem.prefillChunkTokens
        var busy = 0.0, mean = 0.0, secondMoment = 0.0
        for (route, rate) in flows {
            busy += rate * route.prefillSeconds
            secondMoment += rate * route.prefillSeconds * route.prefillSeconds
        }
        let share = instances > 0 ? busy / Double(instances) : .infinity
        mean = busy / lambda
        secondMoment /= lambda
        guard share < 1 else { return .infinity }
        let meanWait = mean > 0 ? share * secondMoment / (2 * mean * (1 - share)) : 0
        let decay = meanWait > 0 ? share / meanWait : .infinity
        let quantiles = (0..<8).map { (Double($0) + 0.5) / 8 }
        var services: [(weight: Double, seconds: Double)] = []
        for (route, rate) in flows {
            for q in quantiles {
                let prompt = min(route.spread.quantile(q), route.trimCap)
                services.append((rate / lambda / 8, pool.firstTokenSeconds(inputTokens: prompt, chunkTokens: chunk)))
            }
        }
        func exceed(_ t: Double) -> Double {
            services.reduce(0) { sum, service in
                let slack = t - service.seconds
                let tail = slack <= 0 ? 1 : (decay.isFinite ? share * exp(-decay * slack) : 0)
                return sum + service.weight * tail
            }
        }
        var low = 0.0
        var high = (services.map(\.seconds).max() ?? 0) + (decay.isFinite ? log(100 * max(share, 1e-12)) / decay : 0) + 1
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if exceed(middle) > Route.tailAllowance { low = middle } else { high = middle }
        }
        return high
    }

    /// The prompt length 99% of the pool's requests stay within (after trimming), tokens.
    /// Bisection on the mixture of the routes' uniform spreads; O(routes · 60).
    var p99InputTokens: Double {
        let lambda = requestsPerSecond
        guard lambda > 0 else { return 0 }
        func shareAbove(_ x: Double) -> Double {
            flows.reduce(0.0) { sum, flow in
                sum + flow.rate * (x >= flow.route.trimCap ? 0 : flow.route.spread.fractionAbove(x))
            } / lambda
        }
        var low = 0.0
        var high = flows.reduce(0.0) { max($0, min($1.route.spread.high, $1.route.trimCap)) }
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if shareAbove(middle) > Route.tailAllowance { low = middle } else { high = middle }
        }
        return high
    }
}
