#!/usr/bin/env bash
# `make demo`: validate pipelines/, plan and apply them to a fresh state file, then start the
# Meta emulator and check the integration against it with `bizone doctor`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/bizone}
DEMO=.bizone/demo
STATE=$DEMO/state.db
rm -rf "$DEMO" && mkdir -p "$DEMO"

step() { printf '\n== %s\n' "$*"; }

step "bizone validate pipelines"
"$BIN" validate pipelines

step "bizone plan pipelines --out $DEMO/plan.json   (fresh state: $STATE)"
"$BIN" plan pipelines --state "$STATE" --out "$DEMO/plan.json"

step "bizone apply $DEMO/plan.json"
"$BIN" apply "$DEMO/plan.json" --state "$STATE"

step "bizone plan pipelines --detailed-exitcode   (expect: no changes)"
"$BIN" plan pipelines --state "$STATE" --detailed-exitcode > /dev/null && echo "No changes: the state matches pipelines/."

step "bizone emulator   (a local Meta, in the background)"
"$BIN" emulator --port 0 --review-delay 1 > "$DEMO/emulator.log" 2>&1 &
EMULATOR_PID=$!
trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "Ctrl-C stops it." "$DEMO/emulator.log" 2>/dev/null && break
  sleep 0.1
done
cat "$DEMO/emulator.log"
GRAPH_URL=$(awk '/listening/ {print $2}' "$DEMO/emulator.log")

step "bizone doctor pipelines   (against the emulator at $GRAPH_URL)"
BIZONE_GRAPH_URL="$GRAPH_URL" \
META_ACCESS_TOKEN=emulator-access-token META_APP_SECRET=emulator-app-secret META_VERIFY_TOKEN=emulator-verify-token \
  "$BIN" doctor pipelines

step "bizone status"
"$BIN" status --state "$STATE"
