package org.wagateway.bench;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static org.wagateway.bench.Numbers.fmt;
import static org.wagateway.bench.Numbers.fmt0;
import static org.wagateway.bench.Numbers.ms;
import static org.wagateway.bench.Numbers.pctl;

/**
 * The results of a gateway run as markdown (the table against the targets and the details under it, which
 * bench/run.sh puts into bench/results/&lt;date&gt;.md) and as a summary of properties. Pure: everything it
 * prints is in its fields, which {@link Phases} fills in.
 */
final class Report {

    /** The targets the table checks (the end-to-end capacity's is {@link Delivery.Capacity#TARGET_RATE}). */
    static final double TARGET_RATE = 2000;
    static final double TARGET_P99_MS = 25;
    static final double TARGET_CPU_MS = 2.5;
    static final long TARGET_RSS_KIB = 512 * 1024;

    int clients;
    double satSeconds;
    double openRate;
    double openSeconds;
    double costRate;
    Phase warm;
    Phase cost;
    Phase open;
    Phase sat;
    Drain warmDrain;
    /** How the cost phase's wait for the CRM ended: its CPU per message counts only when all of it arrived. */
    Drain costDrain;
    Drain openDrain;
    Drain satDrain;
    /** The gateway's CPU time per message in the cost phase, e.g. "5.45 ms", and in ms (NaN: unknown). */
    String costLine;
    double costMs = Double.NaN;
    /** The cost phase's CPU by stage (thread dumps); null when the dumps could not be taken. */
    ThreadCpu.Split costSplit;
    /** {VmHWM, VmRSS} of the gateway in KiB at the end, and before the flight recording. */
    long[] rss;
    long[] rssBeforeJfr;
    boolean jfr;
    Delivery delivery;
    Map<String, Long> crmStats;
    long[] mediaGets;
    /** The broker's non-empty queues at the end, as text. */
    String queues;
    long sameIdTwice;
    /** The trivial server's figures of the same run ({@link #ceiling}). */
    Properties ceiling = new Properties();
    int cores;

    /** The trivial server's figures at saturation, for the gateway run's table. */
    static Properties ceiling(Phase sat) {
        Properties p = new Properties();
        p.setProperty("rate", fmt(sat.rate()));
        p.setProperty("p50", fmt(sat.latencyMs(0.50)));
        p.setProperty("p99", fmt(sat.latencyMs(0.99)));
        p.setProperty("p999", fmt(sat.latencyMs(0.999)));
        p.setProperty("errors", String.valueOf(sat.errors()));
        p.setProperty("cpu", sat.cpuLine());
        return p;
    }

    double ceilingRate() {
        return Double.parseDouble(ceiling.getProperty("rate", "0"));
    }

    boolean throughputMet() {
        return sat.rate() >= TARGET_RATE;
    }

    boolean capacityMet() {
        return delivery.capacity.met();
    }

    boolean cpuMet() {
        return costMs <= TARGET_CPU_MS && (costDrain == null || costDrain.complete());
    }

    boolean p99Met() {
        return open.latencyMs(0.99) <= TARGET_P99_MS;
    }

    boolean lowLoadP99Met() {
        return cost.latencyMs(0.99) <= TARGET_P99_MS;
    }

    boolean rssMet() {
        return rss[0] <= TARGET_RSS_KIB;
    }

    boolean allTargetsMet() {
        return throughputMet() && capacityMet() && cpuMet() && p99Met() && lowLoadP99Met() && rssMet()
                && delivery.countsOk;
    }

    /** Messages/s the machine's cores carry at {@code msPerMessage} of CPU each (0 when unknown). */
    static double ratePerCores(int cores, double msPerMessage) {
        return Double.isNaN(msPerMessage) || msPerMessage <= 0 ? 0 : cores * 1000.0 / msPerMessage;
    }

    /** The gateway's share of the ceiling: one decimal below 10 %, none from there. */
    static String share(double rate, double ceilingRate) {
        return ceilingRate > 0 ? String.format(Locale.ROOT, rate / ceilingRate < 0.1 ? "%.1f %%" : "%.0f %%",
                100 * rate / ceilingRate) : "n/a";
    }

    static String row(String metric, String gw, String ceiling, String target, String met) {
        return "| " + metric + " | " + gw + " | " + ceiling + " | " + target + " | " + met + " |\n";
    }

    private static String yes(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String msPair(long[] sortedMicros) {
        return ms(pctl(sortedMicros, 0.50) / 1000.0) + " / " + ms(pctl(sortedMicros, 0.99) / 1000.0);
    }

    String markdown() {
        return table() + stages() + details();
    }

    String table() {
        double ceilingRate = ceilingRate();
        double e2eRate = delivery.satDeliveredInWindow / sat.seconds();
        Delivery.Capacity capacity = delivery.capacity;
        double coresRate = ratePerCores(cores, costMs);
        StringBuilder t = new StringBuilder();
        t.append("| metric | gateway | trivial server (ceiling) | target | met |\n");
        t.append("|---|---:|---:|---|---|\n");
        t.append(row("Accepted webhooks/s at saturation (closed loop, " + clients + " clients, "
                + fmt0(satSeconds) + " s)", fmt0(sat.rate()), fmt0(ceilingRate), "≥ 2,000", yes(throughputMet())));
        t.append(row("Gateway / ceiling", share(sat.rate(), ceilingRate), "100 %", "", ""));
        t.append(row("End-to-end capacity: the saturation phase's messages delivered to the CRM ÷ (phase + drain), "
                + "messages/s", fmt0(capacity.rate()) + " (" + share(capacity.rate(), ceilingRate) + " of the ceiling; "
                + capacity.parts() + ")", fmt0(ceilingRate), "≥ 800, each exactly once by Idempotency-Key",
                yes(capacityMet())));
        t.append(row("Messages/s reaching the CRM during the saturation window", fmt0(e2eRate), "", "", ""));
        t.append(row("Webhook latency at " + fmt0(openRate) + "/s (open loop, " + fmt0(openSeconds)
                + " s) p50 / p99 / p99.9, ms", open.latencyTriple(), "", "p99 ≤ 25 ms", yes(p99Met())));
        t.append(row("Achieved rate in the open loop (2xx/s)", fmt0(open.rate()), "", "", ""));
        t.append(row("Seconds of the open loop with answers over 25 ms (bursts: a pause; spread: a busy CPU)",
                open.slowSeconds(), "", "", ""));
        t.append(row("Webhook latency at low load, " + fmt0(costRate) + "/s (cost phase, open loop) p50 / p99 / p99.9, ms",
                cost.latencyTriple(), "", "p99 ≤ 25 ms", yes(lowLoadP99Met())));
        t.append(row("Webhook latency at saturation p50 / p99 / p99.9, ms", sat.latencyTriple(),
                ceiling.getProperty("p50", "-") + " / " + ceiling.getProperty("p99", "-") + " / "
                        + ceiling.getProperty("p999", "-"), "", ""));
        t.append(row("End-to-end latency (sent → CRM) at " + fmt0(openRate) + "/s p50 / p99, ms",
                msPair(delivery.e2eOpen), "", "", ""));
        t.append(row("End-to-end latency at saturation p50 / p99, ms (includes the CRM backlog)",
                msPair(delivery.e2eSat), "", "", ""));
        t.append(row("Gateway CPU per message, end to end (webhook in → CRM), at " + fmt0(costRate) + "/s",
                costLine + (coresRate > 0 ? " (" + cores + " cores carry " + fmt0(coresRate) + " messages/s at that cost, "
                        + share(coresRate, ceilingRate) + " of the ceiling)" : ""),
                fmt0(ceilingRate) + "/s", "≤ 2.5 ms", yes(cpuMet())));
        t.append(row("Peak RSS of the gateway (VmHWM), whole run" + (jfr ? " (the saturation phase with JFR recording)" : ""),
                rss[0] / 1024 + " MiB", "", "≤ 512 MiB", yes(rssMet())));
        if (jfr) {
            t.append(row("Peak RSS of the gateway before the JFR recording (warm-up, cost and open-loop phases)",
                    rssBeforeJfr[0] / 1024 + " MiB", "", "", ""));
        }
        t.append(row("Lost / duplicated, of " + delivery.accepted + " accepted (lost: not at the CRM at the end "
                + "and not on the gateway's stage queues)", delivery.lost + " / " + delivery.duplicatedKeys, "",
                "0 / 0", yes(delivery.nothingLost)));
        t.append(row("Accepted but not yet at the CRM at the end (still on the gateway's stage queues)",
                String.valueOf(delivery.stillQueued), "", "0", yes(delivery.stillQueued == 0)));
        return t.toString();
    }

    /** The cost phase's CPU per message by stage, from the threads' CPU time in two thread dumps. */
    String stages() {
        StringBuilder s = new StringBuilder();
        s.append("\nGateway CPU per message by stage, cost phase (" + fmt0(costRate) + "/s and its drain; each thread's "
                + "`cpu=` in `jcmd Thread.print` before and after, grouped by thread name):\n\n");
        if (costSplit == null) {
            s.append("n/a: no thread dump of the gateway.\n");
        } else {
            s.append(costSplit.table(costMs));
        }
        return s.toString();
    }

    String details() {
        StringBuilder d = new StringBuilder();
        d.append("\nDetails:\n\n");
        d.append("- Phases: ").append(warm.describe()).append("; ").append(cost.describe()).append("; ")
                .append(open.describe()).append("; ")
                .append(sat.describe()).append(".\n");
        d.append("- CRM backlog: warm-up drained ").append(warmDrain).append("; open loop drained ").append(openDrain)
                .append("; saturation drained ").append(satDrain).append(".\n");
        d.append("- CRM stub: ").append(crmStats.getOrDefault("keys", 0L)).append(" keys, ")
                .append(crmStats.getOrDefault("posts", 0L)).append(" POSTs, ").append(delivery.extraPosts)
                .append(" repeated POSTs, ").append(crmStats.getOrDefault("withoutKey", 0L))
                .append(" without Idempotency-Key, ").append(delivery.unconfirmed)
                .append(" keys whose webhook got no 2xx here (timeouts), media messages ")
                .append(crmStats.getOrDefault("mediaStored", 0L)).append(" stored of ")
                .append(crmStats.getOrDefault("mediaPosts", 0L)).append("; media server answered ")
                .append(mediaGets[0]).append(" GETs.\n");
        d.append("- Gateway broker at the end (non-empty queues, via Jolokia): ").append(queues).append(".\n");
        d.append("- Same id answered twice by the gateway: ").append(sameIdTwice).append(".\n");
        d.append("- CPU (").append(cores)
                .append(" cores) in cores used: open loop ").append(open.cpuLine()).append("; saturation ")
                .append(sat.cpuLine()).append("; ceiling run ").append(ceiling.getProperty("cpu", "n/a"))
                .append(".\n");
        double steal = Math.max(cost.stealCores(), Math.max(open.stealCores(), sat.stealCores()));
        if (steal >= 0.05) {
            d.append(String.format(Locale.ROOT, "- **The hypervisor took up to %.2f of the %d cores (steal) during the "
                    + "measured phases**: other guests shared the host, so the figures are low and comparable only with "
                    + "runs of as little steal.%n", steal, cores));
        }
        if (costSplit != null) {
            d.append("- CPU by stage, the top 3 threads of \"other\" (ms per message): ").append(costSplit.topOthers(3))
                    .append(".\n");
        }
        d.append("- Gateway RSS at the end: ").append(rss[1] / 1024).append(" MiB (peak ").append(rss[0] / 1024)
                .append(" MiB).\n");
        if (delivery.lost > 0 || delivery.duplicatedKeys > 0) {
            d.append("- **FAILED**: ").append(delivery.lost).append(" accepted message(s) neither reached the CRM nor wait on ")
                    .append("the gateway's stage queues; ").append(delivery.duplicatedKeys)
                    .append(" Idempotency-Key(s) received more than once.\n");
        } else if (delivery.stillQueued > 0) {
            d.append("- **NOT CONFIRMED**: ").append(delivery.stillQueued).append(" accepted message(s) were still queued ")
                    .append("inside the gateway when the bounded wait ended (").append(satDrain)
                    .append("): nothing is missing beyond them, but their delivery could not be checked. The ")
                    .append("gateway accepts faster than it delivers; DRAIN_TIMEOUT_SECONDS waits longer.\n");
        }
        return d.toString();
    }

    /** The run in a few properties, beside the table (for scripts). */
    Properties summary() {
        Properties summary = new Properties();
        summary.setProperty("targets_met", String.valueOf(allTargetsMet()));
        summary.setProperty("counts_ok", String.valueOf(delivery.countsOk));
        summary.setProperty("lost", String.valueOf(delivery.lost));
        summary.setProperty("still_queued", String.valueOf(delivery.stillQueued));
        summary.setProperty("duplicated", String.valueOf(delivery.duplicatedKeys));
        summary.setProperty("sat_rate", fmt0(sat.rate()));
        summary.setProperty("ceiling_rate", fmt0(ceilingRate()));
        summary.setProperty("open_p99", fmt(open.latencyMs(0.99)));
        summary.setProperty("low_load_p99", fmt(cost.latencyMs(0.99)));
        summary.setProperty("e2e_capacity", fmt0(delivery.capacity.rate()));
        summary.setProperty("cpu_ms", fmt(costMs));
        summary.setProperty("rss_mib", String.valueOf(rss[0] / 1024));
        return summary;
    }
}
