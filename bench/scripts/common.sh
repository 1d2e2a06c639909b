#!/usr/bin/env bash
# Shared helpers for the Gatehouse load benchmarks. Sourced, not run.
# Every script starts its own Gatehouse on a throw-away data dir, bound to 127.0.0.1, and stops it on exit.
# The setup registers dozens of users from one IP, so 127.0.0.1 is exempt from the per-IP limits, and from the rate
# limiter (the scripts measure other things; ratelimit.sh measures the limiter and sets its own).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
GATEHOUSE_JAR="${GATEHOUSE_JAR:-$REPO_DIR/server/target/gatehouse.jar}"
BENCH_PORT="${BENCH_PORT:-18080}"
BASE="http://127.0.0.1:$BENCH_PORT"
RESULTS_DIR="${RESULTS_DIR:-$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)}"
export BASE
ADMIN_EMAIL="admin@bench.local"
ADMIN_PASSWORD="Quiet granite owls 42 dance"
export USER_PASSWORD="Seven amber kites 93 drifting"
# JVM options for the server under test; the default is the README's start command (heap capped at 320 MB,
# ParallelGC).
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx320m -XX:+UseParallelGC}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-120}"
# Before each measured run, wait (at most QUIET_MAX_WAIT_S) until other processes use < QUIET_BUSY_PCT of the CPUs.
QUIET_BUSY_PCT="${QUIET_BUSY_PCT:-15}"
QUIET_MAX_WAIT_S="${QUIET_MAX_WAIT_S:-300}"

SERVER_PID=""
SERVER_DIR=""
WORK_DIR=""
# Extra NAME=value environment for the server under test (an array), after the defaults below, so it wins.
SERVER_ENV=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require() { for c in "$@"; do command -v "$c" >/dev/null || die "missing command: $c"; done; }

init_results() {
  mkdir -p "$RESULTS_DIR"
  WORK_DIR="$(mktemp -d /tmp/gatehouse-bench.XXXXXX)"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

# key=value lines that run-all.sh turns into the results table.
record() { printf '%s=%s\n' "$1" "$2" >>"$RESULTS_DIR/$BENCH_NAME.env"; log "$BENCH_NAME: $1=$2"; }

ensure_jar() {
  if [[ ! -f "$GATEHOUSE_JAR" ]]; then
    log "building $GATEHOUSE_JAR"
    (cd "$REPO_DIR" && ./mvnw -q -B -pl server -am package -DskipTests)
  fi
  [[ -f "$GATEHOUSE_JAR" ]] || die "no server jar at $GATEHOUSE_JAR"
}

JMH_JAR="$BENCH_DIR/target/benchmarks.jar"
ensure_jmh_jar() {
  if [[ ! -f "$JMH_JAR" ]]; then
    log "building $JMH_JAR"
    # -am: the benchmarks link the client module (the flag engine and its OpenFeature provider)
    (cd "$REPO_DIR" && ./mvnw -q -B -P bench -pl bench -am package -DskipTests) >&2
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$BENCH_PORT") 2>/dev/null; }

now_ns() { date +%s%N; }

# start_server DIR: launches Gatehouse with its embedded PostgreSQL under DIR (created if missing).
start_server() {
  SERVER_DIR="$1"
  mkdir -p "$SERVER_DIR"
  port_free || die "port $BENCH_PORT is in use"
  # shellcheck disable=SC2086
  (cd "$SERVER_DIR" && exec env \
      SERVER_PORT="$BENCH_PORT" SERVER_ADDRESS=127.0.0.1 \
      GATEHOUSE_PUBLIC_URL="$BASE" \
      GATEHOUSE_EMBEDDED_DB_DATA_DIR="$SERVER_DIR/postgres" \
      GATEHOUSE_LOG_FORMAT= \
      GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL="$ADMIN_EMAIL" \
      GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
      GATEHOUSE_AUTH_THROTTLE_EXEMPT_IPS=127.0.0.1 \
      GATEHOUSE_RATELIMIT_EXEMPT_IPS=127.0.0.1 \
      "${SERVER_ENV[@]}" \
      "$JAVA" $SERVER_JAVA_OPTS -jar "$GATEHOUSE_JAR" >>"$SERVER_DIR/server.log" 2>&1) &
  SERVER_PID=$!
}

# ready_status_into VAR: HTTP status of GET /health/ready into VAR ("000" when nothing answers yet), using
# bash's /dev/tcp: no process is forked per poll, so polling does not steal CPU from the starting server.
ready_status_into() {
  local -n _st="$1"
  local line=""
  _st=000
  { exec 3<>"/dev/tcp/127.0.0.1/$BENCH_PORT"; } 2>/dev/null || return 0
  printf 'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 2>/dev/null || true
  read -r -t 2 line <&3 || true
  exec 3<&- 3>&-
  line="${line#HTTP/1.1 }"; _st="${line:0:3}"
}

# wait_ready: polls /health/ready every 25 ms until 200; fails after READY_TIMEOUT_S or if the JVM exits.
wait_ready() {
  local deadline=$(( SECONDS + READY_TIMEOUT_S )) status nap
  exec {nap}<> <(:)   # a pipe nobody writes: `read -t` on it sleeps without forking sleep(1)
  while :; do
    ready_status_into status
    [[ "$status" == 200 ]] && { exec {nap}<&-; return 0; }
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      local rc=0; wait "$SERVER_PID" 2>/dev/null || rc=$?
      tail -40 "$SERVER_DIR/server.log" >&2
      die "server exited during startup (exit status $rc)"
    fi
    (( SECONDS < deadline )) || { tail -40 "$SERVER_DIR/server.log" >&2; die "server not ready after ${READY_TIMEOUT_S}s"; }
    read -r -t 0.025 -u "$nap" || true
  done
}

# stop_server: SIGTERM to the JVM we started (graceful; it stops its PostgreSQL), then make sure that
# PostgreSQL (found by the postmaster.pid in our own data dir) is gone too.
stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$SERVER_PID" 2>/dev/null; then log "server $SERVER_PID did not stop; SIGKILL"; kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  local pidfile="$SERVER_DIR/postgres/postmaster.pid"
  if [[ -f "$pidfile" ]]; then
    local pg; pg="$(head -1 "$pidfile")"
    if [[ "$pg" =~ ^[0-9]+$ ]] && kill -0 "$pg" 2>/dev/null && grep -q postgres "/proc/$pg/cmdline" 2>/dev/null; then
      log "stopping leftover postgres $pg"; kill -TERM "$pg" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pg" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  SERVER_PID=""
}

cleanup() {
  local rc=$?
  [[ -n "${SAMPLER_PID:-}" ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  stop_server || true
  if [[ -n "$WORK_DIR" && -d "$WORK_DIR" ]]; then
    if [[ $rc -ne 0 ]]; then
      mkdir -p "$RESULTS_DIR" && cp "$WORK_DIR"/*/server.log "$RESULTS_DIR/" 2>/dev/null || true
    fi
    rm -rf "$WORK_DIR"
  fi
  exit $rc
}

# CPU busy % of the whole machine over N seconds (default 2), from /proc/stat.
cpu_busy_pct() {
  local s="${1:-2}" a b
  a=($(head -1 /proc/stat)); sleep "$s"; b=($(head -1 /proc/stat))
  local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  (( total > 0 )) || { echo 0; return; }
  echo $(( 100 * (total - idle) / total ))
}

# wait_quiet: before a measured run (our own server idle), wait until the rest of the machine is quiet.
# Echoes the busy % seen last, so the results can say how quiet it was.
wait_quiet() {
  local deadline=$(( $(date +%s) + QUIET_MAX_WAIT_S )) busy
  while :; do
    busy="$(cpu_busy_pct 2)"
    if (( busy < QUIET_BUSY_PCT )); then echo "$busy"; return 0; fi
    if (( $(date +%s) >= deadline )); then log "machine still ${busy}% busy after ${QUIET_MAX_WAIT_S}s; measuring anyway"; echo "$busy"; return 0; fi
    log "machine ${busy}% busy (others compiling?); waiting"
    sleep 8
  done
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "nan"} else if (NR%2) {print a[(NR+1)/2]} else {printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}}'; }
max() { sort -g | tail -1; }

# call METHOD PATH JSON TOKEN EXPECTED -> body, or dies
call() {
  local out code
  out="$(curl -s --max-time 30 -w '\n%{http_code}' -H 'Content-Type: application/json' -H "Authorization: Bearer $4" \
        -X "$1" "$BASE$2" -d "$3")"
  code="${out##*$'\n'}"; out="${out%$'\n'*}"
  [[ "$code" == "$5" ]] || die "$1 $2 -> $code $out"
  printf '%s\n' "$out"
}

# bench_catalog SED_EXPR...: the jar's shipped plans.yml with each sed edit applied (each must change something), as
# $WORK_DIR/plans.yml, exported as GATEHOUSE_CATALOG_PATH for the server the script starts next.
bench_catalog() {
  local catalog="$WORK_DIR/plans.yml" e
  unzip -p "$GATEHOUSE_JAR" BOOT-INF/classes/catalog/plans.yml >"$catalog" || die "no catalog in $GATEHOUSE_JAR"
  for e in "$@"; do
    cp "$catalog" "$catalog.before"
    sed -i -e "$e" "$catalog"
    ! cmp -s "$catalog" "$catalog.before" || die "the catalog edit '$e' changed nothing in $catalog"
  done
  rm -f "$catalog.before"
  export GATEHOUSE_CATALOG_PATH="$catalog"
}

json_post() { curl -s --max-time 30 -H 'Content-Type: application/json' -X POST "$BASE$1" -d "$2"; }

# login EMAIL PASSWORD -> prints the token response JSON (fails if not 200)
login() {
  local out code
  out="$(curl -s --max-time 30 -w '\n%{http_code}' -H 'Content-Type: application/json' -X POST "$BASE/api/v1/auth/login" \
        -d "$(jq -nc --arg e "$1" --arg p "$2" '{email:$e,password:$p}')")"
  code="${out##*$'\n'}"; out="${out%$'\n'*}"
  [[ "$code" == 200 ]] || { log "login $1 -> $code $out"; return 1; }
  printf '%s\n' "$out"
}

admin_access_token() { login "$ADMIN_EMAIL" "$ADMIN_PASSWORD" | jq -r .access_token; }

# verification_token EMAIL ADMIN_TOKEN: reads the captured verification mail through the admin API.
verification_token() {
  local to="$1" admin="$2" deadline=$(( $(date +%s) + 30 )) body tok
  while :; do
    body="$(curl -s --max-time 10 -G -H "Authorization: Bearer $admin" --data-urlencode "to=$to" "$BASE/api/v1/admin/mail" || true)"
    tok="$(printf '%s' "$body" | grep -o 'verify-email?token=[A-Za-z0-9_%.~-]*' | tail -1 | sed 's/.*token=//' || true)"
    if [[ -n "$tok" ]]; then printf '%s\n' "$tok"; return 0; fi
    (( $(date +%s) < deadline )) || { log "no verification mail for $to: ${body:0:300}"; return 1; }
    sleep 0.2
  done
}

# create_user EMAIL ADMIN_TOKEN: register + verify through the public API, like a real user.
create_user() {
  local email="$1" admin="$2" code tok
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' -X POST "$BASE/api/v1/auth/register" \
          -d "$(jq -nc --arg e "$email" --arg p "$USER_PASSWORD" '{email:$e,password:$p,name:"Bench User"}')")"
  [[ "$code" == 201 ]] || { log "register $email -> $code"; return 1; }
  tok="$(verification_token "$email" "$admin")"
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' -X POST "$BASE/api/v1/auth/verify-email" \
          -d "$(jq -nc --arg t "$(printf '%b' "${tok//%/\\x}")" '{token:$t}')")"
  [[ "$code" == 200 ]] || { log "verify $email -> $code"; return 1; }
}
export -f create_user verification_token log

# create_users N FILE: N verified users (4 at a time), their emails written to FILE.
create_users() {
  local n="$1" file="$2" admin
  admin="$(admin_access_token)"
  seq 1 "$n" | awk '{printf "bench-user-%04d@bench.local\n", $1}' >"$file"
  BASE="$BASE" USER_PASSWORD="$USER_PASSWORD" xargs -P 4 -I{} bash -c 'create_user "$1" "$2"' _ {} "$admin" <"$file"
}

# create_sessions N USERS_FILE OUT: N fresh sessions (logins, 4 in parallel, users round-robin); refresh tokens to OUT.
create_sessions() {
  local n="$1" users="$2" out="$3"
  : >"$out"
  seq 0 $(( n - 1 )) | awk -v f="$users" 'BEGIN{while((getline l < f)>0) u[c++]=l} {print u[$1 % c]}' \
    | xargs -P 4 -I{} bash -c 'login "$1" "$2" | jq -r .refresh_token' _ {} "$USER_PASSWORD" >>"$out"
  [[ "$(grep -c '^ghr_' "$out")" == "$n" ]] || die "expected $n refresh tokens, got $(grep -c '^ghr_' "$out")"
}
export -f login

# rss_sampler PID OUT: every second, the JVM's resident set in KiB, until killed.
start_rss_sampler() {
  local pid="$1" out="$2"
  ( while kill -0 "$pid" 2>/dev/null; do ps -o rss= -p "$pid" >>"$out" || true; sleep 1; done ) &
  SAMPLER_PID=$!
}
stop_rss_sampler() { [[ -n "${SAMPLER_PID:-}" ]] && kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; }

# CPU jiffies (user+system, plus reaped children's) of PID and all its live descendants.
tree_jiffies() {
  local root="$1"
  [[ -n "$root" ]] || { echo 0; return; }
  ps -e -o pid=,ppid= | awk -v r="$root" '{p[$1]=$2} END {for (k in p) {x=k; while (x != "" && x != 0 && x != r) x=p[x]; if (x == r) print k}}' \
    | while read -r pid; do awk '{print $14+$15+$16+$17}' "/proc/$pid/stat" 2>/dev/null || true; done | awk '{s+=$1} END {print s+0}'
}
# CPU jiffies of the server under test: the JVM tree plus its PostgreSQL (pg_ctl daemonizes the postmaster,
# so it is not a descendant of the JVM; it is found through the postmaster.pid in our own data dir).
server_jiffies() {
  local pg="" pidfile="$SERVER_DIR/postgres/postmaster.pid"
  [[ -f "$pidfile" ]] && pg="$(head -1 "$pidfile")"
  echo $(( $(tree_jiffies "$SERVER_PID") + $(tree_jiffies "$pg") ))
}
# jmh_verify NAME: JMH's Argon2id verify score (ops/s; 2 threads, 3x5 s warm-up, 5x5 s measured), run now,
# with nothing of ours running; output kept as NAME.jmh.{txt,json}. Builds the JMH jar if missing.
jmh_verify() {
  ensure_jmh_jar
  "$JAVA" -jar "$JMH_JAR" 'PasswordHashBenchmark.verify$' ${JMH_ARGS:-} -rf json -rff "$RESULTS_DIR/$1.jmh.json" \
      >"$RESULTS_DIR/$1.jmh.txt" 2>&1 || { tail -30 "$RESULTS_DIR/$1.jmh.txt" >&2; die "JMH failed"; }
  jq -r '.[0].primaryMetric.score | . * 10 | round / 10' "$RESULTS_DIR/$1.jmh.json"
}
# jit_jiffies PID: CPU jiffies the JVM's JIT compiler threads have used so far. A run that still compiles
# its hot path measures the compiler as much as the server, so the login bench reports this share.
jit_jiffies() {
  local t v sum=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      "C1 CompilerThre"* | "C2 CompilerThre"*)
        # utime + stime; the name is cut after ") " since thread names hold spaces
        v="$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12+$13}')"
        sum=$(( sum + ${v:-0} )) ;;
    esac
  done
  echo "$sum"
}
busy_total() { head -1 /proc/stat | awk '{b=$2+$3+$4+$7+$8+$9; print b, b+$5+$6}'; }

# wrk_run NAME ARGS...: runs wrk, keeps its output, echoes the RESULT line printed by the lua done(),
# plus others_cpu_pct: the share of the machine's CPU used during the run by processes that are neither
# the server under test (JVM + its PostgreSQL) nor wrk -- i.e. how much other work disturbed the run.
wrk_run() {
  local name="$1"; shift
  # Warm-ups are not results: their output stays in the work dir, which is deleted at the end.
  local dir="$RESULTS_DIR"; [[ "$name" == *warmup* ]] && dir="$WORK_DIR"
  local out="$dir/$BENCH_NAME-$name.wrk.txt" b0 t0 j0 c0 b1 t1 j1 c1 me=$BASHPID
  read -r b0 t0 < <(busy_total); j0="$(server_jiffies)"; c0="$(awk '{print $16+$17}' "/proc/$me/stat")"
  wrk "$@" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  read -r b1 t1 < <(busy_total); j1="$(server_jiffies)"; c1="$(awk '{print $16+$17}' "/proc/$me/stat")"
  local others
  others="$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v j=$((j1 - j0)) -v c=$((c1 - c0)) 'BEGIN {o = b - j - c; if (o < 0) o = 0; printf "%.0f", (t > 0 ? 100 * o / t : 0)}')"
  printf '%s others_cpu_pct=%s server_cpu_pct=%s\n' "$(grep '^RESULT ' "$out" | tail -1)" "$others" \
    "$(awk -v j=$((j1 - j0)) -v t=$((t1 - t0)) 'BEGIN {printf "%.0f", (t > 0 ? 100 * j / t : 0)}')"
}

# field LINE KEY: value of key=value in a RESULT line
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

machine_info() {
  printf 'date=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'cpus=%s\n' "$(nproc)"
  printf 'cpu_model=%s\n' "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  printf 'mem_gb=%s\n' "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
  printf 'java=%s\n' "$("$JAVA" -version 2>&1 | head -1)"
  printf 'wrk=%s\n' "$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
  printf 'commit=%s\n' "$(git -C "$(dirname "$GATEHOUSE_JAR")" describe --always --dirty --exclude '*' 2>/dev/null || echo unknown)"
}
