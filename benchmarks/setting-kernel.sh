#!/usr/bin/env bash
# Scalar vs vector generic setting kernel (issue 11): one SettingSgd step at d, B (default 64, 64) per setting,
# one JVM per (setting, kernel), alternating scalar, vector, scalar, ... for REPS repetitions so both see the same
# load. Prints every run's median CPU seconds per step, then per setting the median over runs and the ratio
# scalar/vector (> 1: vector faster). Usage: benchmarks/setting-kernel.sh [REPS] [d] [B]
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}; D=${2:-64}; B=${3:-64}
CP=$(benchmarks/classpath.sh)
RAW=$(mktemp)
trap 'rm -f "$RAW"' EXIT
echo "load before: $(uptime)"
for rep in $(seq 1 "$REPS"); do
  for c in ly17 leaky softplus gelu blocks3 noise; do
    for k in scalar vector; do
      java --add-modules=jdk.incubator.vector -cp "$CP" io.idrelu.bench.SettingStepBench d="$D" batch="$B" \
          kernel="$k" cases="$c" samples=9 chunk=0.15 warmup=3 2>/dev/null | awk -v k="$k" -F'\t' \
          '$1 !~ /^#/ && $1 != "setting" { print $1 "\t" k "\t" (k == "scalar" ? $2 : $3) }' >> "$RAW"
    done
  done
done
echo "load after:  $(uptime)"
python3 - "$RAW" <<'PY'
import collections, statistics, sys
v = collections.defaultdict(list)
for line in open(sys.argv[1]):
    c, k, t = line.split("\t"); v[(c, k)].append(float(t))
print("| setting | scalar s/step (median) | vector s/step (median) | scalar/vector | scalar runs | vector runs |")
print("|---|---|---|---|---|---|")
for c in dict.fromkeys(c for c, _ in v):
    s, w = v[(c, "scalar")], v[(c, "vector")]
    print(f"| {c} | {statistics.median(s):.3e} | {statistics.median(w):.3e} | {statistics.median(s) / statistics.median(w):.2f}x "
          f"| {', '.join(f'{x:.3g}' for x in s)} | {', '.join(f'{x:.3g}' for x in w)} |")
PY
