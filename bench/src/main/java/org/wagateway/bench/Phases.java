package org.wagateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.wagateway.bench.Log.log;
import static org.wagateway.bench.Numbers.fmt;

/**
 * The runs' phases in order. Against the trivial server: warm-up and saturation (the ceiling). Against the
 * gateway: warm-up, the cost phase, the open loop, the closed-loop saturation (with a JFR recording), each
 * followed by a bounded wait for the CRM, then the exactly-once check; the figures go to {@link Report}.
 */
final class Phases {

    /** Phase indices recorded with each accepted id. */
    static final int WARM_UP = 0;
    static final int OPEN = 1;
    static final int SATURATION = 2;
    static final int COST = 3;
    /** The closed loop against the trivial server records nothing. */
    static final int NOT_RECORDED = -1;

    private final Conf conf;
    private final Machine machine;
    private final LoadDriver load;

    Phases(Conf conf, Machine machine, LoadDriver load) {
        this.conf = conf;
        this.machine = machine;
        this.load = load;
    }

    /** Saturation against the trivial server; writes its figures as properties. */
    int ceiling() throws Exception {
        int clients = conf.intValue("clients", 32);
        double seconds = conf.doubleValue("sat-seconds", 30);
        log("ceiling: warm-up " + conf.intValue("warmup-seconds", 5) + " s");
        load.closedLoop("ceiling-warmup", NOT_RECORDED, clients, conf.intValue("warmup-seconds", 5), false);
        log("ceiling: saturation, " + clients + " clients, " + seconds + " s");
        Phase sat = load.closedLoop("ceiling", NOT_RECORDED, clients, seconds, false);
        log("ceiling: " + sat.describe());
        try (var out = Files.newBufferedWriter(Path.of(conf.get("out")))) {
            Report.ceiling(sat).store(out, "trivial server at saturation");
        }
        return sat.ok > 0 ? 0 : 2;
    }

    /** Warm-up, cost, open loop, saturation (with a JFR recording), then the counts. */
    int gateway() throws Exception {
        int clients = conf.intValue("clients", 32);
        double warmup = conf.doubleValue("warmup-seconds", 10);
        int warmupClients = conf.intValue("warmup-clients", 8);
        double openRate = conf.doubleValue("open-rate", 500);
        double openSeconds = conf.doubleValue("open-seconds", 30);
        double satSeconds = conf.doubleValue("sat-seconds", 30);
        long drainTimeoutMs = (long) (conf.doubleValue("drain-timeout-seconds", 60) * 1000);
        long phaseDrainMs = (long) (conf.doubleValue("phase-drain-seconds", 20) * 1000);
        int crmPort = Integer.parseInt(conf.get("crm"));
        StubsClient stubs = new StubsClient(crmPort, Integer.parseInt(conf.get("media", "1")));
        GatewayProbe gateway = new GatewayProbe(conf, Integer.parseInt(conf.get("target")));
        Map<String, long[]> accepted = load.accepted;

        log("warm-up: " + warmupClients + " clients, " + warmup + " s");
        Phase warm = load.closedLoop("warm-up", WARM_UP, warmupClients, warmup, true);
        log("warm-up: " + warm.describe());
        // the cost phase below must start with nothing left over from the warm-up: its closed loop can take
        // webhooks faster than the CRM leg delivers them, and a backlog would count in the cost per message
        Drain warmDrain = stubs.waitFor(accepted.keySet(), warm.endMicros, Math.max(phaseDrainMs, 300_000), 20_000);
        log("warm-up drained: " + warmDrain);

        // What one message costs: a rate the gateway keeps up with, end to end, then every message of it at the
        // CRM; the gateway's CPU time over that window divided by the messages. Unlike the rates below, this
        // figure does not depend on how the stages share a saturated CPU.
        double costRate = conf.doubleValue("cost-rate", 150);
        double costSeconds = conf.doubleValue("cost-seconds", 20);
        log("cost: " + costRate + "/s for " + costSeconds + " s, then until every message is at the CRM");
        // The threads' CPU time just before the phase's first /proc reading and just after its last: the split by
        // stage covers the window of the CPU per message.
        Map<String, ThreadCpu.Sample> threadsBefore = gateway.threads();
        Phase cost = load.openLoop("cost", COST, costRate, costSeconds, conf.intValue("open-connections", 64));
        Drain costDrain = stubs.waitFor(accepted.keySet(), cost.endMicros, 60_000, 20_000);
        long[][] costEnd = machine.cpuSnapshot();
        Map<String, ThreadCpu.Sample> threadsAfter = gateway.threads();
        String costLine = cost.costPerMessage(costEnd, costDrain);
        double costMs = cost.costMs(costEnd);
        log("cost: " + cost.describe() + "; drained " + costDrain + "; " + costLine + "; steal "
                + fmt(cost.stealCores()) + " cores");
        ThreadCpu.Split costSplit = threadsBefore.isEmpty() || threadsAfter.isEmpty() ? null
                : ThreadCpu.split(threadsBefore, threadsAfter, cost.ok);
        log("cost by stage: " + (costSplit == null ? "n/a (no thread dump)" : costSplit.comparison(costMs)));

        log("open loop: " + openRate + "/s for " + openSeconds + " s");
        Phase open = load.openLoop("open", OPEN, openRate, openSeconds, conf.intValue("open-connections", 64));
        log("open loop: " + open.describe() + "; steal " + fmt(open.stealCores()) + " cores");
        Drain openDrain = stubs.waitFor(accepted.keySet(), open.endMicros, phaseDrainMs, phaseDrainMs);
        log("open loop drained: " + openDrain);

        String jfrFile = conf.get("jfr");
        boolean jfr = jfrFile != null && !jfrFile.isEmpty() && conf.has("gateway-pid");
        // the gateway's peak so far, before the profiler adds its own buffers and thread to it
        long[] rssBeforeJfr = Machine.rss(conf.get("gateway-pid"));
        if (jfr) {
            gateway.jcmd("JFR.start", "name=bench-saturation", "settings=" + conf.get("jfr-settings", "profile"));
        }
        log("saturation: " + clients + " clients, " + satSeconds + " s");
        Phase sat = load.closedLoop("saturation", SATURATION, clients, satSeconds, true);
        log("saturation: " + sat.describe());
        if (jfr) {
            gateway.jcmd("JFR.stop", "name=bench-saturation", "filename=" + jfrFile);
        }
        Drain satDrain = stubs.waitFor(accepted.keySet(), sat.endMicros, drainTimeoutMs, 20_000);
        log("saturation drained: " + satDrain);

        // Late duplicates (a redelivery after the first POST) need a moment to show.
        Thread.sleep((long) (conf.doubleValue("settle-seconds", 3) * 1000));
        // The broker first, then the CRM: a message moving from a stage queue to the CRM in between is then
        // counted twice (queued and arrived), never as missing.
        Map<String, Long> queueSizes = gateway.brokerQueues();
        Map<String, long[]> crmKeys = stubs.dump();
        Map<String, Long> crmStats = stubs.stats();
        long[] rss = Machine.rss(conf.get("gateway-pid"));
        String queues = queueSizes == null ? "n/a" : queueSizes.isEmpty() ? "all queues empty" : queueSizes.toString();
        log("broker queues at the end: " + queues);
        // Messages on the gateway's own stages have not reached the CRM yet: late, not (yet) lost.
        String[] stageQueues = conf.get("stage-queues",
                "whatsapp.gateway.ingest,whatsapp.gateway.media,whatsapp.gateway.crm").split(",");
        Delivery delivery = Delivery.check(accepted, crmKeys, queueSizes, stageQueues, sat.startMicros, sat.endMicros);
        long[] mediaGets = stubs.mediaGets();

        Report report = new Report();
        String ceilingFile = conf.get("ceiling");
        if (ceilingFile != null && Files.exists(Path.of(ceilingFile))) {
            try (var in = Files.newBufferedReader(Path.of(ceilingFile))) {
                report.ceiling.load(in);
            }
        }
        report.clients = clients;
        report.satSeconds = satSeconds;
        report.openRate = openRate;
        report.openSeconds = openSeconds;
        report.costRate = costRate;
        report.warm = warm;
        report.cost = cost;
        report.open = open;
        report.sat = sat;
        report.warmDrain = warmDrain;
        report.costDrain = costDrain;
        report.openDrain = openDrain;
        report.satDrain = satDrain;
        report.costLine = costLine;
        report.costMs = costMs;
        report.costSplit = costSplit;
        report.rss = rss;
        report.rssBeforeJfr = rssBeforeJfr;
        report.jfr = jfr;
        report.delivery = delivery;
        report.crmStats = crmStats;
        report.mediaGets = mediaGets;
        report.queues = queues;
        report.sameIdTwice = load.sameIdTwice.get();
        report.cores = Runtime.getRuntime().availableProcessors();
        write(Path.of(conf.get("out")), report);
        return delivery.exitStatus();
    }

    private static void write(Path out, Report report) throws IOException {
        Files.writeString(out, report.markdown());
        Properties summary = report.summary();
        try (var w = Files.newBufferedWriter(Path.of(out + ".properties"))) {
            summary.store(w, "bench summary");
        }
    }
}
