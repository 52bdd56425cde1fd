package org.wagateway.storage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;

/**
 * Measures the free space of the data folder's disk every {@code gateway.data.check-interval} and says whether
 * it is below {@code gateway.data.min-free-disk}. Webhooks, media downloads and the health read the last
 * measure (a volatile read), never the disk: one statvfs call every few seconds instead of one per webhook, and
 * no request thread ever waits on the disk. Each measure is also handed to the {@link Listener}s (the embedded
 * broker's store limit follows it).
 *
 * <p>Gauges: {@code gateway_data_disk_free_bytes}, {@code gateway_data_disk_total_bytes},
 * {@code gateway_data_disk_floor_bytes}.
 */
@Component
public class DiskSpaceGuard implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceGuard.class);

    /** Told of every measure, on the guard's thread. */
    public interface Listener {
        void measured(DiskState state);
    }

    /** One measure of the data folder's disk. */
    public record DiskState(Path path, long freeBytes, long totalBytes, long floorBytes, Instant measuredAt) {
        public boolean belowFloor() {
            return freeBytes < floorBytes;
        }
    }

    private final GatewayProperties properties;
    private final ObjectProvider<Listener> listeners;
    private final Path dataDir;
    private volatile DiskState state;
    private ScheduledExecutorService timer;

    public DiskSpaceGuard(GatewayProperties properties, ObjectProvider<Listener> listeners, MeterRegistry registry)
            throws IOException {
        this.properties = properties;
        this.listeners = listeners;
        this.dataDir = Files.createDirectories(properties.getDataDir()).toAbsolutePath();
        // the first measure before anything can take a webhook
        this.state = measure();
        Gauge.builder("gateway.data.disk.free", this, guard -> guard.state().freeBytes()).baseUnit("bytes")
                .description("Free space on the data folder's disk, as last measured").register(registry);
        Gauge.builder("gateway.data.disk.total", this, guard -> guard.state().totalBytes()).baseUnit("bytes")
                .description("Size of the data folder's disk").register(registry);
        Gauge.builder("gateway.data.disk.floor", this, guard -> guard.state().floorBytes()).baseUnit("bytes")
                .description("Free space below which webhooks are refused (gateway.data.min-free-disk)")
                .register(registry);
    }

    /** The last measure. */
    public DiskState state() {
        return state;
    }

    /** Whether the disk was below the floor at the last measure: new work that writes is refused. */
    public boolean isBelowFloor() {
        return state.belowFloor();
    }

    /** The Retry-After, in seconds, of work refused for space. */
    public long retryAfterSeconds() {
        return Math.max(1, properties.getData().getRetryAfter().toSeconds());
    }

    /** Measures now (the timer does it every check interval; tests may call it to skip the wait). */
    public DiskState check() {
        DiskState previous = state;
        DiskState now = measure();
        state = now;
        if (now.belowFloor() && !previous.belowFloor()) {
            LOG.warn("Data disk below its floor: {} MB free of {} MB, floor {} MB; webhooks are answered 503 until "
                    + "space is freed", mb(now.freeBytes()), mb(now.totalBytes()), mb(now.floorBytes()));
        } else if (!now.belowFloor() && previous.belowFloor()) {
            LOG.info("Data disk back above its floor: {} MB free, floor {} MB; webhooks are accepted again",
                    mb(now.freeBytes()), mb(now.floorBytes()));
        }
        listeners.orderedStream().forEach(listener -> {
            try {
                listener.measured(now);
            } catch (RuntimeException e) {
                LOG.warn("Disk space listener {} failed: {}", listener.getClass().getSimpleName(), e.toString());
            }
        });
        return now;
    }

    private DiskState measure() {
        long floor = properties.getData().getMinFreeDisk().toBytes();
        try {
            FileStore store = Files.getFileStore(dataDir);
            return new DiskState(dataDir, store.getUsableSpace(), store.getTotalSpace(), floor, Instant.now());
        } catch (IOException e) {
            // a disk that cannot even be asked is no place to write to
            LOG.warn("Cannot measure the data disk ({}): treated as full", e.toString());
            return new DiskState(dataDir, 0, 0, floor, Instant.now());
        }
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    @Override
    public void start() {
        long interval = Math.max(100, properties.getData().getCheckInterval().toMillis());
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "data-disk-check");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkQuietly, 0, interval, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("Data disk check failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        // measures from the very start, and on until the very end of a shutdown
        return Integer.MIN_VALUE;
    }
}
