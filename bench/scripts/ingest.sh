#!/usr/bin/env bash
# Usage ingest: POST /api/v1/usage/events in batches of INGEST_BATCH (1,000) new events, against a raw PostgreSQL
# COPY of the same rows into a table of the same definition on the same server's PostgreSQL, in the same run.
# Setup (not measured): a service key and INGEST_ORGS organizations (default 100); each batch's events go to the
# organizations in turn. After a warm-up, INGEST_RUNS rounds of:
#   - ingest: wrk -t2 -cINGEST_CONNECTIONS for INGEST_DURATION (60 s), every batch with ids never sent before; the
#     server's accepted-events counter (/metrics) is read every INGEST_SAMPLE_S (10 s) for the slowest window;
#   - COPY: as many rows as that run accepted, as CSV of the same shape (organization, id, meter, value, timestamp,
#     received time, properties), loaded by INGEST_CONNECTIONS psql sessions in COPY statements of INGEST_BATCH rows
#     each (one transaction each, as each HTTP batch is) into usage_events_copy (LIKE usage_events INCLUDING ALL:
#     the same primary key and BRIN index), emptied before each load; then again by one psql session, for
#     reference (the bar is judged against the parallel sessions, the stricter baseline).
# Reported: events/s of each run and of its slowest window, COPY rows/s, the per-round ratio and its median.
# Afterwards every event is counted exactly once: the stored events equal the day totals and the month totals, and
# they hold at least what the runs were told was accepted and at most that plus the batches in flight when wrk
# stopped.
# Bars: >= 50,000 events/s sustained for 60 s; >= 50 % of COPY's rate.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=ingest
RUNS="${INGEST_RUNS:-2}"
DURATION_S="${INGEST_DURATION_S:-60}"
WARMUP="${INGEST_WARMUP:-20s}"
CONNS="${INGEST_CONNECTIONS:-4}"
ORGS="${INGEST_ORGS:-100}"
export BATCH="${INGEST_BATCH:-1000}"
SAMPLE_S="${INGEST_SAMPLE_S:-10}"
require curl jq wrk psql awk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

start_server "$WORK_DIR/server"
wait_ready
admin="$(admin_access_token)"
db() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(sed -n 4p "$SERVER_DIR/postgres/postmaster.pid")" -U postgres -d postgres "$@"; }

export SERVICE_KEY
SERVICE_KEY="$(call POST /api/v1/admin/service-keys '{"name":"bench usage backend"}' "$admin" 201 | jq -r .key)"
[[ "$SERVICE_KEY" == gh_sk_* ]] || die "no service key"
export ORGS_FILE="$WORK_DIR/orgs.txt"
: >"$ORGS_FILE"
log "creating $ORGS organizations"
for o in $(seq 1 "$ORGS"); do
  call POST /api/v1/orgs "{\"name\":\"Usage bench $o\"}" "$admin" 201 | jq -r .id >>"$ORGS_FILE"
done
db -c "create table usage_events_copy (like usage_events including all)"

accepted_counter() {
  curl -s --max-time 10 "$BASE/metrics" \
    | awk '/^gatehouse_usage_events_total\{.*outcome="accepted"/ {s += $2} END {printf "%.0f", s}'
}
# Every SAMPLE_S seconds, the accepted-events counter, as "seconds counter" lines, until killed.
start_sampler() {
  ( while :; do printf '%s %s\n' "$(date +%s.%N)" "$(accepted_counter)"; sleep "$SAMPLE_S"; done ) >"$1" &
  SAMPLER_PID=$!
}
stop_sampler() { kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; }
# The slowest complete window's rate, events/s.
slowest_window() { awk 'NR > 1 && $1 > t { r = ($2 - c) / ($1 - t); if (min == "" || r < min) min = r } { t = $1; c = $2 } END { printf "%.0f", min + 0 }' "$1"; }

# ingest NAME DURATION -> the RESULT line
ingest() {
  RUN_ID="$1" EVENT_TIME="$(date -u +%Y-%m-%dT%H:%M:%SZ)" wrk_run "$1" -t2 -c"$CONNS" -d"$2" --timeout 30s --latency \
    -s "$BENCH_LUA/usage-ingest.lua" "$BASE"
}

# copy_rows NAME ROWS SESSIONS -> rows/s of loading ROWS rows (CSV, BATCH rows per COPY) with SESSIONS psql sessions
copy_rows() {
  local name="$1" rows="$2" sessions="$3" dir="$WORK_DIR/copy-$1" port t0 t1
  mkdir -p "$dir"
  # The same shape as the ingested rows: organizations in turn, fresh ids, the event's time, the time received.
  awk -v rows="$rows" -v run="$name" -v at="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -v batch="$BATCH" -v dir="$dir" '
    BEGIN { n = 0 } { org[n++] = $1 }
    END {
      for (i = 0; i < rows; i++) {
        f = sprintf("%s/b%07d.csv", dir, int(i / batch))
        printf "%s,%s-%d,api_calls,1,%s,%s,\"{\"\"route\"\": \"\"/v1/chat\"\"}\"\n", org[i % n], run, i, at, at > f
        if (i % batch == batch - 1) close(f)
      }
    }' "$ORGS_FILE"
  port="$(sed -n 4p "$SERVER_DIR/postgres/postmaster.pid")"
  for s in $(seq 0 $(( sessions - 1 ))); do
    ls "$dir"/b*.csv | awk -v s="$s" -v c="$sessions" 'NR % c == s' \
      | sed "s|.*|\\\\copy usage_events_copy (org_id, event_id, meter, value, occurred_at, received_at, properties) from '&' csv|" \
      >"$dir/session$s.sql"
  done
  db -c "truncate usage_events_copy" -c "checkpoint"
  t0="$(date +%s%N)"
  for s in $(seq 0 $(( sessions - 1 ))); do
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -f "$dir/session$s.sql" &
  done
  wait
  t1="$(date +%s%N)"
  [[ "$(db -c "select count(*) from usage_events_copy")" == "$rows" ]] || die "COPY did not load $rows rows"
  rm -rf "$dir"
  awk -v r="$rows" -v ns=$(( t1 - t0 )) 'BEGIN { printf "%.0f", r / (ns / 1e9) }'
}

log "warm-up $WARMUP"
line="$(ingest warmup "$WARMUP")"
acknowledged="$(field "$line" accepted)"

ratios=() rates=() copies=() slowest=() singles=()
for i in $(seq 1 "$RUNS"); do
  db -c "checkpoint"
  busy="$(wait_quiet)"
  start_sampler "$RESULTS_DIR/ingest-run$i.samples"
  line="$(ingest "run$i" "${DURATION_S}s")"
  stop_sampler
  acknowledged=$(( acknowledged + $(field "$line" accepted) ))
  accepted_run="$(field "$line" accepted)"
  rate="$(awk -v a="$accepted_run" -v d="$(field "$line" duration_s)" 'BEGIN { printf "%.0f", a / d }')"
  window="$(slowest_window "$RESULTS_DIR/ingest-run$i.samples")"
  rates+=("$rate"); slowest+=("$window")
  record "run$i" "events_s=$rate slowest_${SAMPLE_S}s_window_events_s=$window batches_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  busy="$(wait_quiet)"
  copy="$(copy_rows "copy$i" "$accepted_run" "$CONNS")"
  copies+=("$copy")
  ratios+=("$(awk -v e="$rate" -v c="$copy" 'BEGIN { printf "%.1f", (c > 0 ? 100 * e / c : 0) }')")
  record "copy$i" "rows=$accepted_run sessions=$CONNS rows_s=$copy busy_before=${busy}% ingest_pct_of_copy=${ratios[-1]}"
  # The same rows by one COPY session, for reference: what one stream of COPY statements does.
  busy="$(wait_quiet)"
  single="$(copy_rows "single$i" "$accepted_run" 1)"
  singles+=("$(awk -v e="$rate" -v c="$single" 'BEGIN { printf "%.1f", (c > 0 ? 100 * e / c : 0) }')")
  record "copy_one_session$i" "rows=$accepted_run rows_s=$single busy_before=${busy}% ingest_pct_of_copy=${singles[-1]}"
done
record events_s_median "$(printf '%s\n' "${rates[@]}" | median)"
record slowest_window_events_s_min "$(printf '%s\n' "${slowest[@]}" | sort -g | head -1)"
record copy_rows_s_median "$(printf '%s\n' "${copies[@]}" | median)"
pct="$(printf '%s\n' "${ratios[@]}" | median)"
record ingest_pct_of_copy "$pct"
record ingest_pct_of_one_session_copy "$(printf '%s\n' "${singles[@]}" | median)"

stored="$(db -c "select count(*) from usage_events")"
day="$(db -c "select coalesce(sum(events), 0)::bigint from usage_totals where period = 'day'")"
month="$(db -c "select coalesce(sum(events), 0)::bigint from usage_totals where period = 'month'")"
in_flight=$(( (RUNS + 1) * CONNS * BATCH ))
record stored "$stored"
record acknowledged "$acknowledged"
if [[ "$stored" == "$day" && "$stored" == "$month" ]] && (( stored >= acknowledged && stored - acknowledged <= in_flight )); then
  record counted_once "yes (day and month totals = $stored stored events; in flight at the runs' ends: $(( stored - acknowledged )))"
else
  record counted_once "NO: stored $stored, day totals $day, month totals $month, acknowledged $acknowledged"
fi
sustained="$(printf '%s\n' "${slowest[@]}" | sort -g | head -1)"
awk -v s="$sustained" -v p="$pct" -v d="$DURATION_S" 'BEGIN { exit !(s >= 50000 && p >= 50 && d >= 60) }' \
  && record verdict "pass (>= 50,000 events/s in every ${SAMPLE_S}-s window of ${DURATION_S} s; >= 50 % of COPY)" \
  || record verdict "FAIL (slowest window $sustained events/s, $pct % of COPY, runs of ${DURATION_S} s)"
