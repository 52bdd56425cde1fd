package org.wagateway.bench;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the saturation phase's flight recording and prints a markdown summary: where the gateway's CPU goes
 * (by thread, by component, by method), what its threads wait for (locks, parking, fsync), GC, CPU load, and a
 * first guess at the bottleneck.
 *
 * <pre>
 *   JfrSummary jfc IN.jfc OUT.jfc        profile settings with low thresholds for fsync, locks and parking
 *   JfrSummary summary FILE.jfr OUT.md
 * </pre>
 */
public final class JfrSummary {

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("jfc")) {
            String jfc = Files.readString(Path.of(args[1]));
            jfc = threshold(jfc, "jdk.FileForce", "0 ms");
            jfc = threshold(jfc, "jdk.JavaMonitorEnter", "1 ms");
            jfc = threshold(jfc, "jdk.JavaMonitorWait", "1 ms");
            jfc = threshold(jfc, "jdk.ThreadPark", "1 ms");
            jfc = setting(jfc, "jdk.ThreadCPULoad", "period", "1 s");
            Files.writeString(Path.of(args[2]), jfc);
        } else {
            Files.writeString(Path.of(args[2]), summary(Path.of(args[1])));
        }
    }

    private static String threshold(String jfc, String event, String value) {
        return setting(jfc, event, "threshold", value);
    }

    private static String setting(String jfc, String event, String name, String value) {
        Pattern p = Pattern.compile("(<event name=\"" + Pattern.quote(event)
                + "\">.*?<setting name=\"" + name + "\"[^>]*>)[^<]*(</setting>)", Pattern.DOTALL);
        Matcher m = p.matcher(jfc);
        return m.find() ? m.replaceFirst(Matcher.quoteReplacement(m.group(1) + value + m.group(2))) : jfc;
    }

    // --------------------------------------------------------------------------------------------- summary

    private static final String[][] COMPONENTS = {
        {"org.apache.activemq.store", "ActiveMQ KahaDB store"},
        {"org.apache.activemq.util.", "ActiveMQ broker/client"},
        {"org.apache.activemq", "ActiveMQ broker/client"},
        {"org.messaginghub.pooled.jms", "pooled-jms"},
        {"org.springframework.jms", "Spring JMS listener"},
        {"org.h2", "H2 (idempotency store)"},
        {"com.zaxxer.hikari", "HikariCP"},
        {"com.networknt", "JSON Schema validator"},
        {"com.fasterxml.jackson", "Jackson"},
        {"org.apache.catalina", "Tomcat"},
        {"org.apache.coyote", "Tomcat"},
        {"org.apache.tomcat", "Tomcat"},
        {"org.springframework.security", "Spring Security"},
        {"org.springframework", "Spring (other)"},
        {"org.apache.camel", "Camel"},
        {"org.apache.hc", "Apache HttpClient (CRM, media)"},
        {"io.micrometer", "Micrometer"},
        {"ch.qos.logback", "Logging"},
        {"org.slf4j", "Logging"},
        {"org.apache.logging", "Logging"},
        {"org.wagateway", "Gateway code"},
        {"io.hawt", "Hawtio/Jolokia"},
        {"org.jolokia", "Hawtio/Jolokia"},
    };

    private static final int STACK_DEPTH = 18;

    private static boolean isJdk(String cls) {
        return cls.startsWith("java.") || cls.startsWith("javax.") || cls.startsWith("jdk.") || cls.startsWith("sun.")
                || cls.startsWith("com.sun.");
    }

    static String component(String cls) {
        for (String[] c : COMPONENTS) {
            if (cls.startsWith(c[0])) {
                return c[1];
            }
        }
        String[] parts = cls.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : cls;
    }

    private static String cls(RecordedFrame f) {
        return f.getMethod() == null ? "?" : f.getMethod().getType().getName();
    }

    private static String method(RecordedFrame f) {
        if (f.getMethod() == null) {
            return "?";
        }
        String c = f.getMethod().getType().getName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    /** The first frame from the top outside the JDK, or the top frame. */
    private static RecordedFrame firstOwnFrame(RecordedStackTrace st) {
        if (st == null || st.getFrames().isEmpty()) {
            return null;
        }
        for (RecordedFrame f : st.getFrames()) {
            if (f.isJavaFrame() && !isJdk(cls(f))) {
                return f;
            }
        }
        return st.getFrames().get(0);
    }

    static String threadGroup(RecordedThread t) {
        if (t == null) {
            return "?";
        }
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        if (name == null) {
            return "?";
        }
        if (name.startsWith("http-nio-") && name.contains("-exec-")) {
            return "webhook: Tomcat http-nio exec";
        }
        if (name.matches("task-\\d+")) {
            return "webhook: task-N (Spring task executor, platform-http)";
        }
        // a thread named after a file (H2's writer) would name the run's temporary folder
        return name.replaceAll("\\S*/data/", "<data>/").replaceAll("\\d+", "N");
    }

    private static boolean idle(RecordedStackTrace st) {
        if (st == null) {
            return false;
        }
        for (RecordedFrame f : st.getFrames()) {
            String m = cls(f) + "." + (f.getMethod() == null ? "" : f.getMethod().getName());
            if (m.contains("TaskQueue.") || m.contains("ThreadPoolExecutor.getTask")
                    || m.contains("ScheduledThreadPoolExecutor$DelayedWorkQueue.take")
                    || m.contains("MessageDispatchChannel.dequeue") || m.contains("ForkJoinPool.awaitWork")
                    || m.contains("Thread.sleep") || m.contains("TimerThread.mainLoop")
                    || m.contains("ReferenceQueue.remove") || m.contains("NioEndpoint$Poller.run")
                    || m.contains("TcpTransportServer$1.run") || m.contains("BackgroundWriterThread.run")
                    || m.contains("DataFileAppender.processQueue") || m.contains("Acceptor.run")
                    || m.contains("Checkpoint") || m.contains("SchedulerTimerTask") || m.contains("Scheduler.run")) {
                return true;
            }
        }
        return false;
    }

    static final class Agg {
        long count;
        long nanos;
    }

    private static <K> void add(Map<K, Agg> map, K key, long nanos) {
        Agg a = map.computeIfAbsent(key, k -> new Agg());
        a.count++;
        a.nanos += nanos;
    }

    static String summary(Path file) throws IOException {
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        long samples = 0;
        Map<String, Agg> byThread = new HashMap<>();
        Map<String, Agg> byComponent = new HashMap<>();
        Map<String, Agg> byMethod = new HashMap<>();
        Map<String, Agg> byStack = new HashMap<>();
        Map<String, double[]> threadCpu = new HashMap<>();
        java.util.Set<Long> cpuRounds = new java.util.HashSet<>();
        Map<String, Agg> inclusive = new HashMap<>();
        Map<String, Agg> waitsWebhook = new HashMap<>();
        Map<String, Agg> waitsOther = new HashMap<>();
        Map<String, Agg> locks = new HashMap<>();
        Map<String, Agg> fsyncByPath = new HashMap<>();
        Map<String, Agg> fsyncByThread = new HashMap<>();
        long fsyncCount = 0;
        long fsyncNanos = 0;
        long fsyncMax = 0;
        long gcCount = 0;
        long gcPauseNanos = 0;
        long gcMaxPause = 0;
        long heapUsedMax = 0;
        double cpuJvm = 0;
        double cpuMachine = 0;
        long cpuN = 0;
        long threadsMax = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            first = Math.min(first, e.getStartTime().toEpochMilli());
            last = Math.max(last, e.getEndTime().toEpochMilli());
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    RecordedStackTrace st = e.getStackTrace();
                    add(byThread, threadGroup(e.getThread("sampledThread")), 0);
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    add(byMethod, method(st.getFrames().get(0)), 0);
                    StringBuilder stack = new StringBuilder();
                    int depth = 0;
                    for (RecordedFrame f : st.getFrames()) {
                        if (depth++ == STACK_DEPTH) {
                            break;
                        }
                        stack.append(method(f)).append('\n');
                    }
                    add(byStack, stack.toString(), 0);
                    RecordedFrame own = firstOwnFrame(st);
                    add(byComponent, own == null ? "?" : (isJdk(cls(own)) ? "JDK only" : component(cls(own))), 0);
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (RecordedFrame f : st.getFrames()) {
                        String c = cls(f);
                        if (!isJdk(c)) {
                            seen.add(component(c));
                        }
                    }
                    for (String c : seen) {
                        add(inclusive, c, 0);
                    }
                }
                case "jdk.ThreadPark", "jdk.JavaMonitorWait", "jdk.JavaMonitorEnter", "jdk.SocketRead",
                        "jdk.FileForce" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    long d = e.getDuration().toNanos();
                    String kind = switch (type) {
                        case "jdk.ThreadPark" -> "park";
                        case "jdk.JavaMonitorWait" -> "Object.wait";
                        case "jdk.JavaMonitorEnter" -> "lock";
                        case "jdk.SocketRead" -> "socket read";
                        default -> "fsync";
                    };
                    if (type.equals("jdk.JavaMonitorEnter")) {
                        RecordedClass mc = e.getClass("monitorClass");
                        RecordedFrame own = firstOwnFrame(st);
                        add(locks, (mc == null ? "?" : mc.getName()) + " at " + (own == null ? "?" : method(own)), d);
                    }
                    if (type.equals("jdk.FileForce")) {
                        fsyncCount++;
                        fsyncNanos += d;
                        fsyncMax = Math.max(fsyncMax, d);
                        String path = e.getString("path");
                        add(fsyncByPath, path == null ? "?" : path.replaceAll(".*/data/", "<data>/"), d);
                        add(fsyncByThread, threadGroup(e.getThread()), d);
                    }
                    if (idle(st)) {
                        continue;
                    }
                    RecordedFrame own = firstOwnFrame(st);
                    String site = kind + " in " + (own == null ? "?" : method(own));
                    String group = threadGroup(e.getThread());
                    if (group.startsWith("webhook:")) {
                        add(waitsWebhook, group.substring(9) + ": " + site, d);
                    } else {
                        add(waitsOther, group + ": " + site, d);
                    }
                }
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    long p = e.getDuration("sumOfPauses").toNanos();
                    gcPauseNanos += p;
                    gcMaxPause = Math.max(gcMaxPause, e.getDuration("longestPause").toNanos());
                }
                case "jdk.GCHeapSummary" -> heapUsedMax = Math.max(heapUsedMax, e.getLong("heapUsed"));
                case "jdk.CPULoad" -> {
                    cpuJvm += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                    cpuMachine += e.getFloat("machineTotal");
                    cpuN++;
                }
                case "jdk.ThreadCPULoad" -> {
                    cpuRounds.add(e.getStartTime().toEpochMilli() / 200);
                    threadCpu.computeIfAbsent(threadGroup(e.getThread()), k -> new double[1])[0] +=
                            e.getFloat("user") + e.getFloat("system");
                }
                case "jdk.JavaThreadStatistics" -> threadsMax = Math.max(threadsMax, e.getLong("activeCount"));
                default -> {
                }
            }
        }
        double seconds = Math.max(1, last - first) / 1000.0;
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Recording: %s, %.0f s, %d execution samples.%n%n",
                file.getFileName(), seconds, samples));
        if (cpuN > 0) {
            s.append(String.format(Locale.ROOT,
                    "CPU load (JFR, share of all %d cores): gateway JVM %.0f %%, whole machine %.0f %%.%n",
                    cores, 100 * cpuJvm / cpuN, 100 * cpuMachine / cpuN));
        }
        s.append(String.format(Locale.ROOT, "GC: %d collections, %.0f ms paused in total (%.1f %% of the time), "
                + "longest pause %.1f ms, heap used at most %d MiB. Live threads at most %d.%n",
                gcCount, gcPauseNanos / 1e6, 100 * gcPauseNanos / 1e9 / seconds, gcMaxPause / 1e6,
                heapUsedMax >> 20, threadsMax));
        s.append(String.format(Locale.ROOT, "fsync (jdk.FileForce, every call): %d calls (%.0f/s), %.0f ms in "
                + "total, mean %.2f ms, max %.1f ms.%n%n", fsyncCount, fsyncCount / seconds, fsyncNanos / 1e6,
                fsyncCount == 0 ? 0 : fsyncNanos / 1e6 / fsyncCount, fsyncMax / 1e6));

        if (!threadCpu.isEmpty() && !cpuRounds.isEmpty()) {
            s.append("**CPU time by Java thread (jdk.ThreadCPULoad, in cores; JIT compiler threads included, GC "
                    + "threads not)**\n\n| thread (digits as N) | cores |\n|---|---:|\n");
            List<Map.Entry<String, double[]>> tc = new ArrayList<>(threadCpu.entrySet());
            tc.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed());
            double rest = 0;
            for (int i = 0; i < tc.size(); i++) {
                double coresUsed = tc.get(i).getValue()[0] / cpuRounds.size() * cores;
                if (i < 10) {
                    s.append(String.format(Locale.ROOT, "| %s | %.2f |%n", tc.get(i).getKey().replace("|", "\\|"),
                            coresUsed));
                } else {
                    rest += coresUsed;
                }
            }
            s.append(String.format(Locale.ROOT, "| (all other threads) | %.2f |%n%n", rest));
        }
        table(s, "CPU samples by thread", "thread (digits as N)", byThread, samples, 10, false);
        table(s, "CPU samples by component (the first frame outside the JDK, i.e. the component plus the JDK code "
                + "it calls)", "component", byComponent, samples, 12, false);
        table(s, "Components anywhere on the sampled stack (inclusive)", "component", inclusive, samples, 12, false);
        table(s, "Hot methods (top frame)", "method", byMethod, samples, 15, false);
        List<Map.Entry<String, Agg>> stacks = sorted(byStack, false);
        s.append("**The most frequent stacks (top ").append(STACK_DEPTH).append(" frames)**\n\n");
        for (int i = 0; i < Math.min(2, stacks.size()); i++) {
            s.append(String.format(Locale.ROOT, "%.1f %% of the samples:%n```%n%s```%n",
                    100.0 * stacks.get(i).getValue().count / Math.max(1, samples), stacks.get(i).getKey()));
        }
        s.append('\n');
        table(s, "What the webhook threads (Tomcat, Spring task executor) wait for (not idle; park, Object.wait, lock, socket read, fsync "
                + "≥ 1 ms)", "wait", waitsWebhook, 0, 8, true);
        table(s, "What other threads wait for (idle pool waits left out)", "thread: wait", waitsOther, 0, 8, true);
        table(s, "Contended locks (≥ 1 ms)", "monitor class at site", locks, 0, 8, true);
        table(s, "fsync by file", "file", fsyncByPath, 0, 5, true);
        table(s, "fsync by thread", "thread", fsyncByThread, 0, 5, true);

        // ---- a first guess, to be read together with the CPU figures of the run
        s.append("Automatic reading: ");
        double machine = cpuN > 0 ? cpuMachine / cpuN : -1;
        List<Map.Entry<String, Agg>> comps = sorted(byComponent, false);
        if (machine >= 0.85) {
            s.append(String.format(Locale.ROOT, "the machine's CPU was saturated (%.0f %% of %d cores busy, of "
                    + "which the gateway JVM %.0f %%, the rest the load generator, the stubs and other processes);",
                    100 * machine, cores, 100 * cpuJvm / cpuN));
        } else if (machine >= 0) {
            s.append(String.format(Locale.ROOT, "the CPU was not saturated (%.0f %% of %d cores busy), so the "
                    + "limit is waiting (I/O, locks, sequential steps) rather than computing;", 100 * machine, cores));
        }
        List<Map.Entry<String, Agg>> hot = sorted(byMethod, false);
        if (!hot.isEmpty() && samples > 0 && hot.get(0).getValue().count >= 0.2 * samples) {
            s.append(String.format(Locale.ROOT, " one hot spot takes %.0f %% of the gateway's CPU samples: %s "
                    + "(see the most frequent stack);", 100.0 * hot.get(0).getValue().count / samples,
                    hot.get(0).getKey()));
        }
        if (!comps.isEmpty() && samples > 0) {
            s.append(" the gateway's CPU goes mostly to ");
            for (int i = 0; i < Math.min(3, comps.size()); i++) {
                s.append(i == 0 ? "" : ", ").append(comps.get(i).getKey()).append(String.format(Locale.ROOT,
                        " (%.0f %%)", 100.0 * comps.get(i).getValue().count / samples));
            }
            s.append(';');
        }
        List<Map.Entry<String, Agg>> ww = sorted(waitsWebhook, true);
        if (!ww.isEmpty()) {
            s.append(" webhook threads wait longest in ").append(ww.get(0).getKey())
                    .append(String.format(Locale.ROOT, " (%.1f s in total over the recording)",
                            ww.get(0).getValue().nanos / 1e9));
        }
        s.append(".\n");
        return s.toString();
    }

    private static List<Map.Entry<String, Agg>> sorted(Map<String, Agg> map, boolean byTime) {
        List<Map.Entry<String, Agg>> list = new ArrayList<>(map.entrySet());
        Function<Map.Entry<String, Agg>, Long> key = byTime ? e -> e.getValue().nanos : e -> e.getValue().count;
        list.sort(Comparator.comparing(key).reversed());
        return list;
    }

    private static void table(StringBuilder s, String title, String what, Map<String, Agg> map, long total, int top,
            boolean byTime) {
        s.append("**").append(title).append("**\n\n");
        if (map.isEmpty()) {
            s.append("(none recorded)\n\n");
            return;
        }
        if (byTime) {
            s.append("| ").append(what).append(" | events | total ms | mean ms |\n|---|---:|---:|---:|\n");
        } else {
            s.append("| ").append(what).append(" | samples | share |\n|---|---:|---:|\n");
        }
        Map<String, Agg> ordered = new LinkedHashMap<>();
        sorted(map, byTime).stream().limit(top).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, Agg> e : ordered.entrySet()) {
            String name = e.getKey().replace("|", "\\|");
            if (byTime) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f |%n", name, e.getValue().count,
                        e.getValue().nanos / 1e6, e.getValue().nanos / 1e6 / e.getValue().count));
            } else {
                s.append(String.format(Locale.ROOT, "| %s | %d | %.1f %% |%n", name, e.getValue().count,
                        100.0 * e.getValue().count / Math.max(1, total)));
            }
        }
        s.append('\n');
    }
}
