#!/usr/bin/env bash
# The rate limiter's costs, each a ratio measured in the same run (bars from the rate-limit issue):
#  1. JMH (RateLimiterBenchmark, no server running): in-memory decisions on one thread vs Bucket4j's local bucket,
#     with its own millisecond time and with the server's clock (bars: >= 10 million/s, and faster than Bucket4j);
#     the decision without its clock read (ours and Bucket4j's), and the clock read alone; decisions through Redis
#     from 32 threads of one JVM (bar: >= 20,000/s). Needs Redis on 127.0.0.1:6379 (RL_JMH_REDIS=0 skips that one).
#  2. The filter on GET /api/v1/me: RL_PAIRS pairs of launches, the filter off (GATEHOUSE_RATELIMIT_ENABLED=false)
#     and on (in memory, nobody exempt, policies that admit the bench's rate, so every request is decided and
#     admitted), in alternating order; wrk -t2 -cRL_CONNECTIONS, a warm-up then one measured run per launch. The
#     ratio is the median of the per-pair ratios on / off (bar: the filter costs <= 10 %, i.e. >= 90 %).
#  2b. The same comparison inside one JVM, which no launch-to-launch JIT difference can move: on the first
#     filter-on launch, RL_SAME_ROUNDS rounds of two RL_SAME_DURATION runs of /me in alternating order, one from a
#     client the filter exempts (X-Forwarded-For: 192.0.2.1, trusted from the loopback peer: the filter's only
#     work is that lookup, as good as off) and one it decides (X-Forwarded-For: 192.0.2.2). The ratio is the median
#     of the per-round ratios decided / exempt (the same bar). Both keep the same JIT, heap and connections, so
#     this is the measurement of record; the launch pairs above show what a fresh JVM adds.
#  3. POST /api/v1/ratelimit/check (a service key, 1,000 keys per wrk thread) vs GET /api/v1/me, both on each
#     filter-on launch (bar: >= 80 %); median of the per-launch ratios.
#  4. RL_REDIS=1 (default): one more launch per pair with the filter deciding on Redis (GATEHOUSE_REDIS_URL); its
#     /me ratio to the pair's filter-off launch is reported (no bar: a network round trip per request).
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=ratelimit
PAIRS="${RL_PAIRS:-3}"
DURATION="${RL_DURATION:-20s}"
# 45 s, not 15: every launch is a fresh JVM whose JIT competes with the load for 2 saturated cores, so a
# longer warm-up keeps compilation out of the measured run. It did not remove the spread between pairs
# (bench/README.md): filter-on launches still range from about 85 to 106 % of filter-off.
WARMUP="${RL_WARMUP:-45s}"
CONNS="${RL_CONNECTIONS:-64}"
SAME_ROUNDS="${RL_SAME_ROUNDS:-6}"
SAME_DURATION="${RL_SAME_DURATION:-15s}"
REDIS_URL="${RL_REDIS_URL:-redis://127.0.0.1:6379}"
require curl jq wrk
init_results
ensure_jar
export BENCH_LUA="$BENCH_DIR/lua"

# 1. JMH first, with nothing of ours running.
if [[ "${RL_JMH:-1}" == 1 ]]; then
  ensure_jmh_jar
  names='memory|memoryWithoutClock|clockRead|clockInstant|bucket4jLocal|bucket4jLocalSameClock|bucket4jLocalWithoutClock|bucket4jKeyed'
  [[ "${RL_JMH_REDIS:-1}" == 1 ]] && names="$names|redis"
  filter="RateLimiterBenchmark.($names)\$"
  busy="$(wait_quiet)"
  "$JAVA" -Dgatehouse.redis.url="$REDIS_URL" -jar "$JMH_JAR" "$filter" ${RL_JMH_ARGS:-} \
      -rf json -rff "$RESULTS_DIR/ratelimit.jmh.json" >"$RESULTS_DIR/ratelimit.jmh.txt" 2>&1 \
    || { tail -30 "$RESULTS_DIR/ratelimit.jmh.txt" >&2; die "JMH failed"; }
  grep -A10 '^Benchmark' "$RESULTS_DIR/ratelimit.jmh.txt" >&2
  score() { jq -r --arg b "$1" '.[] | select(.benchmark | endswith("." + $b)) | .primaryMetric.score | round' "$RESULTS_DIR/ratelimit.jmh.json"; }
  pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", 100 * a / b}'; }
  mem="$(score memory)"; local4j="$(score bucket4jLocal)"; same4j="$(score bucket4jLocalSameClock)"
  keyed4j="$(score bucket4jKeyed)"
  record jmh_memory_ops_s "$mem"
  record jmh_memory_without_clock_ops_s "$(score memoryWithoutClock)"
  record jmh_clock_read_ops_s "$(score clockRead)"
  record jmh_clock_instant_ops_s "$(score clockInstant)"
  record jmh_bucket4j_local_ops_s "$local4j"
  record jmh_bucket4j_local_same_clock_ops_s "$same4j"
  record jmh_bucket4j_local_without_clock_ops_s "$(score bucket4jLocalWithoutClock)"
  record jmh_bucket4j_keyed_ops_s "$keyed4j"
  record jmh_memory_vs_bucket4j_local_pct "$(pct "$mem" "$local4j")"
  record jmh_memory_vs_bucket4j_local_same_clock_pct "$(pct "$mem" "$same4j")"
  record jmh_memory_vs_bucket4j_keyed_pct "$(pct "$mem" "$keyed4j")"
  record jmh_memory_vs_bucket4j_local_without_clock_pct \
    "$(pct "$(score memoryWithoutClock)" "$(score bucket4jLocalWithoutClock)")"
  [[ "${RL_JMH_REDIS:-1}" == 1 ]] && record jmh_redis_ops_s "$(score redis)"
  record jmh_busy_before "${busy}%"
fi

# The server under test: nobody exempt; the admin's plan (free), anonymous, login and the check API's policy admit
# far more than the bench sends (a burst of a billion), so every request is decided and admitted.
generous=(
  GATEHOUSE_RATELIMIT_EXEMPT_IPS=192.0.2.1
  GATEHOUSE_RATELIMIT_POLICIES_FREE_LIMIT=6000000 GATEHOUSE_RATELIMIT_POLICIES_FREE_BURST=1000000000
  GATEHOUSE_RATELIMIT_POLICIES_ANONYMOUS_LIMIT=6000000 GATEHOUSE_RATELIMIT_POLICIES_ANONYMOUS_BURST=1000000000
  GATEHOUSE_RATELIMIT_POLICIES_LOGIN_LIMIT=6000000 GATEHOUSE_RATELIMIT_POLICIES_LOGIN_BURST=1000000000
  GATEHOUSE_RATELIMIT_POLICIES_BENCH_LIMIT=6000000 GATEHOUSE_RATELIMIT_POLICIES_BENCH_PERIOD=1m
  GATEHOUSE_RATELIMIT_POLICIES_BENCH_BURST=1000000000
)

# launch MODE: starts the server (off | on | redis), leaves it ready.
launch() {
  case "$1" in
    off) SERVER_ENV=("${generous[@]}" GATEHOUSE_RATELIMIT_ENABLED=false) ;;
    on) SERVER_ENV=("${generous[@]}") ;;
    redis) SERVER_ENV=("${generous[@]}" GATEHOUSE_REDIS_URL="$REDIS_URL") ;;
  esac
  start_server "$WORK_DIR/server"
  wait_ready
}

# measure_me MODE RUN -> median-able req/s of /me (records the run)
measure_me() {
  export ACCESS_TOKEN
  ACCESS_TOKEN="$(admin_access_token)"
  local headers
  headers="$(curl -s -D - -o /dev/null -H "Authorization: Bearer $ACCESS_TOKEN" "$BASE/api/v1/me")"
  [[ "$headers" == *" 200"* ]] || die "/me did not answer 200 ($1)"
  if [[ "$1" == off ]]; then [[ "$headers" != *RateLimit:* ]] || die "the filter answered with the filter off"
  else [[ "$headers" == *'RateLimit: "free"'* ]] || die "no RateLimit header with the filter $1"; fi
  wrk_run "me-$1-$2-warmup" -t2 -c"$CONNS" -d"$WARMUP" --latency -s "$BENCH_LUA/me.lua" "$BASE" >/dev/null
  local busy line
  busy="$(wait_quiet)"
  line="$(wrk_run "me-$1-$2" -t2 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_LUA/me.lua" "$BASE")"
  record "me_$1_run$2" "req_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  field "$line" ok_per_s
}

measure_check() {
  export SERVICE_KEY CHECK_POLICY=bench
  SERVICE_KEY="$(curl -s --max-time 30 -H 'Content-Type: application/json' -H "Authorization: Bearer $(admin_access_token)" \
    -X POST "$BASE/api/v1/admin/service-keys" -d '{"name":"bench backend"}' | jq -r .key)"
  [[ "$SERVICE_KEY" == gh_sk_* ]] || die "no service key"
  local answer
  answer="$(curl -s -H 'Content-Type: application/json' -H "Authorization: Bearer $SERVICE_KEY" \
    -X POST "$BASE/api/v1/ratelimit/check" -d '{"key":"probe","policy":"bench"}')"
  [[ "$(jq -r .allowed <<<"$answer")" == true ]] || die "check did not admit: $answer"
  wrk_run "check-$1-warmup" -t2 -c"$CONNS" -d"$WARMUP" --latency -s "$BENCH_LUA/ratelimit-check.lua" "$BASE" >/dev/null
  local busy line
  busy="$(wait_quiet)"
  line="$(wrk_run "check-$1" -t2 -c"$CONNS" -d"$DURATION" --latency -s "$BENCH_LUA/ratelimit-check.lua" "$BASE")"
  record "check_run$1" "req_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) statuses=$(field "$line" bad_statuses) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
  field "$line" ok_per_s
}

# measure_same RUN: the alternating exempt / decided runs of /me on the running filter-on launch (see 2b).
measure_same() {
  export ACCESS_TOKEN
  ACCESS_TOKEN="$(admin_access_token)"
  local exempt=(-H "X-Forwarded-For: 192.0.2.1") decided=(-H "X-Forwarded-For: 192.0.2.2") headers k
  headers="$(curl -s -D - -o /dev/null "${exempt[@]}" -H "Authorization: Bearer $ACCESS_TOKEN" "$BASE/api/v1/me")"
  [[ "$headers" == *" 200"* && "$headers" != *RateLimit:* ]] || die "the exempt client was decided: $headers"
  headers="$(curl -s -D - -o /dev/null "${decided[@]}" -H "Authorization: Bearer $ACCESS_TOKEN" "$BASE/api/v1/me")"
  [[ "$headers" == *'RateLimit: "free"'* ]] || die "the decided client got no RateLimit header: $headers"
  wrk_run "same-warmup" -t2 -c"$CONNS" -d"$WARMUP" "${exempt[@]}" -s "$BENCH_LUA/me.lua" "$BASE" >/dev/null
  local r kind line busy ex de
  for r in $(seq 1 "$SAME_ROUNDS"); do
    local order=(exempt decided); (( r % 2 == 0 )) && order=(decided exempt)
    for kind in "${order[@]}"; do
      local -n args="$kind"
      busy="$(wait_quiet)"
      line="$(wrk_run "same-$kind$r" -t2 -c"$CONNS" -d"$SAME_DURATION" --latency "${args[@]}" -s "$BENCH_LUA/me.lua" "$BASE")"
      record "same_${kind}_run$r" "req_s=$(field "$line" ok_per_s) p99_ms=$(field "$line" p99_ms) bad=$(field "$line" bad) others_cpu=$(field "$line" others_cpu_pct)% server_cpu=$(field "$line" server_cpu_pct)% busy_before=${busy}%"
      if [[ "$kind" == exempt ]]; then ex="$(field "$line" ok_per_s)"; else de="$(field "$line" ok_per_s)"; fi
      unset -n args
    done
    same_ratios+=("$(awk -v a="$de" -v b="$ex" 'BEGIN {printf "%.1f", 100 * a / b}')")
    record "same_round$r" "exempt=$ex decided=$de ratio=${same_ratios[-1]}%"
  done
}
same_ratios=()

with_redis="${RL_REDIS:-1}"
if [[ "$with_redis" == 1 ]] && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  log "no Redis on 127.0.0.1:6379: the Redis launches are skipped"; with_redis=0
fi
filter_ratios=() check_ratios=() redis_ratios=() off_all=() on_all=() check_all=()
for i in $(seq 1 "$PAIRS"); do
  order=(off on); (( i % 2 == 0 )) && order=(on off)
  [[ "$with_redis" == 1 ]] && order+=(redis)
  declare -A rps=()
  for mode in "${order[@]}"; do
    launch "$mode"
    rps[$mode]="$(measure_me "$mode" "$i")"
    if [[ "$mode" == on ]]; then
      c="$(measure_check "$i")"
      check_all+=("$c")
      check_ratios+=("$(awk -v c="$c" -v m="${rps[on]}" 'BEGIN {printf "%.1f", 100 * c / m}')")
      (( i == 1 )) && measure_same
    fi
    stop_server
  done
  off_all+=("${rps[off]}"); on_all+=("${rps[on]}")
  filter_ratios+=("$(awk -v a="${rps[on]}" -v b="${rps[off]}" 'BEGIN {printf "%.1f", 100 * a / b}')")
  [[ "$with_redis" == 1 ]] && redis_ratios+=("$(awk -v a="${rps[redis]}" -v b="${rps[off]}" 'BEGIN {printf "%.1f", 100 * a / b}')")
  record "pair$i" "me_off=${rps[off]} me_on=${rps[on]} filter_ratio=${filter_ratios[-1]}% check_ratio=${check_ratios[-1]}%$([[ "$with_redis" == 1 ]] && echo " me_redis=${rps[redis]} redis_ratio=${redis_ratios[-1]}%")"
  unset rps
done
record me_off_req_s_median "$(printf '%s\n' "${off_all[@]}" | median)"
record me_on_req_s_median "$(printf '%s\n' "${on_all[@]}" | median)"
record check_req_s_median "$(printf '%s\n' "${check_all[@]}" | median)"
record filter_ratio_pct "$(printf '%s\n' "${filter_ratios[@]}" | median)"
record check_ratio_pct "$(printf '%s\n' "${check_ratios[@]}" | median)"
record same_launch_filter_ratio_pct "$(printf '%s\n' "${same_ratios[@]}" | median)"
[[ "$with_redis" == 1 ]] && record redis_filter_ratio_pct "$(printf '%s\n' "${redis_ratios[@]}" | median)"
exit 0
