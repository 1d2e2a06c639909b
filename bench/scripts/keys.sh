#!/usr/bin/env bash
# POST /api/v1/keys/verify: the product's backend verifying org API keys with its service key. One service key
# and KEYS_COUNT org keys (default 1,000, in organizations of 100) are created through the API (not measured);
# wrk, 2 threads, KEYS_CONNECTIONS connections (64), cycles through the keys: a warm-up run, then KEYS_RUNS
# measured runs of KEYS_DURATION. Median verifications/s (200 with "valid":true only) and p99; non-200s and
# invalid answers reported. An open-loop run with hey at KEYS_RATE (10,000/s, the bar) gives p99 at that rate
# without wrk's saturation queueing (one key: hey sends one body). PostgreSQL connection acquisitions during each
# run are read from /metrics, to show that verifications are answered from memory.
# Bar: >= 10,000 verifications/s with p99 <= 10 ms at 64 connections.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=keys
RUNS="${KEYS_RUNS:-3}"
DURATION="${KEYS_DURATION:-25s}"
WARMUP="${KEYS_WARMUP:-20s}"
CONNS="${KEYS_CONNECTIONS:-64}"
COUNT="${KEYS_COUNT:-1000}"
RATE="${KEYS_RATE:-10000}"
PER_ORG=100
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

start_server "$WORK_DIR/server"
wait_ready
admin="$(admin_access_token)"

# auth_post PATH JSON TOKEN -> body of a 201, or dies
auth_post() {
  local out code
  out="$(curl -s --max-time 30 -w '\n%{http_code}' -H 'Content-Type: application/json' -H "Authorization: Bearer $3" \
        -X POST "$BASE$1" -d "$2")"
  code="${out##*$'\n'}"; out="${out%$'\n'*}"
  [[ "$code" == 201 ]] || { log "POST $1 -> $code $out"; return 1; }
  printf '%s\n' "$out"
}
export -f auth_post

export SERVICE_KEY
SERVICE_KEY="$(auth_post /api/v1/admin/service-keys '{"name":"bench backend"}' "$admin" | jq -r .key)"
[[ "$SERVICE_KEY" == gh_sk_* ]] || die "no service key"

# COUNT org keys through the API, PER_ORG per organization (the default cap per organization is 100).
export KEYS_FILE="$WORK_DIR/keys.txt"
: >"$KEYS_FILE"
orgs=$(( (COUNT + PER_ORG - 1) / PER_ORG ))
log "creating $COUNT org API keys in $orgs organizations"
for o in $(seq 1 "$orgs"); do
  org="$(auth_post /api/v1/orgs "{\"name\":\"Bench org $o\"}" "$admin" | jq -r .id)"
  n=$(( COUNT - (o - 1) * PER_ORG )); (( n > PER_ORG )) && n=$PER_ORG
  seq 1 "$n" | BASE="$BASE" xargs -P 4 -I{} bash -c \
    'auth_post "/api/v1/orgs/$1/api-keys" "{\"name\":\"bench key $2\",\"scopes\":[\"read\",\"usage:write\"]}" "$3" | jq -r .key' \
    _ "$org" {} "$admin" >>"$KEYS_FILE"
done
[[ "$(grep -c '^gh_pk_' "$KEYS_FILE")" == "$COUNT" ]] || die "expected $COUNT keys, got $(grep -c '^gh_pk_' "$KEYS_FILE")"
first_key="$(head -1 "$KEYS_FILE")"
answer="$(curl -s --max-time 10 -H 'Content-Type: application/json' -H "Authorization: Bearer $SERVICE_KEY" \
          -X POST "$BASE/api/v1/keys/verify" -d "{\"key\":\"$first_key\"}")"
[[ "$(printf '%s' "$answer" | jq -r .valid)" == true ]] || die "verify did not answer valid: $answer"

# PostgreSQL connection acquisitions so far (Hikari's counter in /metrics); a difference over a run
# counts the database round trips the server made during it (change-feed polls and last-used flushes included).
db_acquires() { curl -s --max-time 10 "$BASE/metrics" | awk '/^hikaricp_connections_acquire_seconds_count/ {s += $2} END {printf "%.0f", s}'; }

log "warm-up $WARMUP"
wrk_run warmup -t2 -c"$CONNS" -d"$WARMUP" --latency -s "$BENCH_LUA/keys-verify.lua" "$BASE" >/dev/null

rps=() p99=()
for i in $(seq 1 "$RUNS"); do
  busy="$(wait_quiet)"
  a0="$(db_acquires)"
  line="$(wrk_run "run$i" -t2 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_LUA/keys-verify.lua" "$BASE")"
  a1="$(db_acquires)"
  r="$(field "$line" ok_per_s)"; p="$(field "$line" p99_ms)"
  rps+=("$r"); p99+=("$p")
  record "run$i" "verifications_s=$r p99_ms=$p ok=$(field "$line" ok) bad=$(field "$line" bad) statuses=$(field "$line" bad_statuses) socket_errors=$(( $(field "$line" connect_err) + $(field "$line" read_err) + $(field "$line" write_err) + $(field "$line" timeouts) )) db_acquires=$(( a1 - a0 )) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
done
record verifications_s_median "$(printf '%s\n' "${rps[@]}" | median)"
record p99_ms_median "$(printf '%s\n' "${p99[@]}" | median)"

# Open loop: a fixed RATE over the same connections, so p99 is the server's at that rate, not wrk's queue.
if command -v hey >/dev/null; then
  orps=() op99=()
  for i in $(seq 1 "$RUNS"); do
    busy="$(wait_quiet)"
    out="$(hey -z "$DURATION" -c "$CONNS" -q $(( RATE / CONNS )) -m POST -T application/json \
          -H "Authorization: Bearer $SERVICE_KEY" -d "{\"key\":\"$first_key\"}" "$BASE/api/v1/keys/verify")"
    printf '%s\n' "$out" >"$RESULTS_DIR/keys-open$i.hey.txt"
    r="$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')"
    p="$(printf '%s\n' "$out" | awk '/ 99% in / {printf "%.2f", $3 * 1000}')"
    ok="$(printf '%s\n' "$out" | awk '/\[200\]/ {print $2}')"
    orps+=("$r"); op99+=("$p")
    record "open$i" "offered_req_s=$RATE served_req_s=$r p99_ms=$p ok=${ok:-0} busy_before=${busy}%"
  done
  record open_req_s_median "$(printf '%s\n' "${orps[@]}" | median)"
  record open_p99_ms_median "$(printf '%s\n' "${op99[@]}" | median)"
else
  log "hey not installed (apt-get install hey): open-loop run skipped"
fi
