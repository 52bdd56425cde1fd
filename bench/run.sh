#!/usr/bin/env bash
# Throughput, latency and memory benchmark of the gateway, all on loopback (127.0.0.1) of this machine.
#
#   bash bench/run.sh            full run, about 9 to 10 minutes (5 min of it warm-up: C2 compiles the hot code; the bounded waits grow when the gateway lags)
#   QUICK=1 bash bench/run.sh    smoke run, about 1 to 2 minutes
#
# Starts a CRM stub and a media server (bench/src/main/java/.../Stubs.java), a trivial HTTP server (the
# ceiling), then the gateway jar as its own JVM (embedded persistent broker, temporary data folder), and drives
# them with the load generator (bench/src/main/java/.../LoadGen.java; the benchmark's classes are built by
# bench/pom.xml, when missing or older than their sources): saturation against the trivial server; then against the
# gateway a warm-up, the cost phase at COST_RATE/s (CPU per message, in all and by stage from two thread dumps), an
# open loop at OPEN_RATE/s and a closed-loop saturation with CLIENTS clients (recorded with JFR). It waits (bounded) for the CRM stub to hold every accepted message. Exit status: 0 every accepted
# message reached the CRM exactly once; 1 one was lost (neither at the CRM nor on the gateway's stage queues) or
# came twice; 3 nothing lost, but some were still queued inside the gateway when the wait ended (delivery not
# confirmed); 2 the run itself broke. The table, the machine and the JFR summary go to
# bench/results/<date>.md (printed too).
#
# Knobs (environment): CLIENTS (32), OPEN_RATE (500), SAT_SECONDS, OPEN_SECONDS, WARMUP_SECONDS, COST_RATE (150),
# COST_SECONDS (the cost phase: CPU per message end to end at a rate the gateway keeps up with),
# CEILING_SECONDS, PHASE_DRAIN_SECONDS (bounded wait for the CRM backlog between phases), DRAIN_TIMEOUT_SECONDS
# (bounded wait at the end), GATEWAY_JAVA_OPTS (JVM flags added after jvm.options, the flags the Dockerfile and
# README run the gateway with), GATEWAY_ARGS (extra --key=value settings of the gateway, for experiments; both are printed in
# the results), BUILD (auto: build the jar when missing or older than src/main or pom.xml; 1: always; 0: never),
# GATEWAY_JAR and GATEWAY_ROUTES (benchmark another build: its jar and routes folder; no build then),
# GATEWAY_LABEL (what the results call the build), KEEP=1 (keep the temporary folder with the logs), JFR=0 (no flight
# recording of the saturation phase: the profiler's own buffers then do not count in the gateway's peak RSS).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  : "${WARMUP_SECONDS:=5}" "${COST_SECONDS:=10}" "${OPEN_SECONDS:=10}" "${SAT_SECONDS:=10}" "${CEILING_SECONDS:=5}"
  : "${DRAIN_TIMEOUT_SECONDS:=20}" "${PHASE_DRAIN_SECONDS:=5}"
else
  : "${WARMUP_SECONDS:=300}" "${COST_SECONDS:=20}" "${OPEN_SECONDS:=30}" "${SAT_SECONDS:=30}" "${CEILING_SECONDS:=30}"
  : "${DRAIN_TIMEOUT_SECONDS:=60}" "${PHASE_DRAIN_SECONDS:=20}"
fi
CLIENTS=${CLIENTS:-32}
OPEN_RATE=${OPEN_RATE:-500}
COST_RATE=${COST_RATE:-150}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
GATEWAY_ARGS=${GATEWAY_ARGS:-}
BUILD=${BUILD:-auto}
JFR=${JFR:-1}

JAVA=${JAVA:-java}
JAVA_HOME_17=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ {print $2}')

stamp=$(date +%Y-%m-%d-%H%M%S)
[ "$QUICK" = 1 ] && stamp="$stamp-quick"
mkdir -p bench/results
RESULT="bench/results/$stamp.md"
JFR_FILE="$ROOT/bench/results/$stamp-saturation.jfr"

say() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------------------------------------------- build
jar=${GATEWAY_JAR:-target/whatsapp-gateway.jar}
routes_dir=${GATEWAY_ROUTES:-routes}
need_build=0
[ -n "${GATEWAY_JAR:-}" ] && BUILD=0
case "$BUILD" in
  1) need_build=1 ;;
  0) [ -f "$jar" ] || { echo "BUILD=0 but $jar is missing" >&2; exit 2; } ;;
  *) if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
       need_build=1
     fi ;;
esac
if [ "$need_build" = 1 ]; then
  say "building the jar (mvn -q -B package -DskipTests)"
  if ! mvn -q -B package -DskipTests; then
    echo "mvn package failed. BUILD=0 benchmarks the existing $jar; GATEWAY_JAR=... GATEWAY_ROUTES=... another build." >&2
    exit 2
  fi
fi
# The load generator, the stubs and the JFR summary: their own Maven project (no test run here; its unit tests
# run with `mvn -f bench/pom.xml verify`).
bench_jar=bench/target/whatsapp-gateway-bench.jar
if [ ! -f "$bench_jar" ] || [ -n "$(find bench/src/main bench/pom.xml -newer "$bench_jar" -type f 2>/dev/null | head -1)" ]; then
  say "building the benchmark (mvn -q -B -f bench/pom.xml package -DskipTests)"
  if ! mvn -q -B -ntp -f bench/pom.xml package -DskipTests; then
    echo "mvn -f bench/pom.xml package failed" >&2
    exit 2
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/wagateway-bench.XXXXXX")
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do # at most 5 s for a graceful stop (the data folder is thrown away anyway), then SIGKILL (our own processes only)
    alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.1
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then say "logs kept in $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${GATEWAY_LABEL:-}" ]; then
  if [ -n "${GATEWAY_JAR:-}" ]; then
    GATEWAY_LABEL="$GATEWAY_JAR"
  else
    GATEWAY_LABEL="$jar of this tree at git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git status --porcelain -- src/main pom.xml routes 2>/dev/null)" ] && echo ' with uncommitted changes in src/main, pom.xml or routes' || true)"
  fi
fi
GATEWAY_LABEL="$GATEWAY_LABEL, jar of $(date -r "$jar" '+%Y-%m-%d %H:%M')"

# A snapshot of what is benchmarked and of the benchmark: the jars and the routes, so that a rebuild or an edit
# meanwhile changes nothing.
cp "$jar" "$work/gateway.jar"
cp -r "$routes_dir" "$work/routes"

cp "$bench_jar" "$work/bench.jar"
BENCH_CP="$work/bench.jar"
LOADGEN_JVM=(-Xms256m -Xmx1g -XX:+UseParallelGC)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_file() { # file, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do [ -s "$1" ] && return 0; sleep 0.1; done
  echo "timed out waiting for $1" >&2; return 1
}
port_of() { awk -F= -v k="$1" '$1 == k {print $2}' "$2"; }

# Every helper JVM exits by itself after this long, whatever happens to this script.
MAX_LIFE=900

# -------------------------------------------------------------------------------------------------- machine
# shellcheck source=bench/machine.sh
. bench/machine.sh
machine() {
  echo "- \`nproc\`: $(nproc)"
  echo "- CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "- \`free -g\`:"
  echo '```'
  free -g
  echo '```'
  machine_runtime_and_disk "$work" "data folder" " (gateway and load generator)"
}
machine > "$work/machine.md"
busy_before=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 20 {printf "%s%s (%s %%)", sep, $2, $1; sep=", "}')

# ------------------------------------------------------------------------------------------------ the stubs
say "starting the CRM stub and the media server"
"$JAVA" -Xmx512m -XX:+UseParallelGC -cp "$BENCH_CP" org.wagateway.bench.Stubs env "$work/env.ports" "$MAX_LIFE" \
  > "$work/stubs.log" 2>&1 &
stubs=$!; pids+=("$stubs")
wait_file "$work/env.ports" 30
CRM_PORT=$(port_of crm "$work/env.ports"); MEDIA_PORT=$(port_of media "$work/env.ports")

common=(fixtures="$ROOT/src/test/resources/fixtures" kazinfoteh-key=bench-kazinfoteh-key
        greenapi-token=bench-greenapi-token clients="$CLIENTS" clk-tck="$(getconf CLK_TCK)")

# ----------------------------------------------------------------------------------- the ceiling: trivial server
say "ceiling: trivial server, $CLIENTS clients, ${CEILING_SECONDS} s"
"$JAVA" -Xmx256m -XX:+UseParallelGC -cp "$BENCH_CP" org.wagateway.bench.Stubs trivial "$work/trivial.ports" "$MAX_LIFE" \
  > "$work/trivial.log" 2>&1 &
trivial=$!; pids+=("$trivial")
wait_file "$work/trivial.ports" 30
"$JAVA" "${LOADGEN_JVM[@]}" -cp "$BENCH_CP" org.wagateway.bench.LoadGen mode=ceiling \
  target="$(port_of trivial "$work/trivial.ports")" media="$MEDIA_PORT" "${common[@]}" \
  warmup-seconds=3 sat-seconds="$CEILING_SECONDS" trivial-pid="$trivial" stubs-pid="$stubs" \
  out="$work/ceiling.properties"
kill "$trivial" 2>/dev/null || true; wait "$trivial" 2>/dev/null || true

# ------------------------------------------------------------------------------------------------ the gateway
GW_PORT=$(free_port)
say "starting the gateway on 127.0.0.1:$GW_PORT (data in $work/data)"
# shellcheck disable=SC2086
# glibc's per-thread malloc arenas inflate a JVM's resident memory for nothing: two are plenty (as in the Dockerfile)
# secrets as environment variables, as README asks of deployments (command lines are readable by anyone: ps)
MALLOC_ARENA_MAX=2 GATEWAY_KAZINFOTEH_API_KEY=bench-kazinfoteh-key GATEWAY_GREENAPI_TOKEN=bench-greenapi-token \
  GATEWAY_ADMIN_PASSWORD=bench-admin-password GATEWAY_MEDIA_LINK_SECRET=bench-link-secret \
  "$JAVA" @"$ROOT/jvm.options" $GATEWAY_JAVA_OPTS -jar "$work/gateway.jar" \
  --server.address=127.0.0.1 --server.port="$GW_PORT" \
  --gateway.broker.name=bench --gateway.broker.tcp-host=127.0.0.1 --gateway.broker.tcp-port=0 \
  --gateway.data-dir="$work/data" --gateway.routes-dir="$work/routes" --server.tomcat.basedir="$work/tomcat" \
  --gateway.crm.url="http://127.0.0.1:$CRM_PORT/crm/messages" \
  --gateway.media.allowed-hosts="127.0.0.1:$MEDIA_PORT" --gateway.media.allow-private-addresses=true \
  $GATEWAY_ARGS > "$work/gateway.log" 2>&1 &
gw=$!; pids+=("$gw")
up=0
for _ in $(seq 1 180); do
  if curl -sf "http://127.0.0.1:$GW_PORT/actuator/health" >/dev/null 2>&1; then up=1; break; fi
  kill -0 "$gw" 2>/dev/null || break
  sleep 1
done
if [ "$up" != 1 ]; then
  echo "the gateway did not come up; the end of its log:" >&2; tail -40 "$work/gateway.log" >&2; exit 2
fi
heap_limit=$("$JAVA_HOME_17/bin/jcmd" "$gw" VM.flags 2>/dev/null | grep -o 'MaxHeapSize=[0-9]*' | head -1 | awk -F= '{printf "%d MiB", $2/1048576}')
say "gateway up (pid $gw); heap limit ${heap_limit:=unknown}"

"$JAVA" -cp "$BENCH_CP" org.wagateway.bench.JfrSummary jfc "$JAVA_HOME_17/lib/jfr/profile.jfc" "$work/bench.jfc"

set +e
"$JAVA" "${LOADGEN_JVM[@]}" -cp "$BENCH_CP" org.wagateway.bench.LoadGen mode=gateway \
  target="$GW_PORT" crm="$CRM_PORT" media="$MEDIA_PORT" "${common[@]}" \
  warmup-seconds="$WARMUP_SECONDS" cost-rate="$COST_RATE" cost-seconds="$COST_SECONDS" open-rate="$OPEN_RATE" open-seconds="$OPEN_SECONDS" sat-seconds="$SAT_SECONDS" \
  admin-password=bench-admin-password broker-name=bench \
  drain-timeout-seconds="$DRAIN_TIMEOUT_SECONDS" phase-drain-seconds="$PHASE_DRAIN_SECONDS" gateway-pid="$gw" stubs-pid="$stubs" \
  jfr="$([ "$JFR" = 1 ] && echo "$JFR_FILE")" jfr-settings="$work/bench.jfc" ceiling="$work/ceiling.properties" out="$work/table.md"
rc=$?
set -e
[ -s "$work/table.md" ] || { echo "the load generator produced no table (exit $rc)" >&2; exit 2; }

jfr_md="(no recording)"
if [ -s "$JFR_FILE" ]; then
  "$JAVA" -cp "$BENCH_CP" org.wagateway.bench.JfrSummary summary "$JFR_FILE" "$work/jfr.md" \
    && jfr_md=$(cat "$work/jfr.md")
fi
errors_in_log=$(grep -cE ' ERROR |OutOfMemoryError' "$work/gateway.log" || true)

# ------------------------------------------------------------------------------------------------ the results
{
  echo "# Gateway benchmark, $(date '+%Y-%m-%d %H:%M %Z')$([ "$QUICK" = 1 ] && echo ' (QUICK smoke run: short phases, rough figures)')"
  echo
  echo "\`$([ "$QUICK" = 1 ] && echo 'QUICK=1 ')bash bench/run.sh\` — everything on 127.0.0.1 of one machine: the load generator, the"
  echo "gateway (its own JVM: \`java @jvm.options${GATEWAY_JAVA_OPTS:+ $GATEWAY_JAVA_OPTS} -jar${GATEWAY_ARGS:+ … $GATEWAY_ARGS}\`, heap limit $heap_limit; embedded persistent broker, H2"
  echo "idempotency store, temporary data folder), a CRM stub and a media server (JDK HttpServer) and, as the ceiling, a"
  echo "trivial JDK HttpServer that only reads the request and answers 200. Gateway build: $GATEWAY_LABEL. Load: 80 % text, 10 % media (16 KiB JPEG /"
  echo "32 KiB PDF from the local media server), 10 % statuses, half Kazinfoteh and half Green API, built from the"
  echo "fixtures, every request with its own provider message id. Phases: warm-up ${WARMUP_SECONDS} s; cost: ${COST_RATE}/s"
  echo "for ${COST_SECONDS} s and until all of it is at the CRM (the gateway's CPU time over that, per message, and by stage"
  echo "from its threads' CPU time in two \`jcmd Thread.print\` dumps); open loop"
  echo "${OPEN_RATE}/s for ${OPEN_SECONDS} s (latency counted from the intended send time); closed-loop saturation with"
  echo "${CLIENTS} clients for ${SAT_SECONDS} s (gateway) and ${CEILING_SECONDS} s (trivial server); the CRM backlog is"
  echo "drained between phases (at most ${PHASE_DRAIN_SECONDS} s), and at the end the run waits at most ${DRAIN_TIMEOUT_SECONDS} s for the CRM to"
  echo "hold every accepted message. **The load generator shares the CPU with the gateway**, and so does anything else"
  echo "running on the machine at the time: see the CPU line below; treat the figures as provisional."
  echo
  cat "$work/table.md"
  echo "- Gateway log: ${errors_in_log} ERROR/OutOfMemoryError line(s)."
  [ -n "$busy_before" ] && echo "- Busy processes when the run started (ps, lifetime %CPU > 20): $busy_before."
  echo
  echo "## Machine"
  echo
  cat "$work/machine.md"
  echo
  echo "## Saturation phase, flight recording"
  echo
  if [ "$JFR" = 1 ]; then
    echo "JFR (\`settings=profile\`, fsync/locks/parking from 1 ms, fsync all) on the gateway during the saturation phase;"
    echo "file \`bench/results/$(basename "$JFR_FILE")\` (not committed; open it with JMC or \`jfr\`)."
    echo
    echo "$jfr_md"
  else
    echo "None (\`JFR=0\`)."
  fi
} > "$RESULT"

cat "$RESULT"
echo
say "results written to $RESULT"
case "$rc" in
  0) say "OK: every accepted message reached the CRM exactly once" ;;
  1) say "FAILED (exit 1): messages lost or duplicated" ;;
  3) say "NOT CONFIRMED (exit 3): nothing lost, but messages still queued in the gateway when the wait ended" ;;
  *) say "FAILED (exit $rc): broken run" ;;
esac
exit "$rc"
