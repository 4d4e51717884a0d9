#!/usr/bin/env bash
# idrelu's CLI against the same work written as a numpy user writes it (benchmarks/numpy_peer.py: plain numpy,
# mpmath for the reference) and PyTorch where installed, ALTERNATING in one invocation (java, numpy, java,
# numpy, ... per workload and repetition), so both sides see the same machine load. Prints per workload the
# median of each side, the ratio numpy/idrelu (> 1: idrelu faster), the exact command lines, the load average
# before and after, and numpy's own single-thread dgemm rate measured in the same run.
#
# What each side times (wall clock of the work only):
#   idrelu train   steady_seconds_per_step (after --warmup-steps) when the CLI has it, else seconds_per_step
#   idrelu eval    seconds_per_eval: median of --repeat N evaluations after --warmup W (no parsing, no JSON)
#   numpy          the same quantities, after warm-up, time.perf_counter (numpy_peer.py)
# numpy runs single-threaded (OPENBLAS_NUM_THREADS=1) with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset in that
# command only, so OpenBLAS picks its native kernel (see /work/.library/env/README.md); idrelu runs 1 thread.
#
# Usage: benchmarks/side-by-side.sh [--quick] [--repeat N] [--only WORD]
#   N alternations per workload (default 5); --quick: 1 and short runs, to check the script; --only: the workloads
#   whose name contains WORD (e.g. "eval", "train", "d=256"). Run on a quiet machine: figures are only as good as
#   the load.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=5
QUICK=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; REPS=1; shift ;;
    --repeat) REPS="${2:?--repeat needs a number}"; shift 2 ;;
    --only) ONLY="${2:?--only needs a word}"; shift 2 ;;
    *) echo "side-by-side.sh: unknown argument '$1': expected --quick, --repeat N or --only WORD" >&2; exit 2 ;;
  esac
done
case "$REPS" in ''|*[!0-9]*|0) echo "side-by-side.sh: --repeat '$REPS': expected a positive integer" >&2; exit 2 ;; esac

S=$([ "$QUICK" = 1 ] && echo 10 || echo 1)          # step / repeat divisor in quick mode
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RAW="$TMP/raw.tsv"
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python3 benchmarks/numpy_peer.py)

# fixtures: the numpy peer's problem (W0, W* Gaussian with spectral norm 0.5, seed 20170101)
python3 benchmarks/fixtures.py "$TMP"
./idrelu --version >/dev/null 2>&1 || ./idrelu --help >/dev/null   # builds the jar if stale (progress on stderr)

WARM_OPT=0
./idrelu train --help 2>/dev/null | grep -q -- '--warmup-steps' && WARM_OPT=1

train_java() { # d batch steps warmup
  local extra=()
  [ "$WARM_OPT" = 1 ] && extra=(--warmup-steps "$4")
  echo ./idrelu train --d "$1" --batch "$2" --steps "$3" ${extra[@]+"${extra[@]}"} --eta 1e-6 --every "$3" --json
}
WORK=()   # name|java command|numpy command|java JSON key
add() { case "$1" in *"$ONLY"*) WORK+=("$1|$2|$3|$4") ;; esac; }
add "train d=100 B=200"  "$(train_java 100 200 $((3000 / S)) $((1000 / S)))"  "${PY[*]} train 100 200 $((3000 / S)) $((1000 / S))"  steady
add "train d=256 B=256"  "$(train_java 256 256 $((600 / S)) $((200 / S)))"    "${PY[*]} train 256 256 $((600 / S)) $((200 / S))"    steady
add "train d=256 B=1"    "$(train_java 256 1 $((30000 / S)) $((10000 / S)))"  "${PY[*]} train 256 1 $((3000 / S)) $((300 / S))"     steady
add "eval population fast d=256" \
    "./idrelu eval --fixture $TMP/pop256.json --quantity population --path fast --repeat $((50 / S)) --warmup $((20 / S))" \
    "${PY[*]} population 256 $((50 / S))" seconds_per_eval
# two threads against numpy at OpenBLAS's default thread count (issue 10's separate multi-core ratio)
PY_DEFAULT=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u OPENBLAS_NUM_THREADS -u OMP_NUM_THREADS -u MKL_NUM_THREADS python3 benchmarks/numpy_peer.py)
if ./idrelu eval --help 2>/dev/null | grep -q -- '--threads'; then
  add "eval population fast d=256, 2 threads vs numpy default threads" \
      "./idrelu eval --fixture $TMP/pop256.json --quantity population --path fast --repeat $((50 / S)) --warmup $((20 / S)) --threads 2" \
      "${PY_DEFAULT[*]} population 256 $((50 / S))" seconds_per_eval
fi
add "eval population reference 50 digits d=16" \
    "./idrelu eval --fixture $TMP/pop16.json --quantity population --path reference --digits 50 --repeat $((20 / S)) --warmup $((10 / S))" \
    "${PY[*]} reference 16 50 $(( (5 / S) > 0 ? 5 / S : 1 ))" seconds_per_eval

value() { # key, JSON on stdin -> seconds
  python3 -c '
import json, sys
o = json.load(sys.stdin); k = sys.argv[1]
if k == "steady":
    v = o.get("steady_seconds_per_step")
    print(v if v is not None else o["seconds_per_step"])
elif k in o:
    print(o[k])
else:
    print(o["seconds_per_step"] if "seconds_per_step" in o else o["seconds_per_eval"])' "$1"
}

LOAD_BEFORE=$(uptime)
for rep in $(seq 1 "$REPS"); do
  for w in "${WORK[@]}"; do
    IFS='|' read -r name jcmd pcmd key <<<"$w"
    j=$(eval "$jcmd" 2>/dev/null | value "$key")
    printf '%s\tidrelu\t%s\t%s\n' "$name" "$rep" "$j" >> "$RAW"
    p=$(eval "$pcmd" | value "$( [ "$key" = steady ] && echo seconds_per_step || echo "$key")")
    printf '%s\tnumpy\t%s\t%s\n' "$name" "$rep" "$p" >> "$RAW"
  done
  for n in 256 1024; do
    g=$("${PY[@]}" dgemm "$n" $((20 / S)) | python3 -c 'import json,sys; print(json.load(sys.stdin)["gflops"])')
    printf 'dgemm %s\tnumpy\t%s\t%s\n' "$n" "$rep" "$g" >> "$RAW"
  done
  echo "side-by-side: repetition $rep/$REPS done" >&2
done
LOAD_AFTER=$(uptime)

if python3 -c 'import torch' 2>/dev/null; then
  TORCH="PyTorch is installed, but no PyTorch peer is written yet: not measured"
else
  TORCH="PyTorch: not installed (python3 -c 'import torch' fails): skipped"
fi

python3 - "$RAW" "$REPS" "$QUICK" <<PYEOF
import collections, statistics, sys
raw, reps, quick = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
v = collections.defaultdict(list)
for line in open(raw):
    name, side, rep, val = line.rstrip("\n").split("\t")
    v[(name, side)].append(float(val))
print("# side-by-side" + (" (QUICK MODE: short runs, 1 repetition; for checking the script only)" if quick else ""))
print()
print("load before: $LOAD_BEFORE")
print("load after:  $LOAD_AFTER")
print("repetitions per workload (alternating idrelu, numpy):", reps)
print("$TORCH")
print()
print("| workload | idrelu median s | numpy median s | numpy/idrelu (median) | idrelu runs | numpy runs |")
print("|---|---|---|---|---|---|")
names = []
for (n, s) in v:
    if n not in names and not n.startswith("dgemm"):
        names.append(n)
for n in names:
    j, p = v[(n, "idrelu")], v[(n, "numpy")]
    mj, mp = statistics.median(j), statistics.median(p)
    print(f"| {n} | {mj:.4g} | {mp:.4g} | {mp / mj:.2f}x | {', '.join(f'{x:.3g}' for x in j)} | {', '.join(f'{x:.3g}' for x in p)} |")
print()
for n in ("dgemm 256", "dgemm 1024"):
    g = v[(n, "numpy")]
    print(f"numpy single-thread {n}: median {statistics.median(g):.1f} GFLOP/s (runs {', '.join(f'{x:.1f}' for x in g)})")
print()
print("commands:")
PYEOF
for w in "${WORK[@]}"; do
  IFS='|' read -r name jcmd pcmd key <<<"$w"
  printf '  %s\n    idrelu: %s\n    numpy:  %s\n' "$name" "$jcmd" "$pcmd"
done
printf '  dgemm\n    numpy:  %s dgemm N %s\n' "${PY[*]}" $((20 / S))
