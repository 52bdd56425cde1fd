package org.wagateway.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the ids store to {@code gateway.idempotency.retention}: every {@code gateway.idempotency.purge-interval},
 * on a thread of its own, the ids of both stages added before that are deleted, {@value #BATCH} rows per statement
 * ({@code gateway_idempotency_purged_total} counts them). Without it the table grows by two rows per message for
 * good. A failed purge (the database down, a full disk) is logged and tried again at the next interval.
 */
public class ExpiredIdsPurge implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredIdsPurge.class);
    /** Rows deleted per statement: a short lock each, however many ids are due. */
    static final int BATCH = 1_000;
    /** The first purge (and the index it needs) comes soon after a start, not an interval later. */
    private static final Duration FIRST_AFTER = Duration.ofMinutes(1);

    private final ExpiredIds ids;
    private final Duration retention;
    private final Duration interval;
    private final Clock clock;
    private final Counter purged;
    private volatile ScheduledExecutorService executor;

    public ExpiredIdsPurge(ExpiredIds ids, Duration retention, Duration interval, Clock clock,
                           MeterRegistry registry) {
        if (retention.isNegative() || retention.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("gateway.idempotency.retention and purge-interval must be positive, not "
                    + retention + " and " + interval);
        }
        this.ids = ids;
        this.retention = retention;
        this.interval = interval;
        this.clock = clock;
        this.purged = Counter.builder("gateway.idempotency.purged")
                .description("Ids deleted from the ids store, older than gateway.idempotency.retention")
                .register(registry);
    }

    /** Deletes the ids older than the retention, counted back from now; returns how many went. */
    public int purge() {
        // a no-op once both are there; the table may not exist yet when no stage has started
        ids.createIfMissing();
        Instant cutoff = clock.instant().minus(retention);
        int deleted = ids.deleteAddedBefore(cutoff, BATCH);
        purged.increment(deleted);
        if (deleted > 0) {
            LOG.info("Purged {} id(s) added before {} (gateway.idempotency.retention {})", deleted, cutoff, retention);
        }
        return deleted;
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warn("Ids purge failed, retried at the next interval: {}", e.toString());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "gateway-ids-purge");
            thread.setDaemon(true);
            return thread;
        });
        long first = Math.min(FIRST_AFTER.toMillis(), interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::purgeQuietly, first, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor = scheduler;
    }

    /**
     * Lets a purge in progress finish its statement rather than interrupting it: an interrupt in the middle of
     * the statement's file I/O can close H2's file under every other user of the database.
     */
    @Override
    public void stop() {
        ScheduledExecutorService scheduler = executor;
        executor = null;
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
