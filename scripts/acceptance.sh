#!/usr/bin/env bash
# Acceptance checks against the real public data in ../shared/data (not shipped with fleetplan).
# .ci/run calls this only when that folder exists. Usage: scripts/acceptance.sh [path/to/fleetplan]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data
if [ ! -d "$data" ]; then echo "acceptance: $data not found, skipped"; exit 0; fi

bin=${1:-}
if [ -z "$bin" ]; then
    swift build -c release --product fleetplan >/dev/null
    bin=$(swift build -c release --show-bin-path)/fleetplan
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() { # name, python expression over d (the JSON document); prints the figures it used
    local name=$1 file=$2 expr=$3
    if python3 - "$file" "$expr" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2], {"d": d, "json": json, "base": lambda n: next(b for b in d["baselines"] if b["name"].startswith(n))})
sys.exit(0 if ok else 1)
PY
    then echo "ok: $name"; passed=$((passed + 1)); else echo "FAILED: $name"; failed=$((failed + 1)); fi
}

paper=(--workload "$data/cdfs/azure_cdf.json" --rate 1000 --model llama-3.1-70b --tp 8 --ttft-p99 500ms
       --max-window 65536 --preset paper --compress-max 2 --compress-fraction 1.0 --format json)
"$bin" plan "${paper[@]}" --gpus h100 > "$work/h100.json"
"$bin" plan "${paper[@]}" --gpus h100,b200 > "$work/b200.json"
python3 - "$work/h100.json" "$work/b200.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    d = json.load(open(path)); p = d["plan"]
    print(f"{path.split('/')[-1]}: plan tok/W {p['tokensPerWatt']:.3f} (paper {p['tokensPerWattPaper']:.2f}), "
          f"{p['gpus']} GPUs, {p['powerWatts']/1e3:.1f} kW; solver {d['solver']['status']} gap {d['solver']['gap']:.1e} "
          f"{d['solver']['seconds']*1e3:.1f} ms")
    for b in d["baselines"]:
        print(f"   {b['name']:<24} tok/W {b.get('tokensPerWatt') or 0:.3f}  plan ÷ baseline {b.get('planRatio') or 0:.2f}x")
PY
check "Azure paper, H100 only: plan ≥ every baseline" "$work/h100.json" \
    'all(d["plan"]["tokensPerWatt"] >= b["tokensPerWatt"] * (1 - 1e-9) for b in d["baselines"] if b["feasible"])'
check "Azure paper, H100 only: ≥ 2.5× the homogeneous H100 fleet" "$work/h100.json" 'base("homogeneous h100")["planRatio"] >= 2.5'
check "Azure paper, H100+B200: plan ≥ every baseline" "$work/b200.json" \
    'all(d["plan"]["tokensPerWatt"] >= b["tokensPerWatt"] * (1 - 1e-9) for b in d["baselines"] if b["feasible"])'
check "Azure paper, H100+B200: ≥ 4.25× the homogeneous H100 fleet" "$work/b200.json" 'base("homogeneous h100")["planRatio"] >= 4.25'

# The whole catalog, TP 1-8, windows 1K-128K, workloads of >= 17 length bins (the LMSYS CDF; the
# issue's own examples, agent-heavy, whose prompts need a 1 s P99 TTFT, and the Azure conv trace at
# its peak minute): proven optimal (gap <= 1e-4). Wall times are printed, not asserted.
catalog() { # name, then the workload arguments
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    "$bin" plan "$@" --gpus all --tp 1,2,4,8 --max-window 131072 --no-baselines --format json > "$work/$name.json"
    end=$(date +%s.%N)
    python3 - "$work/$name.json" "$start" "$end" "$name" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); s = d["solver"]
print(f"full catalog, {sys.argv[4]}: {s['candidates']} candidate pools, {s['variables']} variables, "
      f"{s['constraints']} constraints; {s['status']}, gap {s['gap']:.1e}, {s['resolves']} re-solves, "
      f"solver {s['seconds']:.3f} s, wall {float(sys.argv[3]) - float(sys.argv[2]):.3f} s")
PY
    check "full catalog, $name: proven optimal (gap ≤ 1e-4)" "$work/$name.json" \
        'd["solver"]["status"] == "optimal" and d["solver"]["gap"] <= 1e-4'
}
catalog lmsys --workload "$data/cdfs/lmsys_cdf.json" --rate 1000
catalog agent-heavy --workload "$data/cdfs/agent_heavy_cdf.json" --rate 1000 --ttft-p99 1s
catalog conv-trace --workload "$data/azure-llm-2023/conv.csv"

# The physical Azure plan (H100 + B200, 1000 req/s, P99 TTFT 500 ms) verified by the simulator.
"$bin" plan --workload "$data/cdfs/azure_cdf.json" --rate 1000 --gpus h100,b200 --tp 8 --ttft-p99 500ms \
    --max-window 65536 --no-baselines --format json > "$work/azure-plan.json"
"$bin" simulate "$work/azure-plan.json" --requests 200000 --seed 7 --format json > "$work/azure-sim.json"
python3 - "$work/azure-plan.json" "$work/azure-sim.json" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))["plan"]; sim = json.load(open(sys.argv[2]))
print(f"simulated Azure plan: tok/W {sim['fleet']['tokensPerWatt']:.3f} vs predicted {plan['tokensPerWatt']:.3f}; "
      + ", ".join(f"{p['id']} P99 TTFT {p['p99TTFTSeconds']*1e3:.0f} ms" for p in sim["pools"]))
PY
check "simulated Azure tok/W within 10% of the plan" "$work/azure-sim.json" \
    'abs(d["fleet"]["tokensPerWatt"] / json.load(open("'"$work/azure-plan.json"'"))["plan"]["tokensPerWatt"] - 1) <= 0.10'
check "every simulated pool meets its P99 TTFT" "$work/azure-sim.json" 'all(p["p99TTFTSeconds"] <= 0.5 for p in d["pools"])'
"$bin" simulate "$work/azure-plan.json" --trace "$data/azure-llm-2023/conv.csv" --format json > "$work/conv.json"
check "conv trace replays with its real arrival rates" "$work/conv.json" 'd["arrivals"] is not None'

echo "acceptance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
