package org.wagateway.crm;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.DelegatingConnectionFactory;

/**
 * The JMS component ({@code jmsOwnSession:}) that puts a failed CRM delivery into the broker's scheduler. It sends
 * on a session of its own, committed by the send itself, while the outbox read is still open: the broker writes
 * a scheduled message to its scheduler's store only after the transaction that sent it has committed, and a
 * write failing there (a full disk) came too late to undo that transaction's read from the outbox, so the message
 * was gone. Sent on its own, a refused schedule fails the attempt, the read rolls back and the message stays on
 * the outbox. A schedule taken whose read then fails to commit leaves two copies; the CRM still gets one POST,
 * as the idempotency check skips a message the CRM already took.
 */
@Configuration(proxyBeanMethods = false)
public class CrmRetryScheduling {

    @Bean("jmsOwnSession")
    JmsComponent jmsOwnSession(ConnectionFactory connectionFactory) {
        // another factory object than the listener's: Spring hands a send the listener's session by factory
        DelegatingConnectionFactory own = new DelegatingConnectionFactory();
        own.setTargetConnectionFactory(connectionFactory);
        JmsComponent jms = JmsComponent.jmsComponent(own);
        jms.setTransacted(false);
        jms.setDeliveryPersistent(true);
        return jms;
    }
}
