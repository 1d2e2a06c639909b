#!/usr/bin/env bash
# POST /api/v1/quotas/consume against refresh with rotation, in the same run on the same server: both are one
# write and a commit per call. Setup (not measured): a catalog whose free plan allows 10^12 api_calls a day (so no
# run is refused: every call is a real check-and-increment that admits), a service key, QUOTA_ORGS organizations
# (default 100), QUOTA_USERS verified users for the refresh chains. Then, after one warm-up of each, QUOTA_RUNS
# rounds of three measured runs of QUOTA_DURATION each: refresh (64 chains, as refresh.sh), consume on one hot
# organization and consume across all the organizations (wrk -t2 -cQUOTA_CONNECTIONS, a fresh Idempotency-Key per
# call). Each round's ratios are consume / refresh of that round; the medians of the per-round ratios are reported.
# Afterwards every admitted consumption (warm-ups included) must be counted once (see the end).
# Bars: hot organization >= 100 % of refresh, 100 organizations >= 150 %.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=quota
RUNS="${QUOTA_RUNS:-3}"
DURATION="${QUOTA_DURATION:-25s}"
WARMUP="${QUOTA_WARMUP:-20s}"
CONNS="${QUOTA_CONNECTIONS:-64}"
CHAINS="${REFRESH_CHAINS:-64}"
ORGS="${QUOTA_ORGS:-100}"
USERS="${QUOTA_USERS:-16}"
require curl jq wrk psql unzip
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

# The shipped catalog with a free plan that admits every call of the run, and enough concurrent sessions per user
# for the refresh chains (the shipped free plan ends a user's oldest session beyond 3).
bench_catalog 's/api_calls: {limit: 1000, period: day}/api_calls: {limit: 1000000000000, period: day}/' \
  's/sessions: {limit: 3, period: none}/sessions: {limit: 1000, period: none}/'

start_server "$WORK_DIR/server"
wait_ready
admin="$(admin_access_token)"

export SERVICE_KEY
SERVICE_KEY="$(call POST /api/v1/admin/service-keys '{"name":"bench quota backend"}' "$admin" 201 | jq -r .key)"
[[ "$SERVICE_KEY" == gh_sk_* ]] || die "no service key"
all_orgs="$WORK_DIR/orgs.txt" hot_org="$WORK_DIR/hot-org.txt"
: >"$all_orgs"
log "creating $ORGS organizations"
for o in $(seq 1 "$ORGS"); do
  call POST /api/v1/orgs "{\"name\":\"Quota bench $o\"}" "$admin" 201 | jq -r .id >>"$all_orgs"
done
head -1 "$all_orgs" >"$hot_org"
answer="$(call POST /api/v1/quotas/consume "{\"org\":\"$(head -1 "$all_orgs")\",\"meter\":\"api_calls\"}" "$SERVICE_KEY" 200)"
[[ "$(printf '%s' "$answer" | jq -r .limit)" == 1000000000000 ]] || die "the bench catalog is not in use: $answer"
admitted=1

users_file="$WORK_DIR/users.txt"
log "creating $USERS verified users"
create_users "$USERS" "$users_file"
export TOKENS_FILE="$WORK_DIR/tokens.txt"

# consume NAME ORGS_FILE DURATION -> the RESULT line (callers add its ok count to $admitted)
consume() {
  RUN_ID="$1" ORGS_FILE="$2" wrk_run "$1" -t2 -c"$CONNS" -d"$3" --timeout 10s --latency \
    -s "$BENCH_LUA/quota-consume.lua" "$BASE"
}
refresh() {
  create_sessions "$CHAINS" "$users_file" "$TOKENS_FILE"
  wrk_run "$1" -t"$CHAINS" -c"$CHAINS" -d"$2" --timeout 10s --latency -s "$BENCH_LUA/refresh.lua" "$BASE"
}

log "warm-up $WARMUP each"
refresh warmup-refresh "$WARMUP" >/dev/null
line="$(consume warmup-hot "$hot_org" "$WARMUP")"; admitted=$(( admitted + $(field "$line" ok) ))
line="$(consume warmup-spread "$all_orgs" "$WARMUP")"; admitted=$(( admitted + $(field "$line" ok) ))

hot_ratios=() spread_ratios=() refreshes=() hots=() spreads=()
for i in $(seq 1 "$RUNS"); do
  busy="$(wait_quiet)"
  line="$(refresh "refresh$i" "$DURATION")"
  r="$(field "$line" ok_per_s)"; refreshes+=("$r")
  record "refresh$i" "refresh_s=$r p99_ms=$(field "$line" p99_ms) non200=$(field "$line" bad) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  busy="$(wait_quiet)"
  line="$(consume "hot$i" "$hot_org" "$DURATION")"
  h="$(field "$line" ok_per_s)"; hots+=("$h"); admitted=$(( admitted + $(field "$line" ok) ))
  record "hot$i" "consume_s=$h p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  busy="$(wait_quiet)"
  line="$(consume "spread$i" "$all_orgs" "$DURATION")"
  s="$(field "$line" ok_per_s)"; spreads+=("$s"); admitted=$(( admitted + $(field "$line" ok) ))
  record "spread$i" "consume_s=$s p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  hot_ratios+=("$(awk -v c="$h" -v r="$r" 'BEGIN { printf "%.1f", (r > 0 ? 100 * c / r : 0) }')")
  spread_ratios+=("$(awk -v c="$s" -v r="$r" 'BEGIN { printf "%.1f", (r > 0 ? 100 * c / r : 0) }')")
  record "round$i" "hot_pct=${hot_ratios[-1]} spread_pct=${spread_ratios[-1]}"
done
record refresh_s_median "$(printf '%s\n' "${refreshes[@]}" | median)"
record hot_consume_s_median "$(printf '%s\n' "${hots[@]}" | median)"
record spread_consume_s_median "$(printf '%s\n' "${spreads[@]}" | median)"
hot_pct="$(printf '%s\n' "${hot_ratios[@]}" | median)"
spread_pct="$(printf '%s\n' "${spread_ratios[@]}" | median)"
record hot_pct_of_refresh "$hot_pct"
record spread_pct_of_refresh "$spread_pct"

# Exactness, from the server's own PostgreSQL: every consumption stored with its Idempotency-Key as admitted is
# counted once in the organizations' totals (plus the one unkeyed check above), and the totals hold at least what
# the runs were told was admitted, and at most that plus the calls still in flight when each wrk run stopped (wrk
# stops without reading their answers, the server commits them). A run that crosses midnight UTC splits the
# count over two days: rerun it.
db() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -n 4p "$SERVER_DIR/postgres/postmaster.pid")" -U postgres -d postgres "$@"; }
counted="$(db -c "select coalesce(sum(consumed), 0)::bigint from usage_totals where meter = 'api_calls' and period = 'day'")"
keyed="$(db -c "select count(*) from quota_consumptions where allowed")"
runs=$(( 2 + 2 * RUNS ))
record admitted_answered "$admitted"
record counted "$counted"
record stored_with_key "$keyed"
if [[ "$counted" == $(( keyed + 1 )) ]] && (( counted >= admitted && counted - admitted <= runs * CONNS )); then
  record exact "yes (in flight at the runs' ends: $(( counted - admitted )))"
else
  record exact "NO: counted $counted, stored with a key $keyed (+1 unkeyed), answered admitted $admitted"
fi
awk -v h="$hot_pct" -v s="$spread_pct" 'BEGIN { exit !(h >= 100 && s >= 150) }' \
  && record verdict "pass (hot >= 100 %, spread >= 150 %)" || record verdict "FAIL (hot $hot_pct %, spread $spread_pct %)"
