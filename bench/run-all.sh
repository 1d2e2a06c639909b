#!/usr/bin/env bash
# Runs every Gatehouse benchmark and writes a results table to bench/results/<utc-stamp>/results.md
# (the run's results.md). Takes ~65 minutes. Each step starts and stops its own Gatehouse on
# 127.0.0.1:$BENCH_PORT (default 18080) with a throw-away data dir.
#   bench/run-all.sh                      # builds server/target/gatehouse.jar and the JMH jar if missing
#   GATEHOUSE_JAR=/path/gatehouse.jar bench/run-all.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/scripts/common.sh"
export RESULTS_DIR
mkdir -p "$RESULTS_DIR"
require curl jq wrk awk psql
ensure_jar
export GATEHOUSE_JAR

{ machine_info; printf 'load_before=%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"; } >"$RESULTS_DIR/machine.env"
failed=()
# The JMH figures first, with no server running (login.sh and login-overhead.sh also measure their own
# baseline right after each of their server runs).
for step in jmh flags-local startup me keys flags-evaluate entitlements refresh quota ingest refresh-grown refresh-soak login ratelimit; do
  log "=== $step ==="
  if ! "$HERE/scripts/$step.sh"; then failed+=("$step"); log "$step FAILED"; fi
done
printf 'load_after=%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS_DIR/machine.env"

val() { [[ -f "$RESULTS_DIR/$1.env" ]] || return 0; sed -n "s/^$2=//p" "$RESULTS_DIR/$1.env" | tail -1; }
# verdict VALUE OP BAR
verdict() { [[ -n "$1" && "$1" != nan ]] || { echo "n/a"; return; }; awk -v v="$1" -v b="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? (v <= b) : (v >= b); print ok ? "PASS" : "FAIL" }'; }

m() { sed -n "s/^$1=//p" "$RESULTS_DIR/machine.env" | head -1; }
first="$(val startup first_median_s)"; restart="$(val startup restart_median_s)"
me_rps="$(val me req_s_median)"; me_p99="$(val me p99_ms_median)"; rss="$(val me rss_peak_mb)"
keys_rps="$(val keys verifications_s_median)"; keys_p99="$(val keys p99_ms_median)"; keys_open_p99="$(val keys open_p99_ms_median)"
refresh="$(val refresh refresh_s_median)"; logins="$(val login logins_s_median)"
grown_ratio="$(val refresh-grown ratio_pct)"
raw="$(val login raw_verify_s)"; ratio="$(val login ratio_pct)"
[[ -n "$raw" ]] || raw="$(val jmh verify_ops_s)"

{
  echo "# Gatehouse benchmark results"
  echo
  echo "- date: $(m date); commit $(m commit); $(m java); $(m wrk)"
  echo "- machine: $(m cpus) cores ($(m cpu_model)), $(m mem_gb) GB; load generator on the same machine"
  echo "- load average before/after: $(m load_before) / $(sed -n 's/^load_after=//p' "$RESULTS_DIR/machine.env")"
  echo
  echo "| benchmark | measured (median) | bar | verdict | Keycloak 26.7, same machine |"
  echo "| --- | --- | --- | --- | --- |"
  echo "| start-to-ready, first start (empty dir, initdb) | ${first:-n/a} s | ≤ 15 s | $(verdict "$first" '<=' 15) | |"
  echo "| start-to-ready, restart | ${restart:-n/a} s | ≤ 8 s | $(verdict "$restart" '<=' 8) | |"
  echo "| GET /api/v1/me, 64 conns | ${me_rps:-n/a} req/s | ≥ 5,000 req/s | $(verdict "$me_rps" '>=' 5000) | 3,400 userinfo req/s |"
  echo "| GET /api/v1/me p99 (wrk, closed loop at saturation) | ${me_p99:-n/a} ms | ≤ 20 ms | $(verdict "$me_p99" '<=' 20) | |"
  echo "| GET /api/v1/me p99, open loop at 10,000/s (hey) | $(val me open_p99_ms_median) ms (served $(val me open_req_s_median) /s) | ≤ 20 ms | $(verdict "$(val me open_p99_ms_median)" '<=' 20) | |"
  echo "| JVM RSS peak during /me | ${rss:-n/a} MB | ≤ 600 MB | $(verdict "$rss" '<=' 600) | |"
  echo "| POST /api/v1/keys/verify, 64 conns (wrk, cycling 1,000 keys) | ${keys_rps:-n/a} verifications/s | ≥ 10,000 /s | $(verdict "$keys_rps" '>=' 10000) | |"
  echo "| POST /api/v1/keys/verify p99 (wrk, closed loop) | ${keys_p99:-n/a} ms | ≤ 10 ms | $(verdict "$keys_p99" '<=' 10) | |"
  echo "| POST /api/v1/keys/verify p99, open loop at 10,000/s (hey) | ${keys_open_p99:-n/a} ms (served $(val keys open_req_s_median) /s) | ≤ 10 ms | $(verdict "$keys_open_p99" '<=' 10) | |"
  echo "| refresh with rotation, 64 chains | ${refresh:-n/a} refreshes/s | ≥ 2,000 /s | $(verdict "$refresh" '>=' 2000) | 406 refresh grants/s (no rotation) |"
  echo "| quota consumption on one hot organization vs refresh, same run ($(val quota hot_consume_s_median) vs $(val quota refresh_s_median) /s; exact: $(val quota exact)) | $(val quota hot_pct_of_refresh) % | ≥ 100 % | $(verdict "$(val quota hot_pct_of_refresh)" '>=' 100) | |"
  echo "| quota consumption across 100 organizations vs refresh, same run ($(val quota spread_consume_s_median) /s) | $(val quota spread_pct_of_refresh) % | ≥ 150 % | $(verdict "$(val quota spread_pct_of_refresh)" '>=' 150) | |"
  echo "| usage ingest, batches of 1,000: slowest 10-s window of 60 s (median $(val ingest events_s_median) events/s; counted once: $(val ingest counted_once)) | $(val ingest slowest_window_events_s_min) events/s | ≥ 50,000 /s | $(verdict "$(val ingest slowest_window_events_s_min)" '>=' 50000) | |"
  echo "| usage ingest vs a raw COPY of the same rows ($(val ingest copy_rows_s_median) rows/s), same run | $(val ingest ingest_pct_of_copy) % | ≥ 50 % | $(verdict "$(val ingest ingest_pct_of_copy)" '>=' 50) | |"
  echo "| refresh with 1,000,000 rotated tokens in the table vs an empty one ($(val refresh-grown grown_refresh_s_median) vs $(val refresh-grown empty_refresh_s_median) /s) | ${grown_ratio:-n/a} % | ≥ 90 % | $(verdict "$grown_ratio" '>=' 90) | |"
  echo "| refresh soak, 10 min, sessions of 2 min, purge every 30 s: refresh_tokens rows (end / half time) | $(val refresh-soak token_rows) | bounded | $(val refresh-soak bounded) | |"
  echo "| password login | ${logins:-n/a} logins/s | ≥ 90 % of raw | $(verdict "$ratio" '>=' 90) (${ratio:-n/a} %) | 17.6 logins/s |"
  rl_mem="$(val ratelimit jmh_memory_ops_s)"; rl_vs="$(val ratelimit jmh_memory_vs_bucket4j_local_pct)"
  echo "| rate limiter in memory, JMH one thread (Bucket4j local: $(val ratelimit jmh_bucket4j_local_ops_s)) | ${rl_mem:-n/a} decisions/s, ${rl_vs:-n/a} % of Bucket4j | ≥ 10,000,000 /s and > 100 % | $(verdict "$rl_mem" '>=' 10000000) / $(verdict "$rl_vs" '>=' 100.1) | |"
  echo "| rate limiter through Redis, JMH 32 threads | $(val ratelimit jmh_redis_ops_s) decisions/s | ≥ 20,000 /s | $(verdict "$(val ratelimit jmh_redis_ops_s)" '>=' 20000) | |"
  echo "| GET /api/v1/me with the rate-limit filter vs without ($(val ratelimit me_on_req_s_median) vs $(val ratelimit me_off_req_s_median) req/s) | $(val ratelimit filter_ratio_pct) % | ≥ 90 % | $(verdict "$(val ratelimit filter_ratio_pct)" '>=' 90) | |"
  echo "| POST /api/v1/ratelimit/check vs GET /api/v1/me ($(val ratelimit check_req_s_median) req/s) | $(val ratelimit check_ratio_pct) % | ≥ 80 % | $(verdict "$(val ratelimit check_ratio_pct)" '>=' 80) | |"
  echo "| login ceiling: what the rest of a login (measured with a trivial hash: $(val login fixed_cpu_ms_per_login) ms of CPU each) leaves for hashing | $(val login ceiling_pct) % of raw | | | |"
  echo "| local flag evaluation (JMH, 1 thread): GatehouseProvider through OpenFeature vs Unleash Java SDK, boolean flags ($(val flags-local gatehouseOpenFeature_ops_ms) vs $(val flags-local unleash_ops_ms) /ms) | $(val flags-local boolean_pct_of_unleash) % | ≥ 100 % | $(verdict "$(val flags-local boolean_pct_of_unleash)" '>=' 100) | |"
  echo "| the same, variant payloads ($(val flags-local gatehouseOpenFeatureVariant_ops_ms) vs $(val flags-local unleashVariant_ops_ms) /ms) | $(val flags-local variant_pct_of_unleash) % | ≥ 100 % | $(verdict "$(val flags-local variant_pct_of_unleash)" '>=' 100) | |"
  echo "| raw Argon2id verify (JMH, 2 threads) | ${raw:-n/a} ops/s | baseline | | |"
  echo "| BouncyCastle Argon2id verify, Spring's encoder (JMH, 2 threads; the implementation used before) | $(val jmh bouncyCastleVerify_ops_s) ops/s | reference | | |"
  echo "| raw Argon2id hash (JMH, 2 threads) | $(val jmh hash_ops_s) ops/s | | | |"
  echo
  echo "Per-run figures:"
  echo
  echo '```'
  for f in jmh flags-local startup me keys refresh refresh-grown refresh-soak login login-overhead; do if [[ -f "$RESULTS_DIR/$f.env" ]]; then sed "s/^/$f: /" "$RESULTS_DIR/$f.env"; fi; done
  echo '```'
  (( ${#failed[@]} == 0 )) || echo "**Failed steps: ${failed[*]}** (server logs copied to this directory)"
} >"$RESULTS_DIR/results.md"
cat "$RESULTS_DIR/results.md"
(( ${#failed[@]} == 0 ))
