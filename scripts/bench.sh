#!/usr/bin/env bash
# Builds the JMH benchmarks (functions/benchmarks) and runs them: the speed check of issue 2, not a test.
#
#   scripts/bench.sh                         evaluation, preset loading (steady state), then the cold start
#   scripts/bench.sh EvaluateBenchmark       only the benchmarks matching a regex
#   scripts/bench.sh Evaluate -prof gc       any JMH option passes through (java -jar benchmarks.jar -h lists them)
#   scripts/bench.sh PolicyColdLoad -f 10 -wi 0 -i 1    the cold start alone, one shot in each of 10 fresh JVMs
#
# Defaults: one thread, one fork, 3 warmup and 5 measurement iterations of 2 s each; an option given on the
# command line replaces its default. The machine has 2 cores and others may be building, so the wall-clock score
# drops when they do: read score ± error, and the cpu.ops line (operations per CPU-second of the benchmark JVM,
# from -prof dev.handoff.benchmarks.CpuTimeProfiler), which contention hardly moves.
set -euo pipefail

source "$(dirname "$0")/lib/java.sh"
cd "$(dirname "$0")/.."

./mvnw -B -q -pl functions/benchmarks -am package -DskipTests

jar=functions/benchmarks/target/benchmarks.jar
defaults=(-t 1 -f 1 -wi 3 -w 2s -i 5 -r 2s)

# The defaults, less any option the caller gives.
with_defaults() {
  local out=() i
  for ((i = 0; i < ${#defaults[@]}; i += 2)); do
    local flag=${defaults[i]} given=false arg
    for arg in "$@"; do [ "$arg" = "$flag" ] && given=true; done
    $given || out+=("$flag" "${defaults[i + 1]}")
  done
  [ ${#out[@]} -eq 0 ] || printf '%s\n' "${out[@]}"
}

run() {
  local opts
  mapfile -t opts < <(with_defaults "$@")
  echo "+ java -jar $jar ${opts[*]} $*" >&2
  java -jar "$jar" "${opts[@]}" "$@"
}

if [ $# -gt 0 ]; then
  run "$@"
else
  # Steady state, with CPU time per operation beside the wall-clock score (see CpuTimeProfiler).
  run EvaluateBenchmark -prof dev.handoff.benchmarks.CpuTimeProfiler
  # The loader (SnakeYAML, binding, validation) is much more code for the JIT, which shares the cores with
  # everything else here: it gets a longer warmup.
  run PolicyLoadBenchmark -wi 10 -w 1s -prof dev.handoff.benchmarks.CpuTimeProfiler
  # A cold start is one shot in a fresh JVM, so it gets forks instead of iterations.
  run PolicyColdLoad -f 10 -wi 0 -i 1
fi
