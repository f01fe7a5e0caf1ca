/// The discrete-event core: arrivals are routed to pools and instances; each instance runs
/// back-to-back iterations (continuous batching) while it holds sequences; every iteration
/// emits one token per decoding sequence and advances chunked prefill.
///
/// Cost per iteration is O(1) plus O(log n) per sequence that finishes (a per-instance
/// min-heap keyed on the iteration a sequence ends in, instead of scanning the batch) and
/// O(log instances) for the event heap. Memory holds only the requests in flight.
struct SimulationEngine {
    /// Per-pool constants.
    private struct PoolRuntime {
        var firstInstance: Int
        var instanceCount: Int
        var slots: Int
        var kvCapacityTokens: Int
        var windowTokens: Int
        /// Instance watts (all its GPUs) by batch size 0…n_max.
        var instanceWatts: [Double]
    }

    /// Per-band constants: upper edge and the cumulative shares of its pools.
    private struct BandRuntime {
        var maxTokens: Int
        var cumulativeShares: [(fraction: Double, pool: Int)]
    }

    private let fleet: SimulatedFleet
    private let options: SimulationOptions
    private let poolRuntimes: [PoolRuntime]
    private let bands: [BandRuntime]
    private let warmupRequests: Int
    /// The serving model's iteration time, called directly (no existential) on the hot path.
    private let physicalClock: PhysicalIterationClock
    /// A replacement clock (tests), if any.
    private var customClock: (any IterationClock)?
    private let usesCustomClock: Bool
    /// SLO targets, +∞ when not given.
    private let ttftTargetSeconds: Double
    private let tpotTargetSeconds: Double
    private var routingRandom: SimulationRandom

    private(set) var nowSeconds = 0.0
    private var instances: [InstanceState]
    private var decoders: [MinHeap<DecodingSequence>]
    private var prefilling: [FIFOQueue<PrefillingSequence>]
    private var queues: [FIFOQueue<QueuedRequest>]
    private var events = MinHeap<IterationEnd>()
    private var accumulators: [PoolAccumulator]

    private(set) var arrivedRequests = 0
    private var firstArrivalSeconds = 0.0
    private var lastArrivalSeconds = 0.0
    private var iterations = 0
    private var requestsBeyondRouting = 0
    /// The measurement window; its edges are +∞ until known (see `MeasurementSpan`).
    private var window: MeasurementSpan

    init(fleet: SimulatedFleet, options: SimulationOptions, clock: (any IterationClock)?) {
        self.fleet = fleet
        self.options = options
        physicalClock = PhysicalIterationClock(fleet: fleet)
        customClock = clock
        usesCustomClock = clock != nil
        ttftTargetSeconds = fleet.slo.ttftP99Seconds ?? .infinity
        tpotTargetSeconds = fleet.slo.tpotSeconds ?? .infinity
        routingRandom = SimulationRandom(seed: SimulationRandom.derivedSeed(options.seed, stream: 2))
        warmupRequests = options.warmupRequests
        window = MeasurementSpan(startSeconds: options.measurementWindow == .wholeRun ? 0 : .infinity)

        var runtimes: [PoolRuntime] = []
        var instances: [InstanceState] = []
        for (index, pool) in fleet.pools.enumerated() {
            let watts = (0...pool.slotsPerInstance).map {
                Double(pool.tensorParallel) * pool.power.watts(concurrency: Double($0))
            }
            runtimes.append(PoolRuntime(firstInstance: instances.count, instanceCount: pool.instances,
                                        slots: pool.slotsPerInstance, kvCapacityTokens: pool.kvCapacityTokensPerInstance,
                                        windowTokens: pool.windowTokens, instanceWatts: watts))
            instances.append(contentsOf: repeatElement(InstanceState(pool: index), count: pool.instances))
        }
        poolRuntimes = runtimes
        self.instances = instances
        decoders = Array(repeating: MinHeap(), count: instances.count)
        prefilling = Array(repeating: FIFOQueue(), count: instances.count)
        queues = Array(repeating: FIFOQueue(), count: fleet.pools.count)
        accumulators = Array(repeating: PoolAccumulator(), count: fleet.pools.count)

        let poolIndex = Dictionary(uniqueKeysWithValues: fleet.pools.enumerated().map { ($0.element.id, $0.offset) })
        bands = fleet.routing.map { band in
            var cumulative = 0.0
            var shares: [(fraction: Double, pool: Int)] = []
            let total = band.shares.reduce(0) { $0 + $1.fraction }
            for share in band.shares where share.fraction > 0 {
                cumulative += share.fraction / total
                // SimulatedFleet validated every pool id.
                shares.append((cumulative, poolIndex[share.poolID] ?? 0))
            }
            if !shares.isEmpty { shares[shares.count - 1].fraction = 1 }
            return BandRuntime(maxTokens: band.maxTokens, cumulativeShares: shares)
        }
    }

    /// Time of the next iteration end, +∞ when every instance is idle.
    var nextIterationEndSeconds: Double { events.minimum?.seconds ?? .infinity }

    // MARK: Measurement window

    /// Closes the measurement window at the current time (the last arrival).
    mutating func markLastArrival() {
        if options.measurementWindow == .afterWarmup { window.endSeconds = nowSeconds }
    }

    // MARK: Arrivals

    mutating func arrive(_ request: ArrivingRequest) {
        nowSeconds = max(nowSeconds, request.arrivalSeconds)
        if arrivedRequests == 0 { firstArrivalSeconds = nowSeconds }
        lastArrivalSeconds = nowSeconds
        let isMeasured = arrivedRequests >= warmupRequests
        if options.measurementWindow == .afterWarmup, arrivedRequests == warmupRequests {
            window.startSeconds = nowSeconds
        }
        arrivedRequests += 1

        let pool = route(totalTokens: request.totalTokens)
        var input = max(0, request.inputTokens)
        var output = max(1, request.outputTokens)
        let poolWindow = poolRuntimes[pool].windowTokens
        accumulators[pool].routedRequests += 1
        if input + output > poolWindow {
            // Compress: trim the prompt so the whole sequence fits the window.
            output = min(output, poolWindow)
            input = poolWindow - output
            accumulators[pool].compressedRequests += 1
        }
        let reservation = options.kvReservation == .window ? poolWindow : input + output
        let queued = QueuedRequest(arrivalSeconds: nowSeconds, inputTokens: Int32(input), outputTokens: Int32(output),
                                   kvReservedTokens: Int32(reservation), isMeasured: isMeasured)
        if queues[pool].isEmpty, let instance = leastLoadedInstance(pool: pool, reservation: reservation) {
            admit(queued, to: instance)
            if !instances[instance].isRunning {
                events.push(IterationEnd(seconds: startIteration(instance), instance: instance))
            }
        } else {
            queues[pool].append(queued)
            accumulators[pool].maxQueueLength = max(accumulators[pool].maxQueueLength, queues[pool].count)
        }
    }

    /// Band by total length (the first band whose upper edge covers it; beyond the last band,
    /// the last), then pool by the band's shares.
    private mutating func route(totalTokens: Int) -> Int {
        var low = 0
        var high = bands.count - 1
        if totalTokens > bands[high].maxTokens {
            requestsBeyondRouting += 1
        } else {
            while low < high {
                let middle = (low + high) / 2
                if bands[middle].maxTokens >= totalTokens { high = middle } else { low = middle + 1 }
            }
        }
        let shares = bands[low].cumulativeShares
        if shares.count == 1 { return shares[0].pool }
        let pick = routingRandom.nextUnitInterval()
        for share in shares where pick < share.fraction { return share.pool }
        return shares[shares.count - 1].pool
    }

    /// The instance with the fewest sequences among those with a free slot and room for
    /// `reservation` KV tokens (lowest index on ties); nil when none can admit.
    /// (`mutating` only so that `self` is passed by reference: a non-mutating call from the
    /// engine's mutating methods would copy the whole engine, retaining every array.)
    private mutating func leastLoadedInstance(pool: Int, reservation: Int) -> Int? {
        let runtime = poolRuntimes[pool]
        var best: Int?
        var bestLoad = Int.max
        for index in runtime.firstInstance..<(runtime.firstInstance + runtime.instanceCount) {
            let load = instances[index].occupiedSlots
            if load < bestLoad, load < runtime.slots,
               instances[index].reservedKVTokens + reservation <= runtime.kvCapacityTokens {
                best = index
                bestLoad = load
                if load == 0 { break }
            }
        }
        return best
    }

    /// (`mutating` for the same reason as `leastLoadedInstance`.)
    private mutating func canAdmit(_ reservation: Int32, to instance: Int) -> Bool {
        let runtime = poolRuntimes[instances[instance].pool]
        return instances[instance].occupiedSlots < runtime.slots
            && instances[instance].reservedKVTokens + Int(reservation) <= runtime.kvCapacityTokens
    }

    /// Gives `request` a slot and its KV on `instance`; it joins the next iteration.
    private mutating func admit(_ request: QueuedRequest, to instance: Int) {
        let pool = instances[instance].pool
        prefilling[instance].append(PrefillingSequence(
            arrivalSeconds: request.arrivalSeconds, remainingPrefillTokens: request.inputTokens,
            inputTokens: request.inputTokens, outputTokens: request.outputTokens,
            kvReservedTokens: request.kvReservedTokens, isMeasured: request.isMeasured))
        instances[instance].occupiedSlots += 1
        instances[instance].reservedKVTokens += Int(request.kvReservedTokens)
        changeOccupancy(pool: pool, by: 1)
        if request.isMeasured { accumulators[pool].queueWait.record(nowSeconds - request.arrivalSeconds) }
    }

    private mutating func changeOccupancy(pool: Int, by delta: Int) {
        // Spans are computed into locals before mutating `accumulators`: calling a method
        // of `self` inside that mutation would make Swift copy the whole engine.
        let span = window.overlap(accumulators[pool].occupancyChangedSeconds, nowSeconds)
        accumulators[pool].windowSlotSeconds += Double(accumulators[pool].occupiedSlots) * span
        accumulators[pool].occupancyChangedSeconds = nowSeconds
        accumulators[pool].occupiedSlots += delta
    }

    // MARK: Iterations

    /// Starts an iteration now: all decoding sequences plus up to one chunk of prefill,
    /// taken first-come first-served from the instance's prefilling sequences.
    /// - Returns: when it ends; the caller schedules that event.
    private mutating func startIteration(_ instance: Int) -> Double {
        let pool = instances[instance].pool
        if !instances[instance].isRunning {
            let idleSpan = window.overlap(instances[instance].idleSinceSeconds, nowSeconds)
            accumulators[pool].windowEnergyJoules += idleSpan * poolRuntimes[pool].instanceWatts[0]
        }
        var budget = Int32(clamping: options.prefillChunkTokens)
        var prefillTokens = 0
        var prefillSquaredTokens = 0.0
        var completions = 0
        var prefillSequences = 0
        for offset in 0..<prefilling[instance].count {
            let remaining = prefilling[instance][offset].remainingPrefillTokens
            let take = min(remaining, budget)
            prefilling[instance][offset].remainingPrefillTokens = remaining - take
            budget -= take
            prefillTokens += Int(take)
            // The piece [done, done + take) of the prompt attends to everything before it.
            let done = Double(prefilling[instance][offset].inputTokens - remaining)
            prefillSquaredTokens += (done + Double(take)) * (done + Double(take)) - done * done
            if remaining == take {
                completions += 1
                prefillSequences += 1
            } else {
                if take > 0 { prefillSequences += 1 }
                break
            }
        }
        let decoding = decoders[instance].count
        let work = IterationWork(decodingSequences: decoding,
                                 decodingContextTokens: instances[instance].decodingContextTokens,
                                 prefillTokens: prefillTokens, prefillSquaredTokens: prefillSquaredTokens)
        let seconds: Double
        if usesCustomClock, var clock = customClock {
            seconds = clock.iterationSeconds(pool: pool, work: work)
            customClock = clock
        } else {
            seconds = physicalClock.iterationSeconds(pool: pool, work: work)
        }
        instances[instance].isRunning = true
        instances[instance].iterationStartSeconds = nowSeconds
        instances[instance].iterationBatch = decoding + prefillSequences
        instances[instance].iterationDecoders = decoding
        instances[instance].iterationPrefillCompletions = completions
        // A zero-length iteration would stall simulated time; validation keeps W > 0.
        return nowSeconds + max(seconds, 1e-12)
    }

    /// Ends the earliest iteration: account its energy and tokens, retire finished
    /// sequences, promote completed prefills to decoding, admit queued requests, and start
    /// the next iteration (or go idle).
    mutating func finishNextIteration() {
        // The event stays at the top of the heap until this instance's next iteration
        // replaces it (nothing else is scheduled meanwhile).
        guard let event = events.minimum else { return }
        nowSeconds = max(nowSeconds, event.seconds)
        let instance = event.instance
        let pool = instances[instance].pool
        iterations += 1
        instances[instance].completedIterations += 1
        let iteration = instances[instance].completedIterations

        let span = window.overlap(instances[instance].iterationStartSeconds, nowSeconds)
        let batch = instances[instance].iterationBatch
        accumulators[pool].windowEnergyJoules += span * poolRuntimes[pool].instanceWatts[batch]
        accumulators[pool].windowBusyInstanceSeconds += span
        accumulators[pool].windowBatchSeconds += span * Double(batch)
        if window.contains(nowSeconds) {
            accumulators[pool].windowOutputTokens += instances[instance].iterationDecoders
                + instances[instance].iterationPrefillCompletions
        }

        while let top = decoders[instance].minimum, top.finishIteration <= iteration {
            decoders[instance].popMinimum()
            instances[instance].decodingContextTokens -= Int(top.finalContextTokens)
            complete(instance: instance, pool: pool, outputTokens: top.outputTokens, kvTokens: top.kvReservedTokens,
                     firstTokenSeconds: top.firstTokenSeconds, isMeasured: top.isMeasured)
        }
        // Every sequence still decoding attended one more token.
        instances[instance].decodingContextTokens += decoders[instance].count

        for _ in 0..<instances[instance].iterationPrefillCompletions {
            guard let sequence = prefilling[instance].popFirst() else { break }
            if sequence.isMeasured {
                let ttft = nowSeconds - sequence.arrivalSeconds
                accumulators[pool].ttft.record(ttft)
                if ttft <= ttftTargetSeconds { accumulators[pool].ttftWithinTarget += 1 }
            }
            if sequence.outputTokens <= 1 {
                complete(instance: instance, pool: pool, outputTokens: sequence.outputTokens,
                         kvTokens: sequence.kvReservedTokens, firstTokenSeconds: nowSeconds, isMeasured: sequence.isMeasured)
            } else {
                // Tokens 2…output come from the next output − 1 iterations.
                decoders[instance].push(DecodingSequence(
                    finishIteration: iteration + Int(sequence.outputTokens) - 1, firstTokenSeconds: nowSeconds,
                    finalContextTokens: sequence.inputTokens + sequence.outputTokens - 1,
                    outputTokens: sequence.outputTokens, kvReservedTokens: sequence.kvReservedTokens,
                    isMeasured: sequence.isMeasured))
                instances[instance].decodingContextTokens += Int(sequence.inputTokens) + 1
            }
        }

        while let head = queues[pool].first, canAdmit(head.kvReservedTokens, to: instance) {
            queues[pool].popFirst()
            admit(head, to: instance)
        }

        if instances[instance].occupiedSlots > 0 {
            events.replaceMinimum(with: IterationEnd(seconds: startIteration(instance), instance: instance))
        } else {
            events.popMinimum()
            instances[instance].isRunning = false
            instances[instance].idleSinceSeconds = nowSeconds
        }
    }

    private mutating func complete(instance: Int, pool: Int, outputTokens: Int32, kvTokens: Int32,
                                   firstTokenSeconds: Double, isMeasured: Bool) {
        instances[instance].occupiedSlots -= 1
        instances[instance].reservedKVTokens -= Int(kvTokens)
        changeOccupancy(pool: pool, by: -1)
        guard isMeasured else { return }
        accumulators[pool].measuredCompleted += 1
        if outputTokens >= 2 {
            let tpot = (nowSeconds - firstTokenSeconds) / Double(outputTokens - 1)
            accumulators[pool].tpot.record(tpot)
            if tpot <= tpotTargetSeconds { accumulators[pool].tpotWithinTarget += 1 }
        }
    }

    // MARK: Result

    /// Closes the books after the last completion and summarises.
    mutating func finish() -> SimulationResult {
        if options.measurementWindow == .wholeRun { window.endSeconds = nowSeconds }
        for instance in instances.indices where !instances[instance].isRunning {
            let pool = instances[instance].pool
            let idleSpan = window.overlap(instances[instance].idleSinceSeconds, nowSeconds)
            accumulators[pool].windowEnergyJoules += idleSpan * poolRuntimes[pool].instanceWatts[0]
        }
        for pool in accumulators.indices { changeOccupancy(pool: pool, by: 0) }

        let windowSeconds = window.startSeconds.isFinite && window.endSeconds.isFinite
            ? max(0, window.endSeconds - window.startSeconds) : 0
        var poolMetrics: [SimulatedMetrics] = []
        var total = PoolAccumulator()
        for (index, pool) in fleet.pools.enumerated() {
            poolMetrics.append(accumulators[index].metrics(
                pool: pool, instances: pool.instances, slots: pool.instances * pool.slotsPerInstance,
                gpus: pool.gpuCount, windowSeconds: windowSeconds, slo: fleet.slo, predicted: pool.predicted))
            total.merge(accumulators[index])
        }
        let fleetMetrics = total.metrics(
            pool: nil, instances: fleet.pools.reduce(0) { $0 + $1.instances },
            slots: fleet.pools.reduce(0) { $0 + $1.instances * $1.slotsPerInstance },
            gpus: fleet.pools.reduce(0) { $0 + $1.gpuCount }, windowSeconds: windowSeconds,
            slo: fleet.slo, predicted: fleetPrediction())
        let run = RunSummary(
            requests: arrivedRequests, warmupRequests: min(warmupRequests, arrivedRequests), seed: options.seed,
            windowStartSeconds: window.startSeconds.isFinite ? window.startSeconds : 0, windowSeconds: windowSeconds,
            simulatedSeconds: nowSeconds,
            arrivalRateRequestsPerSecond: lastArrivalSeconds > firstArrivalSeconds
                ? Double(arrivedRequests - 1) / (lastArrivalSeconds - firstArrivalSeconds) : nil,
            iterations: iterations, requestsBeyondRouting: requestsBeyondRouting,
            maxQueueLength: total.maxQueueLength, prefillChunkTokens: options.prefillChunkTokens,
            kvReservation: options.kvReservation, measurementWindow: options.measurementWindow)
        return SimulationResult(fleet: fleetMetrics, pools: poolMetrics, run: run)
    }

    /// The plan's fleet prediction, with throughput summed over pools when each pool has one.
    private func fleetPrediction() -> PredictedMetrics? {
        guard var predicted = fleet.predicted else { return nil }
        let throughputs = fleet.pools.compactMap { $0.predicted?.throughputTokensPerSecond }
        if predicted.throughputTokensPerSecond == nil, throughputs.count == fleet.pools.count {
            predicted.throughputTokensPerSecond = throughputs.reduce(0, +)
        }
        return predicted
    }
}

/// The span over which throughput, energy and utilisation are measured.
///
/// Intervals (an iteration, an idle stretch, a constant occupancy) are added when they end,
/// and each edge becomes known at the arrival that defines it — before any interval ending
/// after it is added — so clipping against an edge that is still +∞ is always correct.
struct MeasurementSpan {
    var startSeconds: Double
    var endSeconds = Double.infinity

    /// Length of [start, end] inside the span, seconds.
    func overlap(_ start: Double, _ end: Double) -> Double {
        max(0, min(end, endSeconds) - max(start, startSeconds))
    }

    func contains(_ seconds: Double) -> Bool {
        seconds >= startSeconds && seconds <= endSeconds
    }
}
