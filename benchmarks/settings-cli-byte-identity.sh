#!/usr/bin/env bash
# Usage: OLD_JAR=/path/to/main/target/idrelu-*-all.jar benchmarks/settings-cli-byte-identity.sh (after mvn package here)
# Old (main 227556f) vs new (cliset) jar on the same commands; timing fields/lines removed; prints SAME/DIFF per case.
old="${OLD_JAR:?set OLD_JAR to a jar built from main}"; here="$(cd "$(dirname "$0")" && pwd)"; new="${NEW_JAR:-$(ls -t "$here"/../target/idrelu-*-all.jar | head -1)}"
work=$(mktemp -d); fx=$work/fx.json
echo '{"d": 2, "identity": true, "W": [[0.1, -0.2], [0.3, 0.05]], "Wstar": [[-0.1, 0.2], ["0.1", 0.4]], "X": [[1, -0.5], [0.25, 2], [-1, -1]]}' > $fx
clean() { python3 -c '
import sys, json, re
t = sys.stdin.read()
try:
    j = json.loads(t)
    def strip(n):
        if isinstance(n, dict):
            return {k: strip(v) for k, v in n.items() if not re.search(r"seconds|warmup_steps|steady_steps", k)}
        if isinstance(n, list): return [strip(v) for v in n]
        return n
    print(json.dumps(strip(j), indent=1))
except Exception:
    print("\n".join(l for l in t.splitlines() if not re.match(r"(seconds per step|steady state)", l)))
'; }
n=0; bad=0
case_() { # name, old args ||| new args
  local name="$1"; shift
  local oa=() na=() side=o
  for a in "$@"; do if [ "$a" = "|||" ]; then side=n; continue; fi; if [ $side = o ]; then oa+=("$a"); else na+=("$a"); fi; done
  [ ${#na[@]} -eq 0 ] && na=("${oa[@]}")
  local o n1 eo en
  o=$(cd $work/o && java --add-modules=jdk.incubator.vector -jar $old "${oa[@]}" 2>/dev/null); eo=$?
  n1=$(cd $work/n && java --add-modules=jdk.incubator.vector -jar $new "${na[@]}" 2>/dev/null); en=$?
  n=$((n+1))
  if [ "$(echo "$o" | clean)" == "$(echo "$n1" | clean)" ] && [ $eo = $en ]; then echo "SAME (exit $eo, $(echo "$o" | wc -c) bytes) $name: new args: ${na[*]}"; else echo "DIFF $name"; bad=$((bad+1)); diff <(echo "$o" | clean) <(echo "$n1" | clean) | head -10; fi
}
mkdir -p $work/o $work/n
T="train --d 8 --batch 16 --steps 200 --eta 0.05 --seed 3"
case_ "train text" $T
case_ "train json" $T --json
case_ "train vanilla json" $T --vanilla --json
case_ "train both json" train --d 5 --batch 4 --steps 20 --eta 0.05 --seed 2 --path both --json
case_ "train reference text" train --d 4 --batch 2 --steps 10 --eta 0.05 --path reference
case_ "train float json" $T --precision float --json
case_ "train scalar kernel threads" $T --kernel scalar --json
case_ "train --setting ly17 json" $T --json "|||" $T --json --setting ly17
case_ "train --init gamma:0.5 vs --gamma 0.5" $T --gamma 0.5 --json "|||" $T --init gamma:0.5 --json
case_ "train --setting ly17 --vanilla" $T --vanilla "|||" $T --setting ly17 --vanilla
case_ "train --activation relu --noise 0 --blocks 1" $T --json "|||" $T --json --activation relu --noise 0 --blocks 1
case_ "train diverging (exit 1)" train --d 32 --eta 0.2 --batch 1 --steps 300 --seed 1
case_ "train trace" train --d 4 --steps 50 --eta 0.05 --trace t.csv --json
( cmp $work/o/t.csv $work/n/t.csv && echo "SAME trace csv" ) || { echo "DIFF trace csv"; bad=$((bad+1)); }
case_ "eval batch reference" eval --fixture $fx --quantity batch
case_ "eval forward fast" eval --fixture $fx --quantity forward --path fast
case_ "eval population fast" eval --fixture $fx --quantity population --path fast
case_ "eval population reference --setting ly17" eval --fixture $fx --quantity population --digits 30 "|||" eval --fixture $fx --quantity population --digits 30 --setting ly17
case_ "eval population float" eval --fixture $fx --quantity population --path fast --precision float
case_ "audit text" audit --d 5 --seed 2
case_ "audit json --setting ly17" audit --d 4 --seed 2 --json "|||" audit --d 4 --seed 2 --json --setting ly17
case_ "audit fixture double json" audit --fixture $fx --precision double --json
case_ "audit fixture --activation relu" audit --fixture $fx "|||" audit --fixture $fx --activation relu
echo "cases $n, differences $bad"
