#!/usr/bin/env bash
# Multi-core scaling of the CLI as users run it: each workload at --threads 1, 2, ..., all cores, ALTERNATING
# (K = 1, 2, .., all, 1, 2, .., all, ...) in one invocation so every K sees the same machine load. Prints per
# workload and K the median time, the speedup over K = 1 (median / median) and the parallel efficiency
# (speedup / K), every run's value, the command lines and the load average before and after.
#
# The results do not depend on K (the batch is split into fixed blocks reduced in a fixed order: tested at
# K = 1, 2, 3, 8 by ThreadedTrajectoryTest, ThreadedPopulationTest and ThreadedReferenceTest); this script
# measures only time. Workloads: train d=100 B=200, train d=256 B=256 (steady_seconds_per_step after
# --warmup-steps), eval population fast d=256 and eval population reference 50 digits d=16 (seconds_per_eval,
# the evaluation only). train B=1 is not here: the fused online step runs on one thread for every K.
#
# Usage: benchmarks/scaling.sh [--repeat N] [--threads "1 2 4"]   (defaults: 5, "1 2 ... nproc")
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=5
KS=$(seq -s ' ' 1 "$(nproc)")
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) REPS="${2:?--repeat needs a number}"; shift 2 ;;
    --threads) KS="${2:?--threads needs a list such as \"1 2 4\"}"; shift 2 ;;
    *) echo "scaling.sh: unknown argument '$1': expected --repeat N or --threads \"K1 K2 ..\"" >&2; exit 2 ;;
  esac
done
case "$REPS" in ''|*[!0-9]*|0) echo "scaling.sh: --repeat '$REPS': expected a positive integer" >&2; exit 2 ;; esac
for k in $KS; do
  case "$k" in ''|*[!0-9]*|0) echo "scaling.sh: --threads entry '$k': expected positive integers" >&2; exit 2 ;; esac
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RAW="$TMP/raw.tsv"
# the side-by-side fixtures (W0, W* Gaussian with spectral norm 0.5, seed 20170101)
python3 benchmarks/fixtures.py "$TMP"
./idrelu --help >/dev/null   # builds the jar if stale (progress on stderr)

NAMES=(); CMDS=(); KEYS=()
add() { NAMES+=("$1"); CMDS+=("$2"); KEYS+=("$3"); }
add "train d=100 B=200" "./idrelu train --d 100 --batch 200 --steps 3000 --warmup-steps 1000 --eta 1e-6 --every 3000 --json" steady_seconds_per_step
add "train d=256 B=256" "./idrelu train --d 256 --batch 256 --steps 600 --warmup-steps 200 --eta 1e-6 --every 600 --json" steady_seconds_per_step
add "eval population fast d=256" "./idrelu eval --fixture $TMP/pop256.json --quantity population --path fast --repeat 50 --warmup 20" seconds_per_eval
add "eval population reference 50 digits d=16" "./idrelu eval --fixture $TMP/pop16.json --quantity population --path reference --digits 50 --repeat 20 --warmup 10" seconds_per_eval

echo "load before: $(uptime)" > "$TMP/load"
for r in $(seq 1 "$REPS"); do
  for i in "${!NAMES[@]}"; do
    for k in $KS; do
      v=$(${CMDS[$i]} --threads "$k" 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['${KEYS[$i]}'])")
      printf '%s\t%s\t%s\n' "${NAMES[$i]}" "$k" "$v" >> "$RAW"
    done
  done
  echo "scaling: repetition $r/$REPS done" >&2
done
echo "load after:  $(uptime)" >> "$TMP/load"

echo "# scaling (--threads K, alternating K within each repetition)"
echo
cat "$TMP/load"
echo "repetitions: $REPS; cores: $(nproc); K: $KS"
echo
python3 - "$RAW" <<'PYEOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
data = {}
for name, k, v in rows:
    data.setdefault(name, {}).setdefault(int(k), []).append(float(v))
print("| workload | K | median s | speedup vs K=1 | efficiency | runs |")
print("|---|---|---|---|---|---|")
for name, byk in data.items():
    base = statistics.median(byk[min(byk)])
    for k in sorted(byk):
        m = statistics.median(byk[k])
        s = base / m
        print(f"| {name} | {k} | {m:.4g} | {s:.2f}x | {s / k:.2f} | {', '.join(f'{x:.3g}' for x in byk[k])} |")
PYEOF
echo
echo "commands (each with --threads K appended):"
for i in "${!NAMES[@]}"; do echo "  ${NAMES[$i]}: ${CMDS[$i]}"; done
