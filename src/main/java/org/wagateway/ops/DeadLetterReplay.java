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
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.wagateway.media.MediaProcessor;

/**
 * Ops' replay of dead letters (ops account, HTTP Basic): {@code GET /admin/dead-letters} lists the dead-letter
 * queues and what each is replayed to; {@code POST /admin/dead-letters/{name}/replay?max=N} moves up to N
 * messages back to processing, each in one JMS transaction (taken off the dead-letter queue only when it is on
 * its way again). {@code crm} → the CRM outbox, {@code media} → the media queue (download outcome cleared, so it
 * is fetched again), {@code dispatch} and {@code invalid} → the ingest queue. Rejected webhooks are kept for
 * reading, not replayed: they were never accepted.
 */
@RestController
@RequestMapping("/admin/dead-letters")
public class DeadLetterReplay {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final int MAX_PER_CALL = 10_000;

    private final JmsTemplate jms;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final String mediaQueue;

    private record Route(String from, String to, UnaryOperator<String> body) {
    }

    public DeadLetterReplay(jakarta.jms.ConnectionFactory connectionFactory, GatewayProperties properties) {
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
        GatewayProperties.Queues queues = properties.getQueues();
        this.mediaQueue = queues.getMedia();
        routes.put("crm", new Route(queues.getDlqCrm(), queues.getCrmOutbox(), UnaryOperator.identity()));
        routes.put("media", new Route(queues.getDlqMedia(), queues.getMedia(), MediaProcessor::forRetry));
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
        int limit = Math.max(0, Math.min(max, MAX_PER_CALL));
        int moved = 0;
        while (moved < limit && moveOne(route)) {
            moved++;
        }
        LOG.info("Replayed {} message(s) from {} to {}", moved, route.from(), route.to());
        return ResponseEntity.ok(Map.of("status", "replayed", "queue", route.from(), "replaysTo", route.to(),
                "replayed", moved));
    }

    /** One message from the dead-letter queue to its target, in one local JMS transaction; false when empty. */
    private boolean moveOne(Route route) {
        Boolean moved = jms.execute(session -> {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(route.from()));
                 MessageProducer producer = session.createProducer(session.createQueue(route.to()))) {
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
                    boolean outcome = property.startsWith("deadLetter") || property.startsWith("JMSX")
                            || property.startsWith("crm") || property.startsWith("AMQ_SCHEDULED")
                            || property.equals("scheduledJobId")
                            || route.to().equals(mediaQueue) && property.equals("mediaStatus");
                    if (!outcome) {
                        again.setObjectProperty(property, dead.getObjectProperty(property));
                    }
                }
                again.setStringProperty("replayedFrom", route.from());
                producer.send(again);
                session.commit();
                return true;
            } catch (JMSException | RuntimeException e) {
                session.rollback();
                throw e;
            }
        }, true);
        return Boolean.TRUE.equals(moved);
    }

    private long count(String queue) {
        Integer n = jms.browse(queue, (session, browser) -> Collections.list(browser.getEnumeration()).size());
        return n == null ? 0 : n;
    }

    @SuppressWarnings("unchecked")
    private static List<String> propertyNames(Message message) throws JMSException {
        return Collections.list((java.util.Enumeration<String>) message.getPropertyNames());
    }
}
