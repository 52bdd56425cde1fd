package org.wagateway.ops;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.activemq.broker.BrokerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.wagateway.config.GatewayProperties;
import org.wagateway.media.MediaRetry;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * Ops' replay of dead letters (ops account, HTTP Basic): {@code GET /admin/dead-letters} lists the dead-letter
 * queues and what each is replayed to; {@code POST /admin/dead-letters/{name}/replay?max=N} moves up to N
 * messages back to processing, each in one JMS transaction (taken off the dead-letter queue only when it is on
 * its way again), and no more than were waiting when the call started. One call moves each message at most
 * once: a message that fails again and is dead-lettered while the call still runs stays there (it carries the
 * call's {@code replayId}). The answer says how many moved ({@code replayed}), how many wait now ({@code left})
 * and the call's {@code replayId}. {@code crm} → the CRM outbox, {@code media} → the media queue (download
 * outcome cleared, so it is fetched again), {@code dispatch} and {@code invalid} → the ingest queue. Rejected
 * webhooks are kept for reading, not replayed: they were never accepted.
 */
@RestController
@RequestMapping("/admin/dead-letters")
public class DeadLetterReplay {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final int MAX_PER_CALL = 10_000;

    private final JmsTemplate jms;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final String mediaQueue;
    private final ObjectProvider<BrokerService> broker;

    private record Route(String from, String to, UnaryOperator<String> body) {
    }

    public DeadLetterReplay(jakarta.jms.ConnectionFactory connectionFactory, GatewayProperties properties,
                            ObjectProvider<BrokerService> broker) {
        this.broker = broker;
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
        GatewayProperties.Queues queues = properties.getQueues();
        this.mediaQueue = queues.getMedia();
        routes.put("crm", new Route(queues.getDlqCrm(), queues.getCrmOutbox(), UnaryOperator.identity()));
        routes.put("media", new Route(queues.getDlqMedia(), queues.getMedia(), MediaRetry::forRetry));
        routes.put("dispatch", new Route(queues.getDlqDispatch(), queues.getIngest(), UnaryOperator.identity()));
        routes.put("invalid", new Route(queues.getDlqInvalid(), queues.getIngest(), UnaryOperator.identity()));
    }

    @GetMapping
    public Map<String, Object> list() {
        Map<String, Object> answer = new LinkedHashMap<>();
        routes.forEach((name, route) -> answer.put(name, Map.of("queue", route.from(), "replaysTo", route.to(),
                "waiting", count(route.from()))));
        return answer;
    }

    @PostMapping("/{name}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable("name") String name,
                                                      @RequestParam(name = "max", defaultValue = "100") int max) {
        Route route = routes.get(name);
        if (route == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("status", "rejected",
                    "error", "unknown_dead_letter_queue", "message", "One of " + routes.keySet()));
        }
        // Messages that arrive while the call runs queue behind the ones waiting at its start: taking no more
        // than were waiting keeps a call from chasing a stream of new dead letters.
        long waitingAtStart = count(route.from());
        int limit = (int) Math.max(0, Math.min(Math.min(max, MAX_PER_CALL), waitingAtStart));
        String replayId = UUID.randomUUID().toString();
        int moved = limit == 0 ? 0 : move(route, replayId, limit);
        long left = count(route.from());
        LOG.info("Replayed {} message(s) from {} to {} (replay {}), {} left", moved, route.from(), route.to(),
                replayId, left);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "replayed");
        answer.put("queue", route.from());
        answer.put("replaysTo", route.to());
        answer.put("replayed", moved);
        answer.put("left", left);
        answer.put("replayId", replayId);
        return ResponseEntity.ok(answer);
    }

    /**
     * Up to {@code limit} messages from the dead-letter queue to its target, each in its own local JMS
     * transaction; returns how many moved. Every message sent carries {@code replayId}, and the consumer selects
     * only messages without this call's id: one that fails again and is back on the dead-letter queue before
     * the call ends is not taken a second time. The broker applies the selector to each message, so this holds
     * with other consumers on the queue too; and as a message that comes back queues behind those not yet
     * moved, the ones the broker pages in for the selector are the ones still to move, however long the queue.
     */
    private int move(Route route, String replayId, int limit) {
        String selector = Header.REPLAY_ID + " IS NULL OR " + Header.REPLAY_ID + " <> '" + replayId + "'";
        Integer moved = jms.execute(session -> {
            int count = 0;
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(route.from()), selector);
                 MessageProducer producer = session.createProducer(session.createQueue(route.to()))) {
                while (count < limit && moveOne(session, consumer, producer, route, replayId)) {
                    count++;
                }
            }
            return count;
        }, true);
        return moved == null ? 0 : moved;
    }

    /** One message, in one local JMS transaction: off the dead-letter queue only with its send; false when none. */
    private boolean moveOne(Session session, MessageConsumer consumer, MessageProducer producer, Route route,
                            String replayId) throws JMSException {
        try {
            Message dead = consumer.receive(500);
            if (!(dead instanceof TextMessage text)) {
                if (dead != null) {
                    LOG.warn("Left a non-text message on {}", route.from());
                    session.rollback();
                }
                return false;
            }
            TextMessage again = session.createTextMessage(route.body().apply(text.getText()));
            again.setJMSCorrelationID(dead.getJMSCorrelationID());
            for (String property : propertyNames(dead)) {
                // the last run's outcome stays behind: a replayed message starts with a fresh count of CRM
                // attempts, and never carries the broker's scheduling marks (it would not be scheduled again)
                boolean outcome = property.startsWith(Header.DEAD_LETTER_PREFIX)
                        || property.startsWith(Header.BROKER_PREFIX) || property.startsWith(Header.CRM_PREFIX)
                        || property.startsWith(Header.SCHEDULED_PREFIX) || property.equals(Header.SCHEDULED_JOB_ID)
                        || route.to().equals(mediaQueue) && property.equals(Header.MEDIA_STATUS);
                if (!outcome) {
                    again.setObjectProperty(property, dead.getObjectProperty(property));
                }
            }
            again.setStringProperty(Header.REPLAYED_FROM, route.from());
            again.setStringProperty(Header.REPLAY_ID, replayId);
            producer.send(again);
            session.commit();
            return true;
        } catch (JMSException | RuntimeException e) {
            session.rollback();
            throw e;
        }
    }

    /**
     * Messages on a queue: the embedded broker's own count; with an external broker, a browse, which ActiveMQ
     * stops at its {@code maxBrowsePageSize} (400 by default), so one call there moves at most that many.
     */
    private long count(String queue) {
        BrokerService embedded = broker.getIfAvailable();
        if (embedded != null) {
            return QueueDepthGauges.depth(embedded, queue);
        }
        Integer n = jms.browse(queue, (session, browser) -> Collections.list(browser.getEnumeration()).size());
        return n == null ? 0 : n;
    }

    @SuppressWarnings("unchecked")
    private static List<String> propertyNames(Message message) throws JMSException {
        return Collections.list((java.util.Enumeration<String>) message.getPropertyNames());
    }
}
