package org.wagateway.inprocess;

import java.util.Collections;
import java.util.Set;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
import org.springframework.jms.core.JmsTemplate;

/** What a queue of the embedded broker holds and has taken, to compare before and after a request. */
record QueueCounts(BrokerService broker, JmsTemplate jms) {

    /** The default queues a webhook's message is stored on, other than the type queues {@code whatsapp.in.*}. */
    private static final Set<String> INTAKE = Set.of("whatsapp.status", "whatsapp.events", "whatsapp.gateway.media",
            "whatsapp.gateway.ingest", "whatsapp.dlq.invalid");

    /**
     * Messages ever stored where a webhook's message goes (default queue names): its type queue, the media queue,
     * the invalid dead-letter queue, and the ingest queue that replays go to. The CRM outbox is left out: it only
     * takes a copy of a type queue's message, and CRM retries of earlier messages come back to it at any time.
     */
    long storedAtIntake() {
        try {
            return broker.getBroker().getDestinationMap().entrySet().stream()
                    .filter(entry -> entry.getKey().isQueue())
                    .filter(entry -> entry.getKey().getPhysicalName().startsWith("whatsapp.in.")
                            || INTAKE.contains(entry.getKey().getPhysicalName()))
                    .mapToLong(entry -> entry.getValue().getDestinationStatistics().getEnqueues().getCount())
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages ever sent to the queue (0 if it does not exist yet). */
    long enqueued(String queue) {
        try {
            Destination destination = broker.getDestination(new ActiveMQQueue(queue));
            return destination == null ? 0 : destination.getDestinationStatistics().getEnqueues().getCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages on the queue now, as a browser sees them. */
    int waiting(String queue) {
        return jms.browse(queue, (session, browser) -> Collections.list(browser.getEnumeration()).size());
    }
}
