package org.wagateway.broker;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.util.DefaultIOExceptionHandler;
import org.apache.activemq.util.IOExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wagateway.storage.InsufficientStorageException;

/**
 * What the broker does when its store cannot write. A full disk is waited out: the failed write is refused to its
 * producer (a webhook gets 503, a stage rolls back), scheduled messages are held ({@link ScheduledDelivery}), and
 * once the disk is above the floor again the store (and the scheduler's store) is let write and must pass a
 * checkpoint (tried every {@code retryMillis}). ActiveMQ's default handler passes over an error that says "space", but after a failed
 * append KahaDB's journal refuses the next writes with "Async Writer Thread Shutdown", which it took for a broken
 * disk: it stopped the broker, for good. Here, on a disk below the floor, that is the same full disk. Any other
 * I/O error (a disk gone) still stops the broker, as ActiveMQ does.
 */
final class ResumingIOExceptionHandler implements IOExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ResumingIOExceptionHandler.class);

    private final long retryMillis;
    private final LongSupplier floorBytes;
    private final ScheduledDelivery scheduled;
    private final DefaultIOExceptionHandler otherErrors = new DefaultIOExceptionHandler();
    private final AtomicBoolean waitingForSpace = new AtomicBoolean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "broker-store-resume");
        thread.setDaemon(true);
        return thread;
    });
    private BrokerService broker;

    ResumingIOExceptionHandler(long retryMillis, LongSupplier floorBytes, ScheduledDelivery scheduled) {
        this.retryMillis = retryMillis;
        this.floorBytes = floorBytes;
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
        // the journal's own refusals after a failed write ("Async Writer Thread Shutdown") do not say why: on a
        // disk below the floor they are the same full disk
        if (!waitingForSpace.get() && !InsufficientStorageException.isOutOfSpace(exception) && !diskBelowFloor()) {
            otherErrors.handle(exception);
            return;
        }
        waitForSpace("Broker store out of disk space (" + exception.getMessage() + ")");
    }

    /** The scheduler's store could not write its own bookkeeping ({@link KeptSchedulerStore}): the same wait. */
    void schedulerStoreRefused() {
        waitForSpace("Broker scheduler store cannot write");
    }

    private void waitForSpace(String why) {
        if (waitingForSpace.compareAndSet(false, true)) {
            LOG.warn("{}: writes are refused until a checkpoint passes again", why);
            scheduled.hold(ScheduledDelivery.Reason.STORE_CANNOT_WRITE);
            timer.schedule(this::tryResume, retryMillis, TimeUnit.MILLISECONDS);
        }
    }

    private boolean diskBelowFloor() {
        return broker.getDataDirectoryFile().getUsableSpace() < floorBytes.getAsLong();
    }

    private void tryResume() {
        if (!broker.isStarted() || broker.isStopping()) {
            return;
        }
        if (diskBelowFloor()) {
            timer.schedule(this::tryResume, retryMillis, TimeUnit.MILLISECONDS);
            return;
        }
        try {
            broker.getPersistenceAdapter().allowIOResumption();
            broker.getPersistenceAdapter().checkpoint(true);
            // the scheduler's store (its own journal, on the same disk) refuses writes after a failed one too
            scheduled.resumeSchedulerStore();
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
