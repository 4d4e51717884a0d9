#!/usr/bin/env bash
# Side-by-side Java vs numpy/mpmath, ONE invocation: for each repetition and each case, the Java
# side (io.idrelu.bench.SideBySide, fresh JVM per case so no case pollutes another's JIT profile)
# then the numpy side (benchmarks/compare_numpy.py), alternating, so both see the same machine load.
# Times are CPU seconds of the measuring thread (the machine is shared); single-threaded BLAS.
# The numpy side runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (in that command only), so
# OpenBLAS picks its native kernel for this CPU; the kernel it picked is printed (threadpoolctl).
# Usage: benchmarks/compare.sh [reps=5] [cases=comma,list]   -> benchmarks/results/<date>.md
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-5}
CASES=${2:-sample_B256,sample_B1,sgd_B256_double,sgd_B256_float,sgd_B1_double,sgd_B1_float,pop_d256_double,ref50_d16}
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -o package -DskipTests >/dev/null
fi
CP=$(benchmarks/classpath.sh)
RAW=$(mktemp)
JAVA_CMD=(java --add-modules=jdk.incubator.vector -XX:+UseParallelGC -Xmx1g -cp "$CP" io.idrelu.bench.SideBySide)
PY_CMD=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
        python3 benchmarks/compare_numpy.py)
for rep in $(seq 1 "$REPS"); do
  for c in ${CASES//,/ }; do
    "${JAVA_CMD[@]}" cases="$c" 2>/dev/null | sed "s/^/java\t$rep\t/" >> "$RAW"
    "${PY_CMD[@]}" --cases "$c" | sed "s/^/numpy\t$rep\t/" >> "$RAW"
  done
  # OpenBLAS's own single-thread dgemm rate, same script, same alternation.
  "${PY_CMD[@]}" --cases dgemm_256,dgemm_1024 | sed "s/^/numpy\t$rep\t/" >> "$RAW"
  echo "rep $rep/$REPS done" >&2
done
python3 benchmarks/summarise.py "$RAW" "$REPS" "${JAVA_CMD[*]} cases=<case>" "${PY_CMD[*]} --cases <case>"
# keep the per-run lines (side, rep, case, median, min, samples) next to the summary
cat "$RAW" >> "benchmarks/results/$(date -u +%Y-%m-%d)-raw.tsv"
rm -f "$RAW"
