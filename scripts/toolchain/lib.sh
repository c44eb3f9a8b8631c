# Shared by scripts/start.sh and scripts/test.sh: install what is missing, say what is happening.
# Heavy tools are cached outside the repository (PRECHARGE_CACHE_DIR), never committed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PRECHARGE_CACHE_DIR="${PRECHARGE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/precharge}"
TEMPORAL_CLI_VERSION=1.5.1
TEST_SERVER_VERSION=1.38.0
# The Helm chart's test renders deploy/helm/precharge with this helm (test/deploy/helm-chart.test.ts reads the line).
HELM_VERSION=3.22.0

say() { printf '\033[1m[precharge]\033[0m %s\n' "$*" >&2; }

# Runs a long command in the background and prints a heartbeat so a first run never looks hung.
with_heartbeat() {
  local label="$1"; shift
  local log; log="$(mktemp)"
  local started=$SECONDS
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    kill -0 "$pid" 2>/dev/null && say "$label: still working ($((SECONDS - started)) s)"
  done
  if ! wait "$pid"; then
    say "$label failed; its output follows"; cat "$log" >&2; rm -f "$log"; return 1
  fi
  rm -f "$log"
  say "$label: done in $((SECONDS - started)) s"
}

# Installs when the lock file's content differs from the one last installed (not by modification time: a fresh
# checkout of the same lock file beside an installed tree must not reinstall it).
ensure_node_modules() {
  cd "$ROOT"
  # A linked install (a git worktree sharing another checkout's node_modules) is that checkout's to keep.
  if [ -L node_modules ]; then return; fi
  local stamp=node_modules/.installed-package-lock.sha256 wanted
  wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    say "Installing npm dependencies (npm ci)"
    with_heartbeat "npm ci" npm ci --no-audit --no-fund
    echo "$wanted" > "$stamp"
  fi
}

# Builds a pinned Go command into a cache directory: static, stripped, with the local Go (no toolchain download).
# go_install_pinned <label> <what it is for> <dir> <extra -ldflags> <module/cmd@version>
go_install_pinned() {
  command -v go >/dev/null 2>&1 || { say "Go >= 1.25 is needed to build $2"; exit 1; }
  mkdir -p "$3"
  with_heartbeat "$1" env GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$3" go install -trimpath -ldflags "-s -w $4" "$5"
}

# Resolves the Temporal CLI (dev server): explicit TEMPORAL_CLI, then `temporal` on PATH, then the cache. Exports
# TEMPORAL_CLI; `ensure_temporal_cli` builds it there from Temporal's Go module (pinned) when none exists.
locate_temporal_cli() {
  if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then return; fi
  if command -v temporal >/dev/null 2>&1; then export TEMPORAL_CLI="$(command -v temporal)"; return; fi
  export TEMPORAL_CLI="$PRECHARGE_CACHE_DIR/temporal-$TEMPORAL_CLI_VERSION/temporal"
}

ensure_temporal_cli() {
  locate_temporal_cli
  if [ -x "$TEMPORAL_CLI" ]; then return; fi
  say "Building the Temporal CLI $TEMPORAL_CLI_VERSION (dev server + Web UI) from source; first run only, about 3 minutes"
  go_install_pinned "Temporal CLI build" "the Temporal dev server (or set TEMPORAL_ADDRESS / put 'temporal' on PATH)" "$(dirname "$TEMPORAL_CLI")" \
    "-X github.com/temporalio/cli/temporalcli.Version=$TEMPORAL_CLI_VERSION" "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
}

# Resolves helm for the chart's test: explicit HELM, then the cache, then a helm 3 on PATH. Exports HELM (the cache
# path when none exists yet) and fails when it must still be built with ensure_helm.
locate_helm() {
  if [ -n "${HELM:-}" ] && [ -x "$HELM" ]; then return 0; fi
  export HELM="$PRECHARGE_CACHE_DIR/helm-$HELM_VERSION/helm"
  if [ -x "$HELM" ]; then return 0; fi
  if command -v helm >/dev/null 2>&1 && helm version --short 2>/dev/null | grep -q '^v3\.'; then export HELM="$(command -v helm)"; return 0; fi
  return 1
}

# Builds the pinned helm from its Go module into the cache (measured cold: ~440 s of CPU, module downloads included).
ensure_helm() {
  if locate_helm; then return; fi
  say "Building helm $HELM_VERSION from its Go module for the Helm chart's test; first run only, a few minutes"
  go_install_pinned "helm build" "helm for the Helm chart's test (or put helm 3 on PATH / set HELM)" "$(dirname "$HELM")" \
    "-X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
}

# Fetches Temporal's time-skipping Java test server classpath from Maven Central. Exports TEMPORAL_TEST_SERVER_LIB.
locate_test_server() {
  export TEMPORAL_TEST_SERVER_LIB="${TEMPORAL_TEST_SERVER_LIB:-$PRECHARGE_CACHE_DIR/temporal-test-server-$TEST_SERVER_VERSION/lib}"
}

ensure_test_server() {
  locate_test_server
  if ls "$TEMPORAL_TEST_SERVER_LIB"/temporal-test-server-*.jar >/dev/null 2>&1; then return; fi
  command -v java >/dev/null 2>&1 || { say "Java 17 is needed for Temporal's time-skipping test server"; exit 1; }
  command -v mvn >/dev/null 2>&1 || { say "Maven is needed to fetch Temporal's time-skipping test server"; exit 1; }
  say "Fetching Temporal's time-skipping test server $TEST_SERVER_VERSION from Maven Central"
  with_heartbeat "test server fetch" mvn -q -B -f "$ROOT/scripts/toolchain/test-server/pom.xml" \
    dependency:copy-dependencies -DoutputDirectory="$TEMPORAL_TEST_SERVER_LIB"
}

build_typescript() {
  cd "$ROOT"
  say "Compiling TypeScript and the web front end's stylesheet"
  npm run -s build
}

# Debian's Chromium for the browser tests (CHROMIUM_PATH names another); installed with apt when missing.
ensure_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$chromium" ]; then return; fi
  if ! command -v apt-get >/dev/null 2>&1; then say "Chromium is needed for the browser tests: install it, or set CHROMIUM_PATH"; exit 1; fi
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  say "Installing Debian's Chromium for the browser tests (apt-get; first run only)"
  with_heartbeat "chromium install" sh -c "$sudo apt-get install -y -q chromium >/dev/null 2>&1 || ($sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q chromium >/dev/null)"
}

# Runs one-time installs that do not depend on one another side by side (on a fresh machine npm ci and the Temporal
# CLI build together take little more than the build alone). Call the locate_* functions first: exports made in
# these subshells do not reach the caller. Fails if any of them failed, after all have finished.
side_by_side() {
  local pids=() failed=0 pid
  for step in "$@"; do "$step" & pids+=("$!"); done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  if [ "$failed" != 0 ]; then say "a one-time install failed (its output is above)"; exit 1; fi
}
