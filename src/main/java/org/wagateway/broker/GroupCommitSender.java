package org.wagateway.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.activemq.ActiveMQConnection;
import org.apache.camel.ExchangeProperty;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.wagateway.flow.ExchangeContract.Property;

/**
 * Group commit: the persistent sends of all the callers waiting at one moment go to the broker in one local JMS
 * transaction, on a connection of its own, and each caller returns once that transaction has committed. One
 * commit (one journal sync) then serves every webhook that arrived while the previous one was syncing, where a
 * synchronous persistent send per webhook costs a sync each and queues behind the stages' commits on the shared
 * connections. The sends of one call (a message's type queue and its CRM outbox copy) always share a commit.
 *
 * <p>A failed send or commit fails every call of its batch with the broker's exception (nothing of the batch is
 * stored: the transaction rolls back); the connection is then opened anew for the next batch. A call that waits
 * longer than its timeout fails too; its messages may still be committed after it gave up, which makes the
 * provider's retry a second copy (at-least-once), never a loss.
 */
public class GroupCommitSender implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitSender.class);

    /** One message to store: its queue, its text, its JMS properties; a null group id sets none. */
    public record Send(String queue, String body, Map<String, Object> properties, String correlationId,
                       String groupId) {
    }

    private record Call(List<Send> sends, CompletableFuture<Void> committed) {
    }

    private final ConnectionFactory connectionFactory;
    private final int maxBatch;
    private final Duration timeout;
    private final BlockingQueue<Call> waiting;
    private volatile boolean running;
    private Thread writer;
    private Connection connection;
    private Session session;
    /** One producer per queue: the broker does JMX bookkeeping on every send of a producer without a destination. */
    private final Map<String, MessageProducer> producers = new HashMap<>();
    private final DistributionSummary batchSizes;
    private final Timer commits;

    public GroupCommitSender(ConnectionFactory connectionFactory, int maxBatch, Duration timeout,
                             MeterRegistry registry) {
        // the pool's own factory: this sender keeps one connection for itself, never shared with the stages
        this.connectionFactory = connectionFactory instanceof JmsPoolConnectionFactory pool
                && pool.getConnectionFactory() instanceof ConnectionFactory unpooled ? unpooled : connectionFactory;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.waiting = new ArrayBlockingQueue<>(Math.max(maxBatch * 16, 1024));
        this.batchSizes = DistributionSummary.builder("gateway.intake.batch.size")
                .description("Webhooks stored by one broker commit").register(registry);
        this.commits = Timer.builder("gateway.intake.commit")
                .description("Time to send and commit one batch of webhooks' messages").register(registry);
    }

    /** Stores the sends in one commit (shared with other callers'); returns once committed, throws otherwise. */
    public void send(@ExchangeProperty(Property.STORE_TO) List<Send> sends) throws JMSException {
        if (!running) {
            throw new JMSException("The broker intake is stopped");
        }
        Call call = new Call(sends, new CompletableFuture<>());
        try {
            if (!waiting.offer(call, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new JMSException("The broker intake is full: nothing was stored");
            }
            call.committed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("Interrupted while waiting for the broker");
        } catch (TimeoutException e) {
            throw new JMSException("The broker did not commit within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JMSException jms) {
                throw jms;
            }
            JMSException wrapped = new JMSException(String.valueOf(e.getCause()));
            wrapped.initCause(e.getCause());
            throw wrapped;
        }
    }

    private void writeBatches() {
        List<Call> batch = new ArrayList<>(maxBatch);
        while (running || !waiting.isEmpty()) {
            try {
                Call first = waiting.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Call> batch) {
        long started = System.nanoTime();
        try {
            Session session = session();
            for (Call call : batch) {
                for (Send send : call.sends()) {
                    producer(send.queue()).send(message(session, send), DeliveryMode.PERSISTENT,
                            Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
                }
            }
            session.commit();
            commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            batchSizes.record(batch.size());
            for (Call call : batch) {
                call.committed().complete(null);
            }
        } catch (JMSException | RuntimeException e) {
            LOG.warn("Broker intake: a batch of {} webhooks was not stored ({}); they are answered with a retry",
                    batch.size(), e.toString());
            for (Call call : batch) {
                call.committed().completeExceptionally(e);
            }
            close();
        }
    }

    private static Message message(Session session, Send send) throws JMSException {
        Message message = session.createTextMessage(send.body());
        message.setJMSCorrelationID(send.correlationId());
        for (Map.Entry<String, Object> property : send.properties().entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        if (send.groupId() != null) {
            message.setStringProperty("JMSXGroupID", send.groupId());
        }
        return message;
    }

    private Session session() throws JMSException {
        if (session == null) {
            connection = connectionFactory.createConnection();
            if (connection instanceof ActiveMQConnection activeMq) {
                // each message is built for one send and never touched again: no defensive copy of it
                activeMq.setCopyMessageOnSend(false);
            }
            connection.start();
            session = connection.createSession(true, Session.SESSION_TRANSACTED);
        }
        return session;
    }

    private MessageProducer producer(String queue) throws JMSException {
        MessageProducer producer = producers.get(queue);
        if (producer == null) {
            producer = session.createProducer(session.createQueue(queue));
            producers.put(queue, producer);
        }
        return producer;
    }

    private void close() {
        producers.clear();
        session = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException e) {
                LOG.debug("Broker intake: closing its connection failed", e);
            }
            connection = null;
        }
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::writeBatches, "gateway-intake-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stops after the calls already waiting are committed (the webhooks' server stops taking new ones first). */
    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Among the first to start and the last to stop: after the web server and Camel's routes, whose webhooks
     * wait here, and before the broker and its connection factory (beans, closed after every lifecycle).
     */
    @Override
    public int getPhase() {
        return 0;
    }
}
