#!/usr/bin/env bash
# Raw Argon2id (server parameters) with JMH on 2 threads; builds bench/target/benchmarks.jar if missing.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=jmh
require "$JAVA"
mkdir -p "$RESULTS_DIR"
ensure_jmh_jar
busy="$(wait_quiet)"
"$JAVA" -jar "$JMH_JAR" PasswordHashBenchmark ${JMH_ARGS:-} -rf json -rff "$RESULTS_DIR/jmh.json" >"$RESULTS_DIR/jmh.txt" 2>&1 \
  || { tail -30 "$RESULTS_DIR/jmh.txt" >&2; die "JMH failed"; }
grep -A3 '^Benchmark' "$RESULTS_DIR/jmh.txt" >&2
for b in verify hash bouncyCastleVerify; do
  record "${b}_ops_s" "$(jq -r --arg b "$b" '.[] | select(.benchmark | endswith("." + $b)) | .primaryMetric.score | . * 10 | round / 10' "$RESULTS_DIR/jmh.json")"
done
record busy_before "${busy}%"
