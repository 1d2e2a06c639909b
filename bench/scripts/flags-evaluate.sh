#!/usr/bin/env bash
# POST /api/v1/flags/evaluate (every flag for one context) against GET /api/v1/me, in the same run on the same
# server: FLAGS_COUNT flags (default 20: rollouts, allow-lists, constraints on plan, country and a semver
# property, a segment, variants) are created through the admin API (not measured); then, alternating, FLAGS_RUNS
# measured wrk runs of FLAGS_DURATION each for /me (admin token) and for evaluate (service key, FLAGS_USERS
# contexts in turn), 2 threads, FLAGS_CONNECTIONS connections, after one warm-up run of each.
# Bar: evaluate >= 80 % of /me's median req/s (200s only), both measured in this run.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=flags-evaluate
RUNS="${FLAGS_RUNS:-3}"
DURATION="${FLAGS_DURATION:-25s}"
WARMUP="${FLAGS_WARMUP:-20s}"
CONNS="${FLAGS_CONNECTIONS:-64}"
COUNT="${FLAGS_COUNT:-20}"
export FLAGS_USERS="${FLAGS_USERS:-1000}"
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

start_server "$WORK_DIR/server"
wait_ready
admin="$(admin_access_token)"

export SERVICE_KEY
SERVICE_KEY="$(call POST /api/v1/admin/service-keys '{"name":"bench flags backend"}' "$admin" 201 | jq -r .key)"
[[ "$SERVICE_KEY" == gh_sk_* ]] || die "no service key"

call PUT /api/v1/admin/flag-segments/eu \
  '{"constraints":[{"context_name":"country","operator":"IN","values":["FR","DE","ES","IT"]}]}' "$admin" 200 >/dev/null
log "creating $COUNT flags"
for n in $(seq 1 "$COUNT"); do
  case $(( n % 5 )) in
    0) body="{\"key\":\"bench.rollout.$n\",\"kind\":\"boolean\",\"enabled\":true,\"strategies\":[{\"type\":\"flexible_rollout\",\"rollout\":50,\"stickiness\":\"user_id\"}]}" ;;
    1) body="{\"key\":\"bench.plan.$n\",\"kind\":\"boolean\",\"enabled\":true,\"strategies\":[{\"type\":\"default\",\"constraints\":[{\"context_name\":\"plan\",\"operator\":\"IN\",\"values\":[\"pro\",\"team\"]}],\"segments\":[\"eu\"]}]}" ;;
    2) body="{\"key\":\"bench.users.$n\",\"kind\":\"boolean\",\"enabled\":true,\"strategies\":[{\"type\":\"user_ids\",\"user_ids\":[\"user-1\",\"user-2\",\"user-3\"]},{\"type\":\"flexible_rollout\",\"rollout\":10}]}" ;;
    3) body="{\"key\":\"bench.semver.$n\",\"kind\":\"boolean\",\"enabled\":true,\"strategies\":[{\"type\":\"default\",\"constraints\":[{\"context_name\":\"app_version\",\"operator\":\"SEMVER_GTE\",\"value\":\"2.5.0\"}]}]}" ;;
    4) body="{\"key\":\"bench.variants.$n\",\"kind\":\"variant\",\"enabled\":true,\"strategies\":[{\"type\":\"flexible_rollout\",\"rollout\":80}],\"variants\":[{\"name\":\"a\",\"weight\":500,\"payload\":{\"type\":\"string\",\"value\":\"A\"}},{\"name\":\"b\",\"weight\":500}]}" ;;
  esac
  call POST /api/v1/admin/flags "$body" "$admin" 201 >/dev/null
done
answer="$(call POST /api/v1/flags/evaluate '{"context":{"user_id":"user-1","plan":"pro","country":"FR"}}' "$SERVICE_KEY" 200)"
[[ "$(printf '%s' "$answer" | jq '.flags | length')" == "$COUNT" ]] || die "evaluate did not answer $COUNT flags: $answer"
record flags "$COUNT"

export ACCESS_TOKEN
ACCESS_TOKEN="$(admin_access_token)"
log "warm-up $WARMUP each"
wrk_run warmup-me -t2 -c"$CONNS" -d"$WARMUP" --latency -s "$BENCH_LUA/me.lua" "$BASE" >/dev/null
wrk_run warmup-evaluate -t2 -c"$CONNS" -d"$WARMUP" --latency -s "$BENCH_LUA/flags-evaluate.lua" "$BASE" >/dev/null

me=() ev=()
for i in $(seq 1 "$RUNS"); do
  busy="$(wait_quiet)"
  ACCESS_TOKEN="$(admin_access_token)"   # 10-minute access tokens: a fresh one per run
  line="$(wrk_run "me$i" -t2 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_LUA/me.lua" "$BASE")"
  me+=("$(field "$line" ok_per_s)")
  record "me$i" "req_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) busy_before=${busy}%"
  busy="$(wait_quiet)"
  line="$(wrk_run "evaluate$i" -t2 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_LUA/flags-evaluate.lua" "$BASE")"
  ev+=("$(field "$line" ok_per_s)")
  record "evaluate$i" "req_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) busy_before=${busy}%"
done
me_median="$(printf '%s\n' "${me[@]}" | median)"
ev_median="$(printf '%s\n' "${ev[@]}" | median)"
record me_req_s_median "$me_median"
record evaluate_req_s_median "$ev_median"
ratio="$(awk -v e="$ev_median" -v m="$me_median" 'BEGIN { printf "%.1f", (m > 0 ? 100 * e / m : 0) }')"
record evaluate_pct_of_me "$ratio"
awk -v r="$ratio" 'BEGIN { exit !(r >= 80) }' && record verdict "pass (>= 80 %)" || record verdict "FAIL (< 80 %)"
