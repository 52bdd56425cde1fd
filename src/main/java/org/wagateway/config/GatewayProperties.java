package org.wagateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code gateway.*} settings, outside {@code gateway.media.*} ({@code MediaProperties}) and each provider's
 * {@code gateway.<provider>.*} (the {@code *Properties} class of its package under {@code provider/}). Each key is a field
 * here, its javadoc its description and its initialiser its only default: the configuration processor lists them
 * in {@code META-INF/spring-configuration-metadata.json}, {@link PropertyDefaults} gives the routes' and
 * {@code application.yaml}'s placeholders the same defaults, and {@code docs/configuration.md} must list every
 * key with that default ({@code ConfigurationTableTest} says what is missing). Every key needs its getter and
 * setter, also those only the routes or Spring's settings read as placeholders ({@code routes-dir}, {@code crm.url},
 * {@code crm.*-timeout-ms}, {@code crm.concurrent-deliveries}, {@code dispatch.concurrent-consumers}): the processor
 * lists a key by them and {@link PropertyDefaults} reads the default through the getter.
 */
@ConfigurationProperties("gateway")
public class GatewayProperties {

    /**
     * Where the gateway keeps its state: the embedded broker's store ({@code broker/}), the idempotency store
     * ({@code idempotency/}, through {@code spring.datasource.url}) and the media copies ({@code media/}). H2 wants
     * a relative path to start with {@code ./}.
     */
    private Path dataDir = Path.of("./data");
    private final Data data = new Data();
    private final Broker broker = new Broker();
    private final Crm crm = new Crm();
    private final Routing routing = new Routing();
    private final Queues queues = new Queues();
    private final Dispatch dispatch = new Dispatch();
    private final Intake intake = new Intake();
    private final Idempotency idempotency = new Idempotency();
    private final Admin admin = new Admin();
    private final Webhook webhook = new Webhook();
    private final Ops ops = new Ops();
    private final Cluster cluster = new Cluster();
    /** The folder the Camel YAML routes are loaded from at start ({@code camel.main.routes-include-pattern}). */
    private Path routesDir = Path.of("./routes");

    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public Data getData() { return data; }
    public Broker getBroker() { return broker; }
    public Crm getCrm() { return crm; }
    public Routing getRouting() { return routing; }
    public Queues getQueues() { return queues; }
    public Dispatch getDispatch() { return dispatch; }
    public Intake getIntake() { return intake; }
    public Idempotency getIdempotency() { return idempotency; }
    public Admin getAdmin() { return admin; }
    public Webhook getWebhook() { return webhook; }
    public Ops getOps() { return ops; }
    public Cluster getCluster() { return cluster; }
    public Path getRoutesDir() { return routesDir; }
    public void setRoutesDir(Path routesDir) { this.routesDir = routesDir; }

    /**
     * gateway.data.*: the free space the data folder's disk must keep. Below the floor, webhooks are answered 503
     * (with Retry-After) and attachments are not fetched; the broker refuses writes itself once its store would
     * eat into the lower half of the floor, so KahaDB and H2 never meet a full disk by their own growth.
     */
    public static class Data {
        /**
         * The floor, one fixed size: what must fit in it is the gateway's own burst (a journal file being
         * preallocated, the writes between two checks, one attachment), which does not grow with the disk.
         */
        private DataSize minFreeDisk = DataSize.ofMegabytes(256);
        /** How often the free space is measured (one statvfs call; webhooks read the last measure). */
        private Duration checkInterval = Duration.ofSeconds(5);
        /** The Retry-After of a webhook refused for space. */
        private Duration retryAfter = Duration.ofSeconds(30);

        public DataSize getMinFreeDisk() { return minFreeDisk; }
        public void setMinFreeDisk(DataSize minFreeDisk) { this.minFreeDisk = minFreeDisk; }
        public Duration getCheckInterval() { return checkInterval; }
        public void setCheckInterval(Duration checkInterval) { this.checkInterval = checkInterval; }
        public Duration getRetryAfter() { return retryAfter; }
        public void setRetryAfter(Duration retryAfter) { this.retryAfter = retryAfter; }
    }

    public static class Broker {
        /** Name of the embedded broker (its vm:// address and its JMX name in Hawtio). */
        private String name = "gateway";
        /** TCP port the embedded broker also listens on, for external consumers; 0 picks a free one. */
        private int tcpPort = 61616;
        /** Host the embedded broker's TCP listener binds to. */
        private String tcpHost = "localhost";
        /** Memory the broker may use for messages (cursor caches); the rest waits on disk. */
        private DataSize memoryLimit = DataSize.ofMegabytes(32);
        /** KahaDB index pages (4 KiB each) kept on the heap. */
        private int indexCacheSize = 2000;
        /** Messages the broker hands each of the gateway's queue consumers ahead of their acknowledgements. */
        private int consumerPrefetch = 10;
        /** Size of each KahaDB journal file; each is written in full when created, so its space is reserved. */
        private DataSize journalFileLength = DataSize.ofMegabytes(32);
        /**
         * With an external broker: refuse to start unless it delays scheduled messages ({@code schedulerSupport});
         * false starts anyway, with a warning in the log and on health.
         */
        private boolean requireScheduler = true;

        public boolean isRequireScheduler() { return requireScheduler; }
        public void setRequireScheduler(boolean requireScheduler) { this.requireScheduler = requireScheduler; }
        public DataSize getMemoryLimit() { return memoryLimit; }
        public void setMemoryLimit(DataSize memoryLimit) { this.memoryLimit = memoryLimit; }
        public int getIndexCacheSize() { return indexCacheSize; }
        public void setIndexCacheSize(int indexCacheSize) { this.indexCacheSize = indexCacheSize; }
        public DataSize getJournalFileLength() { return journalFileLength; }
        public void setJournalFileLength(DataSize journalFileLength) { this.journalFileLength = journalFileLength; }
        public int getConsumerPrefetch() { return consumerPrefetch; }
        public void setConsumerPrefetch(int consumerPrefetch) { this.consumerPrefetch = consumerPrefetch; }

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public int getTcpPort() { return tcpPort; }
        public void setTcpPort(int tcpPort) { this.tcpPort = tcpPort; }
        public String getTcpHost() { return tcpHost; }
        public void setTcpHost(String tcpHost) { this.tcpHost = tcpHost; }
    }

    public static class Crm {
        /** Where canonical messages are POSTed; unset turns the CRM leg off. */
        private String url;
        /** How long the CRM may take to accept the connection (camel-http's {@code connect-timeout}). */
        private int connectTimeoutMs = 5000;
        /** How long the CRM may take to answer a POST (camel-http's {@code response-timeout}). */
        private int responseTimeoutMs = 15000;
        /** Attempts after the first before a message goes to the CRM dead-letter queue. */
        private int maximumRedeliveries = 12;
        /** First wait between attempts; it grows by {@link #backOffMultiplier} with each further attempt. */
        private long redeliveryDelayMs = 1000;
        /** Each further wait between attempts is this many times the one before. */
        private double backOffMultiplier = 2.0;
        /** The longest wait between two attempts. */
        private long maximumRedeliveryDelayMs = 600_000;
        /** The longest wait a CRM's Retry-After is honoured with. */
        private long maximumRetryAfterMs = 3_600_000;
        /** Messages POSTed at once (consumers of the CRM outbox). */
        private int concurrentDeliveries = 8;
        private final CircuitBreakerSettings circuitBreaker = new CircuitBreakerSettings();

        public double getBackOffMultiplier() { return backOffMultiplier; }
        public void setBackOffMultiplier(double backOffMultiplier) { this.backOffMultiplier = backOffMultiplier; }
        public long getMaximumRedeliveryDelayMs() { return maximumRedeliveryDelayMs; }
        public void setMaximumRedeliveryDelayMs(long value) { this.maximumRedeliveryDelayMs = value; }
        public long getMaximumRetryAfterMs() { return maximumRetryAfterMs; }
        public void setMaximumRetryAfterMs(long maximumRetryAfterMs) { this.maximumRetryAfterMs = maximumRetryAfterMs; }
        public int getConcurrentDeliveries() { return concurrentDeliveries; }
        public void setConcurrentDeliveries(int concurrentDeliveries) { this.concurrentDeliveries = concurrentDeliveries; }
        public CircuitBreakerSettings getCircuitBreaker() { return circuitBreaker; }

        /** gateway.crm.circuit-breaker.*: when to stop calling a CRM in trouble, and for how long. */
        public static class CircuitBreakerSettings {
            /** Percentage of failed calls (among the last sliding-window-size) that opens the breaker. */
            private float failureRateThreshold = 50;
            /** Calls the failure rate is taken over. */
            private int slidingWindowSize = 20;
            /** Calls needed before the failure rate counts at all. */
            private int minimumNumberOfCalls = 10;
            /** How long the breaker stays open before trial calls. */
            private long waitDurationInOpenStateMs = 30_000;
            /** Trial calls let through once the wait in the open state is over. */
            private int permittedCallsInHalfOpenState = 2;
            /** Suspend the deliver-crm route while the breaker is open (messages wait on the outbox queue). */
            private boolean suspendRoute = true;

            public float getFailureRateThreshold() { return failureRateThreshold; }
            public void setFailureRateThreshold(float value) { this.failureRateThreshold = value; }
            public int getSlidingWindowSize() { return slidingWindowSize; }
            public void setSlidingWindowSize(int slidingWindowSize) { this.slidingWindowSize = slidingWindowSize; }
            public int getMinimumNumberOfCalls() { return minimumNumberOfCalls; }
            public void setMinimumNumberOfCalls(int minimumNumberOfCalls) { this.minimumNumberOfCalls = minimumNumberOfCalls; }
            public long getWaitDurationInOpenStateMs() { return waitDurationInOpenStateMs; }
            public void setWaitDurationInOpenStateMs(long value) { this.waitDurationInOpenStateMs = value; }
            public int getPermittedCallsInHalfOpenState() { return permittedCallsInHalfOpenState; }
            public void setPermittedCallsInHalfOpenState(int value) { this.permittedCallsInHalfOpenState = value; }
            public boolean isSuspendRoute() { return suspendRoute; }
            public void setSuspendRoute(boolean suspendRoute) { this.suspendRoute = suspendRoute; }
        }

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public int getConnectTimeoutMs() { return connectTimeoutMs; }
        public void setConnectTimeoutMs(int connectTimeoutMs) { this.connectTimeoutMs = connectTimeoutMs; }
        public int getResponseTimeoutMs() { return responseTimeoutMs; }
        public void setResponseTimeoutMs(int responseTimeoutMs) { this.responseTimeoutMs = responseTimeoutMs; }
        public int getMaximumRedeliveries() { return maximumRedeliveries; }
        public void setMaximumRedeliveries(int maximumRedeliveries) { this.maximumRedeliveries = maximumRedeliveries; }
        public long getRedeliveryDelayMs() { return redeliveryDelayMs; }
        public void setRedeliveryDelayMs(long redeliveryDelayMs) { this.redeliveryDelayMs = redeliveryDelayMs; }

        public boolean isEnabled() {
            return url != null && !url.isBlank();
        }
    }

    /** Which queue each canonical message goes to. */
    public static class Routing {
        /** Queue of a message whose type has no entry in {@link #types}; {type} is replaced by the type. */
        private String messageQueue = "whatsapp.in.{type}";
        /** Queue of delivery and read statuses. */
        private String statusQueue = "whatsapp.status";
        /** Queue of events (calls, state changes, blocks). */
        private String eventQueue = "whatsapp.events";
        /** Where everything of type unknown goes, with its raw payload. */
        private String unknownQueue = "whatsapp.in.unknown";
        /** Per-type overrides, e.g. {@code sticker: whatsapp.in.image}. */
        private Map<String, String> types = new LinkedHashMap<>();

        public String getMessageQueue() { return messageQueue; }
        public void setMessageQueue(String messageQueue) { this.messageQueue = messageQueue; }
        public String getStatusQueue() { return statusQueue; }
        public void setStatusQueue(String statusQueue) { this.statusQueue = statusQueue; }
        public String getEventQueue() { return eventQueue; }
        public void setEventQueue(String eventQueue) { this.eventQueue = eventQueue; }
        public String getUnknownQueue() { return unknownQueue; }
        public void setUnknownQueue(String unknownQueue) { this.unknownQueue = unknownQueue; }
        public Map<String, String> getTypes() { return types; }
        public void setTypes(Map<String, String> types) { this.types = types; }
    }

    /** The gateway's own queues, between its stages. */
    public static class Queues {
        /** Accepted webhooks, as canonical JSON, waiting to be routed. */
        private String ingest = "whatsapp.gateway.ingest";
        /** Canonical messages waiting to be POSTed to the CRM. */
        private String crmOutbox = "whatsapp.gateway.crm";
        /** What the CRM refused or could not take after every retry. */
        private String dlqCrm = "whatsapp.dlq.crm";
        /** What could not be routed to its queue after every retry. */
        private String dlqDispatch = "whatsapp.dlq.dispatch";
        /** Messages whose attachment waits for its download. */
        private String media = "whatsapp.gateway.media";
        /** Copies of messages whose attachment was refused or failed, for a later retry. */
        private String dlqMedia = "whatsapp.dlq.media";
        /** Webhooks refused as malformed, too large or of the wrong type (bounded copy, with the reason). */
        private String dlqRejected = "whatsapp.dlq.rejected";
        /** Canonical messages that fail the canonical JSON Schema. */
        private String dlqInvalid = "whatsapp.dlq.invalid";
        /** Where the start-up check of an external broker sends its one scheduled probe message. */
        private String probe = "whatsapp.gateway.probe";

        public String getProbe() { return probe; }
        public void setProbe(String probe) { this.probe = probe; }
        public String getIngest() { return ingest; }
        public void setIngest(String ingest) { this.ingest = ingest; }
        public String getCrmOutbox() { return crmOutbox; }
        public void setCrmOutbox(String crmOutbox) { this.crmOutbox = crmOutbox; }
        public String getDlqCrm() { return dlqCrm; }
        public void setDlqCrm(String dlqCrm) { this.dlqCrm = dlqCrm; }
        public String getDlqDispatch() { return dlqDispatch; }
        public void setDlqDispatch(String dlqDispatch) { this.dlqDispatch = dlqDispatch; }
        public String getMedia() { return media; }
        public void setMedia(String media) { this.media = media; }
        public String getDlqMedia() { return dlqMedia; }
        public void setDlqMedia(String dlqMedia) { this.dlqMedia = dlqMedia; }
        public String getDlqRejected() { return dlqRejected; }
        public void setDlqRejected(String dlqRejected) { this.dlqRejected = dlqRejected; }
        public String getDlqInvalid() { return dlqInvalid; }
        public void setDlqInvalid(String dlqInvalid) { this.dlqInvalid = dlqInvalid; }

        /** The gateway's own stage queues: it is their only consumer. */
        public List<String> stages() {
            return List.of(ingest, media, crmOutbox);
        }

        /** Every dead-letter queue. */
        public List<String> deadLetters() {
            return List.of(dlqCrm, dlqMedia, dlqDispatch, dlqInvalid, dlqRejected);
        }
    }

    /** The webhooks' front door (WebhookRequestFilter). */
    public static class Webhook {
        /** Larger bodies are answered 413 (a bounded copy is kept on whatsapp.dlq.rejected). */
        private int maxBodyBytes = 1_048_576;
        /**
         * The longest an authenticated caller may take to send its whole body, from its headers on: later is 408.
         * The body is read without a thread meanwhile, so slow callers cost connections, not request threads.
         */
        private Duration bodyTimeout = Duration.ofSeconds(10);

        public int getMaxBodyBytes() { return maxBodyBytes; }
        public void setMaxBodyBytes(int maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; }
        public Duration getBodyTimeout() { return bodyTimeout; }
        public void setBodyTimeout(Duration bodyTimeout) { this.bodyTimeout = bodyTimeout; }
    }

    /**
     * gateway.intake.*: how accepted webhooks are stored. The webhooks waiting at one moment share one broker
     * transaction (one commit, one journal sync); each is answered once that commit is done.
     */
    public static class Intake {
        /** Most webhooks' messages stored in one commit. */
        private int maxBatch = 256;
        /** How long a webhook waits for its commit before it is answered 503 (a retry is then welcome). */
        private Duration commitTimeout = Duration.ofSeconds(10);

        public int getMaxBatch() { return maxBatch; }
        public void setMaxBatch(int maxBatch) { this.maxBatch = maxBatch; }
        public Duration getCommitTimeout() { return commitTimeout; }
        public void setCommitTimeout(Duration commitTimeout) { this.commitTimeout = commitTimeout; }
    }

    /**
     * gateway.idempotency.*: how long the ids store remembers a message, for the webhooks (a provider's retry is
     * not stored again) and for the CRM (a message it took is not POSTed again).
     */
    public static class Idempotency {
        /**
         * How long an id is kept; older ones are purged. A provider's retry, or a CRM retry or replay, of a message
         * older than this is taken as new: keep it longer than every provider's retry window (Meta retries a
         * webhook for up to 7 days) and than the CRM retries' whole span.
         */
        private Duration retention = Duration.ofDays(14);
        /** How often ids older than {@code gateway.idempotency.retention} are purged. */
        private Duration purgeInterval = Duration.ofHours(1);

        public Duration getRetention() { return retention; }
        public void setRetention(Duration retention) { this.retention = retention; }
        public Duration getPurgeInterval() { return purgeInterval; }
        public void setPurgeInterval(Duration purgeInterval) { this.purgeInterval = purgeInterval; }
    }

    /** gateway.dispatch.*: the stage that routes messages from the ingest queue (replays, earlier builds). */
    public static class Dispatch {
        /**
         * Consumers of the ingest queue, each a JMS transaction (read, route, send on). Their work is all CPU and
         * broker: more of them only queue their commits on the broker connections the webhooks' sends share, which
         * slows the webhooks' answers (bench/README.md). Raise it on a disk with slow syncs.
         */
        private int concurrentConsumers = 2;

        public int getConcurrentConsumers() { return concurrentConsumers; }
        public void setConcurrentConsumers(int concurrentConsumers) { this.concurrentConsumers = concurrentConsumers; }
    }

    /**
     * The admin ops account: everything the viewer may, plus the actions (dead-letter replay, purging a queue,
     * suspending or resuming a route).
     */
    public static class Admin {
        /** User name of the admin ops account (login form or HTTP Basic). */
        private String username = "admin";
        /** Unset: a random password is generated at start and printed once. */
        private String password;

        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
    }

    /** gateway.ops.*: the ops accounts other than the admin. */
    public static class Ops {
        private final Viewer viewer = new Viewer();

        public Viewer getViewer() { return viewer; }
    }

    /** The read-only ops account: Hawtio's views, queue browsing, metrics; no action. */
    public static class Viewer {
        /** User name of the read-only ops account; it must differ from the admin's. */
        private String username = "viewer";
        /** Unset: there is no viewer account. */
        private String password;

        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }

        public boolean isEnabled() {
            return password != null && !password.isBlank();
        }
    }

    /** gateway.cluster.*: how instances on one external broker find each other and compare their shared settings. */
    public static class Cluster {
        /** Topic each instance publishes its heartbeat (digests of its shared settings, never their values) on. */
        private String topic = "whatsapp.gateway.cluster";
        /** How often each instance publishes its heartbeat; one silent for three intervals counts as gone. */
        private Duration heartbeatInterval = Duration.ofSeconds(5);

        public String getTopic() { return topic; }
        public void setTopic(String topic) { this.topic = topic; }
        public Duration getHeartbeatInterval() { return heartbeatInterval; }
        public void setHeartbeatInterval(Duration heartbeatInterval) { this.heartbeatInterval = heartbeatInterval; }
    }
}
