#!/usr/bin/env bash
# Start-to-ready time: from launching `java -jar gatehouse.jar` to the first 200 on /health/ready.
# "first" = empty data dir (includes PostgreSQL initdb, Flyway migrations, bootstrap admin);
# "restart" = same data dir again. STARTUP_RUNS runs of each (default 3); medians reported.
# Bars: first start <= 15 s, restart <= 8 s.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=startup
RUNS="${STARTUP_RUNS:-3}"
require curl jq
init_results
ensure_jar

# timed_start DIR: sets ELAPSED (seconds). Not run in a subshell, so the EXIT trap can always stop the server.
timed_start() {
  local dir="$1" t0 t1 b0 c0 b1 c1 j
  read -r b0 c0 < <(busy_total)
  t0="$(now_ns)"
  start_server "$dir"
  wait_ready
  t1="$(now_ns)"
  read -r b1 c1 < <(busy_total); j="$(server_jiffies)"
  stop_server
  ELAPSED="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e9}')"
  # CPU share used by other processes while we started (the server's own CPU excluded).
  OTHERS="$(awk -v b=$((b1 - b0)) -v j="$j" -v t=$((c1 - c0)) 'BEGIN {o = b - j; if (o < 0) o = 0; printf "%.0f", (t > 0 ? 100 * o / t : 0)}')"
}

# One unmeasured start first, so a first-ever run's one-time costs (unpacking the PostgreSQL binaries to
# /tmp, cold page cache for the jar) do not land in run 1.
log "priming start (not measured)"
timed_start "$WORK_DIR/prime"
rm -rf "$WORK_DIR/prime"

firsts=() restarts=()
for i in $(seq 1 "$RUNS"); do
  busy="$(wait_quiet)"
  dir="$WORK_DIR/run$i"
  timed_start "$dir"; f="$ELAPSED"; fo="$OTHERS"
  timed_start "$dir"; r="$ELAPSED"; ro="$OTHERS"
  log "run $i: first=${f}s restart=${r}s (machine busy before: ${busy}%; others' CPU during: ${fo}% / ${ro}%)"
  firsts+=("$f") restarts+=("$r")
  record "run${i}" "first=${f}s restart=${r}s others_cpu_first=${fo}% others_cpu_restart=${ro}% busy_before=${busy}%"
  rm -rf "$dir"
done
record first_median_s "$(printf '%s\n' "${firsts[@]}" | median)"
record restart_median_s "$(printf '%s\n' "${restarts[@]}" | median)"
