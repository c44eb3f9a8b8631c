#!/usr/bin/env bash
# API fuzzing: schemathesis generates requests from the API's own OpenAPI document and sends them to a throwaway
# system on loopback (scripts/fuzz-target.ts). Any 5xx fails the run: a caller's mistake must never be a 500.
#   FUZZ_MAX_EXAMPLES (default 20 per operation), FUZZ_MAX_TIME (default 100 s), FUZZ_SEED (default random)
source "$(dirname "${BASH_SOURCE[0]}")/toolchain/lib.sh"
SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-20}"
MAX_TIME="${FUZZ_MAX_TIME:-100}"
SEED="${FUZZ_SEED:-$RANDOM}"

command -v python3 >/dev/null 2>&1 || { say "python3 is needed for API fuzzing (schemathesis)"; exit 1; }
venv="$PRECHARGE_CACHE_DIR/schemathesis-venv"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  say "Installing schemathesis $SCHEMATHESIS_VERSION into $venv (first run only)"
  rm -rf "$venv"
  python3 -m venv "$venv" || { say "python3 -m venv failed (on Debian: apt-get install python3-venv)"; exit 1; }
  with_heartbeat "schemathesis install" "$venv/bin/pip" install --disable-pip-version-check --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

ensure_node_modules
ensure_temporal_cli
build_typescript

work="$(mktemp -d)"
target=""
finish() {
  if [ -n "$target" ] && kill -0 "$target" 2>/dev/null; then kill -TERM "$target"; wait "$target" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap finish EXIT

say "Starting a throwaway system for fuzzing (PostgreSQL, Temporal dev server, SMTP catcher, worker, API) on loopback"
node dist/scripts/fuzz-target.js "$work/ready.json" &
target=$!
for _ in $(seq 1 240); do
  [ -s "$work/ready.json" ] && break
  kill -0 "$target" 2>/dev/null || { say "the fuzz target failed to start"; exit 1; }
  sleep 0.5
done
[ -s "$work/ready.json" ] || { say "the fuzz target did not become ready in 120 s"; exit 1; }
field() { node -p "require('$work/ready.json').$1"; }
base_url="$(field baseUrl)"
case "$base_url" in http://127.0.0.1:*) ;; *) say "refusing to fuzz anything but loopback: $base_url"; exit 1 ;; esac

say "Fuzzing $base_url from its OpenAPI document: up to $MAX_EXAMPLES examples per operation, ${MAX_TIME} s, seed $SEED"
set +e
# From the scratch directory, so schemathesis' own cache (.schemathesis/) never lands in the repository.
(cd "$work" && "$venv/bin/schemathesis" run "$base_url/docs-json" \
  --url "${base_url%/api}" \
  --header "Authorization: Bearer $(field token)" \
  --checks not_a_server_error \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES" --max-time "$MAX_TIME" --seed "$SEED" \
  --workers 1 --request-timeout 20 --suppress-health-check all --generation-database none \
  --report ndjson --report-ndjson-path "$work/events.ndjson" \
  --no-color)
status=$?
set -e

node dist/scripts/fuzz-summary.js "$work/events.ndjson" "$(field apiLog)" || status=1
if [ "$status" -ne 0 ]; then say "API fuzzing FAILED (seed $SEED: rerun with FUZZ_SEED=$SEED)"; exit 1; fi
say "API fuzzing passed"
