package org.wagateway.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.DestinationStatistics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;

/**
 * {@code gateway_dlq_enqueued_total{queue}}: messages ever put on each dead-letter queue of the embedded broker
 * since it started, read from the broker's statistics. Unlike {@code gateway_dead_letters_total{route}} it counts
 * every writer of the queue (the media leg's copies, the rejected webhooks kept on {@code whatsapp.dlq.rejected})
 * and, unlike the depth gauge, it does not fall when ops replay or purge a queue:
 * {@code increase(gateway_dlq_enqueued_total[15m]) > 0} is new dead letters. Absent with an external broker.
 */
@Component
public class DeadLetterCounters implements MeterBinder {

    private final ObjectProvider<BrokerService> broker;
    private final GatewayProperties.Queues queues;

    public DeadLetterCounters(ObjectProvider<BrokerService> broker, GatewayProperties properties) {
        this.broker = broker;
        this.queues = properties.getQueues();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        BrokerService embedded = broker.getIfAvailable();
        if (embedded == null) {
            return;
        }
        for (String queue : queues.deadLetters()) {
            FunctionCounter.builder("gateway.dlq.enqueued", embedded, b -> enqueued(b, queue))
                    .tag("queue", queue).description("Messages put on a dead-letter queue").register(registry);
        }
    }

    private static double enqueued(BrokerService broker, String queue) {
        DestinationStatistics statistics = QueueDepthGauges.statistics(broker, queue);
        return statistics == null ? 0 : statistics.getEnqueues().getCount();
    }
}
