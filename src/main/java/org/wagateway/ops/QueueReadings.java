package org.wagateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import java.time.Clock;
import java.time.Duration;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.activemq.broker.BrokerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;

/**
 * Depth and age of the oldest message of every stage and dead-letter queue, for the ops console
 * ({@code GET /admin/stages}) and the gauge {@code gateway_queue_oldest_age_seconds{queue}} (0 when the queue is
 * empty). The age is the first browsed message's {@code JMSTimestamp}, so it works with an external broker as with
 * the embedded one. One reading of all queues serves every caller for {@link #FRESH}: a scrape or a page refresh
 * costs at most one browse per queue every few seconds, and a webhook nothing.
 */
@Component
public class QueueReadings implements MeterBinder {

    /** How long one reading of the queues is served before the broker is asked again. */
    static final Duration FRESH = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(QueueReadings.class);

    /** One queue: messages waiting, and how long the oldest of them has waited (0 when none). */
    public record Reading(long depth, double oldestAgeSeconds) {
    }

    private record Snapshot(long takenAtMillis, Map<String, Reading> readings) {
    }

    private final ObjectProvider<BrokerService> broker;
    private final List<String> queues;
    private final JmsTemplate jms;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(0, Map.of());

    public QueueReadings(ConnectionFactory connectionFactory, ObjectProvider<BrokerService> broker,
                         GatewayProperties properties) {
        this.broker = broker;
        GatewayProperties.Queues names = properties.getQueues();
        this.queues = Stream.concat(names.stages().stream(), names.deadLetters().stream()).toList();
        this.jms = new JmsTemplate(connectionFactory);
        this.clock = Clock.systemUTC();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String queue : queues) {
            Gauge.builder("gateway.queue.oldest.age", this, readings -> readings.read(queue).oldestAgeSeconds())
                    .tag("queue", queue).baseUnit("seconds")
                    .description("How long the oldest message on a queue has waited (0 when it is empty)")
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** Every stage and dead-letter queue, in the order of {@code GatewayProperties.Queues}. */
    public Map<String, Reading> all() {
        long now = clock.millis();
        Snapshot current = snapshot;
        if (now - current.takenAtMillis() < FRESH.toMillis()) {
            return current.readings();
        }
        synchronized (this) {
            current = snapshot;
            if (clock.millis() - current.takenAtMillis() >= FRESH.toMillis()) {
                Map<String, Reading> readings = new LinkedHashMap<>();
                for (String queue : queues) {
                    readings.put(queue, measure(queue));
                }
                current = new Snapshot(clock.millis(), Map.copyOf(readings));
                snapshot = current;
            }
            return current.readings();
        }
    }

    /** One queue's reading (a queue that is not a stage or dead-letter queue reads as empty). */
    public Reading read(String queue) {
        return all().getOrDefault(queue, new Reading(0, 0));
    }

    private Reading measure(String queue) {
        BrokerService embedded = broker.getIfAvailable();
        try {
            if (embedded != null) {
                long depth = QueueDepthGauges.depth(embedded, queue);
                // a browser with a prefetch of one: the broker hands it the first message, not a page of them
                Long first = depth == 0 ? null
                        : jms.browse(queue + "?consumer.prefetchSize=1", (session, browser) -> firstTimestamp(browser));
                return new Reading(depth, age(first));
            }
            // an external broker: its count by a browse (which the broker stops at its maxBrowsePageSize)
            long[] seen = new long[2];
            jms.browse(queue, (session, browser) -> {
                Enumeration<?> messages = browser.getEnumeration();
                while (messages.hasMoreElements()) {
                    Message message = (Message) messages.nextElement();
                    if (seen[0]++ == 0) {
                        seen[1] = message.getJMSTimestamp();
                    }
                }
                return null;
            });
            return new Reading(seen[0], age(seen[0] == 0 ? null : seen[1]));
        } catch (RuntimeException e) {
            LOG.warn("Could not read queue {}: {}", queue, e.toString());
            return new Reading(0, 0);
        }
    }

    private static Long firstTimestamp(QueueBrowser browser) throws JMSException {
        Enumeration<?> messages = browser.getEnumeration();
        return messages.hasMoreElements() ? ((Message) messages.nextElement()).getJMSTimestamp() : null;
    }

    private double age(Long timestamp) {
        if (timestamp == null || timestamp <= 0) {
            return 0;
        }
        return Math.max(0, clock.millis() - timestamp) / 1000.0;
    }
}
