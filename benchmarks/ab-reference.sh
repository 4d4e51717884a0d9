#!/usr/bin/env bash
# Two jars on side-by-side.sh's reference workload (eval --path reference --digits 50 at d = 16, --repeat 20
# --warmup 10), ALTERNATING with the mpmath peer in one invocation: old, new, mpmath, old, new, mpmath, ...
# Prints the medians (ms), their ratios and the load before and after.
# Usage: benchmarks/ab-reference.sh OLD.jar NEW.jar [N=5]
# OLD_JAVA_OPTS / NEW_JAVA_OPTS (environment; unset: -XX:+UseSerialGC, the launcher's collector since stop 18b, which
# a bare java -jar does not get): JVM options of each side; OLD_JAVA_OPTS= (empty) runs that side under G1.
set -euo pipefail
OLD_JAVA_OPTS=${OLD_JAVA_OPTS--XX:+UseSerialGC}
NEW_JAVA_OPTS=${NEW_JAVA_OPTS--XX:+UseSerialGC}
cd "$(dirname "$0")/.."
OLD=${1:?old jar}; NEW=${2:?new jar}; N=${3:-5}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
python3 benchmarks/fixtures.py "$TMP" 16   # side-by-side.sh's pop16.json
ms() { python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds_per_eval"]*1e3)'; }
# shellcheck disable=SC2086  # $2: a word list of JVM options
run() { java --add-modules=jdk.incubator.vector $2 -jar "$1" eval --fixture "$TMP/pop16.json" --quantity population --path reference \
          --digits 50 --repeat 20 --warmup 10 2>/dev/null | ms; }
echo "old: $OLD ${OLD_JAVA_OPTS}; new: $NEW ${NEW_JAVA_OPTS}"
echo "load before: $(uptime)"
o=(); n=(); m=()
for _ in $(seq 1 "$N"); do
  o+=("$(run "$OLD" "${OLD_JAVA_OPTS}")"); n+=("$(run "$NEW" "${NEW_JAVA_OPTS}")")
  m+=("$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 python3 benchmarks/numpy_peer.py reference 16 50 5 | ms)")
done
echo "load after:  $(uptime)"
python3 - "${o[*]}" "${n[*]}" "${m[*]}" <<'PYEOF'
import statistics as st, sys
o, n, m = ([float(x) for x in a.split()] for a in sys.argv[1:4])
for name, v in (("old", o), ("new", n), ("mpmath", m)):
    print(f"{name:6s} median {st.median(v):7.2f} ms  runs {' '.join(f'{x:.2f}' for x in v)}")
print(f"new/old {st.median(n) / st.median(o):.3f}  mpmath/new {st.median(m) / st.median(n):.2f}x  mpmath/old {st.median(m) / st.median(o):.2f}x")
PYEOF
