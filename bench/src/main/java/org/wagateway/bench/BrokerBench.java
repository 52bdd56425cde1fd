package org.wagateway.bench;

import static org.wagateway.bench.Log.log;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.activemq.store.kahadb.scheduler.JobSchedulerStoreImpl;
import org.apache.activemq.usage.SystemUsage;
import org.apache.activemq.usage.Usage;
import org.wagateway.bench.Numbers.LongList;

/**
 * The broker-alone benchmark (bench/broker.sh), its two JVMs:
 * <ul>
 *   <li>{@code broker}: one ActiveMQ Classic broker with the store and policies of the gateway's embedded broker
 *   (broker/EmbeddedBrokerConfiguration at its defaults), a TCP connector on 127.0.0.1 at a free port;</li>
 *   <li>{@code load}: the gateway's broker traffic per accepted text message over TCP. Producer threads stand for
 *   the webhooks' threads: each hands a message's two copies (its type queue, and the CRM outbox with
 *   JMSXGroupID) to a group-committing intake ({@link GroupCommit}, accept-webhook's store) and waits for their
 *   commit; the intake sends the copies of every call waiting at that moment in one local transaction and
 *   commits once for all of them. CRM consumers, transacted sessions on one connection like deliver-crm's
 *   listeners, read the outbox and commit (without the HTTP POST). A closed loop: at most max-in-flight messages
 *   between their hand-over to the intake and their CRM commit, so the rate is what the intake and the CRM
 *   stage carry together.</li>
 * </ul>
 */
public final class BrokerBench {

    /** The gateway's stage queues (gateway.queues.*: ingest, media, crm-outbox), which get the cursor cache. */
    static final String INGEST = "whatsapp.gateway.ingest";
    static final String MEDIA = "whatsapp.gateway.media";
    static final String CRM_OUTBOX = "whatsapp.gateway.crm";
    /** gateway.data.min-free-disk's default: the store may grow to the free space less half of it. */
    static final long MIN_FREE_DISK = 256L * 1024 * 1024;
    /** Camel's receive timeout of a JMS consumer: how long a CRM listener waits in one receive. */
    static final long RECEIVE_TIMEOUT_MILLIS = 1000;

    private BrokerBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: BrokerBench broker|load key=value...");
        }
        Conf conf = Conf.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "broker" -> broker(conf);
            case "load" -> System.exit(load(conf));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    // ------------------------------------------------------------------------------------------------ broker

    /** Runs the broker until killed, or until max-life seconds have passed (whatever happens to broker.sh). */
    static void broker(Conf conf) throws Exception {
        File dir = new File(conf.get("data"));
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(new File(dir, "kahadb"));
        // the gateway's defaults: gateway.broker.index-cache-size, gateway.broker.journal-file-length
        kahaDb.setIndexCacheSize(conf.intValue("index-cache-size", 2000));
        kahaDb.setJournalMaxFileLength(conf.intValue("journal-file-length", 32 * 1024 * 1024));
        kahaDb.setPreallocationStrategy("chunked_zeros");
        kahaDb.setPreallocationScope("entire_journal_async");
        kahaDb.setCheckForCorruptJournalFiles(true);

        BrokerService broker = new BrokerService();
        broker.setBrokerName("brokerbench");
        broker.setDataDirectoryFile(dir);
        broker.setPersistent(true);
        broker.setPersistenceAdapter(kahaDb);
        // gateway.broker.memory-limit's default
        broker.getSystemUsage().getMemoryUsage().setLimit(conf.intValue("memory-limit-mib", 32) * 1024L * 1024L);
        broker.getSystemUsage().setSendFailIfNoSpace(true);
        storeLimits(broker.getSystemUsage(), dir.toPath());
        List<PolicyEntry> entries = new ArrayList<>(List.of(queuePolicy(">", false)));
        // all three stage queues, as in the gateway (the load uses the CRM outbox only)
        for (String stage : List.of(INGEST, MEDIA, CRM_OUTBOX)) {
            PolicyEntry policy = queuePolicy(stage, true);
            if (stage.equals(CRM_OUTBOX)) {
                policy.setStoreUsageHighWaterMark(Integer.MAX_VALUE);
            }
            entries.add(policy);
        }
        PolicyMap policies = new PolicyMap();
        policies.setPolicyEntries(entries);
        broker.setDestinationPolicy(policies);
        broker.setAdvisorySupport(false);
        broker.setSchedulerSupport(true);
        JobSchedulerStoreImpl schedulerStore = new JobSchedulerStoreImpl();
        schedulerStore.setDirectory(new File(dir, "scheduler"));
        broker.setJobSchedulerStore(schedulerStore);
        broker.setUseJmx(true);
        broker.getManagementContext().setCreateConnector(false);
        broker.setUseShutdownHook(false);
        broker.addConnector("tcp://127.0.0.1:0");
        broker.start();
        broker.waitUntilStarted();
        int port = broker.getTransportConnectors().get(0).getConnectUri().getPort();
        Path ports = Path.of(conf.get("ports"));
        Path tmp = ports.resolveSibling(ports.getFileName() + ".tmp");
        Files.writeString(tmp, "tcp=" + port + "\n");
        Files.move(tmp, ports, StandardCopyOption.ATOMIC_MOVE);
        log("broker up at tcp://127.0.0.1:" + port + ", store " + dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                log("broker stop: " + e);
            }
        }));
        Thread.sleep(TimeUnit.SECONDS.toMillis(conf.intValue("max-life", 900)));
        log("max-life reached, stopping");
        System.exit(0);
    }

    private static PolicyEntry queuePolicy(String queues, boolean cursorCache) {
        PolicyEntry policy = new PolicyEntry();
        policy.setQueue(queues);
        policy.setProducerFlowControl(false);
        policy.setUseCache(cursorCache);
        return policy;
    }

    /**
     * The gateway's store limits before its broker starts (broker/BrokerStoreLimit): the store and the
     * scheduler's store may grow by the free space less half the disk's floor. ActiveMQ's default (100 GB) would
     * be cut to the free space at start, with a warning.
     */
    static void storeLimits(SystemUsage usage, Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        long room = Math.max(0, Files.getFileStore(dir).getUsableSpace() - MIN_FREE_DISK / 2);
        limit(usage.getStoreUsage(), room);
        limit(usage.getJobSchedulerUsage(), room);
    }

    private static void limit(Usage<?> usage, long room) {
        // at least 1 byte: a limit of 0 reads as "no limit"
        usage.setLimit(Math.max(1, usage.getUsage() + room));
    }

    // -------------------------------------------------------------------------------------------------- load

    /** Exit status: 0 figures written; 2 the run broke (a worker failed, or nothing got through). */
    static int load(Conf conf) throws Exception {
        Path messagePath = Path.of(conf.get("message"));
        String json = Files.readString(messagePath, StandardCharsets.UTF_8);
        Map<String, String> fields = BrokerReport.properties(json);
        BrokerReport.refuseAttachment(json);
        String id = fields.get("id");
        String typeQueue = BrokerReport.typeQueue(fields.get("kind"), fields.get("type"));
        Map<String, Object> jmsProperties = BrokerReport.jmsProperties(fields);

        BrokerReport r = new BrokerReport();
        r.producers = conf.intValue("producers", 32);
        r.maxBatch = conf.intValue("max-batch", 256);
        r.crmConsumers = conf.intValue("crm-consumers", 8);
        r.prefetch = conf.intValue("prefetch", 10);
        r.maxInFlight = conf.intValue("max-in-flight", 2000);
        r.warmupSeconds = conf.doubleValue("warmup-seconds", 60);
        r.messageBytes = json.getBytes(StandardCharsets.UTF_8).length;
        r.messageSource = conf.get("message-label", messagePath.getFileName().toString());
        r.typeQueue = typeQueue;
        r.clkTck = conf.intValue("clk-tck", 100);
        r.cores = Runtime.getRuntime().availableProcessors();
        r.gatewayCrmRate = conf.doubleValue("gateway-crm-rate", Double.NaN);
        r.gatewayCpuMs = conf.doubleValue("gateway-cpu-ms", Double.NaN);
        r.gatewayBrokerCpuMs = conf.doubleValue("gateway-broker-cpu-ms", Double.NaN);
        long commitTimeoutMillis = conf.intValue("commit-timeout-ms", 10_000);
        double measureSeconds = conf.doubleValue("seconds", 60);
        String brokerPid = conf.get("broker-pid");

        // the gateway's client settings that reach the broker: gateway.broker.consumer-prefetch for every queue
        // consumer, and no advisory watching (the broker publishes none)
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + conf.get("port") + "?jms.prefetchPolicy.queuePrefetch=" + r.prefetch);
        factory.setWatchTopicAdvisories(false);

        GroupCommit intake = new GroupCommit(factory, r.maxBatch, commitTimeoutMillis);
        LongAdder accepted = new LongAdder();
        LongAdder failedCalls = new LongAdder();
        LongAdder completed = new LongAdder();
        AtomicLong sequence = new AtomicLong();
        Semaphore inFlight = new Semaphore(r.maxInFlight);
        AtomicBoolean measuring = new AtomicBoolean();
        STOP.set(false);
        List<Thread> producers = new ArrayList<>();
        List<Thread> consumers = new ArrayList<>();
        List<LongList> waits = new ArrayList<>();

        for (int i = 0; i < r.producers; i++) {
            LongList mine = new LongList();
            waits.add(mine);
            producers.add(thread("producer-" + i, () -> {
                while (!STOP.get()) {
                    if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    String msgId = "bench-" + sequence.incrementAndGet();
                    List<GroupCommit.Send> sends = copies(json.replace(id, msgId), jmsProperties, msgId, typeQueue);
                    long started = System.nanoTime();
                    try {
                        intake.send(sends);
                        long waited = System.nanoTime() - started;
                        accepted.increment();
                        if (measuring.get()) {
                            mine.add(waited);
                        }
                    } catch (JMSException e) {
                        failedCalls.increment();
                        // a call that timed out may still be committed, and then its CRM commit gives it back
                        if (!(e instanceof GroupCommit.NotCommittedInTime)) {
                            inFlight.release();
                        }
                        log("intake call failed: " + e);
                    }
                }
            }));
        }
        // deliver-crm's listener container: one connection, a transacted session with a cached consumer each
        Connection crmConnection = factory.createConnection();
        crmConnection.start();
        for (int i = 0; i < r.crmConsumers; i++) {
            Session s = crmConnection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer in = s.createConsumer(s.createQueue(CRM_OUTBOX));
            consumers.add(thread("crm-" + i, () -> {
                while (!STOP.get()) {
                    Message m = in.receive(RECEIVE_TIMEOUT_MILLIS);
                    if (m == null) {
                        // Spring's container commits after an empty receive too
                        s.commit();
                        continue;
                    }
                    read(m);
                    s.commit();
                    completed.increment();
                    inFlight.release();
                }
            }));
        }

        Machine machine = new Machine(r.clkTck,
                brokerPid == null ? new long[] {ProcessHandle.current().pid()}
                        : new long[] {ProcessHandle.current().pid(), Long.parseLong(brokerPid)},
                new String[] {"load", "broker"});
        intake.start();
        consumers.forEach(Thread::start);
        producers.forEach(Thread::start);
        log("warm-up " + r.warmupSeconds + " s: " + r.producers + " producer threads into a group commit of at most "
                + r.maxBatch + ", " + r.crmConsumers + " CRM consumers, " + r.messageBytes + " bytes to " + typeQueue);
        Thread.sleep((long) (r.warmupSeconds * 1000));

        long accepted0 = accepted.sum();
        long commits0 = intake.commits.sum();
        long commitNanos0 = intake.commitNanos.sum();
        long completed0 = completed.sum();
        long failed0 = failedCalls.sum();
        long failedBatches0 = intake.failedBatches.sum();
        intake.resetLargestBatch();
        measuring.set(true);
        r.loadAverageStart = loadAverage();
        long[][] cpu0 = machine.cpuSnapshot();
        log("measuring " + measureSeconds + " s");
        Thread.sleep((long) (measureSeconds * 1000));
        long[][] cpu1 = machine.cpuSnapshot();
        measuring.set(false);
        r.loadAverageEnd = loadAverage();
        r.accepted = accepted.sum() - accepted0;
        r.commits = intake.commits.sum() - commits0;
        r.commitNanos = intake.commitNanos.sum() - commitNanos0;
        r.largestBatch = intake.largestBatch();
        r.completed = completed.sum() - completed0;
        r.failedCalls = failedCalls.sum() - failed0;
        r.failedBatches = intake.failedBatches.sum() - failedBatches0;
        r.inFlightAtEnd = r.maxInFlight - inFlight.availablePermits();
        r.seconds = (cpu1[0][2] - cpu0[0][2]) / 1e9;
        r.machineBusyTicks = diff(cpu0[0][0], cpu1[0][0]);
        r.stealTicks = diff(cpu0[0][3], cpu1[0][3]);
        r.loadTicks = diff(cpu0[1][0], cpu1[1][0]);
        r.brokerTicks = cpu0.length > 2 ? diff(cpu0[2][0], cpu1[2][0]) : -1;
        r.brokerPeakRssKiB = Machine.rss(brokerPid)[0];

        // the webhooks stop first, then the intake commits what waits, then the CRM stage stops
        STOP.set(true);
        for (Thread t : producers) {
            t.join(commitTimeoutMillis + 1000);
        }
        intake.stop();
        for (Thread t : consumers) {
            t.join(RECEIVE_TIMEOUT_MILLIS + 4000);
        }
        try {
            crmConnection.close();
        } catch (JMSException e) {
            log("close: " + e);
        }
        LongList all = new LongList();
        waits.forEach(all::addAll);
        r.commitWaitNanos = all.sorted();

        String table = r.table();
        Files.writeString(Path.of(conf.get("out")), table, StandardCharsets.UTF_8);
        StringBuilder p = new StringBuilder();
        r.properties().forEach((k, v) -> p.append(k).append('=').append(v).append('\n'));
        Files.writeString(Path.of(conf.get("out") + ".properties"), p, StandardCharsets.UTF_8);
        boolean broken = failures.sum() > 0 || r.completed == 0;
        if (broken) {
            log("broken run: " + failures.sum() + " worker failure(s), " + r.completed + " completed");
        }
        return broken ? 2 : 0;
    }

    /**
     * A message's two copies as accept-webhook stores them (routing/IntakeDestinations): on its type queue, and
     * on the CRM outbox grouped by its id; one body and one set of properties for both, its id as
     * JMSCorrelationID.
     */
    static List<GroupCommit.Send> copies(String body, Map<String, Object> properties, String id, String typeQueue) {
        return List.of(new GroupCommit.Send(typeQueue, body, properties, id, null),
                new GroupCommit.Send(CRM_OUTBOX, body, properties, id, id));
    }

    /** What deliver-crm takes from a message before its POST: the text, and the headers Camel maps from it. */
    private static void read(Message m) throws JMSException {
        ((TextMessage) m).getText();
        m.getJMSCorrelationID();
        for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
            m.getObjectProperty((String) names.nextElement());
        }
    }

    /** The workers' loops end when this is set. */
    private static final AtomicBoolean STOP = new AtomicBoolean();
    /** Workers that ended on an exception before the stop: the run is broken. */
    private static final LongAdder failures = new LongAdder();

    interface Work {
        void run() throws Exception;
    }

    /** A worker: its loop ends at the stop flag; an exception stops it and marks the run as broken. */
    private static Thread thread(String name, Work work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Exception e) {
                if (!STOP.get()) {
                    failures.increment();
                    log(name + " failed: " + e);
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private static long diff(long a, long b) {
        return a < 0 || b < 0 ? -1 : b - a;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
