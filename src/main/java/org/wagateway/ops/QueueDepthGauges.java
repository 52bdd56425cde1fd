package org.wagateway.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.DestinationStatistics;
import org.apache.activemq.command.ActiveMQQueue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;

/**
 * Queue figures read from the embedded broker's statistics: {@code gateway_dlq_depth{queue}}, messages waiting on
 * each dead-letter queue, and {@code gateway_stage_backlog{queue}}, accepted messages waiting for a stage (ingest,
 * media, CRM outbox): a backlog that keeps growing means the stages lag the webhooks. And
 * {@code gateway_dlq_enqueued_total{queue}}: messages ever put on each dead-letter queue since the broker started.
 * Unlike {@code gateway_dead_letters_total{route}} it counts every writer of the queue (the media leg's copies, the
 * rejected webhooks kept on {@code whatsapp.dlq.rejected}) and, unlike the depth, it does not fall when ops replay
 * or purge a queue: {@code increase(gateway_dlq_enqueued_total[15m]) > 0} is new dead letters. With an external
 * broker these meters are absent; watch the broker's own metrics (its JMX, or Hawtio's ActiveMQ tab) instead. How long
 * each queue's oldest message has waited is {@link QueueReadings}' gauge, which reads either broker.
 */
@Component
public class QueueDepthGauges implements MeterBinder {

    private final ObjectProvider<BrokerService> broker;
    private final GatewayProperties.Queues queues;

    public QueueDepthGauges(ObjectProvider<BrokerService> broker, GatewayProperties properties) {
        this.broker = broker;
        this.queues = properties.getQueues();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        BrokerService embedded = broker.getIfAvailable();
        if (embedded == null) {
            return;
        }
        register(registry, embedded, "gateway.dlq.depth", "Messages waiting on a dead-letter queue",
                queues.deadLetters());
        register(registry, embedded, "gateway.stage.backlog", "Accepted messages waiting for a stage",
                queues.stages());
        for (String queue : queues.deadLetters()) {
            FunctionCounter.builder("gateway.dlq.enqueued", embedded, b -> enqueued(b, queue))
                    .tag("queue", queue).description("Messages put on a dead-letter queue").register(registry);
        }
    }

    private static void register(MeterRegistry registry, BrokerService broker, String name, String description,
                                 List<String> queueNames) {
        for (String queue : queueNames) {
            Gauge.builder(name, () -> depth(broker, queue)).tag("queue", queue).description(description)
                    .register(registry);
        }
    }

    /** Messages on a queue of the embedded broker (0 for a queue it does not have). */
    public static long depth(BrokerService broker, String queue) {
        DestinationStatistics statistics = statistics(broker, queue);
        return statistics == null ? 0 : statistics.getMessages().getCount();
    }

    private static double enqueued(BrokerService broker, String queue) {
        DestinationStatistics statistics = statistics(broker, queue);
        return statistics == null ? 0 : statistics.getEnqueues().getCount();
    }

    /** A queue's statistics in the embedded broker, or null for a queue it does not have (yet). */
    private static DestinationStatistics statistics(BrokerService broker, String queue) {
        try {
            Destination destination = broker.getDestination(new ActiveMQQueue(queue));
            return destination == null ? null : destination.getDestinationStatistics();
        } catch (Exception e) {
            return null;
        }
    }
}
