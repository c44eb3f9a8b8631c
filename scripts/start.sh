#!/usr/bin/env bash
# `npm start`: installs what is missing, compiles, then brings up the whole system with a demo.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain/lib.sh"
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  locate_temporal_cli
  side_by_side ensure_node_modules ensure_temporal_cli
else
  ensure_node_modules
fi
build_typescript
cd "$ROOT"
# Ctrl-C must reach the launcher alone, which stops the API, then the worker (drained), then the services: the
# terminal would otherwise signal every process at once, and PostgreSQL and Temporal would stop under a draining worker.
if ! command -v setsid >/dev/null 2>&1; then exec node dist/scripts/local-stack.js "$@"; fi
setsid node dist/scripts/local-stack.js "$@" &
launcher=$!
trap 'kill -TERM "$launcher" 2>/dev/null || true' INT TERM
# `wait` returns early when a trapped signal arrives: wait again until the launcher has really ended.
while :; do
  if wait "$launcher"; then status=0; else status=$?; fi
  kill -0 "$launcher" 2>/dev/null || break
done
exit "$status"
