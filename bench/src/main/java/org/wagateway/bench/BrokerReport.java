package org.wagateway.bench;

import static org.wagateway.bench.Numbers.fmt;
import static org.wagateway.bench.Numbers.fmt0;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker-alone benchmark's figures (bench/broker.sh) and its results table: what one measured phase counted
 * and what /proc said at its start and end, turned into rates, CPU per message and the ratios against the
 * gateway's own figures. No I/O here, so that every line of the table is unit-tested.
 */
final class BrokerReport {

    /** Steal from this many cores on during a phase makes its CPU figures unreliable (as in run.sh's results). */
    static final double STEAL_WARNING_CORES = 0.05;

    // the run's settings
    /** Threads that hand messages to the intake and wait for their commit, as the webhooks' threads do. */
    int producers;
    /** gateway.intake.max-batch: the most calls one intake commit takes. */
    int maxBatch;
    int crmConsumers;
    int prefetch;
    int maxInFlight;
    double warmupSeconds;
    int messageBytes;
    String messageSource = "";
    String typeQueue = "";

    // counted over the measured phase
    double seconds;
    /** Calls (webhooks) whose messages the intake committed. */
    long accepted;
    /** Intake commits, each for every call waiting at its moment. */
    long commits;
    /** Time from each intake batch's first send to the end of its commit, summed. */
    long commitNanos;
    /** The most calls one intake commit carried. */
    int largestBatch;
    /** Messages through the CRM stage: read from the outbox and committed. */
    long completed;
    long failedCalls;
    long failedBatches;
    /** Messages between their hand-over to the intake and their CRM commit when the phase ended. */
    long inFlightAtEnd;
    /** Each accepted call's wait for its commit, ns, sorted. */
    long[] commitWaitNanos = new long[0];

    // /proc over the measured phase: ticks of CLK_TCK
    int clkTck = 100;
    long brokerTicks;
    long loadTicks;
    long machineBusyTicks;
    long stealTicks;
    /** The broker JVM's VmHWM, KiB. */
    long brokerPeakRssKiB;
    String loadAverageStart = "?";
    String loadAverageEnd = "?";
    int cores;

    // the gateway's figures, from bench/README.md's "Latest figures" (broker.sh's knobs)
    double gatewayCrmRate;
    double gatewayCpuMs;
    double gatewayBrokerCpuMs;

    double endToEndRate() {
        return seconds > 0 ? completed / seconds : Double.NaN;
    }

    double intakeRate() {
        return seconds > 0 ? accepted / seconds : Double.NaN;
    }

    double commitRate() {
        return seconds > 0 ? commits / seconds : Double.NaN;
    }

    /** Webhooks one intake commit served, on average. */
    double callsPerCommit() {
        return commits > 0 ? accepted / (double) commits : Double.NaN;
    }

    /** An intake batch's sends and commit, mean, ms. */
    double commitMs() {
        return commits > 0 ? commitNanos / 1e6 / commits : Double.NaN;
    }

    /** A webhook's wait for its commit (queued behind the batch being written, then its own batch), ms. */
    double commitWaitMs(double quantile) {
        return Numbers.pctl(commitWaitNanos, quantile) / 1e6;
    }

    /** The broker JVM's CPU (user + system) per message through the intake and the CRM stage. */
    double brokerCpuMsPerMessage() {
        return completed > 0 ? ticksToMs(brokerTicks) / completed : Double.NaN;
    }

    double loadCpuMsPerMessage() {
        return completed > 0 ? ticksToMs(loadTicks) / completed : Double.NaN;
    }

    double brokerCores() {
        return cores(brokerTicks);
    }

    double loadCores() {
        return cores(loadTicks);
    }

    double stealCores() {
        return cores(stealTicks);
    }

    double machineBusyCores() {
        return cores(machineBusyTicks);
    }

    /** Messages/s one core of broker CPU carries end to end, at the measured CPU per message. */
    double messagesPerBrokerCore() {
        double ms = brokerCpuMsPerMessage();
        return ms > 0 ? 1000 / ms : Double.NaN;
    }

    /** What the gateway's own CPU per message end to end allows on this machine's cores (broker inside). */
    double gatewayCpuBoundRate() {
        return gatewayCpuMs > 0 && cores > 0 ? cores * 1000 / gatewayCpuMs : Double.NaN;
    }

    /** The in-flight limit held the producers back: the CRM stage, not the intake, set the rate. */
    boolean intakeWaited() {
        return maxInFlight > 0 && inFlightAtEnd >= 0.9 * maxInFlight;
    }

    boolean stealWarning() {
        return stealCores() >= STEAL_WARNING_CORES;
    }

    private double ticksToMs(long ticks) {
        return ticks * 1000.0 / clkTck;
    }

    private double cores(long ticks) {
        return seconds > 0 && ticks >= 0 ? ticks / (double) clkTck / seconds : Double.NaN;
    }

    static String ratio(double a, double b) {
        return b > 0 && !Double.isNaN(a) ? fmt(a / b) + " ×" : "n/a";
    }

    /** The results table and the notes under it (Markdown). */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append("| metric | figure |\n|---|---:|\n");
        row(out, "messages/s carried end to end (intake committed, then read from the CRM outbox and committed)",
                fmt0(endToEndRate()));
        row(out, "webhooks/s accepted (their two copies committed; " + producers + " producer threads)",
                fmt0(intakeRate()));
        row(out, "intake commits/s (webhooks per commit: mean / largest, at most " + maxBatch + ")",
                fmt0(commitRate()) + " (" + fmt(callsPerCommit()) + " / " + fmt0(largestBatch) + ")");
        row(out, "intake batch's sends and commit, mean", ms(commitMs()) + " ms");
        row(out, "a webhook's wait for its commit, p50 / p99", ms(commitWaitMs(0.50)) + " / "
                + ms(commitWaitMs(0.99)) + " ms");
        row(out, "broker JVM CPU per message end to end", ms(brokerCpuMsPerMessage()) + " ms ("
                + fmt(brokerCores()) + " cores)");
        row(out, "messages/s per core of broker CPU", fmt0(messagesPerBrokerCore()));
        row(out, "load JVM CPU per message", ms(loadCpuMsPerMessage()) + " ms (" + fmt(loadCores()) + " cores)");
        row(out, "peak RSS of the broker JVM (VmHWM)", fmt0(brokerPeakRssKiB / 1024.0) + " MiB");
        row(out, "steal during the phase", fmt(stealCores()) + " cores" + (stealWarning() ? " **(steal: figures unreliable)**" : ""));
        row(out, "machine busy during the phase (all processes, steal included)", fmt(machineBusyCores())
                + " of " + cores + " cores");
        row(out, "load average at the phase's start / end", loadAverageStart + " / " + loadAverageEnd);
        row(out, "broker alone ÷ gateway's end-to-end capacity at saturation (" + fmt0(gatewayCrmRate) + "/s)",
                ratio(endToEndRate(), gatewayCrmRate));
        row(out, "broker alone ÷ gateway's CPU-bound end-to-end capacity (" + cores + " cores ÷ " + ms(gatewayCpuMs)
                + " ms = " + fmt0(gatewayCpuBoundRate()) + "/s)", ratio(endToEndRate(), gatewayCpuBoundRate()));
        row(out, "broker alone CPU per message ÷ the broker's share inside the gateway (" + ms(gatewayBrokerCpuMs)
                + " ms)", ratio(brokerCpuMsPerMessage(), gatewayBrokerCpuMs));
        out.append('\n');
        out.append("- Phase: ").append(fmt(seconds)).append(" s measured after ").append(fmt0(warmupSeconds))
                .append(" s of warm-up; ").append(fmt0(accepted)).append(" accepted in ").append(fmt0(commits))
                .append(" intake commits, ").append(fmt0(completed)).append(" through the CRM stage (")
                .append(crmConsumers).append(" consumers on one connection, prefetch ").append(prefetch)
                .append("); ").append(fmt0(failedCalls)).append(" failed call(s) in ").append(fmt0(failedBatches))
                .append(" failed batch(es); ").append(fmt0(inFlightAtEnd))
                .append(" in flight at the end (at most ").append(fmt0(maxInFlight)).append(")")
                .append(intakeWaited() ? ": the producers waited for the CRM stage, which set the rate.\n"
                        : ".\n");
        out.append("- Message: ").append(messageSource).append(", ").append(fmt0(messageBytes))
                .append(" bytes of UTF-8 text, to `").append(typeQueue).append("` and `")
                .append(BrokerBench.CRM_OUTBOX).append("`.\n");
        if (stealWarning()) {
            out.append("- **Steal of ").append(fmt(stealCores())).append(" cores (≥ ").append(fmt(STEAL_WARNING_CORES))
                    .append("): the hypervisor took CPU from this VM; the CPU and rate figures do not compare.**\n");
        }
        return out.toString();
    }

    /** The figures as key=value lines, for scripts. */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("e2e-per-second", fmt(endToEndRate()));
        p.put("intake-per-second", fmt(intakeRate()));
        p.put("commits-per-second", fmt(commitRate()));
        p.put("webhooks-per-commit", fmt(callsPerCommit()));
        p.put("commit-wait-p99-ms", fmt(commitWaitMs(0.99)));
        p.put("broker-cpu-ms-per-message", fmt(brokerCpuMsPerMessage()));
        p.put("load-cpu-ms-per-message", fmt(loadCpuMsPerMessage()));
        p.put("broker-peak-rss-mib", fmt(brokerPeakRssKiB / 1024.0));
        p.put("steal-cores", fmt(stealCores()));
        return p;
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : fmt(v);
    }

    private static void row(StringBuilder out, String metric, String figure) {
        out.append("| ").append(metric).append(" | ").append(figure).append(" |\n");
    }

    private static final Pattern FIELD = Pattern.compile("\"(provider|kind|type|id)\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern CHAT_ID = idOf("chat");
    private static final Pattern SENDER_ID = idOf("sender");
    private static final Pattern MEDIA = Pattern.compile("\"media\"\\s*:\\s*\\{");

    /** The "id" of a JSON object under this name, among its plain fields. */
    private static Pattern idOf(String object) {
        return Pattern.compile("\"" + object + "\"\\s*:\\s*\\{[^{}]*?\"id\"\\s*:\\s*\"([^\"]*)\"");
    }

    /**
     * The fields the gateway takes from a canonical message for its JMS properties (messageProperties), read
     * from its JSON: the first "provider", "kind", "type" and "id" at any depth (the canonical fields come
     * first, before "raw"), "chat"."id" as chatId and "sender"."id" as senderId, the last two only when there.
     */
    static Map<String, String> properties(String canonicalJson) {
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(canonicalJson);
        while (m.find()) {
            p.putIfAbsent(m.group(1), m.group(2));
        }
        for (String key : new String[] {"provider", "kind", "type", "id"}) {
            if (!p.containsKey(key)) {
                throw new IllegalArgumentException("no \"" + key + "\" in the canonical message");
            }
        }
        Matcher chat = CHAT_ID.matcher(canonicalJson);
        if (chat.find()) {
            p.put("chatId", chat.group(1));
        }
        Matcher sender = SENDER_ID.matcher(canonicalJson);
        if (sender.find()) {
            p.put("senderId", sender.group(1));
        }
        return p;
    }

    /**
     * The JMS properties of both copies (routing/IntakeDestinations): the message's headers other than
     * JMSCorrelationID, a header without a value set none. In the order of Camel's headers (case-insensitive).
     */
    static Map<String, Object> jmsProperties(Map<String, String> fields) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (String key : new String[] {"chatId", "kind", "provider", "senderId", "type"}) {
            if (fields.get(key) != null) {
                p.put(key, fields.get(key));
            }
        }
        return Collections.unmodifiableMap(p);
    }

    /**
     * A message with an attachment goes to the media queue at intake, not to its type queue and the CRM outbox:
     * this load does not model it. A "media" object among the canonical fields (before "raw") marks one.
     */
    static void refuseAttachment(String canonicalJson) {
        int raw = canonicalJson.indexOf("\"raw\"");
        if (MEDIA.matcher(raw < 0 ? canonicalJson : canonicalJson.substring(0, raw)).find()) {
            throw new IllegalArgumentException("the canonical message has an attachment (the media queue's load)");
        }
    }

    /** The queue the gateway routes a message to by its kind and type (QueueRouter at gateway.routing.*'s defaults). */
    static String typeQueue(String kind, String type) {
        if (type == null || type.isBlank() || "unknown".equals(type)) {
            return "whatsapp.in.unknown";
        }
        if ("status".equals(kind)) {
            return "whatsapp.status";
        }
        if ("event".equals(kind)) {
            return "whatsapp.events";
        }
        return "whatsapp.in." + type;
    }
}
