#!/usr/bin/env bash
# Runs every test tier: unit and property tests of the core, integration tests against real engines
# (DynamoDB Local in-process, moto_server for SNS/SQS/EventBridge), and the template checks.
# Sets up what it needs: a JDK 21+ (found on the machine), Maven through the wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

echo "Using JDK at $JAVA_HOME"
./mvnw -B -ntp verify "$@"
