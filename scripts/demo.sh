#!/usr/bin/env bash
# `make demo`: start `bizone serve` and the Meta emulator (which posts its webhooks to the
# server), validate and apply pipelines/ (templates go to the emulator, which approves all but
# one and says so over webhooks), inject a few customer messages, run a campaign, and print status,
# conversations and event counts. Both processes are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/bizone}
DEMO=.bizone/demo
STATE=$DEMO/state.db
rm -rf "$DEMO" && mkdir -p "$DEMO"

step() { printf '\n== %s\n' "$*"; }
wait_for() {  # file, text
  for _ in $(seq 1 150); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1"; cat "$1"; return 1
}
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# The emulator's public test secrets; a real setup points these at its own secret store.
export META_ACCESS_TOKEN=emulator-access-token META_APP_SECRET=emulator-app-secret \
       META_VERIFY_TOKEN=emulator-verify-token CRM_WEBHOOK_SECRET=demo-crm-secret
# Serve's own key, which seals 2FA secrets and the tokens of queued reset e-mails.
export BIZONE_SECRET_KEY=demo-secret-key-not-for-production
PYTHON=${PYTHON:-.venv/bin/python}

step "bizone serve pipelines   (webhook receiver, in the background)"
"$BIN" serve pipelines --state "$STATE" --port 0 > "$DEMO/serve.log" 2>&1 &
PIDS+=($!)
wait_for "$DEMO/serve.log" "health:"
cat "$DEMO/serve.log"
WEBHOOK_URL=$(awk '/webhooks for main/ {print $NF}' "$DEMO/serve.log")

step "bizone emulator   (a local Meta that posts its webhooks to the server; review takes 1 s)"
"$BIN" emulator --port 0 --review-delay 1 --rules scripts/demo-rules.yaml --webhook-url "$WEBHOOK_URL" > "$DEMO/emulator.log" 2>&1 &
PIDS+=($!)
wait_for "$DEMO/emulator.log" "Ctrl-C stops it."
cat "$DEMO/emulator.log"
export BIZONE_GRAPH_URL
BIZONE_GRAPH_URL=$(awk '/listening/ {print $2}' "$DEMO/emulator.log")

step "bizone validate pipelines"
"$BIN" validate pipelines

step "bizone plan pipelines --out $DEMO/plan.json   (fresh state: $STATE)"
"$BIN" plan pipelines --state "$STATE" --out "$DEMO/plan.json" | tail -n 3

step "bizone apply $DEMO/plan.json --wait   (templates are submitted; the emulator rejects one on purpose)"
"$BIN" apply "$DEMO/plan.json" --state "$STATE" --wait --timeout 1m \
  || echo "(exit $?: back_in_stock@id was rejected by the demo's review rules, as intended)"

step "bizone plan pipelines --detailed-exitcode   (expect: no changes; campaigns forecast)"
"$BIN" plan pipelines --state "$STATE" --detailed-exitcode && echo "No changes: Meta and the state match pipelines/."

step "customers write in   (POST /_emulator/inbound; Meta posts them to the server)"
for message in '{"from":"+6281234567890","name":"Siti Rahma","text":"Halo, pesanan saya sudah dikirim?"}' \
               '{"from":"+6281398765432","name":"Budi Santoso","text":"Apakah ada diskon untuk member?"}' \
               '{"from":"+6285712345678","name":"Dewi Lestari","text":"STOP"}'; do
  curl -s -X POST "$BIZONE_GRAPH_URL/_emulator/inbound" -H 'Content-Type: application/json' -d "$message"; echo
done
sleep 2

step "bizone doctor pipelines   (against the emulator)"
"$BIN" doctor pipelines

step "bizone campaign run vip-seasonal-promo --now   (186 VIPs at 20 msg/s; two numbers fail by the demo's rules)"
"$BIN" campaign run vip-seasonal-promo --now --auto-approve --state "$STATE"
sleep 2   # delivered and read statuses arrive as webhooks

step "bizone campaign report vip-seasonal-promo"
"$BIN" campaign report vip-seasonal-promo --state "$STATE"

step "bizone status   (template health from Meta's webhooks, conversations, event counts)"
"$BIN" status --state "$STATE"

step "bizone webhooks list   (the event log)"
"$BIN" webhooks list --state "$STATE" | tail -n 8

BASE_URL=$(awk '/listening on/ {print $NF}' "$DEMO/serve.log")
step "bizone user invite ana.wijaya@bizone.example   (she sets a password and signs in over the API)"
TOKEN=$("$BIN" user invite ana.wijaya@bizone.example --url "$BASE_URL" --state "$STATE" | tee "$DEMO/invite.txt" | awk '/token:/ {print $2}')
sed 's/bzi_.*/bzi_… (shown once)/' "$DEMO/invite.txt"
curl -s -X POST "$BASE_URL/api/auth/password/set" -H 'Content-Type: application/json' \
  -d "{\"token\":\"$TOKEN\",\"password\":\"demo passphrase 2026\"}"; echo
ACCESS=$(curl -s -X POST "$BASE_URL/api/auth/login" -H 'Content-Type: application/json' -H 'User-Agent: make demo' \
  -d '{"email":"ana.wijaya@bizone.example","password":"demo passphrase 2026"}' | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
curl -s "$BASE_URL/api/me" -H "Authorization: Bearer $ACCESS"; echo

step "security e-mail   (a local SMTP server stands in for yours; a Mailer points serve at it)"
mkdir -p "$DEMO/mail" && mkfifo "$DEMO/smtp.in"
# The sink exits when this script's end closes its input.
"$PYTHON" scripts/test/smtp_sink.py "$DEMO/mail" < "$DEMO/smtp.in" > "$DEMO/smtp.log" 2>&1 &
PIDS+=($!)
exec 3> "$DEMO/smtp.in"
wait_for "$DEMO/smtp.log" "listening"
cat > "$DEMO/mailer.yaml" <<YAML
apiVersion: bizone/v1
kind: Mailer
metadata:
  name: security-mail
spec:
  host: 127.0.0.1
  port: $(awk '/listening/ {print $2}' "$DEMO/smtp.log")
  security: none
  from: security@bizone.example
  fromName: BizOne Security
  consoleURL: https://console.bizone.example
YAML
"$BIN" apply pipelines "$DEMO/mailer.yaml" --state "$STATE" --auto-approve | grep -E "mailer|Apply complete|No changes" || true
mail_about() {  # subject: waits for the e-mail, prints its name
  for _ in $(seq 1 150); do
    found=$(grep -l "^Subject: $1" "$DEMO"/mail/*.eml 2>/dev/null | head -n 1) && [ -n "$found" ] && { echo "$found"; return 0; }
    sleep 0.1
  done
  echo "timed out waiting for the e-mail '$1'" >&2; return 1
}
echo "-- Ana's sign-in above was queued before any Mailer existed; it goes now:"
grep -E "^(To|Subject):" "$(mail_about "New sign-in")"
echo "-- Ana forgot her password: POST /api/auth/password/forgot (always 202)"
curl -s -X POST "$BASE_URL/api/auth/password/forgot" -H 'Content-Type: application/json' \
  -d '{"email":"ana.wijaya@bizone.example"}'; echo
RESET_MAIL=$(mail_about "Reset your BizOne password")
sed -n '/^To:/p;/^Subject:/p;/^Hello/,$p' "$RESET_MAIL" | tr -d '\r' | sed 's/token=bzp_.*/token=bzp_… (works once, 30 minutes)/'
RESET=$(tr -d '\r' < "$RESET_MAIL" | sed -n 's/.*#token=\(bzp_[A-Za-z0-9_-]*\).*/\1/p')
curl -s -X POST "$BASE_URL/api/auth/password/reset" -H 'Content-Type: application/json' \
  -d "{\"token\":\"$RESET\",\"password\":\"a new demo passphrase\"}"; echo
echo "-- every device is signed out: the earlier access token now gets"
curl -s "$BASE_URL/api/me" -H "Authorization: Bearer $ACCESS"; echo
grep -E "^Subject:" "$(mail_about "Your BizOne password was reset")"

step "bizone roles audit pipelines   (every serve route against every declared role)"
"$BIN" roles audit pipelines

step "bizone audit   (security events: the invite, the password, the sign-in, the reset, user and role changes by apply)"
"$BIN" audit --state "$STATE" | tail -n 8
"$BIN" status --state "$STATE" | grep -E "KIND|mailer" || true
