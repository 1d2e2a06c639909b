#!/usr/bin/env bash
# POST /api/v1/entitlements/check against GET /api/v1/me, in the same run on the same server: ENT_ORGS_COUNT
# organizations (default 100) are created through the API and every other one is moved to pro by the admin
# override (not measured); then, alternating, ENT_RUNS measured wrk runs of ENT_DURATION each for /me (admin
# token) and for the check (service key; the organizations in turn, features their plans include), 2 threads,
# ENT_CONNECTIONS connections, after one warm-up run of each.
# Then ENT_RUNS open-loop runs with hey at a fixed ENT_RATE (default: half of /me's median saturated rate), so the
# p99 is the server's at that rate, not the queue wrk builds when it saturates 2 cores it shares with the server.
# Bars: the check >= 80 % of /me's median req/s (200s only), and its p99 <= 10 ms (judged on the open-loop runs;
# the saturated runs' p99 is reported too), both measured in this run.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=entitlements
RUNS="${ENT_RUNS:-3}"
DURATION="${ENT_DURATION:-25s}"
WARMUP="${ENT_WARMUP:-20s}"
CONNS="${ENT_CONNECTIONS:-64}"
COUNT="${ENT_ORGS_COUNT:-100}"
export ENT_FEATURES="${ENT_FEATURES:-api_access}"
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

start_server "$WORK_DIR/server"
wait_ready
admin="$(admin_access_token)"

export SERVICE_KEY
SERVICE_KEY="$(call POST /api/v1/admin/service-keys '{"name":"bench entitlements backend"}' "$admin" 201 | jq -r .key)"
[[ "$SERVICE_KEY" == gh_sk_* ]] || die "no service key"

log "creating $COUNT organizations"
orgs=()
for n in $(seq 1 "$COUNT"); do
  org="$(call POST /api/v1/orgs "{\"name\":\"bench org $n\"}" "$admin" 201 | jq -r .id)"
  if (( n % 2 == 0 )); then
    call POST "/api/v1/admin/orgs/$org/subscription/override" '{"plan":"pro","reason":"benchmark"}' "$admin" 200 >/dev/null
  fi
  orgs+=("$org")
done
export ENT_ORGS
ENT_ORGS="$(IFS=,; printf '%s' "${orgs[*]}")"
answer="$(call POST /api/v1/entitlements/check "{\"org\":\"${orgs[1]}\",\"feature\":\"priority_support\"}" "$SERVICE_KEY" 200)"
[[ "$(printf '%s' "$answer" | jq -r .plan)" == "pro" ]] || die "the override did not take: $answer"
call POST /api/v1/entitlements/check "{\"org\":\"${orgs[0]}\",\"feature\":\"priority_support\"}" "$SERVICE_KEY" 402 >/dev/null
record organizations "$COUNT"

export ACCESS_TOKEN
ACCESS_TOKEN="$(admin_access_token)"
log "warm-up $WARMUP each"
wrk_run warmup-me -t2 -c"$CONNS" -d"$WARMUP" --latency -s "$BENCH_LUA/me.lua" "$BASE" >/dev/null
wrk_run warmup-check -t2 -c"$CONNS" -d"$WARMUP" --latency -s "$BENCH_LUA/entitlement-check.lua" "$BASE" >/dev/null

me=() ch=() p99s=()
for i in $(seq 1 "$RUNS"); do
  busy="$(wait_quiet)"
  ACCESS_TOKEN="$(admin_access_token)"   # 10-minute access tokens: a fresh one per run
  line="$(wrk_run "me$i" -t2 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_LUA/me.lua" "$BASE")"
  me+=("$(field "$line" ok_per_s)")
  record "me$i" "req_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) busy_before=${busy}%"
  busy="$(wait_quiet)"
  line="$(wrk_run "check$i" -t2 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_LUA/entitlement-check.lua" "$BASE")"
  ch+=("$(field "$line" ok_per_s)")
  p99s+=("$(field "$line" p99_ms)")
  record "check$i" "req_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) busy_before=${busy}%"
done
me_median="$(printf '%s\n' "${me[@]}" | median)"
ch_median="$(printf '%s\n' "${ch[@]}" | median)"
p99_median="$(printf '%s\n' "${p99s[@]}" | median)"
record me_req_s_median "$me_median"
record check_req_s_median "$ch_median"
record check_p99_ms_median "$p99_median"
ratio="$(awk -v c="$ch_median" -v m="$me_median" 'BEGIN { printf "%.1f", (m > 0 ? 100 * c / m : 0) }')"
record check_pct_of_me "$ratio"

# Open loop at a fixed rate over the same connections, one organization (hey sends one body).
require hey
RATE="${ENT_RATE:-$(awk -v m="$me_median" 'BEGIN { printf "%d", m / 2 }')}"
op99=()
for i in $(seq 1 "$RUNS"); do
  busy="$(wait_quiet)"
  out="$(hey -z "$DURATION" -c "$CONNS" -q $(( RATE / CONNS )) -m POST -T application/json \
        -H "Authorization: Bearer $SERVICE_KEY" -d "{\"org\":\"${orgs[1]}\",\"feature\":\"priority_support\"}" \
        "$BASE/api/v1/entitlements/check")"
  printf '%s\n' "$out" >"$RESULTS_DIR/entitlements-open$i.hey.txt"
  r="$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')"
  p="$(printf '%s\n' "$out" | awk '/ 99% in / {printf "%.2f", $3 * 1000}')"
  ok="$(printf '%s\n' "$out" | awk '/\[200\]/ {print $2}')"
  op99+=("$p")
  record "open$i" "offered_req_s=$RATE served_req_s=$r p99_ms=$p ok=${ok:-0} busy_before=${busy}%"
done
open_p99="$(printf '%s\n' "${op99[@]}" | median)"
record open_p99_ms_median "$open_p99"
awk -v r="$ratio" -v p="$open_p99" 'BEGIN { exit !(r >= 80 && p <= 10) }' \
  && record verdict "pass (>= 80 % of /me; p99 <= 10 ms at $RATE/s)" \
  || record verdict "FAIL (< 80 % of /me, or p99 > 10 ms at $RATE/s)"
