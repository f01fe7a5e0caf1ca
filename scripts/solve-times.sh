#!/usr/bin/env bash
# Times the planner over the yardstick the README's solver figures use: the whole catalog
# (TP 1-8, windows 1K-128K, Llama-3.1-70B, no baselines) on the three public CDFs in ../shared/data
# (not shipped with fleetplan) at 30, 100, 300 and 1000 req/s and P99 TTFT 0.5, 1 and 2 s —
# 32 runs with a plan (agent-heavy at 500 ms is infeasible). A benchmark, not a test: it asserts
# nothing and takes about 35 s. Branch-and-bound times move by 10% between identical runs, so
# compare variants over the whole set, back to back; nodes are deterministic.
#
# Usage: scripts/solve-times.sh [--bin PATH] [--keep DIR] [--against DIR] [-- fleetplan plan options]
#   --keep DIR     keep each run's plan JSON and the times in DIR (created)
#   --against DIR  a --keep DIR of an earlier variant: print the runs whose plan power or
#                  re-solves differ, and the totals side by side
# Options after -- go to every `fleetplan plan` (e.g. -- --max-pools 2, -- --model llama-3.1-8b).
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/cdfs
if [ ! -d "$data" ]; then echo "solve-times: $data not found"; exit 1; fi

bin="" keep="" against=""
while [ $# -gt 0 ]; do
    case $1 in
        --bin) bin=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        --against) against=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "solve-times: unknown option $1 (see the usage at the top of the script)"; exit 2 ;;
    esac
done
if [ -z "$bin" ]; then
    swift build -c release --product fleetplan >/dev/null
    bin=$(swift build -c release --show-bin-path)/fleetplan
fi
if [ -n "$keep" ]; then mkdir -p "$keep"; work=$keep; rm -f "$work"/*.plan.json "$work/times.txt"
else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

for workload in lmsys_cdf agent_heavy_cdf azure_cdf; do
    for ttft in 500ms 1s 2s; do
        for rate in 30 100 300 1000; do
            run="${workload}@${ttft}@${rate}"
            start=$(date +%s.%N)
            "$bin" plan --workload "$data/$workload.json" --rate "$rate" --model llama-3.1-70b --gpus all \
                --tp 1,2,4,8 --max-window 131072 --ttft-p99 "$ttft" --format json --no-baselines "$@" \
                > "$work/$run.plan.json" 2>/dev/null || { rm -f "$work/$run.plan.json"; continue; }
            end=$(date +%s.%N)
            echo "$run $start $end" >> "$work/times.txt"
        done
    done
done

python3 - "$work" "$against" <<'PY'
import json, os, sys

def load(folder):
    runs = {}
    for line in open(os.path.join(folder, "times.txt")):
        run, start, end = line.split()
        d = json.load(open(os.path.join(folder, run + ".plan.json")))
        runs[run] = {"wall": float(end) - float(start), "power": d["plan"]["powerWatts"],
                     "resolves": d["solver"]["resolves"], "nodes": d["solver"]["nodes"], "gap": d["solver"]["gap"]}
    return runs

def totals(runs):
    return (sum(r["wall"] for r in runs.values()), sum(r["wall"] > 1 for r in runs.values()),
            sum(r["resolves"] for r in runs.values()), sum(r["nodes"] for r in runs.values()),
            max(r["gap"] for r in runs.values()))

now = load(sys.argv[1])
print(f"{'run':30} {'wall s':>7} {'re-solves':>9} {'nodes':>7} {'power W':>11}")
for run, r in now.items():
    print(f"{run:30} {r['wall']:7.2f} {r['resolves']:9d} {r['nodes']:7d} {r['power']:11.1f}")
wall, slow, resolves, nodes, gap = totals(now)
print(f"{len(now)} runs: {wall:.1f} s in all, {slow} over 1 s, {resolves} re-solves, {nodes} nodes, largest gap {gap:.1e}")
if sys.argv[2]:
    before = load(sys.argv[2])
    changed = 0
    for run in sorted(set(now) & set(before)):
        a, b = before[run], now[run]
        if abs(b["power"] / a["power"] - 1) > 1e-6 or a["resolves"] != b["resolves"]:
            changed += abs(b["power"] / a["power"] - 1) > 1e-6
            print(f"  {run:30} {a['power']:11.1f} -> {b['power']:11.1f} W ({100 * (b['power'] / a['power'] - 1):+.2f}%), "
                  f"re-solves {a['resolves']} -> {b['resolves']}, {a['wall']:.2f} -> {b['wall']:.2f} s")
    for run in sorted(set(now) ^ set(before)):
        print(f"  {run:30} has a plan in only one of the two")
    w0, s0, r0, n0, _ = totals(before)
    print(f"against {sys.argv[2]}: {changed} plans changed; wall {w0:.1f} -> {wall:.1f} s, over 1 s {s0} -> {slow}, "
          f"re-solves {r0} -> {resolves}, nodes {n0} -> {nodes}")
PY
