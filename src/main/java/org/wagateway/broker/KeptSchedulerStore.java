package org.wagateway.broker;

import org.apache.activemq.store.kahadb.scheduler.JobSchedulerStoreImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's scheduler store (KahaDB, its own folder), kept running when a write of its own bookkeeping fails.
 * ActiveMQ's scheduler fires a due message, then records its removal; when that record cannot be written (a
 * full disk) its dispatch loop stops the whole store, and every message still scheduled waits there until the
 * broker restarts. Here that stop is a wait for space instead ({@link ResumingIOExceptionHandler}): scheduled
 * messages are held, and once the store writes again the loop fires the message whose removal failed once more
 * (the CRM's idempotency check skips the second copy) and goes on.
 */
final class KeptSchedulerStore extends JobSchedulerStoreImpl {

    private static final Logger LOG = LoggerFactory.getLogger(KeptSchedulerStore.class);
    /** ActiveMQ's scheduler runs its dispatch loop on a thread of this name ("JobScheduler:JMS"). */
    private static final String SCHEDULER_THREAD = "JobScheduler:";

    private final ResumingIOExceptionHandler storeErrors;

    KeptSchedulerStore(ResumingIOExceptionHandler storeErrors) {
        this.storeErrors = storeErrors;
    }

    @Override
    public void stop() throws Exception {
        boolean brokerStopping = getBrokerService() == null || getBrokerService().isStopping()
                || getBrokerService().isStopped();
        if (!brokerStopping && Thread.currentThread().getName().startsWith(SCHEDULER_THREAD)) {
            LOG.warn("The broker's scheduler store could not write its bookkeeping: kept running, scheduled "
                    + "messages held until it writes again");
            storeErrors.schedulerStoreRefused();
            return;
        }
        super.stop();
    }
}
