package org.wagateway.broker;

import java.util.EnumSet;
import java.util.Set;
import org.apache.activemq.broker.BrokerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the broker's scheduled messages (the CRM retries) while there is no room to deliver them. ActiveMQ's
 * scheduler removes a due message from its store as it fires it; a firing the store refuses (full, or at its
 * limit) would be that message lost. Held, they stay in the scheduler's store and fire once every reason to
 * hold them is gone.
 */
final class ScheduledDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledDelivery.class);
    /** The name ActiveMQ's scheduler broker gives the scheduler of AMQ_SCHEDULED_DELAY messages. */
    private static final String SCHEDULER = "JMS";

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
            dispatch(false);
            LOG.warn("Scheduled messages (CRM retries) are held: {}", reason);
        }
    }

    synchronized void release(Reason reason) {
        if (reasons.remove(reason) && reasons.isEmpty()) {
            dispatch(true);
            LOG.info("Scheduled messages (CRM retries) are delivered again");
        }
    }

    private void dispatch(boolean dispatch) {
        if (broker == null || !broker.isSchedulerSupport()) {
            return;
        }
        try {
            if (dispatch) {
                broker.getJobSchedulerStore().getJobScheduler(SCHEDULER).startDispatching();
            } else {
                broker.getJobSchedulerStore().getJobScheduler(SCHEDULER).stopDispatching();
            }
        } catch (Exception e) {
            LOG.warn("Could not {} the broker's scheduler: {}", dispatch ? "resume" : "hold", e.toString());
        }
    }
}
