package org.wagateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import jakarta.jms.Message;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/** The CRM leg against a CRM that fails: retried, and what never gets through is kept, not lost. */
class CrmDeliveryTest extends GatewayTestSupport {

    @Test
    void aCrmThatFailsOnceGetsTheMessageOnTheRetry() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        String scenario = "flaky-" + id;
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .inScenario(scenario).whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200)));

        postGreenApi(sample);

        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);
        jms.setReceiveTimeout(1_000);
        assertThat(jms.receiveSelected("whatsapp.dlq.crm", "JMSCorrelationID = '" + id + "'")).isNull();
    }

    @Test
    void aMessageTheCrmKeepsRefusingEndsOnTheCrmDeadLetterQueue() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .willReturn(aResponse().withStatus(500)));

        postGreenApi(sample);
        Message dead = receive("whatsapp.dlq.crm", id, Duration.ofSeconds(20));

        assertThat(dead).as("message on whatsapp.dlq.crm").isNotNull();
        assertThat(body(dead).path("id").asText()).isEqualTo(id);
        assertThat(crmRequests(id)).as("first attempt and 2 redeliveries").hasSize(3);
        assertThat(dead.getStringProperty("deadLetterHttpStatus")).isEqualTo("500");
        assertThat(dead.getStringProperty("deadLetterAttempts")).isEqualTo("3");
        assertThat(dead.getStringProperty("deadLetterRoute")).isEqualTo("deliver-crm");
        assertThat(dead.getStringProperty("deadLetterReason")).contains("HttpOperationFailedException");
    }

    @Test
    void aMessageTheCrmRejectsWithA4xxIsDeadLetteredAtOnceWithTheCrmsAnswer() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"unknown customer\"}")));

        postKazinfoteh(sample);
        Message dead = receive("whatsapp.dlq.crm", id, Duration.ofSeconds(20));

        assertThat(dead).as("message on whatsapp.dlq.crm").isNotNull();
        assertThat(dead.getStringProperty("deadLetterHttpStatus")).isEqualTo("422");
        assertThat(dead.getStringProperty("deadLetterHttpBody")).contains("unknown customer");
        assertThat(crmRequests(id)).as("no retry of a 4xx").hasSize(1);
    }

    @Test
    void a429IsRetriedLikeAnOutage() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        String scenario = "busy-" + id;
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("calm"));
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .inScenario(scenario).whenScenarioStateIs("calm")
                .willReturn(aResponse().withStatus(201)));

        postGreenApi(sample);

        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);
        assertThat(receive("whatsapp.dlq.crm", id, Duration.ofSeconds(1))).isNull();
    }
}
