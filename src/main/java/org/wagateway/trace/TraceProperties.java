package org.wagateway.trace;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code gateway.trace.*} settings: the journey of each canonical message ("where is my message"), kept in the
 * idempotency store's database ({@code spring.datasource.*}) and read at {@code GET /admin/messages}. Like
 * {@code GatewayProperties}: each key a field, its javadoc the description, its initialiser the only default.
 */
@ConfigurationProperties("gateway.trace")
public class TraceProperties {

    /** Off: no event is recorded, no table is created, and {@code GET /admin/messages} answers 404. */
    private boolean enabled = true;
    /**
     * The HMAC-SHA256 key the chat and sender ids are hashed with (any text, 32 characters or more advised), never
     * logged. Unset: a random key is generated once and kept in the trace database, which every instance on that
     * database then shares; set it so that a reader of the database alone cannot brute-force phone numbers.
     */
    private String hashKey;
    /** How long trace events are kept; older ones are purged. */
    private Duration retention = Duration.ofDays(7);
    /** How often events older than {@code gateway.trace.retention} are purged. */
    private Duration purgeInterval = Duration.ofHours(1);
    /**
     * Events waiting in memory for the background writer; when it is full (the database slow or down) further
     * events are dropped and counted ({@code gateway_trace_dropped_total}), messages never wait.
     */
    private int queueCapacity = 10_000;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getHashKey() { return hashKey; }
    public void setHashKey(String hashKey) { this.hashKey = hashKey; }
    public Duration getRetention() { return retention; }
    public void setRetention(Duration retention) { this.retention = retention; }
    public Duration getPurgeInterval() { return purgeInterval; }
    public void setPurgeInterval(Duration purgeInterval) { this.purgeInterval = purgeInterval; }
    public int getQueueCapacity() { return queueCapacity; }
    public void setQueueCapacity(int queueCapacity) { this.queueCapacity = queueCapacity; }

    @Override
    public String toString() {
        // the key stays out of any log or actuator answer that prints this object
        return "TraceProperties[enabled=" + enabled + ", hashKey=" + (hashKey == null ? "unset" : "set")
                + ", retention=" + retention + ", purgeInterval=" + purgeInterval + ", queueCapacity="
                + queueCapacity + "]";
    }
}
