#!/usr/bin/env bash
# The broker alone, under the gateway's broker traffic, all on loopback (127.0.0.1) of this machine.
#
#   bash bench/broker.sh            full run, about 2.5 minutes (60 s warm-up, 60 s measured, the JVMs' start)
#   QUICK=1 bash bench/broker.sh    smoke run, 30 s of load (10 s warm-up, 20 s measured)
#
# Starts ONE ActiveMQ Classic broker JVM (bench/src/main/java/.../BrokerBench.java, mode broker: the store and
# policies of the gateway's embedded broker, KahaDB and the scheduler in a temporary folder, TCP on 127.0.0.1 at a
# free port) and a load JVM (mode load) that does, over TCP (OpenWire), what the gateway does with the broker for
# each accepted text message: PRODUCERS threads, each standing for a webhook's thread, hand its two copies (its
# type queue, and the CRM outbox with JMSXGroupID) to a group-committing intake like accept-webhook's: one writer
# thread on a connection of its own sends the copies of every call waiting at that moment (at most MAX_BATCH
# calls) persistently in one local transaction, commits once, and only then lets those calls return. CRM_CONSUMERS
# transacted sessions on one connection (deliver-crm's listeners, prefetch PREFETCH) read the outbox and commit.
# A closed loop (at most MAX_IN_FLIGHT messages between their hand-over to the intake and their CRM commit) at
# saturation: WARMUP_SECONDS, then SECONDS measured. Results: bench/results/<date>-broker.md (printed too). Exit
# status: 0 figures written; 2 the run broke.
#
# Knobs (environment): QUICK (1: the short run), PRODUCERS (32, run.sh's clients at saturation: webhooks in
# flight at once), MAX_BATCH (256, the gateway's gateway.intake.max-batch), CRM_CONSUMERS (8,
# gateway.crm.concurrent-deliveries), PREFETCH (10, gateway.broker.consumer-prefetch), MAX_IN_FLIGHT (2000),
# SECONDS (60; 20 with QUICK=1), WARMUP_SECONDS (60; 10), MESSAGE (a canonical JSON without an attachment;
# src/test/resources/golden/kazinfoteh/text.json), BROKER_JAVA_OPTS (-Xms128m -Xmx512m), GATEWAY_CRM_RATE /
# GATEWAY_CPU_MS / GATEWAY_BROKER_CPU_MS (the gateway's figures the ratios compare with: bench/README.md's
# "Latest figures"), KEEP=1 (keep the temporary folder with the logs), JAVA (java).
set -euo pipefail
# SECONDS is also bash's own clock (seconds since the shell started, unless the environment set it): the knob is
# whatever the environment passed in, read before the clock moves on
SECONDS_MEASURED=$(printenv SECONDS || true)
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  : "${WARMUP_SECONDS:=10}" "${SECONDS_MEASURED:=20}"
else
  : "${WARMUP_SECONDS:=60}" "${SECONDS_MEASURED:=60}"
fi
PRODUCERS=${PRODUCERS:-32}
MAX_BATCH=${MAX_BATCH:-256}
CRM_CONSUMERS=${CRM_CONSUMERS:-8}
PREFETCH=${PREFETCH:-10}
MAX_IN_FLIGHT=${MAX_IN_FLIGHT:-2000}
MESSAGE=${MESSAGE:-src/test/resources/golden/kazinfoteh/text.json}
BROKER_JAVA_OPTS=${BROKER_JAVA_OPTS:--Xms128m -Xmx512m}
# bench/README.md, "Latest figures": the end-to-end capacity at saturation, the gateway's CPU per message end to
# end, and the broker's threads' share of it
GATEWAY_CRM_RATE=${GATEWAY_CRM_RATE:-1151}
GATEWAY_CPU_MS=${GATEWAY_CPU_MS:-2.55}
GATEWAY_BROKER_CPU_MS=${GATEWAY_BROKER_CPU_MS:-0.84}
JAVA=${JAVA:-java}

stamp=$(date +%Y-%m-%d-%H%M%S)
[ "$QUICK" = 1 ] && stamp="$stamp-quick"
mkdir -p bench/results
RESULT="bench/results/$stamp-broker.md"

say() { printf '[broker-bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# The benchmark's classes and its dependencies (ActiveMQ, copied to bench/target/lib by `package`)
bench_jar=bench/target/whatsapp-gateway-bench.jar
if [ ! -f "$bench_jar" ] || [ ! -d bench/target/lib ] \
   || [ -n "$(find bench/src/main bench/pom.xml -newer "$bench_jar" -type f 2>/dev/null | head -1)" ]; then
  say "building the benchmark (mvn -q -B -f bench/pom.xml package -DskipTests)"
  mvn -q -B -ntp -f bench/pom.xml package -DskipTests || { echo "mvn -f bench/pom.xml package failed" >&2; exit 2; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/wagateway-broker-bench.XXXXXX")
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do # at most 5 s for a graceful stop, then SIGKILL (our own processes only)
    alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.1
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then say "logs kept in $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a snapshot of the classes, so that a rebuild meanwhile changes nothing
mkdir -p "$work/lib"
cp "$bench_jar" bench/target/lib/*.jar "$work/lib/"
CP="$work/lib/*"

# shellcheck source=bench/machine.sh
. bench/machine.sh
machine() {
  echo "- \`nproc\`: $(nproc)"
  echo "- CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "- Memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  machine_runtime_and_disk "$work" "broker store" ""
}
machine > "$work/machine.md"
busy_before=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 20 {printf "%s%s (%s %%)", sep, $2, $1; sep=", "}')

say "starting the broker (store in $work/broker)"
# shellcheck disable=SC2086
"$JAVA" $BROKER_JAVA_OPTS -cp "$CP" org.wagateway.bench.BrokerBench broker \
  data="$work/broker" ports="$work/broker.ports" max-life=900 > "$work/broker.log" 2>&1 &
broker=$!; pids+=("$broker")
for _ in $(seq 1 300); do
  [ -s "$work/broker.ports" ] && break
  kill -0 "$broker" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$work/broker.ports" ]; then
  echo "the broker did not come up; the end of its log:" >&2; tail -40 "$work/broker.log" >&2; exit 2
fi
PORT=$(awk -F= '$1 == "tcp" {print $2}' "$work/broker.ports")
say "broker up (pid $broker) at tcp://127.0.0.1:$PORT; load: $PRODUCERS producers into a group commit of at most $MAX_BATCH, $CRM_CONSUMERS CRM consumers, ${WARMUP_SECONDS} s + ${SECONDS_MEASURED} s"

set +e
"$JAVA" -Xms128m -Xmx512m -XX:+UseParallelGC -cp "$CP" org.wagateway.bench.BrokerBench load \
  port="$PORT" broker-pid="$broker" message="$ROOT/$MESSAGE" message-label="$MESSAGE" \
  producers="$PRODUCERS" max-batch="$MAX_BATCH" crm-consumers="$CRM_CONSUMERS" prefetch="$PREFETCH" \
  max-in-flight="$MAX_IN_FLIGHT" \
  warmup-seconds="$WARMUP_SECONDS" seconds="$SECONDS_MEASURED" clk-tck="$(getconf CLK_TCK)" \
  gateway-crm-rate="$GATEWAY_CRM_RATE" gateway-cpu-ms="$GATEWAY_CPU_MS" gateway-broker-cpu-ms="$GATEWAY_BROKER_CPU_MS" \
  out="$work/table.md" > "$work/load.log" 2>&1
rc=$?
set -e
cat "$work/load.log" >&2
[ -s "$work/table.md" ] || { echo "the load JVM produced no table (exit $rc)" >&2; exit 2; }
broker_problems=$(grep -cE 'ERROR|OutOfMemoryError' "$work/broker.log" || true)

{
  echo "# Broker alone, $(date '+%Y-%m-%d %H:%M %Z')$([ "$QUICK" = 1 ] && echo ' (QUICK smoke run: short phases, rough figures)')"
  echo
  echo "\`$([ "$QUICK" = 1 ] && echo 'QUICK=1 ')bash bench/broker.sh\` — one ActiveMQ Classic 6.1.8 broker JVM (\`$BROKER_JAVA_OPTS\`; the gateway's"
  echo "embedded broker's store and policies: KahaDB with 32 MiB journal files and 2,000 index pages, scheduler on, 32 MiB"
  echo "memory limit, no producer flow control, no advisories) and a load JVM on 127.0.0.1 of one machine, over TCP"
  echo "(OpenWire). Per accepted text message, the gateway's broker traffic: $PRODUCERS producer threads (webhooks) hand its"
  echo "copies for its type queue and for \`whatsapp.gateway.crm\` (JMSXGroupID) to a group-committing intake, one writer"
  echo "on a connection of its own that sends the copies of every call waiting at that moment (at most $MAX_BATCH calls)"
  echo "persistently in one local transaction and commits once for all of them; $CRM_CONSUMERS transacted sessions on one"
  echo "connection (prefetch $PREFETCH) read the outbox and commit each message (no HTTP). Closed loop, at most $MAX_IN_FLIGHT messages"
  echo "in flight; ${WARMUP_SECONDS} s of warm-up, ${SECONDS_MEASURED} s measured."
  echo "**The load JVM shares the machine's cores with the broker**, and so does anything else running at the time."
  echo
  cat "$work/table.md"
  echo "- Broker log: ${broker_problems} ERROR/OutOfMemoryError line(s)."
  [ -n "$busy_before" ] && echo "- Busy processes when the run started (ps, lifetime %CPU > 20): $busy_before."
  echo
  echo "## Machine"
  echo
  cat "$work/machine.md"
} > "$RESULT"

cat "$RESULT"
echo
say "results written to $RESULT"
exit "$rc"
