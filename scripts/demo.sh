#!/usr/bin/env bash
# `make demo`: start the Meta emulator, validate pipelines/, plan, apply to a fresh state file
# (templates go to the emulator and are reviewed), check the integration with `bizone doctor`,
# and print status.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/bizone}
DEMO=.bizone/demo
STATE=$DEMO/state.db
rm -rf "$DEMO" && mkdir -p "$DEMO"

step() { printf '\n== %s\n' "$*"; }

step "bizone emulator   (a local Meta, in the background; review takes 1 s)"
"$BIN" emulator --port 0 --review-delay 1 > "$DEMO/emulator.log" 2>&1 &
EMULATOR_PID=$!
trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "Ctrl-C stops it." "$DEMO/emulator.log" 2>/dev/null && break
  sleep 0.1
done
cat "$DEMO/emulator.log"
export BIZONE_GRAPH_URL
BIZONE_GRAPH_URL=$(awk '/listening/ {print $2}' "$DEMO/emulator.log")
# The emulator's public test secrets; a real setup points these at its own secret store.
export META_ACCESS_TOKEN=emulator-access-token META_APP_SECRET=emulator-app-secret \
       META_VERIFY_TOKEN=emulator-verify-token CRM_WEBHOOK_SECRET=demo-crm-secret

step "bizone validate pipelines"
"$BIN" validate pipelines

step "bizone plan pipelines --out $DEMO/plan.json   (fresh state: $STATE)"
"$BIN" plan pipelines --state "$STATE" --out "$DEMO/plan.json"

step "bizone apply $DEMO/plan.json --wait   (templates are submitted and reviewed)"
"$BIN" apply "$DEMO/plan.json" --state "$STATE" --wait --timeout 1m

step "bizone plan pipelines --detailed-exitcode   (expect: no changes)"
"$BIN" plan pipelines --state "$STATE" --detailed-exitcode > /dev/null && echo "No changes: Meta and the state match pipelines/."

step "bizone doctor pipelines   (against the emulator at $BIZONE_GRAPH_URL)"
"$BIN" doctor pipelines

step "bizone status"
"$BIN" status --state "$STATE"
