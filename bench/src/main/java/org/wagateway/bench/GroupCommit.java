package org.wagateway.bench;

import static org.wagateway.bench.Log.log;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.ActiveMQConnection;

/**
 * The gateway's intake as the broker sees it (broker/GroupCommitSender, rebuilt here so that the benchmark needs
 * none of the gateway's classes): the sends of every caller waiting at one moment, at most {@code maxBatch}
 * callers, go to the broker in one local transaction on a connection of its own, one producer per queue, and
 * each caller returns once that transaction has committed. A failed send or commit fails every call of its
 * batch and the connection is opened anew for the next one; a call waiting longer than its timeout fails too.
 * Each change to how the gateway's sender talks to the broker belongs here as well.
 */
final class GroupCommit {

    /** One message to store: its queue, its text, its JMS properties; a null group id sets none. */
    record Send(String queue, String body, Map<String, Object> properties, String correlationId, String groupId) {
    }

    /** The call gave up waiting; its messages may still be committed after it. */
    static final class NotCommittedInTime extends JMSException {
        NotCommittedInTime(long timeoutMillis) {
            super("The broker did not commit within " + timeoutMillis + " ms");
        }
    }

    private record Call(List<Send> sends, CompletableFuture<Void> committed) {
    }

    private final ConnectionFactory connectionFactory;
    private final int maxBatch;
    private final long timeoutMillis;
    private final BlockingQueue<Call> waiting;
    private volatile boolean running;
    private Thread writer;
    private Connection connection;
    private Session session;
    private final Map<String, MessageProducer> producers = new HashMap<>();

    /** Batches committed, and the calls in them. */
    final LongAdder commits = new LongAdder();
    final LongAdder committedCalls = new LongAdder();
    /** Time from a batch's first send to the end of its commit, summed over the committed batches. */
    final LongAdder commitNanos = new LongAdder();
    final LongAdder failedBatches = new LongAdder();
    /** The most calls one commit carried since the last {@link #resetLargestBatch()}. */
    private final AtomicInteger largestBatch = new AtomicInteger();

    GroupCommit(ConnectionFactory connectionFactory, int maxBatch, long timeoutMillis) {
        this.connectionFactory = connectionFactory;
        this.maxBatch = maxBatch;
        this.timeoutMillis = timeoutMillis;
        // the gateway's queue of waiting calls, sized as there
        this.waiting = new ArrayBlockingQueue<>(Math.max(maxBatch * 16, 1024));
    }

    /** Stores the sends in one commit (shared with other callers'); returns once committed, throws otherwise. */
    void send(List<Send> sends) throws JMSException {
        if (!running) {
            throw new JMSException("The intake is stopped");
        }
        Call call = new Call(sends, new CompletableFuture<>());
        try {
            if (!waiting.offer(call, timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new JMSException("The intake is full: nothing was stored");
            }
            call.committed().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("Interrupted while waiting for the broker");
        } catch (TimeoutException e) {
            throw new NotCommittedInTime(timeoutMillis);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JMSException jms) {
                throw jms;
            }
            JMSException wrapped = new JMSException(String.valueOf(e.getCause()));
            wrapped.initCause(e.getCause());
            throw wrapped;
        }
    }

    int largestBatch() {
        return largestBatch.get();
    }

    void resetLargestBatch() {
        largestBatch.set(0);
    }

    /** Calls waiting for the writer to take them into a batch. */
    int waitingCalls() {
        return waiting.size();
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
            commitNanos.add(System.nanoTime() - started);
            commits.increment();
            committedCalls.add(batch.size());
            largestBatch.accumulateAndGet(batch.size(), Math::max);
            for (Call call : batch) {
                call.committed().complete(null);
            }
        } catch (JMSException | RuntimeException e) {
            failedBatches.increment();
            log("intake: a batch of " + batch.size() + " calls was not stored: " + e);
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
                // as the gateway's: each message is built for one send and never touched again
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
                log("intake: closing its connection failed: " + e);
            }
            connection = null;
        }
    }

    void start() {
        running = true;
        writer = new Thread(this::writeBatches, "intake-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stops after the calls already waiting are committed (the callers stop first). */
    void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
    }
}
