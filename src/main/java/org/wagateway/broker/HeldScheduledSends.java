package org.wagateway.broker;

import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.apache.activemq.command.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * Sits between ActiveMQ's scheduler and the queues, and keeps every due scheduled message (a CRM retry) until a
 * queue has taken it. The scheduler sends a due message on its own thread and then removes it from its store,
 * even when the send was refused (a full disk, the store at its limit); here that send waits while
 * {@link ScheduledDelivery} holds, and a refused send is tried again, every {@code retryMillis}, so the
 * scheduler's thread returns only once the message is on its queue. While it waits no other scheduled message
 * fires. If the broker stops meanwhile, the message is left to the scheduler's store, where it fires again
 * after the restart.
 */
final class HeldScheduledSends extends BrokerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(HeldScheduledSends.class);
    /** The property ActiveMQ's scheduler sets on each message it fires. */
    /** ActiveMQ's scheduler fires on a thread of this name ("JobScheduler:JMS"). */
    private static final String SCHEDULER_THREAD = "JobScheduler:";

    private final BrokerService brokerService;
    private final ScheduledDelivery scheduled;
    private final long retryMillis;

    HeldScheduledSends(Broker next, BrokerService brokerService, ScheduledDelivery scheduled, long retryMillis) {
        super(next);
        this.brokerService = brokerService;
        this.scheduled = scheduled;
        this.retryMillis = retryMillis;
    }

    @Override
    public void send(ProducerBrokerExchange exchange, Message message) throws Exception {
        if (!firedByScheduler(message)) {
            super.send(exchange, message);
            return;
        }
        Message pristine = message.copy();
        boolean refusedBefore = false;
        while (true) {
            while (awaitRelease()) {
                stopIfBrokerStops();
            }
            stopIfBrokerStops();
            try {
                super.send(exchange, refusedBefore ? pristine.copy() : message);
                if (refusedBefore) {
                    LOG.info("Scheduled message {} taken on the second try or later", message.getMessageId());
                }
                return;
            } catch (Exception refused) {
                if (!refusedBefore) {
                    LOG.warn("Scheduled message {} refused ({}): kept, tried again every {} ms",
                            message.getMessageId(), refused.toString(), retryMillis);
                }
                refusedBefore = true;
                // the reason (a full disk) may not be known yet to the disk check or to the store's handler
                pause(retryMillis);
            }
        }
    }

    private void pause(long millis) {
        try {
            scheduled.pause(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeftToTheScheduler();
        }
    }

    private boolean awaitRelease() {
        try {
            return scheduled.awaitRelease(retryMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeftToTheScheduler();
        }
    }

    private static boolean firedByScheduler(Message message) throws Exception {
        return Thread.currentThread().getName().startsWith(SCHEDULER_THREAD)
                && message.getProperty(Header.SCHEDULED_JOB_ID) != null;
    }

    private void stopIfBrokerStops() {
        if (brokerService.isStopping() || brokerService.isStopped()) {
            throw new LeftToTheScheduler();
        }
    }

    /**
     * Ends the scheduler's firing of a message when the broker stops (or the thread is interrupted): an Error,
     * because the scheduler catches every Exception of a send and then removes the message from its store.
     */
    static final class LeftToTheScheduler extends Error {
        LeftToTheScheduler() {
            super("broker stopping: the scheduled message stays in the scheduler's store", null, false, false);
        }
    }
}
