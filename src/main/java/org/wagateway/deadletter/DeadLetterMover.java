package org.wagateway.deadletter;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.activemq.broker.BrokerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.wagateway.flow.ExchangeContract.Header;
import org.wagateway.ops.QueueDepthGauges;
import org.wagateway.trace.MessageTrace;

/**
 * Moves dead letters back to their stage ({@link DeadLetterStages.Stage}), each in one local JMS transaction:
 * taken off the dead-letter queue only when it is on its way again. A moved message keeps its JMS properties but
 * not the last run's outcome: no dead-letter reason, no count of CRM attempts, no broker scheduling marks (it
 * would not be scheduled again), no media status when its attachment is fetched again.
 */
@Component
public class DeadLetterMover {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMover.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9:._\\-]{1,200}");

    private final JmsTemplate jms;
    private final ObjectProvider<BrokerService> broker;
    private final MessageTrace trace;

    public DeadLetterMover(ConnectionFactory connectionFactory, ObjectProvider<BrokerService> broker,
                           MessageTrace trace) {
        this.broker = broker;
        this.trace = trace;
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
    }

    /**
     * Up to {@code limit} messages from the dead-letter queue to its target; returns how many moved. Every message
     * sent carries {@code replayId}, and the consumer selects only messages without this call's id: one that fails
     * again and is back on the dead-letter queue before the call ends is not taken a second time. The broker
     * applies the selector to each message, so this holds with other consumers on the queue too; and as a message
     * that comes back queues behind those not yet moved, the ones the broker pages in for the selector are the
     * ones still to move, however long the queue.
     */
    public int move(DeadLetterStages.Stage stage, String replayId, int limit) {
        return move(stage, replayId, limit, List.of());
    }

    /**
     * As {@link #move(DeadLetterStages.Stage, String, int)}, only the messages of these JMS message ids when any
     * are given (each of the form {@link #isMessageId}): the broker selects them, so each moves at most once.
     */
    public int move(DeadLetterStages.Stage stage, String replayId, int limit, Collection<String> messageIds) {
        String selector = "(" + Header.REPLAY_ID + " IS NULL OR " + Header.REPLAY_ID + " <> '" + replayId + "')"
                + (messageIds.isEmpty() ? "" : " AND " + idsSelector(messageIds));
        Integer moved = jms.execute(session -> {
            int count = 0;
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(stage.from()), selector);
                 MessageProducer producer = session.createProducer(session.createQueue(stage.to()))) {
                while (count < limit && moveOne(session, consumer, producer, stage, replayId)) {
                    count++;
                }
            }
            return count;
        }, true);
        return moved == null ? 0 : moved;
    }

    /**
     * Takes up to {@code limit} messages off a dead-letter queue for good (only those of these JMS message ids when
     * any are given), in one local JMS transaction; returns how many.
     */
    public int discard(String queue, int limit, Collection<String> messageIds) {
        String selector = messageIds.isEmpty() ? null : idsSelector(messageIds);
        Integer discarded = jms.execute(session -> {
            int count = 0;
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue), selector)) {
                while (count < limit && consumer.receive(500) != null) {
                    count++;
                }
                session.commit();
            } catch (JMSException | RuntimeException e) {
                session.rollback();
                throw e;
            }
            return count;
        }, true);
        return discarded == null ? 0 : discarded;
    }

    /** A JMS message id as ActiveMQ writes them: safe to put into a selector between quotes. */
    public static boolean isMessageId(String id) {
        return id != null && MESSAGE_ID.matcher(id).matches();
    }

    /** Selects the messages of these ids (checked by {@link #isMessageId}, so no quote can end the literal). */
    static String idsSelector(Collection<String> messageIds) {
        for (String id : messageIds) {
            if (!isMessageId(id)) {
                throw new IllegalArgumentException("Not a JMS message id");
            }
        }
        return "JMSMessageID IN ('" + String.join("', '", messageIds) + "')";
    }

    /**
     * Messages on a queue: the embedded broker's own count; with an external broker, a browse, which ActiveMQ
     * stops at its {@code maxBrowsePageSize} (400 by default), so one call there moves at most that many.
     */
    public long waiting(String queue) {
        BrokerService embedded = broker.getIfAvailable();
        if (embedded != null) {
            return QueueDepthGauges.depth(embedded, queue);
        }
        Integer n = jms.browse(queue, (session, browser) -> Collections.list(browser.getEnumeration()).size());
        return n == null ? 0 : n;
    }

    /** One message, in one local JMS transaction: off the dead-letter queue only with its send; false when none. */
    private boolean moveOne(Session session, MessageConsumer consumer, MessageProducer producer,
                            DeadLetterStages.Stage stage, String replayId) throws JMSException {
        try {
            Message dead = consumer.receive(500);
            if (!(dead instanceof TextMessage text)) {
                if (dead != null) {
                    LOG.warn("Left a non-text message on {}", stage.from());
                    session.rollback();
                }
                return false;
            }
            TextMessage again = session.createTextMessage(stage.body().apply(text.getText()));
            again.setJMSCorrelationID(dead.getJMSCorrelationID());
            for (String property : propertyNames(dead)) {
                if (!isLastOutcome(property, stage)) {
                    again.setObjectProperty(property, dead.getObjectProperty(property));
                }
            }
            again.setStringProperty(Header.REPLAYED_FROM, stage.from());
            again.setStringProperty(Header.REPLAY_ID, replayId);
            producer.send(again);
            session.commit();
            trace.replayed(dead.getJMSCorrelationID(), stage.from(), stage.to());
            return true;
        } catch (JMSException | RuntimeException e) {
            session.rollback();
            throw e;
        }
    }

    /** A property of the last run's outcome, which a replayed message starts without. */
    private static boolean isLastOutcome(String property, DeadLetterStages.Stage stage) {
        return property.startsWith(Header.DEAD_LETTER_PREFIX) || property.startsWith(Header.BROKER_PREFIX)
                || property.startsWith(Header.CRM_PREFIX) || property.startsWith(Header.SCHEDULED_PREFIX)
                || property.equals(Header.SCHEDULED_JOB_ID)
                || stage.freshMedia() && property.equals(Header.MEDIA_STATUS);
    }

    @SuppressWarnings("unchecked")
    private static List<String> propertyNames(Message message) throws JMSException {
        return Collections.list((Enumeration<String>) message.getPropertyNames());
    }
}
