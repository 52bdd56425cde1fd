package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.command.TransactionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The benchmark's group-committing intake, against an in-VM broker that can hold or refuse a commit. */
class GroupCommitTest {

    private static final AtomicInteger BROKERS = new AtomicInteger();

    /** Commits to hold until {@link #release} opens, counted from the first; 0: none. */
    private volatile int commitsToHold;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    /** Commits to refuse, counted from the first. */
    private volatile int commitsToRefuse;

    private BrokerService broker;
    private ActiveMQConnectionFactory factory;
    private GroupCommit intake;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    private GroupCommit start(int maxBatch) throws Exception {
        broker = new BrokerService();
        broker.setBrokerName("group-commit-test-" + BROKERS.incrementAndGet());
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.setUseShutdownHook(false);
        // a limit within the disk's free space: ActiveMQ warns of its default
        broker.getSystemUsage().getTempUsage().setLimit(64L * 1024 * 1024);
        broker.setPlugins(new BrokerPlugin[] {next -> new BrokerFilter(next) {
            @Override
            public void commitTransaction(ConnectionContext context, TransactionId xid, boolean onePhase)
                    throws Exception {
                if (commitsToRefuse > 0) {
                    commitsToRefuse--;
                    throw new IllegalStateException("refused by the test");
                }
                if (commitsToHold > 0) {
                    commitsToHold--;
                    holding.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }
                super.commitTransaction(context, xid, onePhase);
            }
        }});
        broker.start();
        broker.waitUntilStarted();
        factory = new ActiveMQConnectionFactory("vm://" + broker.getBrokerName() + "?create=false");
        factory.setWatchTopicAdvisories(false);
        intake = new GroupCommit(factory, maxBatch, 10_000);
        intake.start();
        return intake;
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        callers.shutdownNow();
        if (intake != null) {
            intake.stop();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    private Future<?> call(int i) {
        return callers.submit(() -> {
            intake.send(BrokerBench.copies("{\"id\": \"m-" + i + "\"}", Map.of("provider", "meta", "type", "text"),
                    "m-" + i, "whatsapp.in.text"));
            return null;
        });
    }

    /** The first call's commit held until {@code more} calls wait behind it, then all of them let go. */
    private List<Future<?>> oneHeldThen(int more) throws Exception {
        commitsToHold = 1;
        List<Future<?>> calls = new ArrayList<>(List.of(call(0)));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        for (int i = 1; i <= more; i++) {
            calls.add(call(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (intake.waitingCalls() < more && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(more, intake.waitingCalls());
        release.countDown();
        for (Future<?> f : calls) {
            f.get(10, TimeUnit.SECONDS);
        }
        return calls;
    }

    @Test
    void theCallsWaitingAtOneMomentShareOneCommit() throws Exception {
        start(256);
        oneHeldThen(40);
        assertEquals(2, intake.commits.sum());
        assertEquals(41, intake.committedCalls.sum());
        assertEquals(40, intake.largestBatch());

        List<Message> typed = drain("whatsapp.in.text");
        List<Message> outbox = drain(BrokerBench.CRM_OUTBOX);
        assertEquals(41, typed.size());
        assertEquals(41, outbox.size());
        for (Message m : typed) {
            assertNull(m.getStringProperty("JMSXGroupID"));
            assertEquals("meta", m.getStringProperty("provider"));
        }
        for (Message m : outbox) {
            assertEquals(m.getJMSCorrelationID(), m.getStringProperty("JMSXGroupID"));
            assertEquals("text", m.getStringProperty("type"));
            assertEquals("{\"id\": \"" + m.getJMSCorrelationID() + "\"}", ((TextMessage) m).getText());
            assertEquals(jakarta.jms.DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        }
    }

    @Test
    void aBatchTakesAtMostMaxBatchCalls() throws Exception {
        start(4);
        oneHeldThen(10);
        // the held one, then 4, 4 and 2
        assertEquals(4, intake.commits.sum());
        assertEquals(4, intake.largestBatch());
        assertEquals(11, drain(BrokerBench.CRM_OUTBOX).size());
    }

    @Test
    void aRefusedCommitFailsItsWholeBatchAndTheNextOneCommitsOnANewConnection() throws Exception {
        start(256);
        commitsToRefuse = 1;
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> call(0).get(10, TimeUnit.SECONDS));
        assertInstanceOf(JMSException.class, refused.getCause());
        assertEquals(1, intake.failedBatches.sum());
        call(1).get(10, TimeUnit.SECONDS);
        assertEquals(1, intake.commits.sum());
        List<Message> outbox = drain(BrokerBench.CRM_OUTBOX);
        assertEquals(1, outbox.size());
        assertEquals("m-1", outbox.get(0).getJMSCorrelationID());
        assertEquals(1, drain("whatsapp.in.text").size());
    }

    private List<Message> drain(String queue) throws JMSException {
        List<Message> messages = new ArrayList<>();
        Connection connection = factory.createConnection();
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(200)) {
                messages.add(m);
            }
        } finally {
            connection.close();
        }
        return messages;
    }
}
