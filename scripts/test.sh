#!/usr/bin/env bash
# `npm test`: installs what is missing, type-checks, lints, then runs every suite against real components.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain/lib.sh"
started=$SECONDS
locate_temporal_cli
locate_test_server
locate_helm || true
side_by_side ensure_node_modules ensure_temporal_cli ensure_test_server ensure_helm
ensure_chromium
cd "$ROOT"
rm -rf "$ROOT/test/output"
say "Type-checking"
npx tsc -p tsconfig.json --noEmit
say "Linting"
npx eslint --max-warnings 0 .
say "Running the tests (Temporal dev server + time-skipping server, embedded PostgreSQL, SMTP catcher)"
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
PRECHARGE_SUMMARY_FILE="$summary" npx jest --runInBand "$@" || jest_failed=1
# What the browser tests left: screenshots of every page, and the pages axe checked (test/output, not committed).
if [ -d "$ROOT/test/output/screenshots" ]; then
  say "Screenshots (test/output/screenshots): $(cd "$ROOT/test/output/screenshots" && ls | tr '\n' ' ')"
fi
if [ -f "$ROOT/test/output/accessibility-checked.txt" ]; then
  say "Accessibility checked (axe, WCAG 2.2 AA, no serious or critical): $(sort -u "$ROOT/test/output/accessibility-checked.txt" | tr '\n' ' ')"
fi
if [ "${jest_failed:-0}" = "1" ]; then cat "$summary"; exit 1; fi
# API fuzzing after a full run (not when running chosen files): PRECHARGE_FUZZ=0 skips it, =1 forces it.
if [ "${PRECHARGE_FUZZ:-$([ "$#" -eq 0 ] && echo 1 || echo 0)}" != "1" ]; then
  say "API fuzzing SKIPPED (test files were named, or PRECHARGE_FUZZ=0)"
elif ! command -v python3 >/dev/null 2>&1; then
  say "API fuzzing SKIPPED: python3 is not installed (schemathesis needs it)"
else
  say "API fuzzing (schemathesis against the OpenAPI document, loopback only, no 5xx allowed)"
  bash "$ROOT/scripts/fuzz-api.sh"
fi
say "npm test finished in $((SECONDS - started)) s"
# The test count stays the last line, where CI reads it.
cat "$summary"
