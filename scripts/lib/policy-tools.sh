# Sourced by what-if.sh and requalify.sh: builds the policy tools when needed and runs one of them.
# Builds with the Maven wrapper on first run (and again when sources changed); build output goes to stderr.

policy_tools_run() { # policy_tools_run MAIN_CLASS ARGS...
  local root jar main=$1
  shift
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  source "$root/scripts/lib/java.sh"
  jar="$root/functions/policy-tools/target/policy-tools.jar"
  if [ -z "${HANDOFF_TOOLS_NO_BUILD:-}" ] && { [ ! -f "$jar" ] || [ -n "$(cd "$root" && find pom.xml policies functions \
      -newer "$jar" \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' \) -not -path '*/target/*' -print -quit 2>/dev/null)" ]; }; then
    echo "building the policy tools (first run, or sources changed)..." >&2
    (cd "$root" && ./mvnw -B -q -ntp install -DskipTests -pl functions/policy-tools -am) >&2
  fi
  # The region and credentials are the SDK's usual ones (AWS_REGION, AWS_PROFILE, ...); AWS_ENDPOINT_URL_DYNAMODB
  # points the tools at DynamoDB Local (the local stack prints its endpoint).
  exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$jar" "$main" "$@"
}
