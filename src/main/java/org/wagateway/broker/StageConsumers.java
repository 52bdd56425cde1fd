package org.wagateway.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import org.apache.camel.component.jms.JmsComponent;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.core.InfrastructureProxy;

/**
 * The JMS component of the stage consumers ({@code jmsStage:}, the {@code from} of dispatch, fetch-media and
 * deliver-crm): Camel's JMS component with the connections its listeners read on. {@code camel.component.jms.*}
 * applies to it as to every JmsComponent.
 *
 * <p>On an external broker each stage's listeners read on a connection of their own, taken from the ActiveMQ
 * factory the pool wraps, not from the pool. When a stage's commit fails (a failover leaves an open transaction
 * in doubt and the client rolls it back), Spring's listener container recovers by closing its shared connection.
 * A pooled connection closed that way stays open in the pool: the pool only rolls back and takes back the
 * sessions of all the container's listeners, also of those still handling a message on their own thread, and
 * ActiveMQ closes a consumer with a read in an open transaction only once that transaction ends. What the broker
 * still holds for that connection stays held while it is open: a consumer whose close is lost in that race, with
 * its prefetched messages, or a transaction whose commit the broker never completed, with the message it read.
 * Closing a connection of its own makes the broker drop every consumer and transaction on it and hand their
 * messages to the stage's new consumers, whatever the client left behind.
 *
 * <p>The sends a stage makes while it handles a message still go on the listener's session: Spring hands a send
 * the session exposed under the send's connection factory, and the listeners' factory stands for the pooled one
 * ({@link InfrastructureProxy}). The in-VM embedded broker never fails over: its stages read on pooled sessions,
 * whose cached producers keep the broker from registering a producer for each send.
 */
final class StageConsumers {

    private StageConsumers() {
    }

    /** The stages read on sessions of the pool, like every other use of the broker. */
    static JmsComponent onPooledConnections(ConnectionFactory connectionFactory) {
        return JmsComponent.jmsComponent(connectionFactory);
    }

    /** The stages read on connections of their own; their sends still find the listener's session. */
    static JmsComponent onConnectionsOfTheirOwn(ConnectionFactory connectionFactory) {
        if (connectionFactory instanceof JmsPoolConnectionFactory pool
                && pool.getConnectionFactory() instanceof ConnectionFactory unpooled) {
            return JmsComponent.jmsComponent(new ListenerConnectionFactory(unpooled, pool));
        }
        // no pool (spring.activemq.pool.enabled=false): every connection is one of its own already
        return JmsComponent.jmsComponent(connectionFactory);
    }

    /** Connections straight from the broker's factory; as a transaction resource it is the pooled factory. */
    static final class ListenerConnectionFactory implements ConnectionFactory, InfrastructureProxy {

        private final ConnectionFactory unpooled;
        private final ConnectionFactory pooled;

        ListenerConnectionFactory(ConnectionFactory unpooled, ConnectionFactory pooled) {
            this.unpooled = unpooled;
            this.pooled = pooled;
        }

        @Override
        public Connection createConnection() throws JMSException {
            return unpooled.createConnection();
        }

        @Override
        public Connection createConnection(String userName, String password) throws JMSException {
            return unpooled.createConnection(userName, password);
        }

        @Override
        public JMSContext createContext() {
            return unpooled.createContext();
        }

        @Override
        public JMSContext createContext(String userName, String password) {
            return unpooled.createContext(userName, password);
        }

        @Override
        public JMSContext createContext(String userName, String password, int sessionMode) {
            return unpooled.createContext(userName, password, sessionMode);
        }

        @Override
        public JMSContext createContext(int sessionMode) {
            return unpooled.createContext(sessionMode);
        }

        @Override
        public Object getWrappedObject() {
            return pooled;
        }
    }
}
