#!/usr/bin/env bash
# Starts the whole Handoff function set on this machine (PRODUCT §6): DynamoDB Local embedded, no Docker.
#   ./scripts/run-local.sh [--port 3000] [--policy FILE|PRESET] [--alerts-file .local/alerts.jsonl]
#                          [--dynamodb-port PORT] [--data DIR]
# --dynamodb-port: where DynamoDB Local listens (default a free port); it prints
#   `dynamodb on http://127.0.0.1:PORT table NAME` before `listening on`, for what-if.sh and requalify.sh.
# --data DIR: keep the table in DIR across restarts (DynamoDB Local's file-backed mode); default in memory.
# Builds what it needs on first run (and again when sources changed). Ctrl-C stops it cleanly.
set -euo pipefail
caller="$PWD"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source scripts/lib/java.sh

jar=functions/local/target/handoff-local.jar
stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find pom.xml policies functions -newer "$jar" \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' \) \
          -not -path '*/target/*' -print -quit 2>/dev/null)" ]
}
# HANDOFF_LOCAL_NO_BUILD=1: use the jar as it is (the build that made it runs the stack test itself).
if [ -z "${HANDOFF_LOCAL_NO_BUILD:-}" ] && stale; then
  echo "building the local stack (first run, or sources changed)..."
  ./mvnw -B -q -ntp install -DskipTests -pl functions/local -am >&2
fi

# exec: Ctrl-C and SIGTERM reach the JVM, whose shutdown hook stops the engines.
# From the caller's directory, so --policy, --alerts-file and --data name files as the caller sees them.
cd "$caller"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -jar "$root/$jar" "$@"
