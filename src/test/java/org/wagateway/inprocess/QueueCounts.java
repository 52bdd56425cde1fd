package org.wagateway.inprocess;

import java.util.Collections;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
import org.springframework.jms.core.JmsTemplate;

/** What a queue of the embedded broker holds and has taken, to compare before and after a request. */
record QueueCounts(BrokerService broker, JmsTemplate jms) {

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
