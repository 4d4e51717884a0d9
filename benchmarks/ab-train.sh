#!/usr/bin/env bash
# Two idrelu jars (e.g. main's and a branch's) and numpy on the double minibatch SGD step, ALTERNATING in one
# invocation (old, new, numpy, old, new, numpy, ... per workload and repetition) so all three see the same machine
# load. Same commands as side-by-side.sh's train workloads: the CLI's steady_seconds_per_step (after --warmup-steps)
# and benchmarks/numpy_peer.py's seconds_per_step, one thread each; numpy's single-thread dgemm rate (256) in the
# same run, to state the step's effective rate 6 B d^2 / t against it.
#
# Usage: benchmarks/ab-train.sh OLD.jar NEW.jar [--repeat N] [--quick]
#   OLD.jar, NEW.jar: shaded jars (target/idrelu-*-all.jar; copy main's before building the branch).
#   Both run with -XX:+UseSerialGC, the ./idrelu launcher's collector (since stop 18b).
set -euo pipefail
cd "$(dirname "$0")/.."
OLD="${1:?usage: ab-train.sh OLD.jar NEW.jar [--repeat N] [--quick]}"
NEW="${2:?usage: ab-train.sh OLD.jar NEW.jar [--repeat N] [--quick]}"
shift 2
REPS=5
S=1
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) REPS="${2:?--repeat needs a number}"; shift 2 ;;
    --quick) REPS=1; S=10; shift ;;
    *) echo "ab-train.sh: unknown argument '$1': expected --repeat N or --quick" >&2; exit 2 ;;
  esac
done
for j in "$OLD" "$NEW"; do
  [ -f "$j" ] || { echo "ab-train.sh: jar '$j' not found: expected a shaded idrelu jar" >&2; exit 2; }
done
case "$REPS" in ''|*[!0-9]*|0) echo "ab-train.sh: --repeat '$REPS': expected a positive integer" >&2; exit 2 ;; esac
RAW=$(mktemp)
trap 'rm -f "$RAW"' EXIT
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python3 benchmarks/numpy_peer.py)

# name|d|B|steps|warmup
WORK=("d=100 B=200|100|200|$((3000 / S))|$((1000 / S))" "d=256 B=256|256|256|$((600 / S))|$((200 / S))")
jar_step() { # jar d B steps warmup -> steady seconds per step
  java --add-modules=jdk.incubator.vector -XX:+UseSerialGC -jar "$1" train --d "$2" --batch "$3" --steps "$4" --warmup-steps "$5" \
      --eta 1e-6 --every "$4" --json 2>/dev/null \
    | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o.get("steady_seconds_per_step") or o["seconds_per_step"])'
}
LOAD_BEFORE=$(uptime)
for rep in $(seq 1 "$REPS"); do
  for w in "${WORK[@]}"; do
    IFS='|' read -r name d b steps warm <<<"$w"
    printf '%s\told\t%s\n' "$name" "$(jar_step "$OLD" "$d" "$b" "$steps" "$warm")" >> "$RAW"
    printf '%s\tnew\t%s\n' "$name" "$(jar_step "$NEW" "$d" "$b" "$steps" "$warm")" >> "$RAW"
    p=$("${PY[@]}" train "$d" "$b" "$steps" "$warm" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds_per_step"])')
    printf '%s\tnumpy\t%s\n' "$name" "$p" >> "$RAW"
  done
  g=$("${PY[@]}" dgemm 256 $((20 / S)) | python3 -c 'import json,sys; print(json.load(sys.stdin)["gflops"])')
  printf 'dgemm\tnumpy\t%s\n' "$g" >> "$RAW"
  echo "ab-train: repetition $rep/$REPS done" >&2
done
LOAD_AFTER=$(uptime)
python3 - "$RAW" "$REPS" "$LOAD_BEFORE" "$LOAD_AFTER" "$OLD" "$NEW" <<'PYEOF'
import collections, statistics, sys
raw, reps, before, after, old, new = sys.argv[1:]
v = collections.defaultdict(list)
for line in open(raw):
    name, side, val = line.rstrip("\n").split("\t")
    v[(name, side)].append(float(val))
g = statistics.median(v[("dgemm", "numpy")])
print(f"# ab-train: old {old} vs new {new} vs numpy, alternating, {reps} repetitions")
print(f"load before: {before}\nload after:  {after}")
print(f"numpy single-thread dgemm 256: median {g:.1f} GFLOP/s (runs {', '.join(f'{x:.1f}' for x in v[('dgemm', 'numpy')])})\n")
print("| workload | old median s | new median s | numpy median s | old/new | numpy/new | numpy/old | new rate GFLOP/s (6Bd^2/t) | new / dgemm |")
print("|---|---|---|---|---|---|---|---|---|")
for name in dict.fromkeys(n for (n, s) in v if n != "dgemm"):
    o, n, p = (statistics.median(v[(name, s)]) for s in ("old", "new", "numpy"))
    d, b = (int(t.split("=")[1]) for t in name.split())
    rate = 6 * b * d * d / n / 1e9
    print(f"| {name} | {o:.4g} | {n:.4g} | {p:.4g} | {o / n:.2f}x | {p / n:.2f}x | {p / o:.2f}x | {rate:.1f} | {rate / g:.2f} |")
print()
for name in dict.fromkeys(n for (n, s) in v if n != "dgemm"):
    for s in ("old", "new", "numpy"):
        print(f"{name} {s}: {', '.join(f'{x:.4g}' for x in v[(name, s)])}")
PYEOF
