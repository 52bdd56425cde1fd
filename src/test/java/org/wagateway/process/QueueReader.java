package org.wagateway.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQMessage;

/**
 * Reads the gateway's queues as an external consumer does: a plain ActiveMQ client over the embedded broker's
 * TCP port on 127.0.0.1. Messages are consumed (the data folder is the test's own).
 */
final class QueueReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGES_PER_QUEUE = 20_000;

    private final Connection connection;
    private final Session session;

    QueueReader(String brokerUrl) throws JMSException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl + "?connectionTimeout=30000");
        factory.setWatchTopicAdvisories(false);
        connection = factory.createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    /** A message on a dead-letter queue: its canonical id, the queue it came from, and why it is there. */
    record DeadLetter(String id, String from, String reason) {
    }

    /**
     * Takes messages from the queue until every expected id was seen (or the deadline, a {@link System#nanoTime()}
     * value, passed), then whatever else is there until the queue stays empty for {@code quiet}; returns how often
     * each canonical id came.
     */
    Map<String, Integer> drain(String queue, Set<String> expected, long deadline, Duration quiet)
            throws JMSException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            for (int i = 0; i < MAX_MESSAGES_PER_QUEUE; i++) {
                boolean missing = !counts.keySet().containsAll(expected);
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                long wait = missing && left > 1 ? Math.min(left, 2_000) : quiet.toMillis();
                Message message = consumer.receive(wait);
                if (message == null) {
                    if (missing && System.nanoTime() < deadline) {
                        continue;
                    }
                    break;
                }
                counts.merge(idOf(message), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Takes every message from a dead-letter queue, until it stays empty for {@code quiet}. */
    List<DeadLetter> drainDeadLetters(String queue, Duration quiet) throws JMSException {
        List<DeadLetter> letters = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            for (int i = 0; i < MAX_MESSAGES_PER_QUEUE; i++) {
                Message message = consumer.receive(quiet.toMillis());
                if (message == null) {
                    break;
                }
                String from = message instanceof ActiveMQMessage amq && amq.getOriginalDestination() != null
                        ? amq.getOriginalDestination().getPhysicalName() : "?";
                String reason = message.getStringProperty("dlqDeliveryFailureCause");
                if (reason == null) {
                    reason = message.getStringProperty("deadLetterReason");
                }
                letters.add(new DeadLetter(idOf(message), from, reason == null ? "?" : reason));
            }
        }
        return letters;
    }

    /** The canonical ids a queue holds, without taking them (a browser; at most the broker's browse page). */
    Map<String, Integer> browse(String queue) throws JMSException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
            Enumeration<?> messages = browser.getEnumeration();
            for (int i = 0; i < MAX_MESSAGES_PER_QUEUE && messages.hasMoreElements(); i++) {
                counts.merge(idOf((Message) messages.nextElement()), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static String idOf(Message message) throws JMSException {
        String id = message.getJMSCorrelationID();
        if (id != null && !id.isBlank()) {
            return id;
        }
        if (message instanceof TextMessage text) {
            try {
                return JSON.readTree(text.getText()).path("id").asText("(no id)");
            } catch (Exception e) {
                return "(unreadable body)";
            }
        }
        return "(not a text message: " + message.getJMSMessageID() + ")";
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
