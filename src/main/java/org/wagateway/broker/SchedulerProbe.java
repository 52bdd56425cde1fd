package org.wagateway.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.UUID;
import org.apache.activemq.ScheduledMessage;

/**
 * Whether the broker behind a connection factory delays a message sent with {@code AMQ_SCHEDULED_DELAY}: one
 * probe message, non-persistent and expiring soon after its delay (nothing is left behind, not even on a dead-letter
 * queue), read back by a consumer that selects it by its own id (instances probing the same queue at once never
 * read each other's probe).
 */
final class SchedulerProbe {

    enum Outcome {
        /** Not there after half the delay, there after the delay. */
        DELAYED,
        /** There at once: the broker ignores the delay (no {@code schedulerSupport}). */
        AT_ONCE,
        /** Never there: the broker took the message and did not deliver it in time. */
        NEVER
    }

    static final String PROBE_ID = "gatewaySchedulerProbe";

    private SchedulerProbe() {
    }

    static Outcome probe(ConnectionFactory factory, String queueName, Duration delay, Duration patience)
            throws JMSException {
        String id = UUID.randomUUID().toString();
        Connection connection = factory.createConnection();
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(queueName);
            try (MessageConsumer consumer = session.createConsumer(queue, PROBE_ID + " = '" + id + "'");
                 MessageProducer producer = session.createProducer(queue)) {
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                // a probe nobody read (the gateway stopped in between) is gone soon after it would be due
                producer.setTimeToLive(delay.plus(patience).multipliedBy(2).toMillis());
                Message probe = session.createTextMessage("scheduler probe");
                probe.setStringProperty(PROBE_ID, id);
                probe.setLongProperty(ScheduledMessage.AMQ_SCHEDULED_DELAY, delay.toMillis());
                producer.send(probe);
                if (consumer.receive(Math.max(1, delay.toMillis() / 2)) != null) {
                    return Outcome.AT_ONCE;
                }
                return consumer.receive(delay.plus(patience).toMillis()) != null ? Outcome.DELAYED : Outcome.NEVER;
            }
        } finally {
            connection.close();
        }
    }
}
