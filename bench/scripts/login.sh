#!/usr/bin/env bash
# Password login throughput over HTTP vs raw Argon2id verify throughput (JMH, same server parameters,
# 2 threads), both measured in this run. Users are registered and verified first (not measured); wrk
# cycles through them, LOGIN_RUNS times, each on a fresh JVM launch. Bar: HTTP logins/s >= 90% of raw verifies/s.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=login
RUNS="${LOGIN_RUNS:-5}"
DURATION="${LOGIN_DURATION:-25s}"
WARMUP="${LOGIN_WARMUP:-15s}"
CONNS="${LOGIN_CONNECTIONS:-8}"
USERS="${LOGIN_USERS:-64}"
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

# Raw baseline first, while no server runs (skipped when run-all.sh already measured it in this run).
if [[ ! -f "$RESULTS_DIR/jmh.env" ]]; then "$(dirname "$0")/jmh.sh"; fi
raw="$(sed -n 's/^verify_ops_s=//p' "$RESULTS_DIR/jmh.env")"

export USERS_FILE="$WORK_DIR/users.txt"
# Each measured run gets its own JVM launch (same data dir, so the users persist): how well C2 compiles
# BouncyCastle's Argon2 differs from one launch to the next, and the median should reflect launches.
rates=() p99=()
for i in $(seq 1 "$RUNS"); do
  start_server "$WORK_DIR/server"
  wait_ready
  if [[ ! -s "$USERS_FILE" ]]; then log "creating $USERS verified users"; create_users "$USERS" "$USERS_FILE"; fi
  log "launch $i: warm-up $WARMUP"
  wrk_run "warmup$i" -t2 -c"$CONNS" -d"$WARMUP" --timeout 10s --latency -s "$BENCH_LUA/login.lua" "$BASE" >/dev/null
  busy="$(wait_quiet)"
  line="$(wrk_run "run$i" -t2 -c"$CONNS" -d"$DURATION" --timeout 10s --latency -s "$BENCH_LUA/login.lua" "$BASE")"
  r="$(field "$line" ok_per_s)"; p="$(field "$line" p99_ms)"
  rates+=("$r"); p99+=("$p")
  record "run$i" "logins_s=$r p99_ms=$p non200=$(field "$line" bad) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  stop_server
done
med="$(printf '%s\n' "${rates[@]}" | median)"
record logins_s_median "$med"
record p99_ms_median "$(printf '%s\n' "${p99[@]}" | median)"
record raw_verify_s "$raw"
record ratio_pct "$(awk -v a="$med" -v b="$raw" 'BEGIN {printf "%.1f", 100 * a / b}')"
