#!/usr/bin/env bash
# How fast is a cold start, against a bare handler? The form and tracking functions, each in fresh JVMs started
# from its shaded jar the way Lambda starts a container (C1 only, serial GC, 1024 MB), side by side with a bare
# handler (one PutItem, the same SDK and HTTP client from the same jar), alternating within one run, against
# DynamoDB Local and moto_server on 127.0.0.1. Reports, per function, the project/bare ratio of JVM start to first
# response done (cold) and of the first invocation after priming (project: its SnapStart beforeCheckpoint; bare:
# one real call), and the jar's size. Figures, not a test: see functions/benchmarks/.../coldstart/ColdStart.java.
#
#   scripts/cold-start.sh                     5 rounds per function
#   scripts/cold-start.sh --runs 9            more rounds (a loaded machine: the medians settle)
#   scripts/cold-start.sh --functions form-submission
#   scripts/cold-start.sh --rebuild           rebuild the function jars even though they exist
#   COLDSTART_JAVA_HOME=/path/to/jdk-21 scripts/cold-start.sh   measure another JDK (Lambda runs java21)
#
# Needs moto_server on the PATH (pip install "moto[server]"). Writes functions/benchmarks/target/coldstart/results.md
# and runs.csv.
set -euo pipefail

source "$(dirname "$0")/lib/java.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

rebuild=false
args=()
for arg in "$@"; do
  if [ "$arg" = --rebuild ]; then rebuild=true; else args+=("$arg"); fi
done

if ! command -v moto_server >/dev/null 2>&1; then
  echo 'error: moto_server is not on the PATH; the harness keeps the contact-hash key in its Secrets Manager.' >&2
  echo '       Install it with: pip install "moto[server]"' >&2
  exit 1
fi

out=functions/benchmarks/target/coldstart
mkdir -p "$out"

# The function jars, and the local engines the driver runs (DynamoDB Local, moto).
modules=functions/local-engines,functions/aws
need_build=$rebuild
for fn in form-submission tracking-events; do
  modules+=",functions/$fn"
  [ -f "functions/$fn/target/$fn.jar" ] || need_build=true
done
cp_file=$out/classpath.txt
if $need_build; then
  echo "building the function jars and local engines..." >&2
  ./mvnw -B -q install -DskipTests -pl "$modules" -am
  rm -f "$cp_file"
fi

# The harness's class path (the benchmarks module's dependencies, its provided ones included), resolved once.
if [ ! -s "$cp_file" ] || [ functions/benchmarks/pom.xml -nt "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  if ! ./mvnw -B -q -pl functions/benchmarks dependency:build-classpath -Dmdep.outputFile="$root/$cp_file" >/dev/null; then
    # A fresh machine: the modules it depends on are not in the local repository yet.
    ./mvnw -B -q install -DskipTests -pl "$modules" -am
    ./mvnw -B -q -pl functions/benchmarks dependency:build-classpath -Dmdep.outputFile="$root/$cp_file" >/dev/null
  fi
fi

# The harness alone, compiled apart from the module's own build. -XDstringConcat=inline: the launcher must not
# warm invokedynamic string concatenation before the handler it measures does (for either side).
src=functions/benchmarks/src/main/java/dev/handoff/benchmarks/coldstart
classes=$out/classes
if [ ! -f "$classes/.built" ] || [ -n "$(find "$src" "$cp_file" -newer "$classes/.built" -print -quit)" ]; then
  rm -rf "$classes"
  mkdir -p "$classes"
  "$JAVA_HOME/bin/javac" -d "$classes" -cp "$(cat "$cp_file")" --release 21 -proc:none -XDstringConcat=inline \
    -Xlint:all,-processing,-serial,-path "$src"/*.java
  touch "$classes/.built"
fi

measured_java="${COLDSTART_JAVA_HOME:-$JAVA_HOME}/bin/java"
[ -x "$measured_java" ] || { echo "error: no java at $measured_java (COLDSTART_JAVA_HOME)" >&2; exit 1; }

# --enable-native-access: DynamoDB Local's sqlite4java loads a native library in the driver's JVM.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$classes:$(cat "$cp_file")" \
  dev.handoff.benchmarks.coldstart.ColdStart --root "$root" --java "$measured_java" --out "$root/$out" "${args[@]}"
