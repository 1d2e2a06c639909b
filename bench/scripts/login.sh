#!/usr/bin/env bash
# Password login throughput over HTTP vs raw Argon2id verify throughput (JMH, same server parameters,
# 2 threads). Users are registered and verified first (not measured); wrk cycles through them, LOGIN_RUNS
# times, each on a fresh JVM launch. Bar: HTTP logins/s >= 90% of raw verifies/s.
#
# The host's speed drifts by 20 % and more over minutes (JMH alone gave 96.7, then 76.7 verifies/s
# twenty minutes apart on 2026-12-02), so one baseline for the whole script would compare a login run
# with whatever speed the host had when JMH ran. Instead each launch's measured run is followed at once
# by its own JMH verify run (the server stopped first, so neither disturbs the other), and the figure is
# the median of the per-launch ratios.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=login
RUNS="${LOGIN_RUNS:-3}"
DURATION="${LOGIN_DURATION:-25s}"
# At ~70 logins/s the request path reaches C2's thresholds slowly: the JIT used 5-7 % of the machine
# after one minute of logins and settled below 1 % after three. Each run reports the share the JIT
# still used during it (jit_cpu), so a run that was still compiling shows as such.
WARMUP="${LOGIN_WARMUP:-180s}"
CONNS="${LOGIN_CONNECTIONS:-8}"
USERS="${LOGIN_USERS:-64}"
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"
export USERS_FILE="$WORK_DIR/users.txt"
# Each measured run gets its own JVM launch (same data dir, so the users persist): the median should
# reflect launches, whose JIT decisions differ.
rates=() p99=() raws=() ratios=()
for i in $(seq 1 "$RUNS"); do
  start_server "$WORK_DIR/server"
  wait_ready
  if [[ ! -s "$USERS_FILE" ]]; then log "creating $USERS verified users"; create_users "$USERS" "$USERS_FILE"; fi
  log "launch $i: warm-up $WARMUP"
  wrk_run "warmup$i" -t2 -c"$CONNS" -d"$WARMUP" --timeout 10s --latency -s "$BENCH_LUA/login.lua" "$BASE" >/dev/null
  busy="$(wait_quiet)"
  jit0="$(jit_jiffies "$SERVER_PID")"; t0="$(date +%s%N)"
  line="$(wrk_run "run$i" -t2 -c"$CONNS" -d"$DURATION" --timeout 10s --latency -s "$BENCH_LUA/login.lua" "$BASE")"
  jit="$(awk -v j=$(( $(jit_jiffies "$SERVER_PID") - jit0 )) -v ns=$(( $(date +%s%N) - t0 )) -v hz="$(getconf CLK_TCK)" -v n="$(nproc)" \
         'BEGIN {printf "%.1f", 100 * j / hz / (ns / 1e9) / n}')"
  stop_server
  raw="$(jmh_verify "login-run$i")"
  r="$(field "$line" ok_per_s)"; p="$(field "$line" p99_ms)"
  ratio="$(awk -v a="$r" -v b="$raw" 'BEGIN {printf "%.1f", 100 * a / b}')"
  rates+=("$r"); p99+=("$p"); raws+=("$raw"); ratios+=("$ratio")
  record "run$i" "logins_s=$r raw_verify_s=$raw ratio=${ratio}% p99_ms=$p non200=$(field "$line" bad) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% jit_cpu=${jit}% busy_before=${busy}%"
done
record logins_s_median "$(printf '%s\n' "${rates[@]}" | median)"
record p99_ms_median "$(printf '%s\n' "${p99[@]}" | median)"
raw_median="$(printf '%s\n' "${raws[@]}" | median)"
record raw_verify_s "$raw_median"
record ratio_pct "$(printf '%s\n' "${ratios[@]}" | median)"

# What the rest of a login costs, and the ceiling that puts on the ratio (login-overhead.sh explains).
if [[ "${LOGIN_OVERHEAD:-1}" != 0 ]]; then
  RESULTS_DIR="$RESULTS_DIR" "$(dirname "$0")/login-overhead.sh"
  record fixed_cpu_ms_per_login "$(sed -n 's/^fixed_cpu_ms_per_login=//p' "$RESULTS_DIR/login-overhead.env")"
  record ceiling_pct "$(sed -n 's/^ceiling_pct=//p' "$RESULTS_DIR/login-overhead.env")"
fi
