#!/usr/bin/env bash
# Times a newcomer's first `npm start`: a clone of this checkout, every cache empty (a temporary home holding only
# your npm and git settings, so npm's, Go's and this project's caches all start empty), until the system says it is
# running; then Ctrl-C, timed too. Leaves nothing behind but its log. Takes minutes: the Temporal CLI is built.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
chmod 755 "$WORK"  # the embedded PostgreSQL, run as the user postgres under root, must reach the clone
LOG="${1:-$WORK.log}"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home"
for f in .npmrc .gitconfig; do [ -f "$HOME/$f" ] && cp "$HOME/$f" "$WORK/home/"; done
git clone -q "$ROOT" "$WORK/clone"
cd "$WORK/clone"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$SECONDS
HOME="$WORK/home" PRECHARGE_CACHE_DIR= XDG_CACHE_HOME= setsid npm start >"$LOG" 2>&1 &
pid=$!
until grep -q "Pre-charge orchestrator is running" "$LOG"; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "npm start ended before it was ready; its output is in $LOG"; exit 1; fi
  sleep 1
done
echo "ready after $((SECONDS - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
grep -E "done in [0-9]+ s" "$LOG" | sed 's/\x1b\[[0-9;]*m//g' || true
stopping=$(date +%s%N)
kill -INT -- "-$pid"
wait "$pid" || true
echo "Ctrl-C stopped everything in $(( ($(date +%s%N) - stopping) / 1000000 )) ms; output in $LOG"
