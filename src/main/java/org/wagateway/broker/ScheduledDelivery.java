package org.wagateway.broker;

import java.util.EnumSet;
import java.util.Set;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.scheduler.JobSchedulerStore;
import org.apache.activemq.store.kahadb.AbstractKahaDBStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the broker's scheduled messages (the CRM retries) while there is no room to deliver them. ActiveMQ's
 * scheduler removes a due message from its store once it has fired it, whether its send was taken or refused
 * (full, or at its limit): a refused firing is that message lost. {@link HeldScheduledSends} therefore makes the
 * scheduler's thread wait here, before each due message, while any reason to hold is there; held, they stay in
 * the scheduler's store. (The scheduler's own stop/start of its dispatching does not stop its dispatch loop in
 * ActiveMQ 6.1, and a start beside the running loop adds a second one.)
 */
final class ScheduledDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledDelivery.class);

    enum Reason { DISK_BELOW_FLOOR, STORE_CANNOT_WRITE }

    private final Set<Reason> reasons = EnumSet.noneOf(Reason.class);
    private BrokerService broker;

    synchronized void attach(BrokerService broker) {
        this.broker = broker;
    }

    synchronized void hold(Reason reason) {
        boolean wasHeld = !reasons.isEmpty();
        reasons.add(reason);
        if (!wasHeld) {
            LOG.warn("Scheduled messages (CRM retries) are held: {}", reason);
        }
    }

    synchronized void release(Reason reason) {
        if (reasons.remove(reason) && reasons.isEmpty()) {
            resumeSchedulerStore();
            notifyAll();
            LOG.info("Scheduled messages (CRM retries) are delivered again");
        }
    }

    /**
     * Waits while scheduled messages are held, at most {@code millis}; whether they are still held. Called on the
     * scheduler's thread before each due message.
     */
    synchronized boolean awaitRelease(long millis) throws InterruptedException {
        if (!reasons.isEmpty()) {
            wait(millis);
        }
        return !reasons.isEmpty();
    }

    /** Waits {@code millis}, or less if a release comes first. */
    synchronized void pause(long millis) throws InterruptedException {
        wait(millis);
    }

    /**
     * Lets the scheduler's store write again. After a failed append (a full disk) its journal refuses every
     * later write until told, as the broker's main store does; the main store is told by its I/O handler, the
     * scheduler's store by nothing in ActiveMQ. A refused write of the scheduler's own bookkeeping (removing a
     * fired message) makes it stop its store for good.
     */
    synchronized void resumeSchedulerStore() {
        if (broker == null || !broker.isSchedulerSupport()) {
            return;
        }
        try {
            JobSchedulerStore store = broker.getJobSchedulerStore();
            if (store instanceof AbstractKahaDBStore kahaDb && kahaDb.isStarted()) {
                kahaDb.getJournal().allowIOResumption();
                kahaDb.getPageFile().allowIOResumption();
            } else if (store != null && !broker.isStopping()) {
                LOG.error("The broker's scheduler store is stopped: CRM retries wait in it until the gateway "
                        + "restarts");
            }
        } catch (Exception e) {
            LOG.warn("Could not let the broker's scheduler store write again: {}", e.toString());
        }
    }
}
