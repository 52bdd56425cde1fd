package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wagateway.Fixtures;
import org.wagateway.GatewayApplication;

/**
 * A gateway with the Green API token, the CRM URL and the ops password left unset (the endpoint is closed, the
 * CRM leg off, a password generated), and the media safety net as shipped: loopback addresses are refused even
 * for an allowed host name.
 */
@CamelSpringBootTest
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "gateway.kazinfoteh.api-key=" + GatewayTestSupport.KAZINFOTEH_KEY,
                "gateway.greenapi.token=",
                "gateway.crm.url=",
                "gateway.broker.tcp-port=0",
                "gateway.broker.name=gateway-unconfigured-test",
                "gateway.media.allowed-hosts=127.0.0.1:*",
                "gateway.media.allow-private-addresses=false",
        })
class UnconfiguredGatewayTest {

    @LocalServerPort
    int port;

    @Autowired
    JmsTemplate jms;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        TestDataDirs.register(registry, "gateway-unconfigured-test");
    }

    @Test
    void withoutAnOpsPasswordOneIsGeneratedPrintedOnceAndOpensTheOpsEndpoints(CapturedOutput output) {
        Matcher line = Pattern.compile("generated password for ops user 'admin': (\\S+)").matcher(output.getAll());
        assertThat(line.find()).as("the generated password in the log").isTrue();
        String password = line.group(1);
        assertThat(output.getAll().split(Pattern.quote(password), -1)).as("times printed").hasSize(2);

        TestClient client = new TestClient(port);
        assertThat(client.get("/actuator/hawtio/").statusCode()).isEqualTo(401);
        assertThat(client.get("/actuator/hawtio/", TestClient.basic("admin", "not-" + password)).statusCode())
                .isEqualTo(401);
        assertThat(client.get("/actuator/hawtio/", TestClient.basic("admin", password)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void withoutAViewerPasswordThereIsNoViewerAccount(CapturedOutput output) {
        TestClient client = new TestClient(port);

        for (String password : new String[] {"", "viewer", "admin"}) {
            assertThat(client.get("/actuator/prometheus", TestClient.basic("viewer", password)).statusCode())
                    .isEqualTo(401);
        }
        assertThat(output.getAll()).doesNotContain("ops user 'viewer'");
    }

    @Test
    void providerWithoutSecretIsRefusedWith503EvenWithSomeToken() throws Exception {
        HttpResponse<String> response = new TestClient(port).post("/webhooks/greenapi", Fixtures.text("greenapi/text-message.json"),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer anything"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(TestClient.json(response).path("error").asText()).isEqualTo("provider_not_configured");
    }

    @Test
    void providerWithoutSecretIsRefusedWith503WithoutToken() throws Exception {
        HttpResponse<String> response = new TestClient(port).post("/webhooks/greenapi", Fixtures.text("greenapi/text-message.json"),
                Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void metaWithoutAppSecretOrVerifyTokenIsRefusedWith503AndWarnedAbout(CapturedOutput output) throws Exception {
        byte[] body = Fixtures.text("meta/text.json").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        RawHttp.Answer signed = RawHttp.exchange(port, "POST", "/webhooks/meta", Map.of("Content-Type",
                "application/json", "X-Hub-Signature-256", MetaWebhookTest.sign(body, "anything")), body);
        RawHttp.Answer unsigned = RawHttp.exchange(port, "POST", "/webhooks/meta",
                Map.of("Content-Type", "application/json"), body);
        RawHttp.Answer handshake = RawHttp.exchange(port, "GET",
                "/webhooks/meta?hub.mode=subscribe&hub.verify_token=anything&hub.challenge=42", Map.of(), new byte[0]);

        for (RawHttp.Answer answer : java.util.List.of(signed, unsigned, handshake)) {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().path("error").asText()).isEqualTo("provider_not_configured");
        }
        assertThat(output.getAll()).contains("gateway.meta.app-secret is not set")
                .contains("gateway.meta.verify-token is not set");
    }

    @Test
    void withoutCrmUrlMessagesStillReachTheirQueue() throws Exception {
        ObjectNode sample = Fixtures.load("kazinfoteh/text.json").deepCopy();
        sample.put("id", java.util.UUID.randomUUID().toString());
        String id = "kazinfoteh:" + sample.get("id").asText();

        HttpResponse<String> response = new TestClient(port).post("/webhooks/kazinfoteh", sample.toString(),
                Map.of("Content-Type", "application/json", "X-API-KEY", GatewayTestSupport.KAZINFOTEH_KEY));
        jms.setReceiveTimeout(20_000);
        Message message = jms.receiveSelected("whatsapp.in.text", "JMSCorrelationID = '" + id + "'");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(message).isNotNull();
        jms.setReceiveTimeout(1_000);
        assertThat(jms.receive("whatsapp.gateway.crm")).as("nothing waits for a CRM that is off").isNull();
    }

    @Test
    void mediaOnALoopbackAddressIsRefusedAndNeverRequested() throws Exception {
        try (MediaServer media = new MediaServer().file("/upl/inner.jpeg", "image/jpeg", MediaServer.jpeg())) {
            ObjectNode sample = Fixtures.load("kazinfoteh/image.json").deepCopy();
            sample.put("id", java.util.UUID.randomUUID().toString());
            sample.put("msgAttachmentUrl", media.url("/upl/inner.jpeg"));
            String id = "kazinfoteh:" + sample.get("id").asText();

            new TestClient(port).post("/webhooks/kazinfoteh", sample.toString(),
                    Map.of("Content-Type", "application/json", "X-API-KEY", GatewayTestSupport.KAZINFOTEH_KEY));
            jms.setReceiveTimeout(20_000);
            Message message = jms.receiveSelected("whatsapp.in.image", "JMSCorrelationID = '" + id + "'");

            assertThat(message).isNotNull();
            com.fasterxml.jackson.databind.JsonNode outcome = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(((jakarta.jms.TextMessage) message).getText()).at("/media");
            assertThat(outcome.path("status").asText()).isEqualTo("refused");
            // refused for its address: the host and its port are on the allow-list
            assertThat(outcome.path("failure").asText()).contains("non-public address 127.0.0.1");
            assertThat(media.requestsTo("/upl/inner.jpeg")).isZero();
        }
    }
}
