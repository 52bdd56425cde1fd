package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.broker.BrokerService;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wagateway.Fixtures;
import org.wagateway.GatewayApplication;

/**
 * Ops' settings win over the classes' defaults everywhere a key is read: in the routes' placeholders (every
 * queue and consumer count they name), in Spring's settings (camel-http's timeouts), and in the beans that read
 * the typed classes (the intake's queues, the kept copies of refused webhooks, Kazinfoteh's time zone).
 */
@CamelSpringBootTest
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "gateway.kazinfoteh.api-key=" + GatewayTestSupport.KAZINFOTEH_KEY,
                "gateway.broker.tcp-port=0",
                "gateway.broker.name=gateway-override-test",
                "gateway.queues.ingest=custom.gateway.ingest",
                "gateway.queues.media=custom.gateway.media",
                "gateway.queues.crm-outbox=custom.gateway.crm",
                "gateway.queues.dlq-crm=custom.dlq.crm",
                "gateway.queues.dlq-dispatch=custom.dlq.dispatch",
                "gateway.queues.dlq-media=custom.dlq.media",
                "gateway.queues.dlq-invalid=custom.dlq.invalid",
                "gateway.queues.dlq-rejected=custom.dlq.rejected",
                "gateway.routing.unknown-queue=custom.in.unknown",
                "gateway.crm.connect-timeout-ms=1234",
                "gateway.crm.response-timeout-ms=4321",
                "gateway.crm.concurrent-deliveries=3",
                "gateway.dispatch.concurrent-consumers=1",
                "gateway.media.concurrent-downloads=1",
                "gateway.kazinfoteh.timezone=UTC",
        })
class ConfigurationOverrideTest {

    private static final Map<String, String> KAZINFOTEH_JSON =
            Map.of("Content-Type", "application/json", "X-API-KEY", GatewayTestSupport.KAZINFOTEH_KEY);

    @LocalServerPort
    int port;

    @Autowired
    JmsTemplate jms;

    @Autowired
    CamelContext camel;

    @Autowired
    BrokerService broker;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        TestDataDirs.register(registry, "gateway-override-test");
    }

    @Test
    void theRoutesReadTheSettingsInsteadOfTheDefaults() {
        assertThat(consumer("dispatch").getDestinationName()).isEqualTo("custom.gateway.ingest");
        assertThat(consumer("dispatch").getConcurrentConsumers()).isEqualTo(1);
        assertThat(consumer("deliver-crm").getConcurrentConsumers()).isEqualTo(3);
        assertThat(consumer("fetch-media").getConcurrentConsumers()).isEqualTo(1);
        assertThat(camel.getEndpoints()).extracting(endpoint -> endpoint.getEndpointUri().replaceFirst("\\?.*", ""))
                .contains("jms://queue:custom.gateway.media",
                        "jms://queue:custom.gateway.crm", "jmsOwnSession://queue:custom.gateway.crm",
                        "jms://queue:custom.dlq.crm", "jms://queue:custom.dlq.dispatch",
                        "jms://queue:custom.dlq.media", "jms://queue:custom.dlq.invalid")
                .noneMatch(uri -> uri.contains("whatsapp.gateway.") || uri.contains("whatsapp.dlq.")
                        || uri.contains("whatsapp.in.unknown"));
    }

    @Test
    void springsSettingsReadTheSettingsInsteadOfTheDefaults() {
        HttpComponent http = camel.getComponent("http", HttpComponent.class);

        assertThat(http.getConnectTimeout()).isEqualTo(1234);
        assertThat(http.getResponseTimeout()).isEqualTo(4321);
    }

    @Test
    void anAcceptedWebhookIsStoredOnItsTypeQueueAndReadInTheSetZone() throws Exception {
        QueueCounts counts = new QueueCounts(broker, jms);
        long ingestBefore = counts.enqueued("custom.gateway.ingest");
        ObjectNode sample = Fixtures.load("kazinfoteh/text.json").deepCopy();
        sample.put("id", UUID.randomUUID().toString());
        String id = "kazinfoteh:" + sample.get("id").asText();

        HttpResponse<String> response = new TestClient(port).post("/webhooks/kazinfoteh", sample.toString(),
                KAZINFOTEH_JSON);
        jms.setReceiveTimeout(20_000);
        Message message = jms.receiveSelected("whatsapp.in.text", "JMSCorrelationID = '" + id + "'");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(message).as("message on whatsapp.in.text").isNotNull();
        assertThat(counts.enqueued("custom.gateway.ingest")).as("through the ingest queue").isEqualTo(ingestBefore);
        assertThat(counts.enqueued("whatsapp.gateway.ingest")).isZero();
        assertThat(new ObjectMapper().readTree(((TextMessage) message).getText()).path("receivedAt").asText())
                .as("15:13:10 read in UTC, not in the default Asia/Almaty").isEqualTo("2024-08-06T15:13:10Z");
    }

    @Test
    void aWebhookMappedToAnInvalidMessageIsKeptOnTheSetInvalidQueue() throws Exception {
        ObjectNode sample = Fixtures.load("kazinfoteh/text.json").deepCopy();
        sample.put("id", UUID.randomUUID().toString());
        // read faithfully, but in UTC the year 10000: outside the schema's receivedAt
        sample.put("receivedAt", "9999-12-31T23:59:59-05:00");
        String id = "kazinfoteh:" + sample.get("id").asText();

        HttpResponse<String> response = new TestClient(port).post("/webhooks/kazinfoteh", sample.toString(),
                KAZINFOTEH_JSON);
        jms.setReceiveTimeout(20_000);
        Message message = jms.receiveSelected("custom.dlq.invalid", "JMSCorrelationID = '" + id + "'");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(message).as("message on custom.dlq.invalid").isNotNull();
        assertThat(new QueueCounts(broker, jms).enqueued("whatsapp.dlq.invalid")).isZero();
    }

    @Test
    void aMessageOfAnUnknownTypeGoesToTheSetUnknownQueue() throws Exception {
        ObjectNode sample = Fixtures.load("kazinfoteh/unknown-msg-type.json").deepCopy();
        sample.put("id", UUID.randomUUID().toString());
        String id = "kazinfoteh:" + sample.get("id").asText();

        HttpResponse<String> response = new TestClient(port).post("/webhooks/kazinfoteh", sample.toString(),
                KAZINFOTEH_JSON);
        jms.setReceiveTimeout(20_000);
        Message message = jms.receiveSelected("custom.in.unknown", "JMSCorrelationID = '" + id + "'");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(message).as("message on custom.in.unknown").isNotNull();
    }

    @Test
    void aRefusedWebhookIsKeptOnTheSetQueue() throws Exception {
        String marker = "broken-" + UUID.randomUUID();

        HttpResponse<String> response = new TestClient(port).post("/webhooks/kazinfoteh",
                "{\"id\": \"" + marker + "\", ", KAZINFOTEH_JSON);

        assertThat(response.statusCode()).isEqualTo(400);
        await().atMost(Duration.ofSeconds(10)).until(() -> kept("custom.dlq.rejected", marker));
        assertThat(kept("whatsapp.dlq.rejected", marker)).isFalse();
    }

    private boolean kept(String queue, String marker) {
        return jms.browse(queue, (session, browser) -> Collections.list(browser.getEnumeration()).stream()
                .anyMatch(message -> {
                    try {
                        return ((TextMessage) message).getText().contains(marker);
                    } catch (jakarta.jms.JMSException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    private JmsEndpoint consumer(String routeId) {
        return (JmsEndpoint) camel.getRoute(routeId).getEndpoint();
    }
}
