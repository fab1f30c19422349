#!/usr/bin/env bash
# Asks the deployed qualification function to re-evaluate every contact with the policy it runs, after a policy
# change (PRODUCT §7): forward only, one alert per move into SQL, a person's backward move left alone. Safe while
# events keep arriving, and to run again (the second run moves nobody).
#   ./scripts/requalify.sh --table NAME [--segments 4] [--threads 8]
set -euo pipefail
source "$(dirname "$0")/lib/policy-tools.sh"
policy_tools_run dev.handoff.tools.Requalify "$@"
