package org.wagateway.broker;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.util.DefaultIOExceptionHandler;
import org.apache.activemq.util.IOExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wagateway.storage.InsufficientStorageException;

/**
 * What the broker does when its store cannot write. A full disk is waited out: the failed write is refused to its
 * producer (a webhook gets 503, a stage rolls back), and every {@code retryMillis} the store is let write again and
 * must pass a checkpoint; until one passes, every write is refused the same way, and scheduled messages are held
 * ({@link ScheduledDelivery}). ActiveMQ's default handler only
 * logs a full disk, and KahaDB's journal writer, stopped by the failed write, then refused every write until a
 * restart. Any other I/O error (a disk gone) still stops the broker, as ActiveMQ does.
 */
final class ResumingIOExceptionHandler implements IOExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ResumingIOExceptionHandler.class);

    private final long retryMillis;
    private final ScheduledDelivery scheduled;
    private final DefaultIOExceptionHandler otherErrors = new DefaultIOExceptionHandler();
    private final AtomicBoolean waitingForSpace = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "broker-store-resume");
        thread.setDaemon(true);
        return thread;
    });
    private BrokerService broker;

    ResumingIOExceptionHandler(long retryMillis, ScheduledDelivery scheduled) {
        this.retryMillis = retryMillis;
        this.scheduled = scheduled;
        otherErrors.setIgnoreNoSpaceErrors(false);
    }

    @Override
    public void setBrokerService(BrokerService broker) {
        this.broker = broker;
        scheduled.attach(broker);
        otherErrors.setBrokerService(broker);
    }

    @Override
    public void handle(IOException exception) {
        // while waiting, the journal's own "writer shut down" refusals are part of the same full disk
        if (!waitingForSpace.get() && !InsufficientStorageException.isOutOfSpace(exception)) {
            otherErrors.handle(exception);
            return;
        }
        if (waitingForSpace.compareAndSet(false, true)) {
            LOG.warn("Broker store out of disk space ({}): writes are refused until a checkpoint passes again",
                    exception.getMessage());
            // on the handler's own thread: the store's thread calling here must not wait for the scheduler's
            timer.execute(() -> scheduled.hold(ScheduledDelivery.Reason.STORE_CANNOT_WRITE));
            timer.schedule(this::tryResume, retryMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void tryResume() {
        if (!broker.isStarted() || broker.isStopping()) {
            return;
        }
        try {
            broker.getPersistenceAdapter().allowIOResumption();
            broker.getPersistenceAdapter().checkpoint(true);
            waitingForSpace.set(false);
            scheduled.release(ScheduledDelivery.Reason.STORE_CANNOT_WRITE);
            LOG.info("Broker store writable again");
        } catch (IOException | RuntimeException stillFull) {
            LOG.debug("Broker store still cannot write: {}", stillFull.toString());
            timer.schedule(this::tryResume, retryMillis, TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        timer.shutdownNow();
    }
}
