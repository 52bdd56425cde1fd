package org.wagateway.cluster;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.context.SmartLifecycle;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.wagateway.config.GatewayProperties;

/**
 * Health component {@code cluster}: the other gateway instances on the same broker, found by the heartbeats each
 * publishes on {@code gateway.cluster.topic} (non-persistent, expiring: a topic keeps nothing for an instance
 * that is gone). Each heartbeat carries the digests of the instance's {@link SharedSettings}; DOWN while another
 * instance's digest of a setting differs (the setting is named, its value never), or while other instances exist
 * and this one keeps its ids in an H2 database of its own (each instance would let through the duplicates the
 * other one saw). A single instance on an external broker with H2 stays UP: nothing is split until a second one
 * appears, within one heartbeat.
 */
public class ClusterPeers extends AbstractHealthIndicator implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPeers.class);

    static final String INSTANCE = "instance";
    static final String NAME = "name";
    static final String LEAVING = "leaving";
    static final String SETTING_PREFIX = "setting:";

    private final String instance = UUID.randomUUID().toString();
    private final String name;
    private final Map<String, String> digests;
    private final boolean ownIdStore;
    private final Duration interval;
    private final JmsTemplate jms;
    private final DefaultMessageListenerContainer listener;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private ScheduledExecutorService heartbeat;
    private volatile List<String> lastProblems = List.of();
    private volatile boolean running;

    record Peer(String name, Map<String, String> digests, long seenNanos) {
    }

    ClusterPeers(ConnectionFactory connectionFactory, GatewayProperties properties, Map<String, String> digests,
                 boolean ownIdStore) {
        super("Cluster check failed");
        this.name = hostName() + "/" + ManagementFactory.getRuntimeMXBean().getPid();
        this.digests = Collections.unmodifiableMap(new LinkedHashMap<>(digests));
        this.ownIdStore = ownIdStore;
        this.interval = properties.getCluster().getHeartbeatInterval();
        String topic = properties.getCluster().getTopic();
        jms = new JmsTemplate(connectionFactory);
        jms.setPubSubDomain(true);
        jms.setDefaultDestinationName(topic);
        jms.setExplicitQosEnabled(true);
        jms.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        jms.setTimeToLive(interval.multipliedBy(3).toMillis());
        listener = new DefaultMessageListenerContainer();
        listener.setConnectionFactory(connectionFactory);
        listener.setPubSubDomain(true);
        listener.setDestinationName(topic);
        listener.setMessageListener((jakarta.jms.MessageListener) this::received);
        listener.setAutoStartup(false);
        listener.setBeanName("cluster-heartbeats");
        listener.afterPropertiesSet();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    @Override
    public void start() {
        listener.start();
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cluster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
        LOG.info("Cluster heartbeats as {} every {} s", name, interval.toSeconds());
    }

    @Override
    public void stop() {
        running = false;
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        try {
            send(true);
        } catch (RuntimeException e) {
            LOG.debug("No leaving heartbeat: {}", e.toString());
        }
        listener.stop();
        listener.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Early (before the routes, which Camel starts in its own phase), and stopped late. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    private void beat() {
        try {
            send(false);
        } catch (RuntimeException e) {
            // the broker is away (failover reconnects): the next beat tries again
            LOG.debug("Heartbeat not sent: {}", e.toString());
        }
        report();
    }

    private void send(boolean leaving) {
        jms.send(session -> {
            MapMessage message = session.createMapMessage();
            message.setString(INSTANCE, instance);
            message.setString(NAME, name);
            message.setBoolean(LEAVING, leaving);
            for (Map.Entry<String, String> digest : digests.entrySet()) {
                message.setString(SETTING_PREFIX + digest.getKey(), digest.getValue());
            }
            return message;
        });
    }

    private void received(Message message) {
        try {
            if (!(message instanceof MapMessage map) || instance.equals(map.getString(INSTANCE))
                    || map.getString(INSTANCE) == null) {
                return;
            }
            String peer = map.getString(INSTANCE);
            if (map.getBoolean(LEAVING)) {
                peers.remove(peer);
                return;
            }
            Map<String, String> theirs = new LinkedHashMap<>();
            for (Enumeration<?> names = map.getMapNames(); names.hasMoreElements(); ) {
                String key = (String) names.nextElement();
                if (key.startsWith(SETTING_PREFIX)) {
                    theirs.put(key.substring(SETTING_PREFIX.length()), map.getString(key));
                }
            }
            Peer previous = peers.put(peer, new Peer(map.getString(NAME), theirs, System.nanoTime()));
            if (previous == null) {
                report();
            }
        } catch (JMSException e) {
            LOG.debug("Unreadable heartbeat: {}", e.toString());
        }
    }

    /** The other instances heard from within three heartbeat intervals. */
    Map<String, Peer> livePeers() {
        long oldest = System.nanoTime() - interval.multipliedBy(3).toNanos();
        peers.values().removeIf(peer -> peer.seenNanos() < oldest);
        return peers;
    }

    /** What is wrong with this instance among the others: each setting that differs, the own id store. */
    List<String> problems() {
        Map<String, Peer> live = livePeers();
        List<String> problems = new ArrayList<>();
        if (!live.isEmpty() && ownIdStore) {
            problems.add("split brain: this instance keeps its ids in an H2 database of its own ("
                    + SharedSettings.DATASOURCE_URL + ") while " + live.size() + " other instance(s) use the same "
                    + "broker: duplicates are caught per instance only; point every instance at one PostgreSQL");
        }
        Map<String, List<String>> differing = new TreeMap<>();
        for (Peer peer : live.values()) {
            peer.digests().forEach((key, theirs) -> {
                String ours = digests.get(key);
                if (ours != null && !ours.equals(theirs)) {
                    differing.computeIfAbsent(key, k -> new ArrayList<>()).add(peer.name());
                }
            });
        }
        differing.forEach((key, names) -> problems.add(key + " differs from " + names
                + (key.equals(SharedSettings.LINK_SECRET) && digests.get(key).startsWith("generated-")
                        ? " (unset here: each instance signs media links with a key of its own; set one for all)"
                        : "")));
        return problems;
    }

    private void report() {
        List<String> problems = problems();
        if (!problems.equals(lastProblems)) {
            if (problems.isEmpty()) {
                LOG.info("Cluster settings agree with the {} other instance(s)", livePeers().size());
            } else {
                problems.forEach(problem -> LOG.error("Cluster: {}", problem));
            }
            lastProblems = problems;
        }
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        List<String> problems = problems();
        Map<String, Peer> live = livePeers();
        (problems.isEmpty() ? builder.up() : builder.down())
                .withDetail("instance", name)
                .withDetail("otherInstances", live.values().stream().map(Peer::name).sorted().toList());
        if (!problems.isEmpty()) {
            builder.withDetail("problems", problems);
        }
    }
}
