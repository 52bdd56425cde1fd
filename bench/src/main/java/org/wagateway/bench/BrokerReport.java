package org.wagateway.bench;

import static org.wagateway.bench.Numbers.fmt;
import static org.wagateway.bench.Numbers.fmt0;

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
    int producers;
    int dispatchConsumers;
    int crmConsumers;
    int maxInFlight;
    double warmupSeconds;
    int messageBytes;
    String messageSource = "";

    // counted over the measured phase
    double seconds;
    long sent;
    long dispatched;
    long completed;
    long failedSends;
    /** Messages sent but not through the CRM hop when the phase ended. */
    long inFlightAtEnd;

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
        return seconds > 0 ? sent / seconds : Double.NaN;
    }

    /** The broker JVM's CPU (user + system) per message that went through all three hops. */
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

    /** The in-flight limit held the producers back: the consumers' hops, not the intake, set the rate. */
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
        row(out, "messages/s carried end to end (all three hops committed)", fmt0(endToEndRate()));
        row(out, "intake sends/s (synchronous persistent, " + producers + " producer connections)",
                fmt0(intakeRate()));
        row(out, "dispatch hops/s (read + 2 sends + commit, " + dispatchConsumers + " consumers)",
                fmt0(seconds > 0 ? dispatched / seconds : Double.NaN));
        row(out, "broker JVM CPU per message end to end", ms(brokerCpuMsPerMessage()) + " ms ("
                + fmt(brokerCores()) + " cores)");
        row(out, "messages/s per core of broker CPU", fmt0(messagesPerBrokerCore()));
        row(out, "load JVM CPU per message", ms(loadCpuMsPerMessage()) + " ms (" + fmt(loadCores()) + " cores)");
        row(out, "peak RSS of the broker JVM (VmHWM)", fmt0(brokerPeakRssKiB / 1024.0) + " MiB");
        row(out, "steal during the phase", fmt(stealCores()) + " cores" + (stealWarning() ? " **(steal: figures unreliable)**" : ""));
        row(out, "machine busy during the phase (all processes, steal included)", fmt(machineBusyCores())
                + " of " + cores + " cores");
        row(out, "load average at the phase's start / end", loadAverageStart + " / " + loadAverageEnd);
        row(out, "broker alone ÷ gateway's messages/s reaching the CRM at saturation (" + fmt0(gatewayCrmRate)
                + "/s)", ratio(endToEndRate(), gatewayCrmRate));
        row(out, "broker alone ÷ gateway's CPU-bound end-to-end capacity (" + cores + " cores ÷ " + ms(gatewayCpuMs)
                + " ms = " + fmt0(gatewayCpuBoundRate()) + "/s)", ratio(endToEndRate(), gatewayCpuBoundRate()));
        row(out, "broker alone CPU per message ÷ the broker's share inside the gateway (" + ms(gatewayBrokerCpuMs)
                + " ms)", ratio(brokerCpuMsPerMessage(), gatewayBrokerCpuMs));
        out.append('\n');
        out.append("- Phase: ").append(fmt(seconds)).append(" s measured after ").append(fmt0(warmupSeconds))
                .append(" s of warm-up; ").append(fmt0(sent)).append(" sent, ").append(fmt0(dispatched))
                .append(" dispatched, ").append(fmt0(completed)).append(" through the CRM hop; ")
                .append(fmt0(failedSends)).append(" failed send(s); ").append(fmt0(inFlightAtEnd))
                .append(" in flight at the end (at most ").append(fmt0(maxInFlight)).append(")")
                .append(intakeWaited() ? ": the producers waited for the consumers, whose hops set the rate.\n"
                        : ".\n");
        out.append("- Message: ").append(messageSource).append(", ").append(fmt0(messageBytes))
                .append(" bytes of UTF-8 text.\n");
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
    private static final Pattern CHAT_ID = Pattern.compile("\"chat\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*\"([^\"]*)\"");

    /**
     * The JMS properties the gateway sets on a canonical message (messageProperties), read from its JSON: the
     * first "provider", "kind", "type" and "id" at any depth (the canonical fields come first, before "raw"), and
     * "chat"."id" as chatId.
     */
    static Map<String, String> properties(String canonicalJson) {
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(canonicalJson);
        while (m.find()) {
            p.putIfAbsent(m.group(1), m.group(2));
        }
        Matcher chat = CHAT_ID.matcher(canonicalJson);
        if (chat.find()) {
            p.put("chatId", chat.group(1));
        }
        for (String key : new String[] {"provider", "kind", "type", "id", "chatId"}) {
            if (!p.containsKey(key)) {
                throw new IllegalArgumentException("no \"" + key + "\" in the canonical message");
            }
        }
        return p;
    }

    /** The type queue dispatch sends a message of this type to (gateway.queues.message-queue's default). */
    static String typeQueue(String type) {
        return "whatsapp.in." + type;
    }
}
