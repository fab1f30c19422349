# Sourced by scripts/test.sh: makes sure the browser test can run on this machine — Debian's chromium (installed
# with apt-get when missing; as root, or through sudo without a password) and Playwright's library from npm
# (npm ci of the committed lock file; Playwright's own browser download is never used).
ensure_chromium() {
  CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
  [ -x "$CHROMIUM" ] && return 0
  echo "installing Debian's chromium for the browser test (apt-get)..."
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "error: $CHROMIUM is missing and this user cannot install it; run 'apt-get install chromium' as root." >&2
      return 1
    fi
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium </dev/null
  [ -x "$CHROMIUM" ] || { echo "error: apt-get installed chromium, but $CHROMIUM is not there" >&2; return 1; }
}

ensure_node_modules() {
  local dir="$1"
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is missing; install Node.js 20+ (Debian: apt-get install nodejs npm)." >&2
    return 1
  fi
  # Exactly the committed lock file; PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the test drives Debian's chromium.
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error </dev/null)
}
