#!/usr/bin/env bash
# Compares the planner's predicted P99 TTFT of every pool with `fleetplan simulate`, over the
# whole-catalog plans of the three public CDFs in ../shared/data (not shipped with fleetplan) at
# 30-1000 req/s and 0.5, 1 and 2 s, grouped by instances per pool. A study for calibrating the
# queueing check, not a test: it takes about a minute and asserts nothing.
# Usage: scripts/check-vs-simulation.sh [path/to/fleetplan] [requests per simulation]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/cdfs
if [ ! -d "$data" ]; then echo "check-vs-simulation: $data not found"; exit 1; fi

bin=${1:-}
if [ -z "$bin" ]; then
    swift build -c release --product fleetplan >/dev/null
    bin=$(swift build -c release --show-bin-path)/fleetplan
fi
requests=${2:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for workload in lmsys_cdf agent_heavy_cdf azure_cdf; do
    for ttft in 500ms 1s 2s; do
        for rate in 30 100 300 1000; do
            run="$work/${workload}@${ttft}@${rate}"
            # Infeasible scenarios (agent-heavy at 500 ms) have no plan to simulate.
            "$bin" plan --workload "$data/$workload.json" --rate "$rate" --model llama-3.1-70b --gpus all \
                --tp 1,2,4,8 --max-window 131072 --ttft-p99 "$ttft" --format json --no-baselines \
                > "$run.plan.json" 2>/dev/null || { rm -f "$run.plan.json"; continue; }
            "$bin" simulate "$run.plan.json" --requests "$requests" --seed 1 --format json > "$run.sim.json" 2>/dev/null
        done
    done
done

python3 - "$work" <<'PY'
import glob, json, os, sys
seconds = {"500ms": 0.5, "1s": 1.0, "2s": 2.0}
groups = {"1": [], "2": [], "3-7": [], "8+": []}
for plan_file in sorted(glob.glob(os.path.join(sys.argv[1], "*.plan.json"))):
    run = os.path.basename(plan_file)[: -len(".plan.json")]
    slo = seconds[run.split("@")[1]]
    plan = json.load(open(plan_file))["plan"]
    simulated = {p["id"]: p for p in json.load(open(plan_file.replace(".plan.json", ".sim.json")))["pools"]}
    for pool in plan["pools"]:
        if pool["id"] not in simulated:
            continue
        n = pool["instances"]
        group = "1" if n == 1 else "2" if n == 2 else "3-7" if n < 8 else "8+"
        groups[group].append((run, pool["id"], pool["p99TTFTSeconds"], simulated[pool["id"]]["p99TTFTSeconds"], slo))
print("instances  pools  miss SLO in simulation  simulated/predicted P99: median  max")
for group, pools in groups.items():
    if not pools:
        continue
    ratios = sorted(sim / max(pred, 1e-9) for _, _, pred, sim, _ in pools)
    misses = [p for p in pools if p[3] > p[4] * (1 + 1e-4)]
    print(f"{group:>9}  {len(pools):5d}  {len(misses):22d}  {ratios[len(ratios) // 2]:31.2f}  {ratios[-1]:4.2f}")
    for run, pool, pred, sim, slo in misses:
        print(f"    {run} {pool}: predicted {pred:.3f} s, simulated {sim:.3f} s, SLO {slo:g} s")
PY
