package org.wagateway.bench;

import static org.wagateway.bench.Log.log;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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

/**
 * The broker-alone benchmark (bench/broker.sh), its two JVMs:
 * <ul>
 *   <li>{@code broker}: one ActiveMQ Classic broker with the store and policies of the gateway's embedded broker
 *   (broker/EmbeddedBrokerConfiguration at its defaults), a TCP connector on 127.0.0.1 at a free port;</li>
 *   <li>{@code load}: the gateway's broker traffic per accepted message over TCP: a synchronous persistent send
 *   of the canonical JSON to the ingest queue (accept-webhook), a transacted read that sends it to its type
 *   queue and to the CRM outbox with JMSXGroupID and commits (dispatch, deliver), a transacted read of the outbox
 *   and its commit (deliver-crm, without the HTTP POST). A closed loop: at most max-in-flight messages between
 *   their send and their CRM commit, so the rate is what all three hops carry together.</li>
 * </ul>
 */
public final class BrokerBench {

    static final String INGEST = "whatsapp.gateway.ingest";
    static final String MEDIA = "whatsapp.gateway.media";
    static final String CRM_OUTBOX = "whatsapp.gateway.crm";

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
        List<PolicyEntry> entries = new ArrayList<>(List.of(queuePolicy(">", false)));
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

    // -------------------------------------------------------------------------------------------------- load

    /** Exit status: 0 figures written; 2 the run broke (a hop failed, or nothing got through). */
    static int load(Conf conf) throws Exception {
        Path messagePath = Path.of(conf.get("message"));
        String json = Files.readString(messagePath, StandardCharsets.UTF_8);
        Map<String, String> props = BrokerReport.properties(json);
        String id = props.get("id");
        String typeQueue = BrokerReport.typeQueue(props.get("type"));

        BrokerReport r = new BrokerReport();
        r.producers = conf.intValue("producers", 8);
        r.dispatchConsumers = conf.intValue("consumers", 2);
        r.crmConsumers = conf.intValue("crm-consumers", 8);
        r.maxInFlight = conf.intValue("max-in-flight", 2000);
        r.warmupSeconds = conf.doubleValue("warmup-seconds", 60);
        r.messageBytes = json.getBytes(StandardCharsets.UTF_8).length;
        r.messageSource = conf.get("message-label", messagePath.getFileName().toString());
        r.clkTck = conf.intValue("clk-tck", 100);
        r.cores = Runtime.getRuntime().availableProcessors();
        r.gatewayCrmRate = conf.doubleValue("gateway-crm-rate", Double.NaN);
        r.gatewayCpuMs = conf.doubleValue("gateway-cpu-ms", Double.NaN);
        r.gatewayBrokerCpuMs = conf.doubleValue("gateway-broker-cpu-ms", Double.NaN);
        double measureSeconds = conf.doubleValue("seconds", 60);
        String brokerPid = conf.get("broker-pid");

        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + conf.get("port") + "?jms.prefetchPolicy.queuePrefetch="
                        + conf.intValue("prefetch", 10));
        factory.setWatchTopicAdvisories(false);

        LongAdder sent = new LongAdder();
        LongAdder dispatched = new LongAdder();
        LongAdder completed = new LongAdder();
        LongAdder failedSends = new LongAdder();
        AtomicLong sequence = new AtomicLong();
        Semaphore inFlight = new Semaphore(r.maxInFlight);
        STOP.set(false);
        List<Thread> threads = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();

        for (int i = 0; i < r.producers; i++) {
            Session s = session(factory, connections, false);
            MessageProducer p = s.createProducer(s.createQueue(INGEST));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            threads.add(thread("producer-" + i, () -> {
                while (!STOP.get()) {
                    if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    String msgId = "bench-" + sequence.incrementAndGet();
                    TextMessage m = s.createTextMessage(json.replace(id, msgId));
                    m.setJMSCorrelationID(msgId);
                    m.setStringProperty("provider", props.get("provider"));
                    m.setStringProperty("kind", props.get("kind"));
                    m.setStringProperty("type", props.get("type"));
                    m.setStringProperty("chatId", props.get("chatId"));
                    try {
                        p.send(m);
                        sent.increment();
                    } catch (JMSException e) {
                        failedSends.increment();
                        inFlight.release();
                        log("send failed: " + e);
                    }
                }
            }));
        }
        for (int i = 0; i < r.dispatchConsumers; i++) {
            Session s = session(factory, connections, true);
            MessageConsumer in = s.createConsumer(s.createQueue(INGEST));
            MessageProducer byType = s.createProducer(s.createQueue(typeQueue));
            MessageProducer outbox = s.createProducer(s.createQueue(CRM_OUTBOX));
            byType.setDeliveryMode(DeliveryMode.PERSISTENT);
            outbox.setDeliveryMode(DeliveryMode.PERSISTENT);
            threads.add(thread("dispatch-" + i, () -> {
                while (!STOP.get()) {
                    Message m = in.receive(500);
                    if (m == null) {
                        continue;
                    }
                    String text = ((TextMessage) m).getText();
                    byType.send(copy(s, m, text));
                    TextMessage toCrm = copy(s, m, text);
                    toCrm.setStringProperty("JMSXGroupID", m.getJMSCorrelationID());
                    outbox.send(toCrm);
                    s.commit();
                    dispatched.increment();
                }
            }));
        }
        for (int i = 0; i < r.crmConsumers; i++) {
            Session s = session(factory, connections, true);
            MessageConsumer in = s.createConsumer(s.createQueue(CRM_OUTBOX));
            threads.add(thread("crm-" + i, () -> {
                while (!STOP.get()) {
                    Message m = in.receive(500);
                    if (m == null) {
                        continue;
                    }
                    ((TextMessage) m).getText();
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
        threads.forEach(Thread::start);
        log("warm-up " + r.warmupSeconds + " s: " + r.producers + " producers, " + r.dispatchConsumers
                + " dispatch consumers, " + r.crmConsumers + " CRM consumers, " + r.messageBytes + " bytes");
        Thread.sleep((long) (r.warmupSeconds * 1000));

        long sent0 = sent.sum();
        long dispatched0 = dispatched.sum();
        long completed0 = completed.sum();
        long failed0 = failedSends.sum();
        r.loadAverageStart = loadAverage();
        long[][] cpu0 = machine.cpuSnapshot();
        log("measuring " + measureSeconds + " s");
        Thread.sleep((long) (measureSeconds * 1000));
        long[][] cpu1 = machine.cpuSnapshot();
        r.loadAverageEnd = loadAverage();
        r.sent = sent.sum() - sent0;
        r.dispatched = dispatched.sum() - dispatched0;
        r.completed = completed.sum() - completed0;
        r.failedSends = failedSends.sum() - failed0;
        r.inFlightAtEnd = sent.sum() - completed.sum();
        r.seconds = (cpu1[0][2] - cpu0[0][2]) / 1e9;
        r.machineBusyTicks = diff(cpu0[0][0], cpu1[0][0]);
        r.stealTicks = diff(cpu0[0][3], cpu1[0][3]);
        r.loadTicks = diff(cpu0[1][0], cpu1[1][0]);
        r.brokerTicks = cpu0.length > 2 ? diff(cpu0[2][0], cpu1[2][0]) : -1;
        r.brokerPeakRssKiB = Machine.rss(brokerPid)[0];

        STOP.set(true);
        for (Thread t : threads) {
            t.join(5000);
        }
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                log("close: " + e);
            }
        }
        String table = r.table();
        Files.writeString(Path.of(conf.get("out")), table, StandardCharsets.UTF_8);
        StringBuilder p = new StringBuilder();
        r.properties().forEach((k, v) -> p.append(k).append('=').append(v).append('\n'));
        Files.writeString(Path.of(conf.get("out") + ".properties"), p, StandardCharsets.UTF_8);
        boolean broken = failures.sum() > 0 || r.completed == 0;
        if (broken) {
            log("broken run: " + failures.sum() + " hop failure(s), " + r.completed + " completed");
        }
        return broken ? 2 : 0;
    }

    /** The workers' loops end when this is set. */
    private static final AtomicBoolean STOP = new AtomicBoolean();
    /** Workers that ended on an exception before the stop: the run is broken. */
    private static final LongAdder failures = new LongAdder();

    /** A new message with the text and the properties the routes carry from hop to hop (Camel copies them so). */
    private static TextMessage copy(Session s, Message from, String text) throws JMSException {
        TextMessage m = s.createTextMessage(text);
        m.setJMSCorrelationID(from.getJMSCorrelationID());
        for (String key : new String[] {"provider", "kind", "type", "chatId"}) {
            m.setStringProperty(key, from.getStringProperty(key));
        }
        return m;
    }

    interface Work {
        void run() throws Exception;
    }

    /** A worker: its loop ends at the stop flag; an exception stops it and marks the run as broken. */
    /** A session on a started connection of its own (one per producer and per consumer), kept to close at the end. */
    private static Session session(ConnectionFactory factory, List<Connection> connections, boolean transacted)
            throws JMSException {
        Connection connection = factory.createConnection();
        connection.start();
        connections.add(connection);
        return connection.createSession(transacted, transacted ? Session.SESSION_TRANSACTED : Session.AUTO_ACKNOWLEDGE);
    }

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
