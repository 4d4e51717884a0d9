#!/usr/bin/env bash
# One jar, the reference benchmark command (eval --path reference --digits 50 at d = 16, pop16.json, --repeat 20
# --warmup 10) under several JVM option sets, ALTERNATING in one invocation; prints per option set the median
# seconds_per_eval (ms) and the median of the process's minor page faults (GNU time %R). A diagnosis of the cold
# cost (benchmarks/README.md "Stop 18b: reference"), not a recommendation: the launcher's flags are unchanged.
# Usage: benchmarks/ref-jvm-flags.sh JAR [N=5] ['opts A' 'opts B' ...]
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${1:?jar}; N=${2:-5}; shift $(( $# >= 2 ? 2 : 1 ))
OPTS=("$@"); [ ${#OPTS[@]} -gt 0 ] || OPTS=("-Dnone=1" "-XX:+UseSerialGC" "-XX:+AlwaysPreTouch" "-XX:TieredStopAtLevel=1")
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
python3 benchmarks/fixtures.py "$TMP" 16   # side-by-side.sh's pop16.json
echo "load before: $(uptime)"
for _ in $(seq 1 "$N"); do
  for i in "${!OPTS[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%R" -o "$TMP/faults" java ${OPTS[$i]} --add-modules=jdk.incubator.vector -jar "$JAR" eval \
      --fixture "$TMP/pop16.json" --quantity population --path reference --digits 50 --repeat 20 --warmup 10 2>/dev/null \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds_per_eval"]*1e3)' >> "$TMP/ms.$i"
    tail -1 "$TMP/faults" >> "$TMP/faults.$i"
  done
done
echo "load after:  $(uptime)"
for i in "${!OPTS[@]}"; do
  python3 - "${OPTS[$i]}" "$TMP/ms.$i" "$TMP/faults.$i" <<'PYEOF'
import statistics as st, sys
ms = [float(x) for x in open(sys.argv[2])]; faults = [float(x) for x in open(sys.argv[3])]
print(f"{sys.argv[1]:28s} median {st.median(ms):6.2f} ms  faults {st.median(faults):7.0f}  runs {' '.join(f'{x:.2f}' for x in ms)}")
PYEOF
done
