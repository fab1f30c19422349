#!/usr/bin/env bash
# Plays the samples in events/ that enter through the local stack's port (./scripts/run-local.sh):
# the two form posts as a browser would send them, then the tracking events through EventBridge's PutEvents
# (with the AWS CLI when it is installed, else with curl at /events).
#   ./scripts/send-sample-events.sh [--port 3000]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port=3000
[ "${1:-}" = "--port" ] && port="$2"
url="http://127.0.0.1:$port"

field() { # field FILE KEY: a top-level or headers value of an API Gateway sample event
  python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); k=sys.argv[2]; print(e["headers"][k] if k in e["headers"] else e[k])' "$1" "$2"
}

for sample in "$root"/events/form-submission-*.json; do
  path=$(field "$sample" rawPath)
  echo "POST $path ($(basename "$sample"))"
  field "$sample" body | curl -sS -X POST "$url$path" -H "Content-Type: $(field "$sample" content-type)" --data-binary @-
  echo
done

for entries in "$root"/events/put-events-*.json; do
  echo "PutEvents $(basename "$entries")"
  if command -v aws >/dev/null 2>&1; then
    AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}" \
      aws events put-events --region us-east-1 --endpoint-url "$url" --entries "file://$entries" --output json
  else
    python3 -c 'import json,sys; print(json.dumps({"Entries": json.load(open(sys.argv[1]))}))' "$entries" \
      | curl -sS -X POST "$url/events" -H 'Content-Type: application/json' --data-binary @-
    echo
  fi
done
echo "alerts, if any, are in .local/alerts.jsonl (or the --alerts-file given to run-local.sh)"
