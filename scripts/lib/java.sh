# Sourced by the scripts and .ci/run: points JAVA_HOME at a JDK 21 or newer.
# Lambda runs java21; the default `java` on many machines is older, so look for one.

handoff_java_major() { # $1 = a java binary; prints its major version
  "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

handoff_find_jdk() {
  local candidate best="" best_major=0 major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(handoff_java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}

if ! JAVA_HOME=$(handoff_find_jdk); then
  echo "error: ${0##*/}: Handoff needs a JDK 21 or newer (Lambda's java21 runtime); none found in JAVA_HOME, /usr/lib/jvm or /opt." >&2
  echo "       Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21, then run this again." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
