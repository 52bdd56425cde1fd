package org.wagateway.crm;

import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;
import org.wagateway.ops.GatewayMetrics;
import org.wagateway.flow.ExchangeContract.Header;
import org.wagateway.flow.ExchangeContract.Property;

/**
 * Plans the next try of a failed CRM delivery. A retry is not a wait in memory: the message goes back to the CRM
 * outbox as a scheduled message ({@code AMQ_SCHEDULED_DELAY}), in the same JMS transaction that took it, so it
 * waits in the broker's persistent scheduler and survives restarts. Its failed attempts travel with it in the
 * {@value Header#CRM_ATTEMPTS} property; once they pass {@code gateway.crm.maximum-redeliveries} the route dead-letters it.
 */
@Component("crmRetries")
public class CrmRetries {

    private static final Logger LOG = LoggerFactory.getLogger(CrmRetries.class);

    private final CrmRetryPolicy policy;
    private final GatewayMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    @Autowired
    public CrmRetries(GatewayProperties properties, GatewayMetrics metrics) {
        this(policyOf(properties.getCrm()), metrics);
    }

    CrmRetries(CrmRetryPolicy policy, GatewayMetrics metrics) {
        this.policy = policy;
        this.metrics = metrics;
    }

    static CrmRetryPolicy policyOf(GatewayProperties.Crm crm) {
        return new CrmRetryPolicy(crm.getMaximumRedeliveries(), Duration.ofMillis(crm.getRedeliveryDelayMs()),
                crm.getBackOffMultiplier(), Duration.ofMillis(crm.getMaximumRedeliveryDelayMs()),
                Duration.ofMillis(crm.getMaximumRetryAfterMs()),
                Duration.ofMillis(crm.getCircuitBreaker().getWaitDurationInOpenStateMs()), 0.2);
    }

    /** Called with the original message restored: marks it for a scheduled retry, or for the dead-letter queue. */
    public void plan(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getMessage();
        int failedBefore = message.getHeader(Header.CRM_ATTEMPTS, 0, Integer.class);
        CrmRetryPolicy.Decision decision = policy.decide(failedBefore, failure, clock.instant());
        String canonicalId = message.getHeader(Header.CORRELATION_ID, String.class);
        metrics.crmFailed(message.getHeader(Header.PROVIDER, String.class), decision.reason(), decision.retry());
        exchange.setProperty(Property.ATTEMPTS, decision.failedAttempts());
        message.setHeader(Header.CRM_ATTEMPTS, decision.failedAttempts());
        message.setHeader(Header.CRM_LAST_FAILURE, decision.reason());
        // the broker's marks from an earlier schedule must not travel: with a job id the broker would not wait
        message.removeHeader(Header.SCHEDULED_JOB_ID);
        message.removeHeaders(Header.SCHEDULED_PREFIX + "_*");
        if (decision.retry()) {
            exchange.setProperty(Property.CRM_GIVE_UP, false);
            message.setHeader(Header.SCHEDULED_DELAY, decision.delay().toMillis());
            LOG.info("CRM delivery of {} failed ({}), attempt {}: retrying in {} ms", canonicalId, decision.reason(),
                    decision.failedAttempts(), decision.delay().toMillis());
        } else {
            exchange.setProperty(Property.CRM_GIVE_UP, true);
            LOG.warn("CRM delivery of {} failed ({}) after {} attempt(s): dead-lettered", canonicalId,
                    decision.reason(), decision.failedAttempts());
        }
    }
}
