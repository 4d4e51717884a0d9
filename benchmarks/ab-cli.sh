#!/usr/bin/env bash
# Two idrelu jars (e.g. the previous stop's and this one's) on side-by-side.sh's idrelu commands, ALTERNATING in one
# invocation (old, new, old, new, ... per workload and repetition) so both see the same machine load. What this
# measures is what the code changed on this machine; side-by-side.sh measures where idrelu stands against numpy.
# Prints per workload the median of each jar, old/new (> 1: new faster), every run, the commands and the load.
#
# Usage: benchmarks/ab-cli.sh OLD.jar NEW.jar [--repeat N] [--only WORD]
#   OLD.jar, NEW.jar: shaded jars (target/idrelu-*-all.jar; copy one away before building the other).
#   N alternations per workload (default 5); --only: the workloads whose name contains WORD.
#   OLD_JAVA_OPTS / NEW_JAVA_OPTS (environment; unset: -XX:+UseSerialGC, the ./idrelu launcher's collector since
#   stop 18b, so both jars run as users run them): JVM options of each side, e.g. the same jar twice with
#   OLD_JAVA_OPTS= (empty: the JVM's default G1) to measure a launcher flag on every workload.
set -euo pipefail
OLD_JAVA_OPTS=${OLD_JAVA_OPTS--XX:+UseSerialGC}
NEW_JAVA_OPTS=${NEW_JAVA_OPTS--XX:+UseSerialGC}
cd "$(dirname "$0")/.."
OLD="${1:?usage: ab-cli.sh OLD.jar NEW.jar [--repeat N] [--only WORD]}"
NEW="${2:?usage: ab-cli.sh OLD.jar NEW.jar [--repeat N] [--only WORD]}"
shift 2
REPS=5
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) REPS="${2:?--repeat needs a number}"; shift 2 ;;
    --only) ONLY="${2:?--only needs a word}"; shift 2 ;;
    *) echo "ab-cli.sh: unknown argument '$1': expected --repeat N or --only WORD" >&2; exit 2 ;;
  esac
done
for j in "$OLD" "$NEW"; do
  [ -f "$j" ] || { echo "ab-cli.sh: jar '$j' not found: expected a shaded idrelu jar" >&2; exit 2; }
done
case "$REPS" in ''|*[!0-9]*|0) echo "ab-cli.sh: --repeat '$REPS': expected a positive integer" >&2; exit 2 ;; esac
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RAW="$TMP/raw.tsv"

# The fixtures of side-by-side.sh (W0, W* Gaussian with spectral norm 0.5, seed 20170101).
python3 benchmarks/fixtures.py "$TMP"

WORK=()   # name|arguments after "java ... -jar JAR"|JSON key
add() { case "$1" in *"$ONLY"*) WORK+=("$1|$2|$3") ;; esac; }
add "train d=100 B=200" "train --d 100 --batch 200 --steps 3000 --warmup-steps 1000 --eta 1e-6 --every 3000 --json" steady_seconds_per_step
add "train d=256 B=256" "train --d 256 --batch 256 --steps 600 --warmup-steps 200 --eta 1e-6 --every 600 --json" steady_seconds_per_step
add "train d=256 B=1" "train --d 256 --batch 1 --steps 30000 --warmup-steps 10000 --eta 1e-6 --every 30000 --json" steady_seconds_per_step
add "eval population fast d=256" "eval --fixture $TMP/pop256.json --quantity population --path fast --repeat 50 --warmup 20" seconds_per_eval
add "eval population reference 50 digits d=16" "eval --fixture $TMP/pop16.json --quantity population --path reference --digits 50 --repeat 20 --warmup 10" seconds_per_eval
[ "${#WORK[@]}" -gt 0 ] || { echo "ab-cli.sh: --only '$ONLY' matches no workload" >&2; exit 2; }

LOAD_BEFORE=$(uptime)
for rep in $(seq 1 "$REPS"); do
  for w in "${WORK[@]}"; do
    IFS='|' read -r name args key <<<"$w"
    for side in old new; do
      jar=$([ "$side" = old ] && echo "$OLD" || echo "$NEW")
      opts=$([ "$side" = old ] && echo "${OLD_JAVA_OPTS}" || echo "${NEW_JAVA_OPTS}")
      # shellcheck disable=SC2086  # args and opts are word lists by construction
      t=$(java --add-modules=jdk.incubator.vector $opts -jar "$jar" $args 2>/dev/null \
          | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$key")
      printf '%s\t%s\t%s\n' "$name" "$side" "$t" >> "$RAW"
    done
  done
  echo "ab-cli: repetition $rep/$REPS done" >&2
done
LOAD_AFTER=$(uptime)

python3 - "$RAW" <<PYEOF
import collections, statistics, sys
v = collections.defaultdict(list)
names = []
for line in open(sys.argv[1]):
    name, side, t = line.rstrip("\n").split("\t")
    v[(name, side)].append(float(t))
    if name not in names:
        names.append(name)
print("# ab-cli: $OLD ${OLD_JAVA_OPTS} (old) vs $NEW ${NEW_JAVA_OPTS} (new), alternating, $REPS repetitions")
print()
print("load before: $LOAD_BEFORE")
print("load after:  $LOAD_AFTER")
print()
print("| workload | old median s | new median s | old/new | old runs | new runs |")
print("|---|---|---|---|---|---|")
for n in names:
    o, w = v[(n, "old")], v[(n, "new")]
    print(f"| {n} | {statistics.median(o):.4g} | {statistics.median(w):.4g} | {statistics.median(o) / statistics.median(w):.2f}x"
          f" | {', '.join(f'{x:.3g}' for x in o)} | {', '.join(f'{x:.3g}' for x in w)} |")
print()
print("commands: java --add-modules=jdk.incubator.vector OPTS -jar JAR ARGS (pop16/pop256.json: side-by-side.sh's fixtures), with ARGS:")
for w in """$(printf '%s\n' "${WORK[@]}")""".splitlines():
    name, args, key = w.split("|")
    print(f"  {name}: {args.replace('$TMP/', '')}  ({key})")
PYEOF
