#!/usr/bin/env bash
# Reserve + settle pairs (POST /api/v1/credits/reservations, then .../{id}/settle) against refresh with rotation, in
# the same run on the same server. Setup (not measured): a service key, CREDITS_ORGS organizations (default 100),
# each granted 10^9 PT by an admin (so no run is refused: every call is a real hold or settlement), CREDITS_USERS
# verified users for the refresh chains. Then, after one warm-up of each, CREDITS_RUNS rounds of three measured runs
# of CREDITS_DURATION each: refresh (64 chains, as refresh.sh), pairs on one hot organization and pairs across all
# the organizations (wrk -t2 -cCREDITS_CONNECTIONS, a fresh Idempotency-Key per call). A pair is two calls and two
# ledger transactions. Each round's ratio is pairs / refreshes of that round; the medians are reported.
# Afterwards the ledger must balance and its caches equal the entries (the drift check, see the end).
# Bars (issue 13): hot organization >= 1,000 pairs/s; 100 organizations >= 50 % of refresh.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=credits
RUNS="${CREDITS_RUNS:-3}"
DURATION="${CREDITS_DURATION:-25s}"
WARMUP="${CREDITS_WARMUP:-20s}"
CONNS="${CREDITS_CONNECTIONS:-64}"
CHAINS="${REFRESH_CHAINS:-64}"
ORGS="${CREDITS_ORGS:-100}"
USERS="${CREDITS_USERS:-16}"
require curl jq wrk psql unzip
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

# Enough concurrent sessions per user for the refresh chains (the shipped free plan ends a user's oldest beyond 3).
bench_catalog 's/sessions: {limit: 3, period: none}/sessions: {limit: 1000, period: none}/'

start_server "$WORK_DIR/server"
wait_ready
admin="$(admin_access_token)"

export SERVICE_KEY
SERVICE_KEY="$(call POST /api/v1/admin/service-keys '{"name":"bench credits backend"}' "$admin" 201 | jq -r .key)"
[[ "$SERVICE_KEY" == gh_sk_* ]] || die "no service key"
all_orgs="$WORK_DIR/orgs.txt" hot_org="$WORK_DIR/hot-org.txt"
: >"$all_orgs"
log "creating $ORGS organizations with 10^9 PT each"
for o in $(seq 1 "$ORGS"); do
  org="$(call POST /api/v1/orgs "{\"name\":\"Credits bench $o\"}" "$admin" 201 | jq -r .id)"
  call POST "/api/v1/admin/orgs/$org/credits/grants" '{"amount":1000000000,"reason":"bench"}' "$admin" 201 >/dev/null
  printf '%s\n' "$org" >>"$all_orgs"
done
head -1 "$all_orgs" >"$hot_org"

users_file="$WORK_DIR/users.txt"
log "creating $USERS verified users"
create_users "$USERS" "$users_file"
export TOKENS_FILE="$WORK_DIR/tokens.txt"

# pairs NAME ORGS_FILE DURATION -> the RESULT line
pairs() {
  RUN_ID="$1" ORGS_FILE="$2" wrk_run "$1" -t2 -c"$CONNS" -d"$3" --timeout 10s --latency \
    -s "$BENCH_LUA/credits-pair.lua" "$BASE"
}
refresh() {
  create_sessions "$CHAINS" "$users_file" "$TOKENS_FILE"
  wrk_run "$1" -t"$CHAINS" -c"$CHAINS" -d"$2" --timeout 10s --latency -s "$BENCH_LUA/refresh.lua" "$BASE"
}

log "warm-up $WARMUP each"
refresh warmup-refresh "$WARMUP" >/dev/null
pairs warmup-hot "$hot_org" "$WARMUP" >/dev/null
pairs warmup-spread "$all_orgs" "$WARMUP" >/dev/null

spread_ratios=() refreshes=() hots=() spreads=()
for i in $(seq 1 "$RUNS"); do
  busy="$(wait_quiet)"
  line="$(refresh "refresh$i" "$DURATION")"
  r="$(field "$line" ok_per_s)"; refreshes+=("$r")
  record "refresh$i" "refresh_s=$r p99_ms=$(field "$line" p99_ms) non200=$(field "$line" bad) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  busy="$(wait_quiet)"
  line="$(pairs "hot$i" "$hot_org" "$DURATION")"
  h="$(field "$line" ok_per_s)"; hots+=("$h")
  record "hot$i" "pairs_s=$h p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  busy="$(wait_quiet)"
  line="$(pairs "spread$i" "$all_orgs" "$DURATION")"
  s="$(field "$line" ok_per_s)"; spreads+=("$s")
  record "spread$i" "pairs_s=$s p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  spread_ratios+=("$(awk -v c="$s" -v r="$r" 'BEGIN { printf "%.1f", (r > 0 ? 100 * c / r : 0) }')")
  record "round$i" "hot_pairs_s=$h spread_pct=${spread_ratios[-1]}"
done
record refresh_s_median "$(printf '%s\n' "${refreshes[@]}" | median)"
hot_median="$(printf '%s\n' "${hots[@]}" | median)"
record hot_pairs_s_median "$hot_median"
record spread_pairs_s_median "$(printf '%s\n' "${spreads[@]}" | median)"
spread_pct="$(printf '%s\n' "${spread_ratios[@]}" | median)"
record spread_pct_of_refresh "$spread_pct"

# Exactness, from the server's own PostgreSQL: every transaction sums to zero and every cached balance (accounts and
# blocks) equals the sum of its entries, after everything the runs did (holds still open at a run's end included).
db() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -n 4p "$SERVER_DIR/postgres/postmaster.pid")" -U postgres -d postgres "$@"; }
unbalanced="$(db -c "select count(*) from (select transaction_id from credit_entries group by transaction_id having sum(amount) <> 0) t")"
drifts="$(call POST /api/v1/admin/ledger/drift-check '' "$admin" 200 | jq '.drifts | length')"
settled="$(db -c "select count(*) from credit_reservations where state = 'settled'")"
record settled_pairs "$settled"
if [[ "$unbalanced" == 0 && "$drifts" == 0 ]]; then
  record exact "yes (unbalanced transactions 0, drifts 0)"
else
  record exact "NO: unbalanced transactions $unbalanced, drifts $drifts"
fi
awk -v h="$hot_median" -v s="$spread_pct" 'BEGIN { exit !(h >= 1000 && s >= 50) }' \
  && record verdict "pass (hot >= 1,000 pairs/s, spread >= 50 %)" \
  || record verdict "FAIL (hot $hot_median pairs/s, spread $spread_pct %)"
