#!/usr/bin/env bash
# Runs every test tier: unit and property tests of the core, integration tests against real engines
# (DynamoDB Local in-process, moto_server for SNS/SQS/EventBridge), and the template checks.
# Sets up what it needs: a JDK 21+ (found on the machine), Maven through the wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

echo "Using JDK at $JAVA_HOME"
./mvnw -B -ntp verify "$@"

# The SAM template: schema, intrinsics and SAM's own transform (cfn-lint runs it).
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "error: cfn-lint not found; it checks template.yaml. Install it with 'pip install cfn-lint', then run this again." >&2
  exit 1
fi
echo "cfn-lint $(cfn-lint --version | awk '{print $2}'): template.yaml"
cfn-lint template.yaml
# Once more as deployed with the HubSpot sync on (its resources exist only with a token secret).
echo "cfn-lint: template.yaml with HubSpotTokenSecretArn set (the HubSpot sync deployed)"
cfn-lint template.yaml --parameters AllowedOrigins=https://www.example.com \
  HubSpotTokenSecretArn=arn:aws:secretsmanager:us-east-1:123456789012:secret:handoff/hubspot-AbCdEf
