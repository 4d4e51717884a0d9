#!/usr/bin/env bash
# Builds the project and runs the JMH benchmarks in src/test/java/io/idrelu/bench.
# Usage: benchmarks/run-jmh.sh [JMH args...]   e.g.
#   benchmarks/run-jmh.sh SgdStepBench -p kernel=vector -p d=256 -p batch=256
#   benchmarks/run-jmh.sh PopulationBench -p d=256 -prof gc
#   benchmarks/run-jmh.sh -l                   (list benchmarks)
# The forks get --add-modules=jdk.incubator.vector from each class's @Fork(jvmArgsAppend).
# Quick look: -f 1 -wi 2 -i 3 -w 1 -r 1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -o package -DskipTests >/dev/null
fi
CP=$(benchmarks/classpath.sh)
exec java --add-modules=jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$@"
