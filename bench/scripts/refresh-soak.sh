#!/usr/bin/env bash
# Refresh soak with the purge running: SOAK_CHAINS (64) chains refresh for SOAK_DURATION (10m) against a server
# whose sessions end fast (absolute lifetime SOAK_SESSION_LIFETIME, 2m) and whose purge runs every
# SOAK_PURGE_INTERVAL (30s) and keeps ended sessions for SOAK_RETENTION (1m); a chain whose session ended
# signs in again (lua/refresh-soak.lua). Every SOAK_SAMPLE_S (15) seconds the size of refresh_tokens and
# sessions (rows, dead rows, bytes with indexes) goes to refresh-soak.csv. Without the purge refresh_tokens
# grows by one row per refresh for as long as the soak runs; with it, the rows settle at about what the
# live sessions hold (rate x lifetime) plus what one purge interval adds, in a sawtooth: each purge run drops
# them. Verdict "bounded": the highest row count of the second half is at most SOAK_BOUND (1.25) x the
# highest of the first half (a table that only grew would show the second half's peak at about twice the
# first's; comparing single samples would compare a tooth's top with another's bottom).
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=refresh-soak
DURATION_S="${SOAK_DURATION_S:-600}"
CHAINS="${SOAK_CHAINS:-64}"
# One user per chain: the shipped free plan ends a user's oldest session beyond 3 (sessions per user).
USERS="${REFRESH_USERS:-$CHAINS}"
SAMPLE_S="${SOAK_SAMPLE_S:-15}"
BOUND="${SOAK_BOUND:-1.25}"
export GATEHOUSE_AUTH_SESSION_MAX_LIFETIME="${SOAK_SESSION_LIFETIME:-2m}"
export GATEHOUSE_AUTH_PURGE_INTERVAL="${SOAK_PURGE_INTERVAL:-30s}"
export GATEHOUSE_AUTH_PURGE_SESSION_RETENTION="${SOAK_RETENTION:-1m}"
require curl jq wrk psql
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"
export USERS_FILE="$WORK_DIR/users.txt" TOKENS_FILE="$WORK_DIR/tokens.txt"
csv="$RESULTS_DIR/refresh-soak.csv"

db() { psql -X -q -At -F, -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -n 4p "$SERVER_DIR/postgres/postmaster.pid")" -U postgres -d postgres "$@"; }
# rows, dead rows, bytes (table + indexes + toast) of refresh_tokens, then of sessions
sizes() {
  db -c "select (select count(*) from refresh_tokens), n_dead_tup, pg_total_relation_size('refresh_tokens'),
                (select count(*) from sessions), (select n_dead_tup from pg_stat_user_tables where relname = 'sessions'),
                pg_total_relation_size('sessions')
         from pg_stat_user_tables where relname = 'refresh_tokens'"
}
purged() { curl -s --max-time 10 "$BASE/metrics" | awk -v m="$1" '$1 == m {printf "%.0f", $2}'; }

start_server "$WORK_DIR/server"
wait_ready
log "creating $USERS verified users"
create_users "$USERS" "$USERS_FILE"
create_sessions "$CHAINS" "$USERS_FILE" "$TOKENS_FILE"
busy="$(wait_quiet)"

echo "elapsed_s,token_rows,token_dead,token_bytes,session_rows,session_dead,session_bytes" >"$csv"
before="$(sizes)"
echo "0,$before" >>"$csv"
log "soak ${DURATION_S}s: sessions live $GATEHOUSE_AUTH_SESSION_MAX_LIFETIME, purge every $GATEHOUSE_AUTH_PURGE_INTERVAL, retention $GATEHOUSE_AUTH_PURGE_SESSION_RETENTION"
( t0=$SECONDS
  while sleep "$SAMPLE_S"; do echo "$(( SECONDS - t0 )),$(sizes)" >>"$csv" || true; done ) &
SAMPLER_PID=$!
line="$(wrk_run soak -t"$CHAINS" -c"$CHAINS" -d"${DURATION_S}s" --timeout 10s --latency -s "$BENCH_LUA/refresh-soak.lua" "$BASE")"
kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
after="$(sizes)"
echo "$DURATION_S,$after" >>"$csv"

# rows at half time: the sample closest to it
half="$(awk -F, -v h=$(( DURATION_S / 2 )) 'NR > 1 {d = $1 - h; if (d < 0) d = -d; if (best == "" || d < best) {best = d; r = $2}} END {print r}' "$csv")"
IFS=, read -r rows_before _ bytes_before srows_before _ _ <<<"$before"
IFS=, read -r rows_after dead_after bytes_after srows_after _ _ <<<"$after"
max_rows="$(awk -F, 'NR > 1 && $2 > m {m = $2} END {print m + 0}' "$csv")"
max_bytes="$(awk -F, 'NR > 1 && $4 > m {m = $4} END {print m + 0}' "$csv")"
record soak "refresh_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) ok=$(field "$line" ok) logins=$(field "$line" logins) ended=$(field "$line" ended) gone=$(field "$line" gone) non200=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% busy_before=${busy}%"
record token_rows "before=$rows_before half=$half after=$rows_after max=$max_rows dead_after=$dead_after"
record token_mb "before=$(( bytes_before / 1048576 )) after=$(( bytes_after / 1048576 )) max=$(( max_bytes / 1048576 ))"
record session_rows "before=$srows_before after=$srows_after"
record purged "tokens=$(purged gatehouse_refresh_tokens_purged_total) sessions=$(purged gatehouse_sessions_purged_total)"
peaks="$(awk -F, -v h=$(( DURATION_S / 2 )) 'NR > 1 {if ($1 <= h) {if ($2 > p1) p1 = $2} else if ($2 > p2) p2 = $2} END {print p1 + 0, p2 + 0}' "$csv")"
record bounded "$(awk -v p="$peaks" -v b="$BOUND" 'BEGIN {split(p, x, " "); printf "%s (peak rows: first half %d, second half %d, ratio %.2f)", (x[1] > 0 && x[2] <= b * x[1]) ? "yes" : "no", x[1], x[2], (x[1] > 0 ? x[2] / x[1] : 0)}')"
