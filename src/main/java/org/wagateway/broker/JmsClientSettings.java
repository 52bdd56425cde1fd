package org.wagateway.broker;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.RedeliveryPolicy;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.jms.activemq.ActiveMQConnectionFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wagateway.config.GatewayProperties;

/**
 * How the gateway's own JMS client talks to the broker, embedded or external: settings Spring Boot has no
 * property for.
 */
@Configuration(proxyBeanMethods = false)
public class JmsClientSettings {

    /** More than the gateway's queues (stage queues, one per message type, dead letters). */
    static final int PRODUCERS_PER_SESSION = 64;

    /**
     * Keeps a pooled session's producers open between sends, one per destination. Every send of Camel's JMS
     * producer asks its session for a producer and closes it afterwards; uncached, each send also opened and
     * closed a producer in the broker, which registers and unregisters a JMX MBean for it: about as much broker
     * work as storing the message.
     */
    @Bean
    static BeanPostProcessor pooledProducersStayOpen() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof JmsPoolConnectionFactory pool) {
                    pool.setExplicitProducerCacheSize(PRODUCERS_PER_SESSION);
                }
                return bean;
            }
        };
    }

    /** accept-webhook's store: the waiting webhooks' messages in one commit (gateway.intake.*). */
    @Bean("brokerIntake")
    GroupCommitSender brokerIntake(ConnectionFactory connectionFactory, GatewayProperties properties,
                                   MeterRegistry registry) {
        GatewayProperties.Intake intake = properties.getIntake();
        return new GroupCommitSender(connectionFactory, intake.getMaxBatch(), intake.getCommitTimeout(), registry);
    }

    /**
     * A stage's transaction rolled back (a send refused for space, the broker's store waiting for disk) comes
     * back after 1 s, then twice as late each time up to a minute, and is never given up: ActiveMQ's default gives
     * up after 6 redeliveries and moves the message to ActiveMQ.DLQ, which nobody reads. Failures of the message
     * itself never roll back: the routes' error handlers dead-letter those on the gateway's own queues.
     */
    @Bean
    ActiveMQConnectionFactoryCustomizer stageRedeliveries() {
        return factory -> {
            RedeliveryPolicy policy = factory.getRedeliveryPolicy();
            policy.setMaximumRedeliveries(RedeliveryPolicy.NO_MAXIMUM_REDELIVERIES);
            policy.setInitialRedeliveryDelay(1000);
            policy.setRedeliveryDelay(1000);
            policy.setUseExponentialBackOff(true);
            policy.setBackOffMultiplier(2);
            policy.setMaximumRedeliveryDelay(60_000);
        };
    }

    /**
     * How many messages the broker hands a stage consumer ahead of its acknowledgements. ActiveMQ's default
     * (1,000 per consumer) let one consumer hoard a backlog while the others idled, and every prefetched message
     * holds broker memory until it is acknowledged: with a backlog, the stages' prefetch alone filled the memory
     * limit, and a full memory stops every queue from paging in messages.
     */
    @Bean
    ActiveMQConnectionFactoryCustomizer stageConsumerPrefetch(GatewayProperties properties) {
        int prefetch = properties.getBroker().getConsumerPrefetch();
        return factory -> factory.getPrefetchPolicy().setQueuePrefetch(prefetch);
    }
}
