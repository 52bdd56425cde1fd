package org.wagateway.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's CPU split by stage: the {@code cpu=} of every thread in two {@code jcmd <pid> Thread.print} dumps
 * (JDK 17), the difference per thread, grouped by thread name into the stages a message passes.
 */
final class ThreadCpu {

    /*
     * The gateway's queue names at their defaults (gateway.queues.*): the benchmark does not change them, and the
     * consumers' threads carry them in their names ("Camel (camel-1) thread #12 - JmsConsumer[whatsapp.gateway.ingest]").
     */
    static final String INGEST_QUEUE = "whatsapp.gateway.ingest";
    static final String MEDIA_QUEUE = "whatsapp.gateway.media";
    static final String CRM_QUEUE = "whatsapp.gateway.crm";

    /** The stages, in the order a message meets them, then the JVM's own work. */
    enum Stage {
        WEBHOOKS("webhooks (Tomcat)"),
        INTAKE("intake commit"),
        DISPATCH("dispatch"),
        MEDIA("media"),
        CRM("CRM delivery"),
        BROKER("broker"),
        TRACE("trace"),
        ID_STORE("id store (H2, Hikari)"),
        GC("GC (VM Thread)"),
        JIT("JIT"),
        OTHER("other");

        final String label;

        Stage(String label) {
            this.label = label;
        }
    }

    /** One thread of a dump: the key it is matched by across dumps, its name, its CPU time so far. */
    record Sample(String key, String name, double cpuMs) {
    }

    /*
     * A thread's header line. Java threads: "name" #45 daemon prio=5 os_prio=0 cpu=1234.56ms elapsed=78.90s tid=...
     * nid=0x1a2b ...; VM threads (GC, compiler, VM Thread) have no #N: "VM Thread" os_prio=0 cpu=12.30ms ... nid=...
     * A name may itself hold '#' or '"' (Camel's "thread #12"): the name ends at the last quote of the line, the
     * fields after it have none.
     */
    private static final Pattern HEADER = Pattern.compile("^\"(.*)\"\\s+(.*)$");
    private static final Pattern ID = Pattern.compile("^#(\\d+)\\s");
    private static final Pattern CPU = Pattern.compile("(?:^|\\s)cpu=([0-9]+(?:\\.[0-9]+)?)ms\\b");
    private static final Pattern NID = Pattern.compile("(?:^|\\s)nid=(\\S+)");

    private ThreadCpu() {
    }

    /** Every thread of a Thread.print output that reports its CPU time, by key (#N and name, or name and nid). */
    static Map<String, Sample> parse(String dump) {
        Map<String, Sample> threads = new LinkedHashMap<>();
        if (dump == null) {
            return threads;
        }
        for (String line : dump.split("\r?\n")) {
            if (!line.startsWith("\"")) {
                continue;
            }
            Matcher header = HEADER.matcher(line);
            if (!header.matches()) {
                continue;
            }
            String name = header.group(1);
            String fields = header.group(2);
            Matcher cpu = CPU.matcher(fields);
            if (!cpu.find()) {
                continue; // a JVM that cannot measure thread CPU time prints none
            }
            Matcher id = ID.matcher(fields);
            Matcher nid = NID.matcher(fields);
            String key = id.find() ? "#" + id.group(1) + " " + name : name + " nid=" + (nid.find() ? nid.group(1) : "?");
            threads.put(key, new Sample(key, name, Double.parseDouble(cpu.group(1))));
        }
        return threads;
    }

    /** The stage a thread's CPU counts to, by its name. */
    static Stage stage(String name) {
        if (name.startsWith("http-nio-")) {
            return Stage.WEBHOOKS; // request threads (…-exec-N), the poller and the acceptor
        }
        if (name.equals("gateway-intake-writer")) {
            return Stage.INTAKE;
        }
        if (name.contains("JmsConsumer[" + INGEST_QUEUE + "]")) {
            return Stage.DISPATCH;
        }
        if (name.contains("JmsConsumer[" + MEDIA_QUEUE + "]")) {
            return Stage.MEDIA; // the download runs on the consumer's thread (a blocking HTTP client)
        }
        if (name.contains("JmsConsumer[" + CRM_QUEUE + "]")) {
            return Stage.CRM;
        }
        if (name.startsWith("ActiveMQ") || name.startsWith("JobScheduler:")) {
            return Stage.BROKER; // the JMS client's session tasks too; JobScheduler: the broker's scheduler store
        }
        if (name.equals("gateway-trace-writer")) {
            return Stage.TRACE;
        }
        if (name.startsWith("MVStore") || name.startsWith("HN-") || name.startsWith("H2-") || name.startsWith("H2 ")
                || name.startsWith("HikariPool") || name.equals("gateway-ids-purge")) {
            return Stage.ID_STORE;
        }
        // with the serial collector (jvm.options) every collection runs in the VM Thread, beside the JVM's other
        // safepoint operations (the dumps themselves among them)
        if (name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")
                || name.startsWith("Serial")) {
            return Stage.GC;
        }
        if (name.startsWith("C1 CompilerThread") || name.startsWith("C2 CompilerThread")
                || name.equals("Sweeper thread")) {
            return Stage.JIT;
        }
        return Stage.OTHER;
    }

    /** The CPU time each thread used between two dumps; a thread born in between counts from 0. */
    static Split split(Map<String, Sample> before, Map<String, Sample> after, long messages) {
        Map<Stage, Double> byStage = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            byStage.put(s, 0.0);
        }
        List<Sample> others = new ArrayList<>();
        int born = 0;
        for (Sample a : after.values()) {
            Sample b = before.get(a.key());
            if (b == null) {
                born++;
            }
            double delta = Math.max(0, a.cpuMs() - (b == null ? 0 : b.cpuMs()));
            Stage stage = stage(a.name());
            byStage.merge(stage, delta, Double::sum);
            if (stage == Stage.OTHER && delta > 0) {
                others.add(new Sample(a.key(), a.name(), delta));
            }
        }
        int ended = 0;
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                ended++;
            }
        }
        others.sort(Comparator.comparingDouble(Sample::cpuMs).reversed());
        return new Split(byStage, List.copyOf(others), born, ended, messages, after.size());
    }

    /**
     * The CPU of the threads between the dumps, by stage.
     *
     * @param byStage  CPU ms of each stage's threads
     * @param others   the threads of {@link Stage#OTHER} with their CPU ms, most first
     * @param born     threads in the second dump only (counted from 0)
     * @param ended    threads in the first dump only (their CPU after the first dump is missing)
     * @param messages the messages the CPU is divided by
     * @param threads  threads in the second dump
     */
    record Split(Map<Stage, Double> byStage, List<Sample> others, int born, int ended, long messages, int threads) {

        double totalMs() {
            return byStage.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double perMessage(double ms) {
            return messages > 0 ? ms / messages : Double.NaN;
        }

        /**
         * The markdown table: stage, CPU ms per message, share of the threads' sum; then the sum against the
         * process's CPU per message from /proc over the phase ({@code procMsPerMessage}, NaN when unknown).
         */
        String table(double procMsPerMessage) {
            double total = totalMs();
            StringBuilder t = new StringBuilder();
            t.append("| stage | CPU ms per message | share |\n");
            t.append("|---|---:|---:|\n");
            for (Map.Entry<Stage, Double> e : byStage.entrySet()) {
                t.append("| ").append(e.getKey().label).append(" | ").append(ms3(perMessage(e.getValue())))
                        .append(" | ").append(total > 0 ? String.format(Locale.ROOT, "%.0f %%", 100 * e.getValue() / total)
                                : "n/a").append(" |\n");
            }
            t.append("| **sum of the threads** | **").append(ms3(perMessage(total))).append("** | 100 % |\n");
            t.append('\n').append(comparison(procMsPerMessage)).append('\n');
            return t.toString();
        }

        /** The threads' sum against the /proc figure, and what the dumps cannot see. */
        String comparison(double procMsPerMessage) {
            double sum = perMessage(totalMs());
            StringBuilder s = new StringBuilder();
            s.append("Sum of the threads ").append(ms3(sum)).append(" ms per message");
            if (!Double.isNaN(procMsPerMessage) && procMsPerMessage > 0) {
                s.append(String.format(Locale.ROOT, " against %s ms of the whole process (/proc) over the phase: %.0f %%",
                        ms3(procMsPerMessage), 100 * sum / procMsPerMessage));
            }
            s.append(String.format(Locale.ROOT, "; %d threads in the second dump, %d of them born during the phase "
                    + "(counted from 0); %d thread(s) ended during the phase and are missing from the second dump "
                    + "(their CPU is in the /proc figure only).", threads, born, ended));
            return s.toString();
        }

        /** The top {@code n} threads of "other", e.g. "Attach Listener 0.012 ms, ...". */
        String topOthers(int n) {
            if (others.isEmpty()) {
                return "none";
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(n, others.size()); i++) {
                Sample o = others.get(i);
                s.append(i == 0 ? "" : ", ").append('`').append(printable(o.name())).append("` ")
                        .append(ms3(perMessage(o.cpuMs()))).append(" ms");
            }
            return s.toString();
        }
    }

    /** Three decimals: the stages' figures are fractions of a millisecond. */
    static String ms3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A thread name as the results file may show it: no file system paths (a store's thread names its file). */
    static String printable(String name) {
        return name.replaceAll("(?<=[\\s:(\\[=])/(?!/)[^\\s\\]]*", "…").replace('`', '\'');
    }
}
