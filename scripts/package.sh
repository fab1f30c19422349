#!/usr/bin/env bash
# Builds what `sam deploy` deploys, for a machine without SAM CLI's build (or a default `java` older than 21):
# the function jars (one Maven build of the reactor, with a JDK 21+ found as the other scripts find it), laid out
# as `sam build` lays them out, in .aws-sam/build: one directory per function (lib/<module>.jar, from the same
# Makefile targets `sam build` runs) and template.yaml with each CodeUri pointing at its directory. `sam deploy`
# deploys .aws-sam/build/template.yaml when it exists, so the next command is `sam deploy --guided`.
#
#   ./scripts/package.sh && sam deploy --guided
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

if ! command -v make >/dev/null 2>&1; then
  echo "error: scripts/package.sh needs make (the Makefile is what sam build runs too): apt-get install make" >&2
  exit 1
fi

echo "Using JDK at $JAVA_HOME"
make --no-print-directory jars

out=.aws-sam/build
rm -rf "$out"
mkdir -p "$out"
# The functions: every resource whose Metadata names BuildMethod makefile.
functions=$(awk '/^  [A-Za-z0-9]+:$/ { id = substr($1, 1, length($1) - 1) } /^      BuildMethod: makefile$/ { print id }' template.yaml)
for id in $functions; do
  make --no-print-directory -s "build-$id" ARTIFACTS_DIR="$PWD/$out/$id"
  printf '%-26s %s\n' "$id" "$(cd "$out/$id" && ls lib/*.jar)"
done
# The template SAM's build would write: each function's CodeUri is its directory here.
awk '/^  [A-Za-z0-9]+:$/ { id = substr($1, 1, length($1) - 1) }
     /^      CodeUri: \.$/ { sub(/CodeUri: \./, "CodeUri: " id) }
     { print }' template.yaml > "$out/template.yaml"
echo "built $out/template.yaml: now run 'sam deploy --guided' (or 'sam deploy' once samconfig.toml has your answers)"
