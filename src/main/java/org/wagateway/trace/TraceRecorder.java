package org.wagateway.trace;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes trace events off the routes' threads and writes them in the background. {@link #record} only puts the
 * event into a bounded queue in memory (no I/O, no hashing, never waits); one writer thread takes up to
 * {@value #BATCH} events every {@value #FLUSH_MS} ms, hashes and masks their chat and sender ids, and inserts them
 * in one JDBC batch. The same thread purges events older than {@code gateway.trace.retention}.
 *
 * <p>Best-effort by design: when the queue is full (the database slow or unreachable) an event is dropped and
 * counted in {@code gateway_trace_dropped_total}, and a crash loses the events still in memory (at most a fraction
 * of a second's worth). Messages never wait for the trace, and are never lost by it.
 */
@Component
public class TraceRecorder implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TraceRecorder.class);
    static final int BATCH = 500;
    static final long FLUSH_MS = 200;
    /** Rows deleted per purge statement: a short lock each, however many events are due. */
    static final int PURGE_BATCH = 1_000;

    private final TraceProperties properties;
    private final TraceStore store;
    private final BlockingQueue<TraceEvent> queue;
    private final Counter dropped;
    private final Clock clock = Clock.systemUTC();
    private volatile ChatHasher hasher;
    private volatile ScheduledExecutorService writer;
    private volatile boolean warned;

    public TraceRecorder(TraceProperties properties, DataSource dataSource, MeterRegistry registry) {
        this.properties = properties;
        this.store = new TraceStore(dataSource);
        this.queue = new ArrayBlockingQueue<>(Math.max(1, properties.getQueueCapacity()));
        this.dropped = Counter.builder("gateway.trace.dropped")
                .description("Trace events dropped: the trace's queue in memory was full").register(registry);
    }

    public boolean isEnabled() {
        return properties.isEnabled();
    }

    /** Queues the event for the writer; drops and counts it when the queue is full. Never blocks. */
    public void record(TraceEvent event) {
        if (properties.isEnabled() && !queue.offer(event)) {
            dropped.increment();
        }
    }

    /** The messages matching the query, with their events (read on the caller's thread: ops' requests only). */
    public Map<String, List<TraceStore.Row>> find(TraceQuery query) {
        return store.find(query, hasher());
    }

    /** Deletes the events older than the retention, counted back from {@code now}; returns how many went. */
    public int purge(Instant now) {
        int purged = store.purgeBefore(now.minus(properties.getRetention()), PURGE_BATCH);
        if (purged > 0) {
            LOG.info("Purged {} trace event(s) older than {}", purged, properties.getRetention());
        }
        return purged;
    }

    /** Writes every event waiting now, in batches; returns how many were written. */
    public int flush() {
        int written = 0;
        List<TraceEvent> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
            try {
                ChatHasher rows = hasher();
                store.insert(batch.stream().map(event -> TraceStore.Row.of(event, rows)).toList());
                written += batch.size();
                warned = false;
            } catch (RuntimeException e) {
                dropped.increment(batch.size());
                if (!warned) {
                    // once until the next successful write: a database that is down does not flood the log
                    LOG.warn("Could not write {} trace event(s), dropped: {}", batch.size(), e.toString());
                    warned = true;
                }
                return written;
            } finally {
                batch.clear();
            }
        }
        return written;
    }

    /** The tables created and the hash key read (or generated) on first use; then the same hasher. */
    private ChatHasher hasher() {
        ChatHasher current = hasher;
        if (current == null) {
            synchronized (this) {
                current = hasher;
                if (current == null) {
                    store.createIfMissing();
                    current = new ChatHasher(store.hashKey(properties.getHashKey()));
                    hasher = current;
                }
            }
        }
        return current;
    }

    TraceStore store() {
        return store;
    }

    @Override
    public void start() {
        if (!properties.isEnabled()) {
            return;
        }
        try {
            hasher();
        } catch (RuntimeException e) {
            // the writer retries on its next round: a database that is not up yet only delays the trace
            LOG.warn("The trace's tables are not ready yet ({}); retrying in the background", e.toString());
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "gateway-trace-writer");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::flushQuietly, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
        long purgeMs = properties.getPurgeInterval().toMillis();
        executor.scheduleWithFixedDelay(this::purgeQuietly, purgeMs, purgeMs, TimeUnit.MILLISECONDS);
        writer = executor;
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Trace writer: {}", e.toString());
        }
    }

    private void purgeQuietly() {
        try {
            purge(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("Trace purge failed, retried at the next interval: {}", e.toString());
        }
    }

    /** Stops after the routes (a lower phase than Camel's): the last events of a shutdown are written too. */
    @Override
    public void stop() {
        ScheduledExecutorService executor = writer;
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
        writer = null;
    }

    @Override
    public boolean isRunning() {
        return writer != null;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
