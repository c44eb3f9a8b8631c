#!/usr/bin/env bash
# `npm test`: installs what is missing, type-checks, lints, then runs every suite against real components.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain/lib.sh"
started=$SECONDS
ensure_node_modules
ensure_temporal_cli
ensure_test_server
cd "$ROOT"
say "Type-checking"
npx tsc -p tsconfig.json --noEmit
say "Linting"
npx eslint --max-warnings 0 .
say "Running the tests (Temporal dev server + time-skipping server, embedded PostgreSQL, SMTP catcher)"
npx jest --runInBand "$@"
say "npm test finished in $((SECONDS - started)) s"
