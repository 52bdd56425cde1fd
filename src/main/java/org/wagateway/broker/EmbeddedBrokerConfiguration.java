package org.wagateway.broker;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.camel.component.jms.JmsComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.jms.activemq.ActiveMQConnectionFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;
import org.wagateway.config.GatewayProperties;
import org.wagateway.storage.DiskSpaceGuard;

/**
 * The default broker: ActiveMQ Classic inside the gateway's process, persistent (KahaDB under
 * {@code <gateway.data-dir>/broker}), reached by the gateway over {@code vm://} and by external consumers over
 * TCP. Setting {@code spring.activemq.broker-url} turns it off and Spring Boot connects to that broker instead.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedBrokerConfiguration.NoExternalBroker.class)
public class EmbeddedBrokerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerConfiguration.class);

    @Bean
    ScheduledDelivery scheduledDelivery() {
        return new ScheduledDelivery();
    }

    @Bean(destroyMethod = "stop")
    ResumingIOExceptionHandler brokerIOExceptionHandler(GatewayProperties properties, ScheduledDelivery scheduled) {
        return new ResumingIOExceptionHandler(properties.getData().getCheckInterval().toMillis(),
                () -> properties.getData().getMinFreeDisk().toBytes(), scheduled);
    }

    @Bean
    BrokerStoreLimit brokerStoreLimit(BrokerService embeddedBroker, ScheduledDelivery scheduled) {
        return new BrokerStoreLimit(embeddedBroker, scheduled);
    }

    @Bean(destroyMethod = "stop")
    BrokerService embeddedBroker(GatewayProperties properties, ResumingIOExceptionHandler ioExceptionHandler,
                                 ScheduledDelivery scheduled, DiskSpaceGuard disk,
                                 ObjectProvider<BrokerPlugin> plugins) throws Exception {
        GatewayProperties.Broker settings = properties.getBroker();
        Path brokerDir = properties.getDataDir().resolve("broker").toAbsolutePath();
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(brokerDir.resolve("kahadb").toFile());
        // KahaDB keeps this many index pages (4 KiB each) on the heap; its default (10,000) is 40 MiB of a small heap
        kahaDb.setIndexCacheSize(settings.getIndexCacheSize());
        // Each journal file is written in full (zeros, 1 MiB at a time) when it is created, the next one ahead of
        // time: appends go to space already taken, so a disk another process fills does not fail them half-way.
        // (A sparse file, KahaDB's default, takes its blocks only as records arrive, and a full disk then cut
        // records short.) "zeros" would do the same from one direct buffer the size of a whole file.
        kahaDb.setJournalMaxFileLength(Math.toIntExact(settings.getJournalFileLength().toBytes()));
        kahaDb.setPreallocationStrategy("chunked_zeros");
        kahaDb.setPreallocationScope("entire_journal_async");
        // On start, records cut short (a crash mid-write, a full disk) are found by their checksums and skipped,
        // instead of ending the recovery of the rest of their file
        kahaDb.setCheckForCorruptJournalFiles(true);

        long retryMillis = properties.getData().getCheckInterval().toMillis();
        BrokerService broker = new BrokerService() {
            @Override
            protected Broker addInterceptors(Broker regionBroker) throws Exception {
                // under the scheduler, which sends its due messages straight to the queues
                return super.addInterceptors(new HeldScheduledSends(regionBroker, this, scheduled, retryMillis));
            }
        };
        broker.setBrokerName(settings.getName());
        broker.setDataDirectoryFile(brokerDir.toFile());
        broker.setPersistent(true);
        broker.setPersistenceAdapter(kahaDb);
        // Messages the broker keeps in memory (queue cursors' caches) beyond what is on disk; by default 70 % of the
        // heap, which leaves the gateway itself starving (GC) once queues without consumers fill up. Beyond the
        // limit persistent messages simply stay on disk until they are consumed.
        broker.getSystemUsage().getMemoryUsage().setLimit(settings.getMemoryLimit().toBytes());
        // A store at its limit (BrokerStoreLimit keeps it below the disk's floor) refuses a send at once: the
        // producer gets ResourceAllocationException (a webhook 503, a stage rolls back) instead of waiting,
        // blocked, for space
        broker.getSystemUsage().setSendFailIfNoSpace(true);
        // sized from the disk's first measure before the broker starts (ActiveMQ's default, 100 GB, would be cut
        // to the free space at start with a warning); BrokerStoreLimit moves it at each measure
        BrokerStoreLimit.limit(broker.getSystemUsage(), disk.state());
        broker.setIoExceptionHandler(ioExceptionHandler);
        // ActiveMQ's plugins (authentication, logging, a test's faults) declared as beans join the broker's chain
        broker.setPlugins(plugins.orderedStream().toArray(BrokerPlugin[]::new));
        // No producer flow control on queues: a queue nobody reads (a consumer down for the weekend) must not block
        // the sends into it once memory is full; with flow control it would stall the dispatch transaction, then
        // the ingest queue, then every webhook. Persistent messages past the memory limit wait on disk instead.
        // No cursor cache on queues read by others (by type, statuses, dead letters): such a queue keeps no
        // copies of its stored messages in memory. With the cache, a queue nobody read kept its messages
        // cached, the memory stayed full, and then no queue could page in messages for its consumers: the
        // stages stopped.
        List<PolicyEntry> entries = new ArrayList<>(List.of(queuePolicy(">", false)));
        // The gateway's own stage queues always have their consumers: their cache saves reading each message
        // back from the store, and empties as they are consumed.
        for (String stage : properties.getQueues().stages()) {
            PolicyEntry policy = queuePolicy(stage, true);
            if (stage.equals(properties.getQueues().getCrmOutbox())) {
                // The store limit does not apply to the CRM outbox: the broker's scheduler sends its due CRM
                // retries there, and a refused one holds up every other retry (HeldScheduledSends). (Sends that
                // bring new messages in are refused on the other queues they go to, in the same transaction.)
                policy.setStoreUsageHighWaterMark(Integer.MAX_VALUE);
            }
            entries.add(policy);
        }
        PolicyMap policies = new PolicyMap();
        policies.setPolicyEntries(entries);
        broker.setDestinationPolicy(policies);
        // No advisory messages: nothing here reads them, and the broker would publish one for every producer,
        // consumer and connection opened or closed (work on the path of every send that opens a producer)
        broker.setAdvisorySupport(false);
        // CRM retries wait here as scheduled messages (AMQ_SCHEDULED_DELAY), in a persistent store of their own;
        // a due one leaves it only once its queue has taken it (HeldScheduledSends), and a failed write of its
        // own does not stop it (KeptSchedulerStore)
        broker.setSchedulerSupport(true);
        KeptSchedulerStore schedulerStore = new KeptSchedulerStore(ioExceptionHandler);
        schedulerStore.setDirectory(brokerDir.resolve("scheduler").toFile());
        broker.setJobSchedulerStore(schedulerStore);
        // Queues and their depth show in Hawtio through the platform MBean server; no separate JMX connector.
        broker.setUseJmx(true);
        broker.getManagementContext().setCreateConnector(false);
        // Spring stops the broker after the routes that use it, not a JVM hook racing them.
        broker.setUseShutdownHook(false);
        broker.addConnector("tcp://" + settings.getTcpHost() + ":" + settings.getTcpPort());
        broker.start();
        broker.waitUntilStarted();
        LOG.info("Embedded ActiveMQ broker '{}' started, store {}, external consumers at {}", settings.getName(),
                brokerDir, broker.getTransportConnectors().get(0).getPublishableConnectString());
        return broker;
    }

    private static PolicyEntry queuePolicy(String queues, boolean cursorCache) {
        PolicyEntry policy = new PolicyEntry();
        policy.setQueue(queues);
        policy.setProducerFlowControl(false);
        policy.setUseCache(cursorCache);
        return policy;
    }

    /** The stage consumers' JMS component ({@code jmsStage:}): they read on sessions of the pool. */
    @Bean("jmsStage")
    JmsComponent jmsStage(ConnectionFactory connectionFactory) {
        return StageConsumers.onPooledConnections(connectionFactory);
    }

    /** Points Spring Boot's ActiveMQ connection factory at the embedded broker, once it runs. */
    @Bean
    ActiveMQConnectionFactoryCustomizer embeddedBrokerConnection(BrokerService embeddedBroker) {
        return factory -> {
            factory.setBrokerURL(embeddedBrokerUrl(embeddedBroker.getBrokerName()));
            // the broker publishes no advisories (see above): nothing to watch
            factory.setWatchTopicAdvisories(false);
            // a message the broker dispatches goes straight to its consumer's queue of received messages, not
            // through a session thread first (the stage consumers receive; none is a MessageListener)
            factory.setAlwaysSessionAsync(false);
        };
    }

    /**
     * The in-process address of the embedded broker. {@code async=false}: the broker handles each command (a
     * send, a commit, an acknowledgement) in the thread that sends it, and hands a dispatch to the client in the
     * thread that dispatches it, instead of queueing each on one thread per connection and direction; those
     * hand-overs cost about a quarter of a message's CPU (the benchmark's experiments log). Safe here because no
     * queue has producer flow control (a send never waits inside the broker for a consumer) and the client
     * handles a dispatch without calling back into the broker.
     */
    static String embeddedBrokerUrl(String brokerName) {
        return "vm://" + brokerName + "?create=false&async=false";
    }

    static class NoExternalBroker implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.activemq.broker-url"));
        }
    }
}
