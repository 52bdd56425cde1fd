package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.core.JmsTemplate;

/**
 * A stage whose commit fails on an external broker, as after a failover (the client cannot know whether the
 * broker committed): the stage's listener container recovers by closing the connection it reads on, and the
 * broker drops every consumer and open transaction of that connection, so the message read in the failed
 * transaction goes to the stage's new consumers instead of staying held on a connection that stays open. What
 * the stage sent in the failed transaction goes with it: the message reaches its type queue once. The stage is
 * dispatch, reading a message replayed to the ingest queue.
 */
class StageConsumerRecoveryTest {

    private static final String INGEST = "whatsapp.gateway.ingest";

    private final RefusesOneStageCommit refusal =
            new RefusesOneStageCommit(INGEST, RefusesOneStageCommit.Failure.LEFT_OPEN);
    private BrokerService broker;
    private ConfigurableApplicationContext gateway;

    @AfterEach
    void stopAll() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.stop();
            broker.waitUntilStopped();
        }
    }

    @Test
    void aFailedStageCommitClosesTheConnectionItWasOnAndTheMessageIsDispatchedOnce() throws Exception {
        broker = broker();
        gateway = gateway("failover:(" + broker.getTransportConnectors().get(0).getPublishableConnectString()
                + ")?maxReconnectAttempts=0");
        String id = "greenapi:RECOVERY" + System.nanoTime();

        refusal.armed.set(true);
        // the dispatch stage's message, as a replay from whatsapp.dlq.dispatch puts it on the ingest queue
        IngestReplays.putText(gateway.getBean(JmsTemplate.class), INGEST, id, "greenapi",
                id.substring("greenapi:".length()));

        await().atMost(Duration.ofSeconds(20)).until(() -> refusal.refusedOn.get() != null);
        // the message read in the refused transaction is not held: it is dispatched
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(queue(INGEST).getDestinationStatistics().getMessages().getCount()).as(INGEST).isZero();
            assertThat(queue("whatsapp.in.text").getDestinationStatistics().getMessages().getCount())
                    .as("on whatsapp.in.text").isPositive();
        });
        // by the stage's new consumers: the connection the refused commit came on is closed
        assertThat(refusal.closed).as("connections closed").contains(refusal.refusedOn.get());
        assertThat(queue("whatsapp.in.text").getDestinationStatistics().getMessages().getCount())
                .as("copies of " + id + " on whatsapp.in.text").isEqualTo(1);
        int dispatchers = Integer.parseInt(gateway.getEnvironment()
                .getProperty("gateway.dispatch.concurrent-consumers"));
        assertThat(queue(INGEST).getConsumers()).as("consumers of " + INGEST).hasSize(dispatchers);
    }

    private Destination queue(String name) throws Exception {
        return broker.getDestination(new ActiveMQQueue(name));
    }

    private BrokerService broker() throws Exception {
        BrokerService service = new BrokerService();
        service.setBrokerName("stage-recovery");
        service.setPersistent(false);
        service.setUseJmx(false);
        service.setAdvisorySupport(false);
        service.setSchedulerSupport(true);
        service.setUseShutdownHook(false);
        service.setPlugins(new BrokerPlugin[] {refusal});
        service.addConnector("tcp://127.0.0.1:0");
        service.start();
        service.waitUntilStarted();
        return service;
    }

    private static ConfigurableApplicationContext gateway(String brokerUrl) throws IOException {
        return GatewayOnExternalBroker.start("stage-recovery", brokerUrl, Map.of());
    }
}
