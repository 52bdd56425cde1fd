package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.broker.BrokerService;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * The guards of a gateway on an external broker, against real ActiveMQ brokers started here on loopback: the
 * start-up probe of the broker's scheduler (a broker without {@code schedulerSupport} is refused, or tolerated
 * with a warning when told so), and the heartbeats by which instances on one broker compare their shared settings
 * (health {@code cluster}).
 */
@ExtendWith(OutputCaptureExtension.class)
class ExternalBrokerGuardsTest {

    private static final String TOKEN = "guards-greenapi-token";
    private static final String OTHER_TOKEN = "guards-other-greenapi-token";

    private final List<ConfigurableApplicationContext> gateways = new ArrayList<>();
    private final List<BrokerService> brokers = new ArrayList<>();
    private Server h2;

    @AfterEach
    void stopAll() throws Exception {
        for (ConfigurableApplicationContext gateway : gateways) {
            gateway.close();
        }
        for (BrokerService broker : brokers) {
            broker.stop();
            broker.waitUntilStopped();
        }
        if (h2 != null) {
            h2.stop();
        }
    }

    @Test
    void aBrokerWithoutSchedulerIsRefusedAtStartWithHowToTurnItOn() throws Exception {
        String broker = broker(false);

        assertThatThrownBy(() -> gateway("no-scheduler", broker, Map.of()))
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e).getMessage())
                        .contains("delivered a message scheduled with AMQ_SCHEDULED_DELAY=1000 at once")
                        .contains("schedulerSupport=\"true\"")
                        .contains("/opt/apache-activemq/conf/activemq.xml")
                        .contains("gateway.broker.require-scheduler=false"));
    }

    @Test
    void toldToRunWithoutTheSchedulerItStartsAndWarnsInTheLogAndOnHealth(CapturedOutput output) throws Exception {
        String broker = broker(false);

        ConfigurableApplicationContext gateway = gateway("scheduler-off", broker,
                Map.of("gateway.broker.require-scheduler", "false"));

        assertThat(output.getAll()).contains("WARN").contains("!!! The external broker")
                .contains("schedulerSupport=\"true\"");
        JsonNode scheduler = health(gateway).path("components").path("brokerScheduler");
        assertThat(scheduler.path("status").asText()).isEqualTo("UP");
        assertThat(scheduler.path("details").path("scheduledDelivery").asText()).isEqualTo("at-once");
        assertThat(scheduler.path("details").path("warning").asText())
                .contains("gateway.broker.require-scheduler=false");
    }

    @Test
    void instancesOnOneBrokerAgreeOrAreDownNamingTheSettingThatDiffersNeverItsValue(CapturedOutput output)
            throws Exception {
        String broker = broker(true);
        h2 = Server.createTcpServer("-tcp", "-tcpPort", "0", "-ifNotExists").start();
        String sharedIds = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:guards-ids;DB_CLOSE_DELAY=-1";

        ConfigurableApplicationContext first = gateway("first", broker, Map.of("spring.datasource.url", sharedIds));
        assertThat(output.getAll()).contains("The external broker delays scheduled messages")
                .doesNotContain("!!!");
        JsonNode alone = health(first);
        assertThat(alone.path("status").asText()).isEqualTo("UP");
        assertThat(alone.path("components").path("brokerScheduler").path("details").path("scheduledDelivery")
                .asText()).isEqualTo("delayed");

        ConfigurableApplicationContext second = gateway("second", broker,
                Map.of("spring.datasource.url", sharedIds));
        for (ConfigurableApplicationContext gateway : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode cluster = health(gateway).path("components").path("cluster");
                assertThat(cluster.path("details").path("otherInstances")).hasSize(1);
                assertThat(cluster.path("status").asText()).isEqualTo("UP");
            });
        }

        // another Green API token and an H2 file of its own: both wrong in a cluster
        ConfigurableApplicationContext third = gateway("third", broker,
                Map.of("gateway.greenapi.token", OTHER_TOKEN));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode cluster = health(first).path("components").path("cluster");
            assertThat(cluster.path("status").asText()).isEqualTo("DOWN");
            assertThat(cluster.path("details").path("problems").toString())
                    .contains("gateway.greenapi.token differs from").doesNotContain("split brain");
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode health = health(third);
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            String problems = health.path("components").path("cluster").path("details").path("problems")
                    .toString();
            assertThat(problems).contains("split brain").contains("spring.datasource.url")
                    .contains("gateway.greenapi.token differs from").doesNotContain("gateway.media.store");
        });
        assertThat(output.getAll()).contains("Cluster: gateway.greenapi.token differs from")
                .doesNotContain(OTHER_TOKEN).doesNotContain(TOKEN);

        // the odd one goes: the others are whole again
        third.close();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(health(first).path("components").path("cluster").path("status").asText())
                        .isEqualTo("UP"));
    }

    private String broker(boolean scheduler) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName("guards-" + brokers.size());
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.setSchedulerSupport(scheduler);
        broker.setUseShutdownHook(false);
        broker.addConnector("tcp://127.0.0.1:0");
        broker.start();
        broker.waitUntilStarted();
        brokers.add(broker);
        return broker.getTransportConnectors().get(0).getPublishableConnectString();
    }

    private ConfigurableApplicationContext gateway(String name, String brokerUrl, Map<String, String> more)
            throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("gateway.greenapi.token", TOKEN);
        settings.put("gateway.cluster.heartbeat-interval", "300ms");
        settings.putAll(more);
        ConfigurableApplicationContext context = GatewayOnExternalBroker.start("guards-" + name, brokerUrl, settings);
        gateways.add(context);
        return context;
    }

    private static JsonNode health(ConfigurableApplicationContext gateway) throws IOException {
        int port = Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
        return TestClient.json(new TestClient(port).get("/actuator/health",
                TestClient.basic("admin", GatewayTestSupport.ADMIN_PASSWORD)));
    }
}
