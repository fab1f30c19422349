#!/usr/bin/env bash
# Figures for the policy tools (PRODUCT §7), not a test: what-if's contacts/s and memory on generated tables in
# DynamoDB Local, and requalify's cost per contact in DynamoDB units. See PolicyToolsBenchmark.
#   scripts/bench-policy-tools.sh                  10,000 then 100,000 contacts (about 10 minutes on 2 busy cores)
#   scripts/bench-policy-tools.sh 10000            one size
# The machine's other work moves the wall-clock figures: run it when it is quiet, and read them as such.
set -euo pipefail
source "$(dirname "$0")/lib/java.sh"
cd "$(dirname "$0")/.."
root=$(pwd)

./mvnw -B -q -ntp install -DskipTests -pl functions/policy-tools -am
cp_file=functions/policy-tools/target/bench-classpath.txt
./mvnw -B -q -ntp -pl functions/policy-tools dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/$cp_file" >/dev/null
cp="functions/policy-tools/target/test-classes:functions/policy-tools/target/classes:$(cat "$cp_file")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.handoff.tools.PolicyToolsBenchmark \
  --jar functions/policy-tools/target/policy-tools.jar "$@"
