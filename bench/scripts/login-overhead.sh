#!/usr/bin/env bash
# What a password login costs besides its hash, and the login rate that cost allows on this machine.
#
# The server runs with a trivial Argon2 cost (m=8 KiB, t=1: microseconds; the users' hashes are upgraded
# to it on their first login, during the warm-up), so the logins/s it then serves is bounded by everything
# else a login does: HTTP, the six PostgreSQL round trips and the commit, the audit append, the ES256
# signature. The CPU the JVM and its PostgreSQL use per login in that run is the fixed cost f. With the
# JMH raw verify rate R (2 threads, all cores; measured right after, the server stopped), a machine of
# n cores can serve at most
#     1 / (1/R + f/n) logins/s
# at the real Argon2 cost, even if hashing suffered no interference at all from the rest of the login:
# that is the ceiling the login benchmark's ratio is measured against.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=login-overhead
RUNS="${OVERHEAD_RUNS:-3}"
DURATION="${OVERHEAD_DURATION:-25s}"
WARMUP="${OVERHEAD_WARMUP:-60s}"
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua" USERS_FILE="$WORK_DIR/users.txt"
export GATEHOUSE_AUTH_ARGON2_MEMORY_KIB=8 GATEHOUSE_AUTH_ARGON2_ITERATIONS=1
start_server "$WORK_DIR/server"
wait_ready
create_users 64 "$USERS_FILE"
log "warm-up $WARMUP (every user's hash is upgraded to the trivial cost on its first login)"
wrk_run warmup -t2 -c8 -d"$WARMUP" --timeout 10s -s "$BENCH_LUA/login.lua" "$BASE" >/dev/null
costs=()
for i in $(seq 1 "$RUNS"); do
  busy="$(wait_quiet)"
  j0="$(server_jiffies)"
  line="$(wrk_run "run$i" -t2 -c8 -d"$DURATION" --timeout 10s --latency -s "$BENCH_LUA/login.lua" "$BASE")"
  j1="$(server_jiffies)"
  ok="$(field "$line" ok)"
  (( ok > 0 )) || die "no successful logins in run $i"
  ms="$(awk -v j=$(( j1 - j0 )) -v hz="$(getconf CLK_TCK)" -v ok="$ok" 'BEGIN {printf "%.2f", 1000 * j / hz / ok}')"
  costs+=("$ms")
  record "run$i" "logins_s=$(field "$line" ok_per_s) server_cpu_ms_per_login=$ms non200=$(field "$line" bad) others_cpu=$(field "$line" others_cpu_pct)% busy_before=${busy}%"
done
stop_server
# R right after, on the same host speed as f (the host drifts over minutes; see login.sh).
raw="$(jmh_verify login-overhead)"
f="$(printf '%s\n' "${costs[@]}" | median)"
record fixed_cpu_ms_per_login "$f"
record raw_verify_s "$raw"
ceiling="$(awk -v r="$raw" -v f="$f" -v n="$(nproc)" 'BEGIN {printf "%.1f", 1 / (1 / r + f / 1000 / n)}')"
record ceiling_logins_s "$ceiling"
record ceiling_pct "$(awk -v c="$ceiling" -v r="$raw" 'BEGIN {printf "%.1f", 100 * c / r}')"
