package org.wagateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.command.Message;
import org.apache.activemq.command.MessageId;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's send of a due message (on its "JobScheduler:" thread) returns only once a queue took it: the
 * scheduler removes a message from its store after the send, taken or not.
 */
class HeldScheduledSendsTest {

    private final Broker queues = mock(Broker.class);
    private final BrokerService broker = mock(BrokerService.class);
    private final ScheduledDelivery scheduled = new ScheduledDelivery();
    private final HeldScheduledSends sends = new HeldScheduledSends(queues, broker, scheduled, 20);
    private final AtomicInteger tries = new AtomicInteger();

    @Test
    void aRefusedDueMessageIsTriedAgainUntilTaken() throws Exception {
        refuseTimes(3);
        onSchedulerThread(() -> sends.send(new ProducerBrokerExchange(), due())).get();
        assertThat(tries).hasValue(4);
    }

    @Test
    void aDueMessageWaitsWhileHeld() throws Exception {
        refuseTimes(0);
        scheduled.hold(ScheduledDelivery.Reason.DISK_BELOW_FLOOR);
        CompletableFuture<Void> firing = onSchedulerThread(() -> sends.send(new ProducerBrokerExchange(), due()));
        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !firing.isDone());
        assertThat(tries).hasValue(0);
        scheduled.release(ScheduledDelivery.Reason.DISK_BELOW_FLOOR);
        firing.get();
        assertThat(tries).hasValue(1);
    }

    @Test
    void aBrokerStoppingLeavesTheMessageToTheScheduler() {
        refuseTimes(Integer.MAX_VALUE);
        when(broker.isStopping()).thenReturn(false, false, true);
        assertThatThrownBy(() -> onSchedulerThread(() -> sends.send(new ProducerBrokerExchange(), due())).get())
                .hasCauseInstanceOf(HeldScheduledSends.LeftToTheScheduler.class);
    }

    @Test
    void otherSendsPassStraightThrough() throws Exception {
        refuseTimes(1);
        assertThatThrownBy(() -> sends.send(new ProducerBrokerExchange(), due())).isInstanceOf(Exception.class);
        assertThat(tries).hasValue(1);
    }

    private void refuseTimes(int refusals) {
        try {
            doAnswer(invocation -> {
                if (tries.incrementAndGet() <= refusals) {
                    throw new java.io.IOException("No space left on device");
                }
                return null;
            }).when(queues).send(any(), any());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Message due() throws Exception {
        ActiveMQTextMessage message = new ActiveMQTextMessage();
        message.setMessageId(new MessageId("ID:test-1:1:1:1"));
        message.setText("{}");
        message.setProperty("scheduledJobId", "ID:job-1");
        return message;
    }

    interface Firing {
        void run() throws Exception;
    }

    /** Runs on a thread named like ActiveMQ's scheduler's; Errors end the future too. */
    private static CompletableFuture<Void> onSchedulerThread(Firing firing) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                firing.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }, "JobScheduler:JMS");
        thread.setDaemon(true);
        thread.start();
        return done;
    }
}
