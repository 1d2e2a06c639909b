#!/usr/bin/env bash
# Refresh-token rotation: REFRESH_CHAINS independent sessions (default 64), each followed by its own wrk
# thread with one connection (-t64 -c64): every call presents the refresh token from the previous 200.
# Sessions are created by logins before each run (not measured). Only 200s count; non-200s reported.
# Bar: >= 2,000 refreshes/s.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=refresh
RUNS="${REFRESH_RUNS:-3}"
DURATION="${REFRESH_DURATION:-25s}"
WARMUP="${REFRESH_WARMUP:-20s}"
CHAINS="${REFRESH_CHAINS:-64}"
# One user per chain: the shipped free plan ends a user's oldest session beyond 3 (sessions per user).
USERS="${REFRESH_USERS:-$CHAINS}"
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

start_server "$WORK_DIR/server"
wait_ready
users_file="$WORK_DIR/users.txt"
log "creating $USERS verified users"
create_users "$USERS" "$users_file"
export TOKENS_FILE="$WORK_DIR/tokens.txt"

log "warm-up $WARMUP"
create_sessions "$CHAINS" "$users_file" "$TOKENS_FILE"
wrk_run warmup -t"$CHAINS" -c"$CHAINS" -d"$WARMUP" --latency -s "$BENCH_LUA/refresh.lua" "$BASE" >/dev/null

rates=() p99=()
for i in $(seq 1 "$RUNS"); do
  create_sessions "$CHAINS" "$users_file" "$TOKENS_FILE"
  busy="$(wait_quiet)"
  line="$(wrk_run "run$i" -t"$CHAINS" -c"$CHAINS" -d"$DURATION" --timeout 10s --latency -s "$BENCH_LUA/refresh.lua" "$BASE")"
  r="$(field "$line" ok_per_s)"; p="$(field "$line" p99_ms)"
  rates+=("$r"); p99+=("$p")
  record "run$i" "refresh_s=$r p99_ms=$p ok=$(field "$line" ok) non200=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
done
record refresh_s_median "$(printf '%s\n' "${rates[@]}" | median)"
record p99_ms_median "$(printf '%s\n' "${p99[@]}" | median)"
