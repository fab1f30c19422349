#!/usr/bin/env bash
# What one tracking event costs on the whole path (EventBridge, SQS, the tracking and qualification functions,
# DynamoDB), for contacts with 5, 50, 200, 1,000 and 5,000 signals in the window, one event at a time per
# contact (the worst case: nothing coalesces). Prints one line per history size:
#
#   signals=N ingest_wru=X ingest_rru=X qualify_wru=X qualify_rru=X usd_per_million=X
#
# DynamoDB units per event are as DynamoDB Local reports them (ReturnConsumedCapacity.TOTAL). Dollars are for a
# million events at on-demand us-east-1 prices: EventBridge $1.00/M events; SQS $0.40/M requests (a send per
# event, a receive and a delete per batch of 25); Lambda $0.20/M requests (batches of 25 and 100, as
# template.yaml) and $0.0000133334 per GB-second (arm64, 1024 MB) for the measured handler times; DynamoDB
# $0.625/M WRU and $0.125/M RRU. The prices and the model are in functions/benchmarks/.../CostReport.java.
#
#   scripts/cost.sh                    every size, 40 measured events each
#   scripts/cost.sh 5,5000 100         these sizes, 100 measured events each
#
# Handler times on a shared machine are noisy (they are a small part of the dollars); the units are exact. The
# handler times go to stderr beside each line.
set -euo pipefail

source "$(dirname "$0")/lib/java.sh"
cd "$(dirname "$0")/.."

# The report runs from the benchmarks module's classes and class path (its provided dependencies included: the
# handlers and DynamoDB Local), not from benchmarks.jar.
./mvnw -B -q -ntp install -DskipTests -pl functions/benchmarks -am >&2
cp_file=functions/benchmarks/target/cost-classpath.txt
./mvnw -B -q -ntp -pl functions/benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file" >&2

# --enable-native-access: DynamoDB Local's sqlite4java loads a native library. -XX:TieredStopAtLevel=1: the
# handlers run under C1 only, as Lambda runs them, so the handler times (the GB-seconds) are Lambda's kind.
exec java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -cp "functions/benchmarks/target/classes:$(cat "$cp_file")" \
  dev.handoff.benchmarks.CostReport "$@"
