#!/usr/bin/env bash
# Prints the test runtime classpath (target/test-classes:target/classes:deps) of this project.
# Tries `mvn dependency:build-classpath` first; offline machines whose local repository lacks the
# dependency plugin's own dependencies fall back to the shaded jar plus JMH's jars from ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/test-classpath.txt
if mvn -B -ntp -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out" >/dev/null 2>&1 \
    && [ -s "$out" ]; then
  deps=$(cat "$out")
else
  m2=${M2_REPO:-$HOME/.m2/repository}
  shaded=$(ls target/idrelu-*-all.jar 2>/dev/null | head -1)
  [ -n "$shaded" ] || { echo "classpath.sh: no target/idrelu-*-all.jar; run mvn -o package -DskipTests" >&2; exit 1; }
  deps="$shaded:$m2/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar:$m2/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar:$m2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
fi
echo "target/test-classes:target/classes:$deps"
