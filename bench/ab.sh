#!/usr/bin/env bash
# Compares two builds, or two settings, by the gateway's CPU time per message end to end (the benchmark's cost
# phase: 150 webhooks/s until every message is at the CRM), in alternating runs A, B, A, B, ... On a shared host
# the hypervisor's steal inflates that figure (it counts part of the stolen time to the process), so each run
# reports its steal and the medians use only the runs with at most MAX_STEAL cores of it.
#
#   A_ARGS='' B_ARGS='--gateway.dispatch.concurrent-consumers=2' bash bench/ab.sh
#   B_JAR=/path/to/other/whatsapp-gateway.jar B_ROUTES=/path/to/other/routes ROUNDS=5 bash bench/ab.sh
#
# A_JAR / B_JAR and A_ROUTES / B_ROUTES default to this checkout's target/whatsapp-gateway.jar and routes/;
# A_ARGS / B_ARGS are gateway settings (--key=value ...). ROUNDS (3), MAX_STEAL (0.05). A run takes about
# 1.5 minutes; nothing is written under bench/results.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
MAX_STEAL=${MAX_STEAL:-0.05}
A_JAR=${A_JAR:-target/whatsapp-gateway.jar} B_JAR=${B_JAR:-target/whatsapp-gateway.jar}
A_ROUTES=${A_ROUTES:-routes} B_ROUTES=${B_ROUTES:-routes}
A_ARGS=${A_ARGS:-} B_ARGS=${B_ARGS:-}
for jar in "$A_JAR" "$B_JAR"; do
  [ -f "$jar" ] || { echo "no jar at $jar (build it: mvn -DskipTests package)" >&2; exit 2; }
done

# one cost-phase run; prints "<ms per message> <steal cores>", or "n/a n/a" when the run broke
run() {
  local log result line
  log=$(mktemp)
  WARMUP_SECONDS=30 COST_SECONDS=20 OPEN_SECONDS=1 SAT_SECONDS=1 CEILING_SECONDS=1 DRAIN_TIMEOUT_SECONDS=30 \
    PHASE_DRAIN_SECONDS=10 QUICK=1 JFR=0 GATEWAY_JAR="$1" GATEWAY_ROUTES="$2" GATEWAY_ARGS="$3" \
    GATEWAY_LABEL="ab" bash bench/run.sh >"$log" 2>&1 || true
  result=$(grep -o 'bench/results/[^ ]*-quick\.md' "$log" | tail -1 || true)
  [ -z "$result" ] || rm -f "$result"
  line=$(grep -o 'cost: cost .*' "$log" | tail -1 || true)
  rm -f "$log"
  sed -n 's/.*; \([0-9.]*\) ms; steal \([0-9.]*\) cores.*/\1 \2/p' <<<"$line" | grep . || echo "n/a n/a"
}

median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }

clean_a=() clean_b=()
printf '| round | A ms/message (steal, cores) | B ms/message (steal, cores) |\n|---:|---:|---:|\n'
for round in $(seq 1 "$ROUNDS"); do
  read -r a_ms a_steal < <(run "$A_JAR" "$A_ROUTES" "$A_ARGS")
  read -r b_ms b_steal < <(run "$B_JAR" "$B_ROUTES" "$B_ARGS")
  printf '| %d | %s (%s) | %s (%s) |\n' "$round" "$a_ms" "$a_steal" "$b_ms" "$b_steal"
  if [ "$a_ms" != n/a ] && awk -v s="$a_steal" -v m="$MAX_STEAL" 'BEGIN {exit !(s <= m)}'; then clean_a+=("$a_ms"); fi
  if [ "$b_ms" != n/a ] && awk -v s="$b_steal" -v m="$MAX_STEAL" 'BEGIN {exit !(s <= m)}'; then clean_b+=("$b_ms"); fi
done
echo
echo "A: ${A_JAR} ${A_ROUTES} ${A_ARGS}"
echo "B: ${B_JAR} ${B_ROUTES} ${B_ARGS}"
echo "median of the runs with steal <= ${MAX_STEAL} cores: A $(printf '%s\n' "${clean_a[@]}" | grep . | median) ms" \
  "(${#clean_a[@]} runs), B $(printf '%s\n' "${clean_b[@]}" | grep . | median) ms (${#clean_b[@]} runs)"
