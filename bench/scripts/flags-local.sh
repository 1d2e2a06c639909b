#!/usr/bin/env bash
# Local flag evaluation with JMH, no server: Gatehouse's OpenFeature provider (GatehouseProvider, through the
# OpenFeature SDK's client) side by side with Unleash's Java SDK (io.getunleash:unleash-client-java, bootstrapped
# offline from the same Unleash features document), the same 20 flags and 1,000 contexts, in the same JMH run
# (FlagEvaluationBenchmark). Builds bench/target/benchmarks.jar if missing.
# Bar: Gatehouse >= 100 % of Unleash's evaluations/s, for boolean flags and for variant payloads.
set -euo pipefail
source "$(dirname "$0")/common.sh"
BENCH_NAME=flags-local
require "$JAVA" jq
mkdir -p "$RESULTS_DIR"
ensure_jmh_jar
busy="$(wait_quiet)"
json="$RESULTS_DIR/flags-local.jmh.json"
"$JAVA" -jar "$JMH_JAR" FlagEvaluationBenchmark ${JMH_ARGS:-} -rf json -rff "$json" >"$RESULTS_DIR/flags-local.jmh.txt" 2>&1 \
  || { tail -30 "$RESULTS_DIR/flags-local.jmh.txt" >&2; die "JMH failed"; }
grep -A6 '^Benchmark' "$RESULTS_DIR/flags-local.jmh.txt" >&2
# evaluations per millisecond, one decimal
score() { jq -r --arg b "$1" '.[] | select(.benchmark | endswith("." + $b)) | .primaryMetric.score' "$json"; }
for b in gatehouseOpenFeature gatehouseProvider unleash gatehouseOpenFeatureVariant unleashVariant; do
  record "${b}_ops_ms" "$(score "$b" | awk '{printf "%.1f", $1}')"
done
pct() { awk -v a="$(score "$1")" -v b="$(score "$2")" 'BEGIN { printf "%.0f", 100 * a / b }'; }
record boolean_pct_of_unleash "$(pct gatehouseOpenFeature unleash)"
record variant_pct_of_unleash "$(pct gatehouseOpenFeatureVariant unleashVariant)"
record busy_before "${busy}%"
