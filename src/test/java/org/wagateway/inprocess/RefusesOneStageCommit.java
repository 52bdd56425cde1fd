package org.wagateway.inprocess;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.transaction.xa.XAException;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.ConsumerBrokerExchange;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.ConnectionInfo;
import org.apache.activemq.command.MessageAck;
import org.apache.activemq.command.TransactionId;

/**
 * A broker plugin that, once armed, answers the commit of the first transaction that read from one stage queue
 * with an error, in one of the two ways a real broker fails a commit; it records the connection the commit came
 * on and the connections closed since.
 */
final class RefusesOneStageCommit implements BrokerPlugin {

    /** How the refused transaction is left. */
    enum Failure {
        /** Still open, as on a broker lost in a failover (the client cannot know whether it committed). */
        LEFT_OPEN,
        /** Rolled back, as KahaDB's "STORE COMMIT FAILED" on a full disk. */
        ROLLED_BACK
    }

    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicReference<ConnectionId> refusedOn = new AtomicReference<>();
    final Set<ConnectionId> closed = ConcurrentHashMap.newKeySet();
    private final Set<TransactionId> readStage = ConcurrentHashMap.newKeySet();
    private final String queue;
    private final Failure failure;

    RefusesOneStageCommit(String queue, Failure failure) {
        this.queue = queue;
        this.failure = failure;
    }

    @Override
    public Broker installPlugin(Broker next) {
        return new BrokerFilter(next) {
            @Override
            public void acknowledge(ConsumerBrokerExchange exchange, MessageAck ack) throws Exception {
                if (ack.isInTransaction() && queue.equals(ack.getDestination().getPhysicalName())) {
                    readStage.add(ack.getTransactionId());
                }
                super.acknowledge(exchange, ack);
            }

            @Override
            public void commitTransaction(ConnectionContext context, TransactionId xid, boolean onePhase)
                    throws Exception {
                if (readStage.remove(xid) && armed.compareAndSet(true, false)) {
                    refusedOn.set(context.getConnectionId());
                    if (failure == Failure.LEFT_OPEN) {
                        throw new IllegalStateException("commit refused by the test, the transaction left open");
                    }
                    super.rollbackTransaction(context, xid);
                    throw new XAException("STORE COMMIT FAILED: Transaction rolled back (by the test)");
                }
                super.commitTransaction(context, xid, onePhase);
            }

            @Override
            public void removeConnection(ConnectionContext context, ConnectionInfo info, Throwable error)
                    throws Exception {
                closed.add(info.getConnectionId());
                super.removeConnection(context, info, error);
            }
        };
    }
}
