#!/usr/bin/env bash
# `npm start`: installs what is missing, compiles, then brings up the whole system with a demo.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain/lib.sh"
ensure_node_modules
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then ensure_temporal_cli; fi
build_typescript
cd "$ROOT"
exec node dist/scripts/local-stack.js "$@"
