#!/usr/bin/env bash
# Stripe webhook intake: POST /api/v1/billing/stripe/webhook with Stripe-signed events, each a distinct event id,
# verified (HMAC-SHA256, 300 s tolerance), stored raw under its id and its processing job enqueued in one
# transaction, 200 as soon as that commits. Setup (not measured): the server with a Stripe key, webhook secret and
# an API base nobody listens on (the events are of a type Gatehouse stores and processes without calling Stripe:
# its job marks them "ignored"), and WEBHOOK_EVENTS signed events generated (python3) just before each run
# (signatures are fresh: a run must end within the 300 s tolerance). Measured: accepted-and-stored events/s and
# p99 (wrk -t2 -cWEBHOOK_CONNECTIONS for WEBHOOK_DURATION, after a WEBHOOK_WARMUP run), then processing throughput: how long the job runner
# takes to work through the stored events (events/s from the first stored to the last processed).
# Then, as the same-run baseline, refresh with rotation (one transaction per request, as intake is) on the same
# server: WEBHOOK_CONNECTIONS chains for WEBHOOK_DURATION, after the job runner has finished.
# Bar: intake >= 500 events/s; reported also as a ratio to refresh.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=webhook-intake
DURATION="${WEBHOOK_DURATION:-20s}"
WARMUP="${WEBHOOK_WARMUP:-10s}"
CONNS="${WEBHOOK_CONNECTIONS:-32}"
EVENTS="${WEBHOOK_EVENTS:-40000}"
PROCESS_TIMEOUT_S="${WEBHOOK_PROCESS_TIMEOUT_S:-600}"
SECRET="whsec_bench_$(date +%s)"
require curl jq wrk psql python3
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

SERVER_ENV=(
  GATEHOUSE_STRIPE_SECRET_KEY=sk_test_bench
  GATEHOUSE_STRIPE_WEBHOOK_SECRET="$SECRET"
  GATEHOUSE_STRIPE_API_BASE=http://127.0.0.1:9
)
start_server "$WORK_DIR/server"
wait_ready

# events FILE COUNT RUN: COUNT signed events with ids evt_bench_RUN_<n>, "<signature>\t<payload>" per line, signed now (Stripe's scheme:
# v1 = hex HMAC-SHA256 of "<t>.<payload>" with the endpoint's secret).
events() {
  python3 - "$1" "$2" "$SECRET" "$3" <<'PY'
import hmac, hashlib, sys, time
path, count, secret, run = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
t = int(time.time())
with open(path, "w") as out:
    for n in range(1, count + 1):
        body = ('{"id":"evt_bench_%s_%d","object":"event","api_version":"2026-07-29.dahlia","created":%d,'
                '"type":"customer.created","livemode":false,"pending_webhooks":1,"request":{},'
                '"data":{"object":{"id":"cus_bench_%s_%d","object":"customer"}}}') % (run, n, t, run, n)
        sig = hmac.new(secret, ("%d.%s" % (t, body)).encode(), hashlib.sha256).hexdigest()
        out.write("t=%d,v1=%s\t%s\n" % (t, sig, body))
PY
}

db() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -n 4p "$SERVER_DIR/postgres/postmaster.pid")" -U postgres -d postgres "$@"; }

export THREADS=2
log "warm-up $WARMUP"
EVENTS_FILE="$WORK_DIR/warmup.tsv"; export EVENTS_FILE
events "$EVENTS_FILE" "$(( EVENTS / 2 ))" warmup
wrk_run warmup -t2 -c"$CONNS" -d"$WARMUP" --timeout 10s -s "$BENCH_LUA/stripe-webhook.lua" "$BASE" >/dev/null
warm="$(db -c "select count(*) from stripe_events")"
EVENTS_FILE="$WORK_DIR/events.tsv"
log "signing $EVENTS events"
events "$EVENTS_FILE" "$EVENTS" measured
wait_quiet >/dev/null
line="$(wrk_run intake -t2 -c"$CONNS" -d"$DURATION" --timeout 10s --latency -s "$BENCH_LUA/stripe-webhook.lua" "$BASE")"
stored="$(field "$line" ok)"
record intake "events_s=$(field "$line" ok_per_s) p50_ms=$(field "$line" p50_ms) p99_ms=$(field "$line" p99_ms) stored=$stored duplicates=$(field "$line" dup) bad=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)%"
intake_rate="$(field "$line" ok_per_s)"
record intake_events_s "$intake_rate"
record intake_p99_ms "$(field "$line" p99_ms)"
# Every 200 is a stored event; a few more may be stored: wrk stops without reading the answers still in flight.
in_db=$(( $(db -c "select count(*) from stripe_events") - warm ))
(( in_db >= stored && in_db <= stored + CONNS )) || die "stored events ($in_db) disagree with the 200s ($stored)"

log "waiting for the job runner to process $stored events"
deadline=$(( SECONDS + PROCESS_TIMEOUT_S ))
while [[ "$(db -c "select count(*) from stripe_events where state = 'received'")" != 0 ]]; do
  (( SECONDS < deadline )) || die "events still unprocessed after ${PROCESS_TIMEOUT_S}s"
  sleep 1
done
# The measured run's events only: from the first received to the last processed.
processing="$(db -c "select round(count(*) / greatest(extract(epoch from max(processed_at) - min(received_at)), 0.001), 1) from stripe_events where id like 'evt_bench_measured_%'")"
record processing_events_s "$processing"
record processed "$(db -c "select count(*) from stripe_events where state in ('processed', 'ignored')")"
record dead "$(db -c "select count(*) from stripe_events where state = 'dead'")"

# The same-run baseline: refresh with rotation, one chain per connection (16 users, 2 sessions each at 32).
users_file="$WORK_DIR/users.txt"
create_users 16 "$users_file"
export TOKENS_FILE="$WORK_DIR/tokens.txt"
create_sessions "$CONNS" "$users_file" "$TOKENS_FILE"
wait_quiet >/dev/null
line="$(wrk_run refresh -t"$CONNS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency -s "$BENCH_LUA/refresh.lua" "$BASE")"
refresh_rate="$(field "$line" ok_per_s)"
record refresh_s "$refresh_rate"
record intake_pct_of_refresh "$(awk -v a="$intake_rate" -v b="$refresh_rate" 'BEGIN {printf "%.1f", 100 * a / b}')"
