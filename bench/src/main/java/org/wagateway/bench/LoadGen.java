package org.wagateway.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's load generator: real HTTP/1.1 over loopback, one blocking keep-alive socket per client (a
 * hand-rolled client, so that the generator takes as little as possible of the CPU it shares with the gateway).
 *
 * <pre>
 *   LoadGen mode=ceiling target=PORT out=FILE ...      saturation against the trivial server, figures to FILE
 *   LoadGen mode=gateway target=PORT crm=PORT media=PORT out=FILE ceiling=FILE ...
 *                                                       warm-up, open loop, saturation, counts; table to FILE
 * </pre>
 *
 * Every connection goes to 127.0.0.1 (the only address this class ever connects to); every phase ends at its
 * deadline, every wait is bounded. Exit status 0: every accepted message reached the CRM exactly once; 1: a message
 * was lost (neither at the CRM nor on the gateway's stage queues) or came twice; 3: nothing lost, but some were
 * still queued in the gateway when the bounded wait ended (delivery not confirmed); 2: broken run.
 */
public final class LoadGen {

    static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Pattern ID_IN_ANSWER = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final Map<String, String> conf;
    private final int targetPort;
    private final int mediaPort;
    private final Template[] slots;
    private final String runTag;
    private final AtomicLong seq = new AtomicLong();
    private final int clkTck;
    private final long[] watchedPids;
    private final String[] watchedNames;

    /** Accepted canonical id → {send time in epoch µs, phase index}. */
    private final Map<String, long[]> accepted = new ConcurrentHashMap<>(1 << 18);
    private final AtomicLong sameIdTwice = new AtomicLong();

    private LoadGen(Map<String, String> conf) throws IOException {
        this.conf = conf;
        this.targetPort = Integer.parseInt(conf.get("target"));
        this.mediaPort = Integer.parseInt(conf.getOrDefault("media", "1"));
        this.slots = Template.mix(Path.of(conf.getOrDefault("fixtures", "src/test/resources/fixtures")),
                conf.getOrDefault("kazinfoteh-key", "bench-kazinfoteh-key"),
                conf.getOrDefault("greenapi-token", "bench-greenapi-token"));
        this.runTag = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
        this.clkTck = Integer.parseInt(conf.getOrDefault("clk-tck", "100"));
        List<Long> pids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        pids.add(ProcessHandle.current().pid());
        names.add("loadgen");
        for (String name : List.of("gateway", "stubs", "trivial")) {
            String pid = conf.get(name + "-pid");
            if (pid != null && !pid.isEmpty()) {
                pids.add(Long.parseLong(pid));
                names.add(name);
            }
        }
        this.watchedPids = pids.stream().mapToLong(Long::longValue).toArray();
        this.watchedNames = names.toArray(String[]::new);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value: " + arg);
            }
            conf.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        LoadGen gen = new LoadGen(conf);
        int status;
        try {
            status = "ceiling".equals(conf.get("mode")) ? gen.ceiling() : gen.gateway();
        } catch (Exception e) {
            e.printStackTrace();
            status = 2;
        }
        System.out.flush();
        System.exit(status);
    }

    private int intConf(String key, int def) {
        return Integer.parseInt(conf.getOrDefault(key, String.valueOf(def)));
    }

    private double doubleConf(String key, double def) {
        return Double.parseDouble(conf.getOrDefault(key, String.valueOf(def)));
    }

    static void log(String message) {
        System.err.printf(Locale.ROOT, "[loadgen %tT] %s%n", System.currentTimeMillis(), message);
    }

    // ------------------------------------------------------------------------------------------------- phases

    /** Saturation against the trivial server; writes its figures as properties. */
    private int ceiling() throws Exception {
        int clients = intConf("clients", 32);
        double seconds = doubleConf("sat-seconds", 30);
        log("ceiling: warm-up " + intConf("warmup-seconds", 5) + " s");
        closedLoop("ceiling-warmup", -1, clients, intConf("warmup-seconds", 5), false);
        log("ceiling: saturation, " + clients + " clients, " + seconds + " s");
        Phase sat = closedLoop("ceiling", -1, clients, seconds, false);
        log("ceiling: " + sat.describe());
        Properties p = new Properties();
        p.setProperty("rate", fmt(sat.rate()));
        p.setProperty("p50", fmt(sat.latencyMs(0.50)));
        p.setProperty("p99", fmt(sat.latencyMs(0.99)));
        p.setProperty("p999", fmt(sat.latencyMs(0.999)));
        p.setProperty("errors", String.valueOf(sat.errors()));
        p.setProperty("cpu", sat.cpuLine());
        try (var out = Files.newBufferedWriter(Path.of(conf.get("out")))) {
            p.store(out, "trivial server at saturation");
        }
        return sat.ok > 0 ? 0 : 2;
    }

    /** Warm-up, open loop, saturation (with a JFR recording), then the counts. */
    private int gateway() throws Exception {
        int clients = intConf("clients", 32);
        double warmup = doubleConf("warmup-seconds", 10);
        int warmupClients = intConf("warmup-clients", 8);
        double openRate = doubleConf("open-rate", 500);
        double openSeconds = doubleConf("open-seconds", 30);
        double satSeconds = doubleConf("sat-seconds", 30);
        long drainTimeoutMs = (long) (doubleConf("drain-timeout-seconds", 60) * 1000);
        long phaseDrainMs = (long) (doubleConf("phase-drain-seconds", 20) * 1000);
        int crmPort = Integer.parseInt(conf.get("crm"));
        Crm crm = new Crm(crmPort);

        log("warm-up: " + warmupClients + " clients, " + warmup + " s");
        Phase warm = closedLoop("warm-up", 0, warmupClients, warmup, true);
        log("warm-up: " + warm.describe());
        // the cost phase below must start with nothing left over from the warm-up
        Drain warmDrain = crm.waitFor(accepted.keySet(), warm.endMicros, Math.max(phaseDrainMs, 60_000), 20_000);
        log("warm-up drained: " + warmDrain);

        // What one message costs: a rate the gateway keeps up with, end to end, then every message of it at the
        // CRM; the gateway's CPU time over that window divided by the messages. Unlike the rates below, this
        // figure does not depend on how the stages share a saturated CPU.
        double costRate = doubleConf("cost-rate", 150);
        double costSeconds = doubleConf("cost-seconds", 20);
        log("cost: " + costRate + "/s for " + costSeconds + " s, then until every message is at the CRM");
        Phase cost = openLoop("cost", 3, costRate, costSeconds, intConf("open-connections", 64));
        Drain costDrain = crm.waitFor(accepted.keySet(), cost.endMicros, 60_000, 20_000);
        long[][] costEnd = cpuSnapshot();
        String costLine = cost.costPerMessage(costEnd, costDrain);
        log("cost: " + cost.describe() + "; drained " + costDrain + "; " + costLine + "; steal "
                + fmt(cost.stealCores()) + " cores");

        log("open loop: " + openRate + "/s for " + openSeconds + " s");
        Phase open = openLoop("open", 1, openRate, openSeconds, intConf("open-connections", 64));
        log("open loop: " + open.describe() + "; steal " + fmt(open.stealCores()) + " cores");
        Drain openDrain = crm.waitFor(accepted.keySet(), open.endMicros, phaseDrainMs, phaseDrainMs);
        log("open loop drained: " + openDrain);

        String jfrFile = conf.get("jfr");
        boolean jfr = jfrFile != null && !jfrFile.isEmpty() && conf.containsKey("gateway-pid");
        // the gateway's peak so far, before the profiler adds its own buffers and thread to it
        long[] rssBeforeJfr = rss(conf.get("gateway-pid"));
        if (jfr) {
            jcmd("JFR.start", "name=bench-saturation", "settings=" + conf.getOrDefault("jfr-settings", "profile"));
        }
        log("saturation: " + clients + " clients, " + satSeconds + " s");
        Phase sat = closedLoop("saturation", 2, clients, satSeconds, true);
        log("saturation: " + sat.describe());
        if (jfr) {
            jcmd("JFR.stop", "name=bench-saturation", "filename=" + jfrFile);
        }
        Drain satDrain = crm.waitFor(accepted.keySet(), sat.endMicros, drainTimeoutMs, 20_000);
        log("saturation drained: " + satDrain);

        // Late duplicates (a redelivery after the first POST) need a moment to show.
        Thread.sleep((long) (doubleConf("settle-seconds", 3) * 1000));
        // The broker first, then the CRM: a message moving from a stage queue to the CRM in between is then
        // counted twice (queued and arrived), never as missing.
        Map<String, Long> queueSizes = brokerQueues();
        Map<String, long[]> crmKeys = crm.dump();
        Map<String, Long> crmStats = crm.stats();
        long[] rss = rss(conf.get("gateway-pid"));
        String queues = queueSizes == null ? "n/a" : queueSizes.isEmpty() ? "all queues empty" : queueSizes.toString();
        log("broker queues at the end: " + queues);
        // Messages on the gateway's own stages have not reached the CRM yet: late, not (yet) lost.
        long inFlight = 0;
        if (queueSizes != null) {
            for (String q : conf.getOrDefault("stage-queues",
                    "whatsapp.gateway.ingest,whatsapp.gateway.media,whatsapp.gateway.crm").split(",")) {
                inFlight += queueSizes.getOrDefault(q.trim(), 0L);
            }
        }

        // ---- counts
        long lost = 0;
        for (String id : accepted.keySet()) {
            if (!crmKeys.containsKey(id)) {
                lost++;
            }
        }
        long duplicatedKeys = 0;
        long extraPosts = 0;
        long unconfirmed = 0;
        for (Map.Entry<String, long[]> e : crmKeys.entrySet()) {
            if (e.getValue()[0] > 1) {
                duplicatedKeys++;
                extraPosts += e.getValue()[0] - 1;
            }
            if (!accepted.containsKey(e.getKey())) {
                unconfirmed++;
            }
        }
        long[] mediaGets = mediaGets();

        // ---- end-to-end
        LongList e2eOpen = new LongList();
        LongList e2eSat = new LongList();
        long satDeliveredInWindow = 0;
        for (Map.Entry<String, long[]> e : accepted.entrySet()) {
            long[] crmRec = crmKeys.get(e.getKey());
            if (crmRec == null) {
                continue;
            }
            long e2e = crmRec[1] - e.getValue()[0];
            if (e.getValue()[1] == 1) {
                e2eOpen.add(e2e);
            } else if (e.getValue()[1] == 2) {
                e2eSat.add(e2e);
            }
        }
        for (long[] rec : crmKeys.values()) {
            if (rec[1] >= sat.startMicros && rec[1] <= sat.endMicros) {
                satDeliveredInWindow++;
            }
        }
        double e2eRate = satDeliveredInWindow / sat.seconds();
        long[] e2eOpenSorted = e2eOpen.sorted();
        long[] e2eSatSorted = e2eSat.sorted();

        Properties ceiling = new Properties();
        String ceilingFile = conf.get("ceiling");
        if (ceilingFile != null && Files.exists(Path.of(ceilingFile))) {
            try (var in = Files.newBufferedReader(Path.of(ceilingFile))) {
                ceiling.load(in);
            }
        }
        double ceilingRate = Double.parseDouble(ceiling.getProperty("rate", "0"));

        // ---- the table
        long undelivered = lost;
        long stillQueued = Math.min(undelivered, inFlight);
        lost = undelivered - stillQueued;
        boolean countsOk = undelivered == 0 && duplicatedKeys == 0 && !accepted.isEmpty();
        boolean nothingLost = lost == 0 && duplicatedKeys == 0 && !accepted.isEmpty();
        String pct = ceilingRate > 0 ? String.format(Locale.ROOT, sat.rate() / ceilingRate < 0.1 ? "%.1f %%" : "%.0f %%",
                100 * sat.rate() / ceilingRate) : "n/a";
        String targetThroughput = sat.rate() >= 2000 ? "yes" : "**no**";
        String targetP99 = open.latencyMs(0.99) < 25 ? "yes" : "**no**";
        String targetRss = rss[0] < 512 * 1024 ? "yes" : "**no**";
        StringBuilder t = new StringBuilder();
        t.append("| metric | gateway | trivial server (ceiling) | target | met |\n");
        t.append("|---|---:|---:|---|---|\n");
        t.append(row("Accepted webhooks/s at saturation (closed loop, " + clients + " clients, "
                + fmt0(satSeconds) + " s)", fmt0(sat.rate()), fmt0(ceilingRate), "≥ 2,000", targetThroughput));
        t.append(row("Gateway / ceiling", pct, "100 %", "", ""));
        t.append(row("Messages/s reaching the CRM during the saturation window", fmt0(e2eRate), "", "", ""));
        t.append(row("Webhook latency at " + fmt0(openRate) + "/s (open loop, " + fmt0(openSeconds)
                + " s) p50 / p99 / p99.9, ms", open.latencyTriple(), "", "p99 < 25 ms", targetP99));
        t.append(row("Achieved rate in the open loop (2xx/s)", fmt0(open.rate()), "", "", ""));
        t.append(row("Seconds of the open loop with answers over 25 ms (bursts: a pause; spread: a busy CPU)",
                open.slowSeconds(), "", "", ""));
        t.append(row("Webhook latency at saturation p50 / p99 / p99.9, ms", sat.latencyTriple(),
                ceiling.getProperty("p50", "-") + " / " + ceiling.getProperty("p99", "-") + " / "
                        + ceiling.getProperty("p999", "-"), "", ""));
        t.append(row("End-to-end latency (sent → CRM) at " + fmt0(openRate) + "/s p50 / p99, ms",
                ms(pctl(e2eOpenSorted, 0.50) / 1000.0) + " / " + ms(pctl(e2eOpenSorted, 0.99) / 1000.0), "", "", ""));
        t.append(row("End-to-end latency at saturation p50 / p99, ms (includes the CRM backlog)",
                ms(pctl(e2eSatSorted, 0.50) / 1000.0) + " / " + ms(pctl(e2eSatSorted, 0.99) / 1000.0), "", "", ""));
        t.append(row("Gateway CPU per message, end to end (webhook in → CRM), at " + fmt0(costRate) + "/s",
                costLine, "", "", ""));
        t.append(row("Peak RSS of the gateway (VmHWM), whole run" + (jfr ? " (the saturation phase with JFR recording)" : ""),
                rss[0] / 1024 + " MiB", "", "< 512 MiB", targetRss));
        if (jfr) {
            t.append(row("Peak RSS of the gateway before the JFR recording (warm-up, cost and open-loop phases)",
                    rssBeforeJfr[0] / 1024 + " MiB", "", "", ""));
        }
        t.append(row("Lost / duplicated, of " + accepted.size() + " accepted (lost: not at the CRM at the end "
                + "and not on the gateway's stage queues)", lost + " / " + duplicatedKeys, "", "0 / 0",
                nothingLost ? "yes" : "**no**"));
        t.append(row("Accepted but not yet at the CRM at the end (still on the gateway's stage queues)",
                String.valueOf(stillQueued), "", "0", stillQueued == 0 ? "yes" : "**no**"));
        StringBuilder d = new StringBuilder();
        d.append("\nDetails:\n\n");
        d.append("- Phases: ").append(warm.describe()).append("; ").append(cost.describe()).append("; ")
                .append(open.describe()).append("; ")
                .append(sat.describe()).append(".\n");
        d.append("- CRM backlog: warm-up drained ").append(warmDrain).append("; open loop drained ").append(openDrain)
                .append("; saturation drained ").append(satDrain).append(".\n");
        d.append("- CRM stub: ").append(crmStats.getOrDefault("keys", 0L)).append(" keys, ")
                .append(crmStats.getOrDefault("posts", 0L)).append(" POSTs, ").append(extraPosts)
                .append(" repeated POSTs, ").append(crmStats.getOrDefault("withoutKey", 0L))
                .append(" without Idempotency-Key, ").append(unconfirmed)
                .append(" keys whose webhook got no 2xx here (timeouts), media messages ")
                .append(crmStats.getOrDefault("mediaStored", 0L)).append(" stored of ")
                .append(crmStats.getOrDefault("mediaPosts", 0L)).append("; media server answered ")
                .append(mediaGets[0]).append(" GETs.\n");
        d.append("- Gateway broker at the end (non-empty queues, via Jolokia): ").append(queues).append(".\n");
        d.append("- Same id answered twice by the gateway: ").append(sameIdTwice.get()).append(".\n");
        int cores = Runtime.getRuntime().availableProcessors();
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
        d.append("- Gateway RSS at the end: ").append(rss[1] / 1024).append(" MiB (peak ").append(rss[0] / 1024)
                .append(" MiB).\n");
        if (lost > 0 || duplicatedKeys > 0) {
            d.append("- **FAILED**: ").append(lost).append(" accepted message(s) neither reached the CRM nor wait on ")
                    .append("the gateway's stage queues; ").append(duplicatedKeys)
                    .append(" Idempotency-Key(s) received more than once.\n");
        } else if (stillQueued > 0) {
            d.append("- **NOT CONFIRMED**: ").append(stillQueued).append(" accepted message(s) were still queued ")
                    .append("inside the gateway when the bounded wait ended (").append(satDrain)
                    .append("): nothing is missing beyond them, but their delivery could not be checked. The ")
                    .append("gateway accepts faster than it delivers; DRAIN_TIMEOUT_SECONDS waits longer.\n");
        }
        String table = t.toString() + d;
        Files.writeString(Path.of(conf.get("out")), table);
        Properties summary = new Properties();
        summary.setProperty("targets_met", String.valueOf(targetThroughput.equals("yes") && targetP99.equals("yes")
                && targetRss.equals("yes") && countsOk));
        summary.setProperty("counts_ok", String.valueOf(countsOk));
        summary.setProperty("lost", String.valueOf(lost));
        summary.setProperty("still_queued", String.valueOf(stillQueued));
        summary.setProperty("duplicated", String.valueOf(duplicatedKeys));
        summary.setProperty("sat_rate", fmt0(sat.rate()));
        summary.setProperty("ceiling_rate", fmt0(ceilingRate));
        summary.setProperty("open_p99", fmt(open.latencyMs(0.99)));
        summary.setProperty("rss_mib", String.valueOf(rss[0] / 1024));
        try (var out = Files.newBufferedWriter(Path.of(conf.get("out") + ".properties"))) {
            summary.store(out, "bench summary");
        }
        return !nothingLost ? 1 : countsOk ? 0 : 3;
    }

    private static String row(String metric, String gw, String ceiling, String target, String met) {
        return "| " + metric + " | " + gw + " | " + ceiling + " | " + target + " | " + met + " |\n";
    }

    private void jcmd(String... command) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        List<String> cmd = new ArrayList<>(List.of(jcmd, conf.get("gateway-pid")));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            log("jcmd " + String.join(" ", command) + ": " + output.replace('\n', ' '));
        } catch (IOException | InterruptedException e) {
            log("jcmd failed: " + e);
        }
    }

    /** {VmHWM, VmRSS} in KiB, or zeros. */
    static long[] rss(String pid) {
        long[] out = new long[2];
        if (pid == null) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmHWM:")) {
                    out[0] = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmRSS:")) {
                    out[1] = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            log("cannot read /proc/" + pid + "/status: " + e);
        }
        return out;
    }

    private static final Pattern QUEUE_SIZE = Pattern.compile(
            "destinationName=([^,\"]+)[^\"]*\"\\s*:\\s*\\{\\s*\"QueueSize\"\\s*:\\s*(\\d+)");

    /** The gateway broker's non-empty queues (Jolokia, ops account); null when they cannot be read. */
    private Map<String, Long> brokerQueues() {
        String user = conf.getOrDefault("admin-user", "admin");
        String password = conf.get("admin-password");
        String broker = conf.getOrDefault("broker-name", "bench");
        if (password == null) {
            return null;
        }
        String auth = "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
        try (Conn c = new Conn(targetPort)) {
            Resp r = c.get("/actuator/jolokia/read/org.apache.activemq:type=Broker,brokerName=" + broker
                    + ",destinationType=Queue,destinationName=*/QueueSize", auth);
            if (r.status != 200) {
                log("Jolokia answered " + r.status);
                return null;
            }
            Map<String, Long> sizes = new TreeMap<>();
            Matcher m = QUEUE_SIZE.matcher(new String(r.body, StandardCharsets.UTF_8));
            while (m.find()) {
                long size = Long.parseLong(m.group(2));
                if (size > 0) {
                    sizes.put(m.group(1), size);
                }
            }
            return sizes;
        } catch (IOException | RuntimeException e) {
            log("cannot read the broker's queues: " + e);
            return null;
        }
    }

    private long[] mediaGets() {
        if (mediaPort <= 1) {
            return new long[] {0};
        }
        try (Conn c = new Conn(mediaPort)) {
            Resp r = c.get("/_bench/stats");
            String s = new String(r.body, StandardCharsets.UTF_8).trim();
            return new long[] {Long.parseLong(s.substring(s.indexOf('=') + 1))};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1};
        }
    }

    // ------------------------------------------------------------------------------------------- closed loop

    /** N clients, each sending its next request as soon as the last one was answered, until the deadline. */
    private Phase closedLoop(String name, int phaseIndex, int clients, double seconds, boolean record)
            throws InterruptedException {
        Phase phase = new Phase(name, seconds);
        long start = System.nanoTime() + 50_000_000L;
        long deadline = start + (long) (seconds * 1e9);
        Worker[] workers = new Worker[clients];
        Thread[] threads = new Thread[clients];
        for (int i = 0; i < clients; i++) {
            Worker w = new Worker();
            workers[i] = w;
            threads[i] = new Thread(() -> {
                try (Conn conn = new Conn(targetPort)) {
                    LockSupport.parkNanos(start - System.nanoTime());
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        Outcome o = send(conn, phaseIndex, record);
                        long t1 = System.nanoTime();
                        w.count(o, t1 <= deadline);
                        if (o.status > 0) {
                            w.latency.add(t1 - t0);
                        } else {
                            LockSupport.parkNanos(10_000_000L); // a refused connection must not spin
                        }
                    }
                }
            }, name + "-" + i);
        }
        phase.begin(start, this);
        for (Thread th : threads) {
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        phase.end(deadline, this);
        phase.collect(workers);
        return phase;
    }

    // --------------------------------------------------------------------------------------------- open loop

    /**
     * Requests at a fixed rate whatever the answers: the scheduler hands each request's intended send time to a
     * pool of connections, and latency is counted from the intended time (no coordinated omission).
     */
    private Phase openLoop(String name, int phaseIndex, double rate, double seconds, int connections)
            throws InterruptedException {
        Phase phase = new Phase(name, seconds);
        long total = (long) (rate * seconds);
        long period = (long) (1e9 / rate);
        long start = System.nanoTime() + 100_000_000L;
        long deadline = start + (long) (seconds * 1e9);
        long hardStop = deadline + (long) (Math.max(3, Math.min(15, seconds / 2)) * 1e9);
        BlockingQueue<Long> queue = new ArrayBlockingQueue<>((int) Math.min(total + connections + 1, 1 << 20));
        Worker[] workers = new Worker[connections];
        Thread[] threads = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            Worker w = new Worker();
            workers[i] = w;
            threads[i] = new Thread(() -> {
                try (Conn conn = new Conn(targetPort)) {
                    while (true) {
                        Long intended = queue.poll(Math.max(1, hardStop - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (intended == null || intended < 0) {
                            return;
                        }
                        if (System.nanoTime() > hardStop) {
                            w.notSent++;
                            continue;
                        }
                        Outcome o = send(conn, phaseIndex, true);
                        long t1 = System.nanoTime();
                        w.count(o, true);
                        if (o.status > 0) {
                            w.latency.add(t1 - intended);
                            w.intended.add(intended);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name + "-" + i);
        }
        for (Thread th : threads) {
            th.start();
        }
        phase.begin(start, this);
        long late = 0;
        for (long i = 0; i < total; i++) {
            long intended = start + i * period;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -1_000_000L) {
                late++;
            }
            queue.put(intended);
        }
        for (int i = 0; i < connections; i++) {
            queue.put(-1L);
        }
        for (Thread th : threads) {
            th.join();
        }
        phase.end(Math.max(deadline, System.nanoTime()), this);
        phase.collect(workers);
        phase.schedulerLate = late;
        return phase;
    }

    // ------------------------------------------------------------------------------------------ one request

    record Outcome(int status, boolean ioError) {
    }

    private Outcome send(Conn conn, int phaseIndex, boolean record) {
        long n = seq.getAndIncrement();
        Template t = slots[(int) (n % slots.length)];
        String providerId = t.providerId(runTag, n);
        String body = t.body.replace("@@ID@@", providerId);
        if (t.mediaExt != null) {
            body = body.replace("@@URL@@", "http://127.0.0.1:" + mediaPort + "/media/" + providerId + "." + t.mediaExt);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + t.path + " HTTP/1.1\r\nHost: 127.0.0.1:" + targetPort
                + "\r\nContent-Type: application/json\r\n" + t.authHeader + "\r\nContent-Length: " + bytes.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        long sentMicros = Stubs.nowMicros();
        try {
            Resp r = conn.exchange(head, bytes);
            if (record && r.status / 100 == 2) {
                Matcher m = ID_IN_ANSWER.matcher(new String(r.body, StandardCharsets.UTF_8));
                if (m.find()) {
                    if (accepted.putIfAbsent(m.group(1), new long[] {sentMicros, phaseIndex}) != null) {
                        sameIdTwice.incrementAndGet();
                    }
                } else {
                    log("2xx without an id: " + new String(r.body, StandardCharsets.UTF_8));
                }
            }
            return new Outcome(r.status, false);
        } catch (IOException e) {
            conn.close();
            return new Outcome(0, true);
        }
    }

    // ------------------------------------------------------------------------------------------- bookkeeping

    static final class Worker {
        final LongList latency = new LongList();
        /** open loop only: the intended send time of each answer in {@link #latency}, same order */
        final LongList intended = new LongList();
        long ok;
        long okAfterDeadline;
        long ioErrors;
        long notSent;
        final Map<Integer, Long> statuses = new HashMap<>();

        void count(Outcome o, boolean inWindow) {
            if (o.ioError) {
                ioErrors++;
                return;
            }
            statuses.merge(o.status, 1L, Long::sum);
            if (o.status / 100 == 2) {
                if (inWindow) {
                    ok++;
                } else {
                    okAfterDeadline++;
                }
            }
        }
    }

    /** The p99 target: an answer slower than this counts as slow in the per-second breakdown. */
    static final long SLOW_NANOS = 25_000_000L;

    final class Phase {
        final String name;
        final double plannedSeconds;
        long startNanos;
        long endNanos;
        long startMicros;
        long endMicros;
        long ok;
        long okAfterDeadline;
        long ioErrors;
        long notSent;
        long schedulerLate;
        final Map<Integer, Long> statuses = new TreeMap<>();
        long[] latency = new long[0];
        /** open loop: answers over {@link #SLOW_NANOS} in each second of the phase (by intended send time) */
        long[] slowBySecond = new long[0];
        long[][] cpuStart;
        long[][] cpuEnd;

        Phase(String name, double plannedSeconds) {
            this.name = name;
            this.plannedSeconds = plannedSeconds;
        }

        void begin(long startNanos, LoadGen gen) {
            this.startNanos = startNanos;
            long wait = startNanos - System.nanoTime();
            this.startMicros = Stubs.nowMicros() + Math.max(0, wait / 1000);
            this.cpuStart = gen.cpuSnapshot();
        }

        void end(long endNanos, LoadGen gen) {
            this.endNanos = endNanos;
            this.endMicros = startMicros + (endNanos - startNanos) / 1000;
            this.cpuEnd = gen.cpuSnapshot();
        }

        void collect(Worker[] workers) {
            LongList all = new LongList();
            for (Worker w : workers) {
                ok += w.ok;
                okAfterDeadline += w.okAfterDeadline;
                ioErrors += w.ioErrors;
                notSent += w.notSent;
                w.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
                all.addAll(w.latency);
            }
            latency = all.sorted();
            // only an open loop knows when each request should have gone out; a closed loop has no breakdown
            if (Arrays.stream(workers).allMatch(w -> w.intended.n == 0)) {
                return;
            }
            slowBySecond = new long[(int) Math.ceil(plannedSeconds)];
            for (Worker w : workers) {
                for (int i = 0; i < w.intended.n; i++) {
                    int second = (int) ((w.intended.a[i] - startNanos) / 1_000_000_000L);
                    if (w.latency.a[i] > SLOW_NANOS && second >= 0 && second < slowBySecond.length) {
                        slowBySecond[second]++;
                    }
                }
            }
        }

        /**
         * Whether slow answers come in bursts (a pause: GC, a broker stall) or spread over the phase (queueing on
         * a busy CPU): e.g. "8 of 15 s, at most 112 in one second".
         */
        String slowSeconds() {
            long seconds = Arrays.stream(slowBySecond).filter(c -> c > 0).count();
            long most = Arrays.stream(slowBySecond).max().orElse(0);
            return seconds + " of " + slowBySecond.length + " s, at most " + most + " in one second";
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        double rate() {
            return ok / seconds();
        }

        long errors() {
            long non2xx = 0;
            for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
                if (e.getKey() / 100 != 2) {
                    non2xx += e.getValue();
                }
            }
            return non2xx + ioErrors;
        }

        double latencyMs(double q) {
            return pctl(latency, q) / 1e6;
        }

        String latencyTriple() {
            return ms(latencyMs(0.50)) + " / " + ms(latencyMs(0.99)) + " / " + ms(latencyMs(0.999));
        }

        String describe() {
            StringBuilder s = new StringBuilder();
            s.append(name).append(' ').append(String.format(Locale.ROOT, "%.1f s", seconds())).append(": ")
                    .append(ok).append(" × 2xx (").append(fmt0(rate())).append("/s)");
            if (okAfterDeadline > 0) {
                s.append(", ").append(okAfterDeadline).append(" × 2xx after the deadline");
            }
            s.append(", statuses ").append(statuses);
            if (ioErrors > 0) {
                s.append(", ").append(ioErrors).append(" I/O errors");
            }
            if (notSent > 0) {
                s.append(", ").append(notSent).append(" not sent (hard stop)");
            }
            if (schedulerLate > 0) {
                s.append(", ").append(schedulerLate).append(" sends > 1 ms behind schedule");
            }
            if (latency.length > 0) {
                s.append(", latency p50/p99/p99.9/max ").append(latencyTriple()).append(" / ")
                        .append(ms(latency[latency.length - 1] / 1e6)).append(" ms");
            }
            if (slowBySecond.length > 0) {
                s.append(", seconds with answers over 25 ms: ").append(slowSeconds());
            }
            return s.toString();
        }

        /** The gateway's CPU time from the start of this phase to {@code end}, per message accepted in it. */
        String costPerMessage(long[][] end, Drain drain) {
            int gateway = Arrays.asList(watchedNames).indexOf("gateway");
            if (gateway < 0 || cpuStart == null || cpuStart[gateway + 1][0] < 0 || end[gateway + 1][0] < 0 || ok == 0) {
                return "n/a";
            }
            double ms = (end[gateway + 1][0] - cpuStart[gateway + 1][0]) * 1000.0 / clkTck / ok;
            return String.format(Locale.ROOT, "%.2f ms", ms) + (drain.complete() ? "" : " (not all at the CRM yet)");
        }

        /** Cores the hypervisor gave to someone else during the phase (steal), on average; 0 when unknown. */
        double stealCores() {
            if (cpuStart == null || cpuEnd == null || cpuStart[0][3] < 0 || cpuEnd[0][3] < 0) {
                return 0;
            }
            double secs = (cpuEnd[0][2] - cpuStart[0][2]) / 1e9;
            return secs <= 0 ? 0 : Math.max(0, (cpuEnd[0][3] - cpuStart[0][3]) / (double) clkTck / secs);
        }

        /** Cores used by each watched process and by the whole machine over the phase. */
        String cpuLine() {
            if (cpuStart == null || cpuEnd == null) {
                return "n/a";
            }
            double secs = (cpuEnd[0][2] - cpuStart[0][2]) / 1e9;
            if (secs <= 0) {
                return "n/a";
            }
            double machineBusy = (cpuEnd[0][0] - cpuStart[0][0]) / (double) clkTck / secs;
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "machine %.2f", machineBusy));
            double ours = 0;
            for (int i = 0; i < watchedPids.length; i++) {
                if (cpuStart[i + 1][0] < 0 || cpuEnd[i + 1][0] < 0) {
                    continue;
                }
                double cores = (cpuEnd[i + 1][0] - cpuStart[i + 1][0]) / (double) clkTck / secs;
                ours += cores;
                s.append(String.format(Locale.ROOT, ", %s %.2f", watchedNames[i], cores));
            }
            s.append(String.format(Locale.ROOT, ", everything else %.2f; steal (the hypervisor ran other guests) %.2f",
                    Math.max(0, machineBusy - ours), stealCores()));
            return s.toString();
        }
    }

    /**
     * Row 0: {machine busy ticks, machine total ticks, nanoTime, steal ticks}; then one row per watched pid:
     * {ticks}. Steal (time the hypervisor gave this VM's cores to someone else) counts as busy.
     */
    long[][] cpuSnapshot() {
        long[][] out = new long[watchedPids.length + 1][];
        out[0] = new long[] {-1, -1, System.nanoTime(), -1};
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            out[0] = new long[] {busy, busy + idle + iowait, System.nanoTime(), steal};
        } catch (IOException | RuntimeException e) {
            // not Linux: no CPU figures
        }
        for (int i = 0; i < watchedPids.length; i++) {
            out[i + 1] = new long[] {-1};
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(watchedPids[i]), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out[i + 1] = new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])};
            } catch (IOException | RuntimeException e) {
                // process gone
            }
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------- the CRM

    record Drain(boolean complete, long missing, double seconds, boolean stalled) {
        @Override
        public String toString() {
            if (complete) {
                return String.format(Locale.ROOT, "%.1f s after the phase", seconds);
            }
            return String.format(Locale.ROOT, stalled ? "NOT: nothing new reached the CRM for a while, given up "
                    + "after %.0f s (%d missing)" : "NOT within %.0f s (%d missing)", seconds, missing);
        }
    }

    static final class Crm {
        final int port;

        Crm(int port) {
            this.port = port;
        }

        Map<String, Long> stats() throws IOException {
            try (Conn c = new Conn(port)) {
                Map<String, Long> out = new LinkedHashMap<>();
                for (String line : new String(c.get("/_bench/stats").body, StandardCharsets.UTF_8).split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        out.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
                    }
                }
                return out;
            }
        }

        /** key → {count, first arrival µs}. */
        Map<String, long[]> dump() throws IOException {
            try (Conn c = new Conn(port)) {
                String text = new String(c.get("/_bench/dump").body, StandardCharsets.UTF_8);
                Map<String, long[]> out = new HashMap<>(1 << 18);
                int from = 0;
                while (from < text.length()) {
                    int nl = text.indexOf('\n', from);
                    if (nl < 0) {
                        nl = text.length();
                    }
                    String line = text.substring(from, nl);
                    from = nl + 1;
                    int t1 = line.indexOf('\t');
                    int t2 = line.indexOf('\t', t1 + 1);
                    if (t1 > 0 && t2 > t1) {
                        out.put(line.substring(0, t1), new long[] {Long.parseLong(line.substring(t1 + 1, t2)),
                                Long.parseLong(line.substring(t2 + 1))});
                    }
                }
                return out;
            }
        }

        /**
         * Waits until the CRM holds every id, at most timeoutMs, and gives up early when nothing new has arrived
         * for stallMs; the figures say how long after phaseEndMicros the last one came.
         */
        Drain waitFor(java.util.Set<String> ids, long phaseEndMicros, long timeoutMs, long stallMs)
                throws IOException, InterruptedException {
            long start = System.currentTimeMillis();
            long deadline = start + timeoutMs;
            long missing = ids.size();
            long lastLog = start;
            long lastPosts = -1;
            long lastProgress = start;
            while (true) {
                Map<String, Long> stats = stats();
                long keys = stats.getOrDefault("keys", 0L);
                long posts = stats.getOrDefault("posts", 0L);
                long now = System.currentTimeMillis();
                if (posts != lastPosts) {
                    lastPosts = posts;
                    lastProgress = now;
                }
                if (keys >= ids.size()) {
                    Map<String, long[]> dump = dump();
                    missing = 0;
                    for (String id : ids) {
                        if (!dump.containsKey(id)) {
                            missing++;
                        }
                    }
                    if (missing == 0) {
                        long last = 0;
                        for (String id : ids) {
                            last = Math.max(last, dump.get(id)[1]);
                        }
                        return new Drain(true, 0, Math.max(0, last - phaseEndMicros) / 1e6, false);
                    }
                } else {
                    missing = ids.size() - keys;
                }
                if (now > deadline) {
                    return new Drain(false, missing, (now - start) / 1000.0, false);
                }
                if (now - lastProgress > stallMs) {
                    return new Drain(false, missing, (now - start) / 1000.0, true);
                }
                if (now - lastLog > 10_000) {
                    log("waiting for the CRM: " + missing + " of " + ids.size() + " not there yet");
                    lastLog = now;
                }
                Thread.sleep(250);
            }
        }
    }

    // ------------------------------------------------------------------------------------ the HTTP/1.1 client

    record Resp(int status, byte[] body) {
    }

    /** One keep-alive HTTP/1.1 connection to 127.0.0.1:port; reconnects after "Connection: close" or an error. */
    static final class Conn implements Closeable {
        final int port;
        Socket socket;
        InputStream in;
        OutputStream out;
        int used;

        Conn(int port) {
            this.port = port;
        }

        private void open() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(LOOPBACK, port), 5_000);
            s.setSoTimeout(30_000);
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
            used = 0;
        }

        Resp get(String path) throws IOException {
            return get(path, "");
        }

        Resp get(String path, String extraHeaders) throws IOException {
            return exchange(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + extraHeaders + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
        }

        Resp exchange(byte[] head, byte[] body) throws IOException {
            boolean reused = socket != null;
            try {
                return once(head, body);
            } catch (EOFException | java.net.SocketException e) {
                // A kept-alive connection the server had already closed: send again on a fresh one, once.
                close();
                if (!reused) {
                    throw e;
                }
                return once(head, body);
            }
        }

        private Resp once(byte[] head, byte[] body) throws IOException {
            if (socket == null) {
                open();
            }
            out.write(head);
            out.write(body);
            out.flush();
            used++;
            Resp r = readResponse();
            return r;
        }

        private Resp readResponse() throws IOException {
            String statusLine = readLine();
            if (statusLine == null) {
                throw new EOFException("connection closed before the answer");
            }
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            String line;
            while ((line = readLine()) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close") || (close && !value.equalsIgnoreCase(
                            "keep-alive"));
                    default -> {
                    }
                }
            }
            if (line == null) {
                throw new EOFException("connection closed in the headers");
            }
            byte[] body;
            if (status / 100 == 1 || status == 204 || status == 304) {
                body = new byte[0];
            } else if (chunked) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                while (true) {
                    String size = readLine();
                    if (size == null) {
                        throw new EOFException("connection closed in a chunk");
                    }
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                    if (n == 0) {
                        String trailer;
                        while ((trailer = readLine()) != null && !trailer.isEmpty()) {
                            // trailers are ignored
                        }
                        break;
                    }
                    buf.write(readN(n));
                    readLine();
                }
                body = buf.toByteArray();
            } else if (length >= 0) {
                body = readN((int) length);
            } else {
                body = in.readAllBytes();
                close = true;
            }
            if (close) {
                close();
            }
            return new Resp(status, body);
        }

        private byte[] readN(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException("answer cut short");
            }
            return b;
        }

        private final StringBuilder lineBuf = new StringBuilder(128);

        /** A line without its CRLF, or null at the end of the stream. */
        private String readLine() throws IOException {
            lineBuf.setLength(0);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return lineBuf.length() == 0 ? null : lineBuf.toString();
                }
                if (c == '\n') {
                    int len = lineBuf.length();
                    if (len > 0 && lineBuf.charAt(len - 1) == '\r') {
                        lineBuf.setLength(len - 1);
                    }
                    return lineBuf.toString();
                }
                lineBuf.append((char) c);
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            socket = null;
            in = null;
            out = null;
        }
    }

    // ---------------------------------------------------------------------------------------------- payloads

    /** A fixture with its provider message id (and media link) replaced by tokens. */
    static final class Template {
        final String provider;
        final String path;
        final String authHeader;
        final String body;
        final String mediaExt;

        Template(String provider, String authHeader, String body, String mediaExt) {
            this.provider = provider;
            this.path = "/webhooks/" + provider;
            this.authHeader = authHeader;
            this.body = body;
            this.mediaExt = mediaExt;
        }

        String providerId(String runTag, long n) {
            return provider.equals("kazinfoteh") ? "bench-" + runTag + "-" + n
                    : ("B" + runTag + Long.toHexString(n)).toUpperCase(Locale.ROOT);
        }

        private static String setString(String json, String field, String value) {
            Pattern p = Pattern.compile("(\"" + Pattern.quote(field) + "\"\\s*:\\s*)\"[^\"]*\"");
            Matcher m = p.matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("fixture without \"" + field + "\"");
            }
            return m.replaceFirst(Matcher.quoteReplacement(m.group(1) + "\"" + value + "\""));
        }

        static Template kaz(Path fixtures, String key, String file, String mediaExt) throws IOException {
            String json = Files.readString(fixtures.resolve("kazinfoteh").resolve(file));
            json = setString(json, "id", "@@ID@@");
            if (json.contains("\"msgId\"")) {
                json = setString(json, "msgId", "@@ID@@-m");
            }
            if (mediaExt != null) {
                json = setString(json, "msgAttachmentUrl", "@@URL@@");
            }
            return new Template("kazinfoteh", "X-API-KEY: " + key, json, mediaExt);
        }

        static Template green(Path fixtures, String token, String file, String mediaExt) throws IOException {
            String json = Files.readString(fixtures.resolve("greenapi").resolve(file));
            json = setString(json, "idMessage", "@@ID@@");
            if (mediaExt != null) {
                json = setString(json, "downloadUrl", "@@URL@@");
            }
            return new Template("greenapi", "Authorization: Bearer " + token, json, mediaExt);
        }

        /**
         * Twenty slots, used in turn: 16 text (80 %), 2 media (10 %: a JPEG image, a PDF document), 2 statuses
         * (10 %); half from each provider.
         */
        static Template[] mix(Path fixtures, String kazKey, String greenToken) throws IOException {
            Template kText = kaz(fixtures, kazKey, "text.json", null);
            Template kImage = kaz(fixtures, kazKey, "image.json", "jpg");
            Template kStatus = kaz(fixtures, kazKey, "status.json", null);
            Template gText = green(fixtures, greenToken, "text-message.json", null);
            Template gExt = green(fixtures, greenToken, "extended-text-message.json", null);
            Template gGroup = green(fixtures, greenToken, "extended-text-message-group.json", null);
            Template gQuoted = green(fixtures, greenToken, "quoted-message.json", null);
            Template gDoc = green(fixtures, greenToken, "document-message.json", "pdf");
            Template gStatus = green(fixtures, greenToken, "outgoing-message-status.json", null);
            return new Template[] {
                kText, gText, kText, gExt, kImage, gGroup, kText, gText, kStatus, gQuoted,
                kText, gText, kText, gExt, gDoc, kText, gText, kText, gStatus, gGroup};
        }
    }

    // ----------------------------------------------------------------------------------------------- numbers

    static final class LongList {
        long[] a = new long[1024];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(LongList other) {
            for (int i = 0; i < other.n; i++) {
                add(other.a[i]);
            }
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(a, n);
            Arrays.sort(s);
            return s;
        }
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double pctl(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.0f", v);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
