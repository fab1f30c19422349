#!/usr/bin/env bash
# Runs every test tier: unit and property tests of the core, integration tests against real engines
# (DynamoDB Local in-process, moto_server for SNS/SQS/EventBridge), and the template checks.
# Sets up what it needs: a JDK 21+ (found on the machine), Maven through the wrapper, and for the browser test
# Debian's chromium (apt-get) and Playwright's library (npm ci of functions/local/src/test/browser).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh
source scripts/lib/browser.sh

echo "Using JDK at $JAVA_HOME"
# Set up the browser test first: a machine that cannot run it fails before the long build, not after.
ensure_chromium
ensure_node_modules functions/local/src/test/browser
./mvnw -B -ntp verify "$@"

# The snippet in real Chromium: a site on one loopback origin, the local stack (the jar the build just made, started
# by scripts/run-local.sh) on another; page views, a scripted form and a plain no-script form.
echo "browser test: $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
(cd functions/local/src/test/browser && CHROMIUM="$CHROMIUM" node --test --test-reporter=spec snippet.test.mjs)

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
# And with every tool of PRODUCT §2.5 connected (the Segment rule exists only with its partner bus named).
echo "cfn-lint: template.yaml with SegmentEventBusName set (Segment, RudderStack and SES rules deployed)"
cfn-lint template.yaml --parameters AllowedOrigins=https://www.example.com \
  SegmentEventBusName=aws.partner/segment.com/sj9kd83nhq
