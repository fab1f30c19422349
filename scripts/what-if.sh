#!/usr/bin/env bash
# What a draft policy would do to every contact of the table, beside the policy that runs now (PRODUCT §7).
# Reads only: nothing is written to the table. Writes DIR/what-if.json and DIR/what-if.html.
#   ./scripts/what-if.sh --table NAME --policy DRAFT.yaml [--baseline FILE|PRESET] [--out .local/what-if]
#                        [--segments 4] [--threads 16]
# Against the local stack: AWS_ENDPOINT_URL_DYNAMODB=<the 'dynamodb on' URL it printed> and --table handoff-local.
set -euo pipefail
source "$(dirname "$0")/lib/policy-tools.sh"
policy_tools_run dev.handoff.tools.WhatIf "$@"
