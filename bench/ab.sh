#!/usr/bin/env bash
# Compares two builds, or two settings, in alternating runs A, B, A, B, ... by one of two measures:
# - MODE=cost (default): the gateway's CPU time per message end to end (the benchmark's cost phase: 150
#   webhooks/s until every message is at the CRM);
# - MODE=latency: the webhooks' answer time p50 / p99 in the open loop (500/s for 20 s, after 30 s of warm-up);
#   the medians are of the p99.
# On a shared host the hypervisor's steal inflates both (it counts part of the stolen time to the process), so
# each run reports its steal and the medians use only the runs with at most MAX_STEAL cores of it.
#
#   A_ARGS='' B_ARGS='--gateway.dispatch.concurrent-consumers=2' bash bench/ab.sh
#   MODE=latency B_JAR=/path/to/other/whatsapp-gateway.jar B_ROUTES=/path/to/other/routes ROUNDS=5 bash bench/ab.sh
#
# A_JAR / B_JAR and A_ROUTES / B_ROUTES default to this checkout's target/whatsapp-gateway.jar and routes/;
# A_ARGS / B_ARGS are gateway settings (--key=value ...); A_JAVA_OPTS / B_JAVA_OPTS JVM flags after jvm.options. ROUNDS (3),
# WARMUP (300 s of warm-up before the measured phase: C2 compiles for minutes), MAX_STEAL (0.05). A run takes about
# 7 minutes (cost) or 7.5 minutes (latency); nothing is written under bench/results.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${MODE:-cost}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-300}
MAX_STEAL=${MAX_STEAL:-0.05}
A_JAR=${A_JAR:-target/whatsapp-gateway.jar} B_JAR=${B_JAR:-target/whatsapp-gateway.jar}
A_ROUTES=${A_ROUTES:-routes} B_ROUTES=${B_ROUTES:-routes}
A_ARGS=${A_ARGS:-} B_ARGS=${B_ARGS:-}
A_JAVA_OPTS=${A_JAVA_OPTS:-} B_JAVA_OPTS=${B_JAVA_OPTS:-}
for jar in "$A_JAR" "$B_JAR"; do
  [ -f "$jar" ] || { echo "no jar at $jar (build it: mvn -DskipTests package)" >&2; exit 2; }
done
case "$MODE" in
  # the phase to keep short, the loadgen's line for the measured phase, and how to read "<value> <steal>" off it
  cost) phases=(COST_SECONDS=20 OPEN_SECONDS=1 PHASE_DRAIN_SECONDS=10 DRAIN_TIMEOUT_SECONDS=30)
        pattern='cost: cost .*'; unit='ms/message'
        extract='s/.*; \([0-9.]*\) ms; steal \([0-9.]*\) cores.*/\1 \2/p' ;;
  latency) phases=(COST_SECONDS=5 OPEN_SECONDS=20 PHASE_DRAIN_SECONDS=60 DRAIN_TIMEOUT_SECONDS=60)
        pattern='open loop: open .*'; unit='webhook p50/p99 ms'
        extract='s|.*latency p50/p99/p99.9/max \([0-9.]*\) / \([0-9.]*\) / .*; steal \([0-9.]*\) cores.*|\1/\2 \3|p' ;;
  *) echo "MODE is cost or latency" >&2; exit 2 ;;
esac

# one run; prints "<value> <steal cores>", or "n/a n/a" when the run broke
run() {
  local log result line
  log=$(mktemp)
  env WARMUP_SECONDS="$WARMUP" SAT_SECONDS=1 CEILING_SECONDS=1 "${phases[@]}" QUICK=1 JFR=0 \
    GATEWAY_JAR="$1" GATEWAY_ROUTES="$2" GATEWAY_ARGS="$3" GATEWAY_JAVA_OPTS="$4" GATEWAY_LABEL="ab" bash bench/run.sh >"$log" 2>&1 || true
  result=$(grep -o 'bench/results/[^ ]*-quick\.md' "$log" | tail -1 || true)
  [ -z "$result" ] || rm -f "$result"
  line=$(grep -o "$pattern" "$log" | tail -1 || true)
  rm -f "$log"
  sed -n "$extract" <<<"$line" | grep . || echo "n/a n/a"
}

# the median of the numbers on stdin (the p99 of a "p50/p99" pair)
median() { sed 's|.*/||' | sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }

# keeps a run's value when it had little enough steal
keep() { [ "$1" != n/a ] && awk -v s="$2" -v m="$MAX_STEAL" 'BEGIN {exit !(s <= m)}'; }

clean_a=() clean_b=()
printf '| round | A %s (steal, cores) | B %s (steal, cores) |\n|---:|---:|---:|\n' "$unit" "$unit"
for round in $(seq 1 "$ROUNDS"); do
  read -r a_value a_steal < <(run "$A_JAR" "$A_ROUTES" "$A_ARGS" "$A_JAVA_OPTS")
  read -r b_value b_steal < <(run "$B_JAR" "$B_ROUTES" "$B_ARGS" "$B_JAVA_OPTS")
  printf '| %d | %s (%s) | %s (%s) |\n' "$round" "$a_value" "$a_steal" "$b_value" "$b_steal"
  if keep "$a_value" "$a_steal"; then clean_a+=("$a_value"); fi
  if keep "$b_value" "$b_steal"; then clean_b+=("$b_value"); fi
done
echo
echo "A: ${A_JAR} ${A_ROUTES} ${A_ARGS} ${A_JAVA_OPTS}"
echo "B: ${B_JAR} ${B_ROUTES} ${B_ARGS} ${B_JAVA_OPTS}"
echo "median of the runs with steal <= ${MAX_STEAL} cores: A $(printf '%s\n' "${clean_a[@]}" | grep . | median) ms" \
  "(${#clean_a[@]} runs), B $(printf '%s\n' "${clean_b[@]}" | grep . | median) ms (${#clean_b[@]} runs)"
