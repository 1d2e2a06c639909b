#!/usr/bin/env bash
# Refresh with rotation as the table grows: the refresh benchmark (lua/refresh.lua, REFRESH_CHAINS chains) on
# an empty refresh_tokens table and on one that holds GROWN_ROWS (1,000,000) rotated tokens of live families,
# loaded straight into the real schema by sql/preload-rotated-tokens.sql (they stay: the purge keeps a live
# family's tokens). Two data dirs, "empty" and "grown"; GROWN_RUNS pairs of launches, alternating, so a drift
# of the host's speed hits both alike. Each launch: a fresh JVM on the phase's dir, the earlier launches'
# bench sessions deleted (vacuum, checkpoint), new sessions, a warm-up, one measured run, stop.
# Reported: refreshes/s of each, the median of the per-pair ratios grown / empty (bar: >= 90 %), and the
# table's rows before each measured run.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=refresh-grown
RUNS="${GROWN_RUNS:-3}"
DURATION="${GROWN_DURATION:-25s}"
WARMUP="${GROWN_WARMUP:-20s}"
CHAINS="${REFRESH_CHAINS:-64}"
# One user per chain: the shipped free plan ends a user's oldest session beyond 3 (sessions per user).
USERS="${REFRESH_USERS:-$CHAINS}"
ROWS="${GROWN_ROWS:-1000000}"
PER_FAMILY="${GROWN_PER_FAMILY:-100}"
require curl jq wrk psql
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"
users_file="$WORK_DIR/users.txt"
export TOKENS_FILE="$WORK_DIR/tokens.txt"

# psql against the running server's embedded PostgreSQL (its port is line 4 of postmaster.pid).
db() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -n 4p "$SERVER_DIR/postgres/postmaster.pid")" -U postgres -d postgres "$@"; }
table_rows() { db -c "select count(*) from refresh_tokens"; }

# launch PHASE: starts the server on the phase's dir; the first launch creates the users (and the preload).
launch() {
  local phase="$1" first=0
  [[ -d "$WORK_DIR/$phase" ]] || first=1
  start_server "$WORK_DIR/$phase"
  wait_ready
  if (( first )); then
    log "$phase: creating $USERS verified users"
    create_users "$USERS" "$users_file"
    if [[ "$phase" == grown ]]; then
      log "grown: loading $ROWS rotated tokens ($PER_FAMILY per family)"
      local t0=$SECONDS
      db -v rows="$ROWS" -v per_family="$PER_FAMILY" -f "$BENCH_DIR/sql/preload-rotated-tokens.sql"
      record preload_s "$(( SECONDS - t0 ))"
    fi
  fi
  # Only the preload differs between the phases: the bench's own sessions of earlier launches go.
  db -c "delete from sessions where user_id in (select id from users where email like 'bench-user-%')"
  db -c "vacuum analyze refresh_tokens" -c "vacuum analyze sessions" -c "checkpoint"
}

# measure PHASE I: one launch, warm-up, one measured run; refreshes/s into RATE. (Not run in a $(...)
# subshell: the server it starts must be the one the exit trap stops.)
measure() {
  local phase="$1" i="$2" line busy rows
  launch "$phase"
  create_sessions "$CHAINS" "$users_file" "$TOKENS_FILE"
  wrk_run "$phase-warmup$i" -t"$CHAINS" -c"$CHAINS" -d"$WARMUP" --latency -s "$BENCH_LUA/refresh.lua" "$BASE" >/dev/null
  create_sessions "$CHAINS" "$users_file" "$TOKENS_FILE"
  rows="$(table_rows)"
  busy="$(wait_quiet)"
  line="$(wrk_run "$phase-run$i" -t"$CHAINS" -c"$CHAINS" -d"$DURATION" --timeout 10s --latency -s "$BENCH_LUA/refresh.lua" "$BASE")"
  record "$phase-run$i" "refresh_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) rows_before=$rows ok=$(field "$line" ok) non200=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  stop_server
  RATE="$(field "$line" ok_per_s)"
}

empty=() grown=() ratios=()
for i in $(seq 1 "$RUNS"); do
  measure empty "$i"; e="$RATE"
  measure grown "$i"; g="$RATE"
  empty+=("$e"); grown+=("$g")
  ratios+=("$(awk -v g="$g" -v e="$e" 'BEGIN {printf "%.1f", (e > 0 ? 100 * g / e : 0)}')")
  record "pair$i" "empty_s=$e grown_s=$g ratio_pct=${ratios[-1]}"
done
record empty_refresh_s_median "$(printf '%s\n' "${empty[@]}" | median)"
record grown_refresh_s_median "$(printf '%s\n' "${grown[@]}" | median)"
record ratio_pct "$(printf '%s\n' "${ratios[@]}" | median)"
