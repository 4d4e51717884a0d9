#!/usr/bin/env bash
# Stop 21 A/B of Parallel (executor hand-off vs spinning workers) at --threads 2: OLD.jar and NEW.jar alternating,
# 5 pairs per workload, both under the launcher's flags (serial GC). Usage: bash THIS OLD.jar NEW.jar
OLD=$1; NEW=$2; J=(java --add-modules=jdk.incubator.vector -XX:+UseSerialGC -jar)
uptime
for w in "train --d 100 --batch 200 --steps 3000 --warmup-steps 1000 --eta 1e-6 --every 3000 --json --threads 2|steady_seconds_per_step" \
         "train --d 256 --batch 256 --steps 600 --warmup-steps 200 --eta 1e-6 --every 600 --json --threads 2|steady_seconds_per_step"; do
  cmd=${w%|*}; key=${w#*|}; o=(); n=()
  for r in 1 2 3 4 5; do
    o+=($("${J[@]}" "$OLD" $cmd 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['$key'])"))
    n+=($("${J[@]}" "$NEW" $cmd 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['$key'])"))
  done
  python3 -c "import statistics as s,sys; o=list(map(float,sys.argv[1].split())); n=list(map(float,sys.argv[2].split())); print(f'{sys.argv[3]}: old median {s.median(o):.4g} s, new {s.median(n):.4g} s, old/new {s.median(o)/s.median(n):.2f}x; old {o}; new {n}')" "${o[*]}" "${n[*]}" "$cmd"
done
uptime
