package org.wagateway.broker;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.wagateway.config.GatewayProperties;

/**
 * What the gateway checks of an external broker ({@code spring.activemq.broker-url} set) before it uses it. The
 * embedded broker is built with what the gateway needs and needs no check.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ExternalBrokerConfiguration.ExternalBroker.class)
public class ExternalBrokerConfiguration {

    /** Health component {@code brokerScheduler}; made at start, which it refuses when the scheduler is off. */
    @Bean("brokerSchedulerHealthIndicator")
    ExternalBrokerScheduler brokerScheduler(ConnectionFactory connectionFactory, GatewayProperties properties)
            throws JMSException {
        return new ExternalBrokerScheduler(connectionFactory, properties);
    }

    /**
     * The stage consumers' JMS component ({@code jmsStage:}): they read on connections of their own, which a
     * failover's recovery closes for good ({@link StageConsumers}).
     */
    @Bean("jmsStage")
    JmsComponent jmsStage(ConnectionFactory connectionFactory) {
        return StageConsumers.onConnectionsOfTheirOwn(connectionFactory);
    }

    /** {@code spring.activemq.broker-url} set: the gateway uses that broker and runs none of its own. */
    public static class ExternalBroker implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !new EmbeddedBrokerConfiguration.NoExternalBroker().matches(context, metadata);
        }
    }
}
