#!/usr/bin/env bash
# GET /api/v1/me with a valid bearer token: wrk, 2 threads, 64 connections, a warm-up run, then ME_RUNS
# measured runs of ME_DURATION. Median req/s (200s only) and p99; peak JVM RSS sampled every second.
# Bars: >= 5,000 req/s, p99 <= 20 ms, RSS <= 600 MB.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=me
RUNS="${ME_RUNS:-3}"
DURATION="${ME_DURATION:-25s}"
WARMUP="${ME_WARMUP:-20s}"
CONNS="${ME_CONNECTIONS:-64}"
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

start_server "$WORK_DIR/server"
wait_ready
JVM_PID="$SERVER_PID"
rss_file="$WORK_DIR/rss.txt"; : >"$rss_file"
record rss_idle_mb "$(( $(ps -o rss= -p "$JVM_PID") / 1024 ))"

export ACCESS_TOKEN
ACCESS_TOKEN="$(admin_access_token)"
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ACCESS_TOKEN" "$BASE/api/v1/me")" == 200 ]] || die "/me did not answer 200"

log "warm-up $WARMUP"
start_rss_sampler "$JVM_PID" "$rss_file"
wrk_run warmup -t2 -c"$CONNS" -d"$WARMUP" --latency -s "$BENCH_LUA/me.lua" "$BASE" >/dev/null

rps=() p99=()
for i in $(seq 1 "$RUNS"); do
  stop_rss_sampler
  busy="$(wait_quiet)"
  ACCESS_TOKEN="$(admin_access_token)"   # 10-minute access tokens: a fresh one per run
  start_rss_sampler "$JVM_PID" "$rss_file"
  line="$(wrk_run "run$i" -t2 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_LUA/me.lua" "$BASE")"
  r="$(field "$line" ok_per_s)"; p="$(field "$line" p99_ms)"
  rps+=("$r"); p99+=("$p")
  record "run$i" "req_s=$r p99_ms=$p bad=$(field "$line" bad) socket_errors=$(( $(field "$line" connect_err) + $(field "$line" read_err) + $(field "$line" write_err) + $(field "$line" timeouts) )) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
done
record req_s_median "$(printf '%s\n' "${rps[@]}" | median)"
record p99_ms_median "$(printf '%s\n' "${p99[@]}" | median)"

# Open loop: wrk above is closed-loop (each connection fires again the moment it gets an answer), so its
# p99 is the queueing delay of a saturated machine. The bar asks for p99 at >= 5,000 req/s: hey offers
# a fixed ME_RATE (default 10,000 req/s, twice the bar) over the same 64 connections and reports p99.
RATE="${ME_RATE:-10000}"
if command -v hey >/dev/null; then
  orps=() op99=()
  for i in $(seq 1 "$RUNS"); do
    busy="$(wait_quiet)"
    ACCESS_TOKEN="$(admin_access_token)"
    out="$(hey -z "$DURATION" -c "$CONNS" -q $(( RATE / CONNS )) -H "Authorization: Bearer $ACCESS_TOKEN" "$BASE/api/v1/me")"
    printf '%s\n' "$out" >"$RESULTS_DIR/me-open$i.hey.txt"
    r="$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')"
    p="$(printf '%s\n' "$out" | awk '/ 99% in / {printf "%.2f", $3 * 1000}')"
    ok="$(printf '%s\n' "$out" | awk '/\[200\]/ {print $2}')"
    orps+=("$r"); op99+=("$p")
    record "open$i" "offered_req_s=$RATE served_req_s=$r p99_ms=$p ok=$ok busy_before=${busy}%"
  done
  record open_req_s_median "$(printf '%s\n' "${orps[@]}" | median)"
  record open_p99_ms_median "$(printf '%s\n' "${op99[@]}" | median)"
else
  log "hey not installed (apt-get install hey): open-loop run skipped"
fi
stop_rss_sampler
record rss_peak_mb "$(( $(max <"$rss_file") / 1024 ))"
