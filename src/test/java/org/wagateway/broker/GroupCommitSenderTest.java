package org.wagateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wagateway.broker.GroupCommitSender.Send;

/**
 * The intake's group commit on a real embedded ActiveMQ broker with a persistent KahaDB store: a call returns only
 * once its messages are committed (another connection receives them), one call is one transaction (a failing send
 * rolls back its call's other sends), concurrent callers share commits, and a stopped sender stores nothing.
 */
class GroupCommitSenderTest {

    private static final String QUEUE = "test.intake.type";
    private static final String OUTBOX = "test.intake.outbox";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private BrokerService broker;
    private ActiveMQConnectionFactory factory;
    private CountingFactory counting;
    private GroupCommitSender sender;
    private Connection reader;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new BrokerService();
        broker.setBrokerName("group-commit-test");
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(dataDir.toFile());
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(dataDir.resolve("kahadb").toFile());
        broker.setPersistenceAdapter(kahaDb);
        broker.start();
        broker.waitUntilStarted();
        factory = new ActiveMQConnectionFactory("vm://group-commit-test?create=false");
        counting = new CountingFactory(factory);
        sender = new GroupCommitSender(counting, 256, TIMEOUT, new SimpleMeterRegistry());
        sender.start();
        reader = factory.createConnection();
        reader.start();
    }

    @AfterEach
    void stopBroker() throws Exception {
        sender.stop();
        reader.close();
        broker.stop();
        broker.waitUntilStopped();
    }

    @Test
    void aReturnedCallIsCommittedAndEveryMessageIsStoredOnce() throws Exception {
        int threads = 32;
        int callsEach = 10;
        ConcurrentLinkedQueue<String> notCommittedOnReturn = new ConcurrentLinkedQueue<>();
        AtomicInteger returned = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            callers.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    for (int c = 0; c < callsEach; c++) {
                        String id = "test:" + thread + "-" + c;
                        sender.send(List.of(send(QUEUE, id, false), send(OUTBOX, id, true)));
                        // returned: committed, so each queue holds at least one message per call returned so far
                        // (a QueueBrowser is no witness: ActiveMQ's browse may leave out messages it holds)
                        int returnedSoFar = returned.incrementAndGet();
                        if (held(QUEUE) < returnedSoFar || held(OUTBOX) < returnedSoFar) {
                            notCommittedOnReturn.add(id);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> new Thread(runnable, "caller-" + thread).start()));
        }
        start.countDown();
        CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);

        assertThat(notCommittedOnReturn).as("calls whose messages were not committed when they returned").isEmpty();
        Map<String, Integer> onQueue = drain(QUEUE);
        Map<String, Integer> onOutbox = drain(OUTBOX);
        assertThat(onQueue).hasSize(threads * callsEach);
        assertThat(onQueue.values()).as("each stored once").containsOnly(1);
        assertThat(onOutbox).isEqualTo(onQueue);
        System.out.printf("Group commit: %d calls of 2 sends from %d threads in %d commits%n",
                threads * callsEach, threads, counting.commits.get());
    }

    @Test
    void theOutboxCopyCarriesTheGroupIdAndTheProperties() throws Exception {
        sender.send(List.of(send(QUEUE, "test:props", false), send(OUTBOX, "test:props", true)));

        Message typed = receive(QUEUE);
        Message outbox = receive(OUTBOX);
        assertThat(((TextMessage) typed).getText()).isEqualTo("{\"id\":\"test:props\"}");
        assertThat(typed.getJMSCorrelationID()).isEqualTo("test:props");
        assertThat(typed.getStringProperty("type")).isEqualTo("text");
        assertThat(typed.getIntProperty("attempt")).isEqualTo(1);
        assertThat(typed.getStringProperty("JMSXGroupID")).isNull();
        assertThat(outbox.getStringProperty("JMSXGroupID")).isEqualTo("test:props");
        assertThat(outbox.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
    }

    @Test
    void aFailingSendRollsBackItsWholeCallAndTheNextCallIsStored() throws Exception {
        Map<String, Object> unsupported = new HashMap<>();
        unsupported.put("notAJmsType", new Object());
        List<Send> call = List.of(send(QUEUE, "test:first-of-failed", false),
                new Send(OUTBOX, "{}", unsupported, "test:first-of-failed", null));

        assertThatThrownBy(() -> sender.send(call)).isInstanceOf(JMSException.class);
        assertThat(drain(QUEUE)).as("the failed call's first send, rolled back").isEmpty();
        assertThat(drain(OUTBOX)).isEmpty();

        sender.send(List.of(send(QUEUE, "test:after", false)));
        assertThat(drain(QUEUE)).containsOnlyKeys("test:after").containsValue(1);
        assertThat(counting.connections.get()).as("a new connection after the failure").isEqualTo(2);
    }

    @Test
    void callersWaitingDuringACommitShareTheNextOne() throws Exception {
        counting.holdFirstCommit();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> call("test:alone"));
        assertThat(counting.firstCommitReached.await(10, TimeUnit.SECONDS)).isTrue();

        int waiting = 31;
        List<Thread> callers = new ArrayList<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < waiting; i++) {
            String id = "test:waiting-" + i;
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    sender.send(List.of(send(QUEUE, id, false), send(OUTBOX, id, true)));
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            }, "waiting-caller-" + i);
            callers.add(thread);
            calls.add(done);
            thread.start();
        }
        // a caller waits for its commit with a timeout (TIMED_WAITING) only once its call is queued
        await().atMost(Duration.ofSeconds(10))
                .until(() -> callers.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
        counting.releaseFirstCommit();

        first.get(10, TimeUnit.SECONDS);
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(drain(QUEUE)).hasSize(waiting + 1);
        assertThat(counting.commits.get()).as("32 calls: the held one's commit, then one for the 31 queued behind it")
                .isEqualTo(2);
    }

    @Test
    void aStoppedSenderRefusesCalls() throws Exception {
        sender.send(List.of(send(QUEUE, "test:before-stop", false)));
        sender.stop();

        assertThat(sender.isRunning()).isFalse();
        assertThatThrownBy(() -> sender.send(List.of(send(QUEUE, "test:after-stop", false))))
                .isInstanceOf(JMSException.class).hasMessageContaining("stopped");
        assertThat(drain(QUEUE)).containsOnlyKeys("test:before-stop");
    }

    private void call(String id) {
        try {
            sender.send(List.of(send(QUEUE, id, false)));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Send send(String queue, String id, boolean grouped) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("type", "text");
        properties.put("attempt", 1);
        return new Send(queue, "{\"id\":\"" + id + "\"}", properties, id, grouped ? id : null);
    }

    /** Messages the broker holds on a queue, committed ones only (counted as the commit adds them). */
    private long held(String queue) throws Exception {
        Destination destination = broker.getDestination(new ActiveMQQueue(queue));
        return destination.getDestinationStatistics().getMessages().getCount();
    }

    private Message receive(String queue) throws JMSException {
        Session session = reader.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            return session.createConsumer(session.createQueue(queue)).receive(5000);
        } finally {
            session.close();
        }
    }

    /** Every message on a queue, read off it: how often each correlation id came. */
    private Map<String, Integer> drain(String queue) throws JMSException {
        Session session = reader.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            Map<String, Integer> ids = new HashMap<>();
            Message message;
            while ((message = consumer.receive(1000)) != null) {
                ids.merge(message.getJMSCorrelationID(), 1, Integer::sum);
            }
            return ids;
        } finally {
            session.close();
        }
    }

    /** Counts the connections opened and the commits made through it; can hold the first commit. */
    private static final class CountingFactory implements ConnectionFactory {

        private final ConnectionFactory target;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger commits = new AtomicInteger();
        final CountDownLatch firstCommitReached = new CountDownLatch(1);
        private volatile CountDownLatch firstCommitHeld;

        CountingFactory(ConnectionFactory target) {
            this.target = target;
        }

        void holdFirstCommit() {
            firstCommitHeld = new CountDownLatch(1);
        }

        void releaseFirstCommit() {
            firstCommitHeld.countDown();
        }

        @Override
        public Connection createConnection() throws JMSException {
            connections.incrementAndGet();
            return proxy(Connection.class, target.createConnection(), (connection, method, args) -> {
                Object result = invoke(method, connection, args);
                return method.getName().equals("createSession") ? proxy(Session.class, (Session) result,
                        (session, sessionMethod, sessionArgs) -> {
                            if (sessionMethod.getName().equals("commit")) {
                                beforeCommit();
                            }
                            return invoke(sessionMethod, session, sessionArgs);
                        }) : result;
            });
        }

        private void beforeCommit() {
            if (commits.incrementAndGet() == 1 && firstCommitHeld != null) {
                firstCommitReached.countDown();
                try {
                    firstCommitHeld.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public Connection createConnection(String userName, String password) throws JMSException {
            throw new UnsupportedOperationException();
        }

        @Override
        public jakarta.jms.JMSContext createContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public jakarta.jms.JMSContext createContext(String userName, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public jakarta.jms.JMSContext createContext(String userName, String password, int sessionMode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public jakarta.jms.JMSContext createContext(int sessionMode) {
            throw new UnsupportedOperationException();
        }

        interface Handler<T> {
            Object handle(T target, java.lang.reflect.Method method, Object[] args) throws Throwable;
        }

        @SuppressWarnings("unchecked")
        private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
            InvocationHandler invocation = (proxy, method, args) -> handler.handle(target, method, args);
            return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, invocation);
        }

        private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
                throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
