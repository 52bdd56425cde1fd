package org.wagateway.broker;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.wagateway.config.GatewayProperties;

/**
 * The start-up check of an external broker's scheduler, and health component {@code brokerScheduler}. The
 * gateway's CRM retries wait in the broker as scheduled messages ({@code AMQ_SCHEDULED_DELAY}); a broker without
 * {@code schedulerSupport} delivers them at once, so every retry of a message follows the failed attempt without
 * a pause and a CRM down for a minute sends its messages to the CRM dead-letter queue. ActiveMQ says nothing about
 * it to the sender: only a probe tells. Refuses the start (the exception names the fix) unless
 * {@code gateway.broker.require-scheduler=false}; then it warns at start and on health (UP, with a warning).
 */
public class ExternalBrokerScheduler extends AbstractHealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalBrokerScheduler.class);

    /** Long enough to tell a delayed message from one delivered at once, short enough to cost little at start. */
    static final Duration PROBE_DELAY = Duration.ofSeconds(1);
    /** How long after its delay the probe may take to arrive (a broker busy with its own start). */
    static final Duration PROBE_PATIENCE = Duration.ofSeconds(10);

    static final String HOW_TO_TURN_IT_ON = "Turn the broker's scheduler on: schedulerSupport=\"true\" on the "
            + "<broker> element of its conf/activemq.xml (<broker xmlns=\"http://activemq.apache.org/schema/core\" "
            + "brokerName=\"...\" schedulerSupport=\"true\">; for the apache/activemq-classic image mount such an "
            + "activemq.xml at /opt/apache-activemq/conf/activemq.xml, as docker-compose.yml does with "
            + "docker/activemq/activemq.xml), then restart the broker. Or start the gateway with "
            + "gateway.broker.require-scheduler=false to run without (CRM retries are then not delayed).";

    private final SchedulerProbe.Outcome outcome;

    ExternalBrokerScheduler(ConnectionFactory factory, GatewayProperties properties) throws JMSException {
        super("Broker scheduler check failed");
        long started = System.nanoTime();
        outcome = SchedulerProbe.probe(factory, properties.getQueues().getProbe(), PROBE_DELAY, PROBE_PATIENCE);
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (outcome == SchedulerProbe.Outcome.DELAYED) {
            LOG.info("The external broker delays scheduled messages (probe on {} in {} ms): CRM retries wait in it",
                    properties.getQueues().getProbe(), millis);
            return;
        }
        String problem = problem(outcome);
        if (properties.getBroker().isRequireScheduler()) {
            throw new IllegalStateException(problem + " " + HOW_TO_TURN_IT_ON);
        }
        LOG.warn("!!! {} gateway.broker.require-scheduler=false: the gateway runs anyway, and every CRM retry follows "
                + "the failed attempt without waiting. {}", problem, HOW_TO_TURN_IT_ON);
    }

    private static String problem(SchedulerProbe.Outcome outcome) {
        return outcome == SchedulerProbe.Outcome.AT_ONCE
                ? "The external broker (spring.activemq.broker-url) delivered a message scheduled with "
                        + "AMQ_SCHEDULED_DELAY=" + PROBE_DELAY.toMillis() + " at once: its scheduler is off, and "
                        + "the gateway's CRM retries would not wait between attempts."
                : "The external broker (spring.activemq.broker-url) did not deliver a message scheduled with "
                        + "AMQ_SCHEDULED_DELAY=" + PROBE_DELAY.toMillis() + " within " + PROBE_PATIENCE.toSeconds()
                        + " s of its delay: its scheduler does not deliver, and the gateway's CRM retries would "
                        + "wait in it for ever.";
    }

    /** Whether the broker delays scheduled messages, as the probe at start found. */
    public boolean delaysScheduledMessages() {
        return outcome == SchedulerProbe.Outcome.DELAYED;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up().withDetail("scheduledDelivery", outcome == SchedulerProbe.Outcome.DELAYED ? "delayed"
                : outcome == SchedulerProbe.Outcome.AT_ONCE ? "at-once" : "never");
        if (outcome != SchedulerProbe.Outcome.DELAYED) {
            builder.withDetail("warning", problem(outcome) + " Running with gateway.broker.require-scheduler=false.");
        }
    }
}
