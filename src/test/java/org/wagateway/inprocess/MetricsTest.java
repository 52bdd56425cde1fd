package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/** What ops scrape from /actuator/prometheus: the gateway's own counters and Camel's route metrics. */
class MetricsTest extends GatewayTestSupport {

    @Test
    void prometheusNeedsTheOpsAccount() {
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void acceptedDeliveredAndRejectedWebhooksAreCountedPerProviderAndType() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        postGreenApi(sample);
        crmRequestFor(id);
        post("/webhooks/greenapi", "{oops", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + GREENAPI_TOKEN));

        HttpResponse<String> scrape = get("/actuator/prometheus", ADMIN);

        assertThat(scrape.body())
                .containsPattern("gateway_webhooks_accepted_total\\{[^}]*provider=\"greenapi\"[^}]*type=\"text\"[^}]*} [1-9]")
                .containsPattern("gateway_messages_delivered_total\\{[^}]*queue=\"whatsapp.in.text\"[^}]*} [1-9]")
                .containsPattern("gateway_crm_delivered_total\\{[^}]*provider=\"greenapi\"[^}]*} [1-9]")
                .containsPattern("gateway_webhooks_rejected_total\\{[^}]*error=\"malformed_json\"[^}]*status=\"400\"[^}]*} [1-9]");
    }

    @Test
    void crmLatencyFailuresAndCircuitStateAreExposed() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        crmAnswers(id, aResponse().withStatus(503), aResponse().withStatus(200));

        postGreenApi(sample);
        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get("/actuator/prometheus", ADMIN).body())
                .containsPattern("gateway_crm_failures_total\\{[^}]*reason=\"http-503\"[^}]*} [1-9]")
                .containsPattern("gateway_crm_latency_seconds_count\\{[^}]*} [1-9]")
                .containsPattern("gateway_crm_circuit_state(\\{[^}]*})? 0"));
    }

    @Test
    void routeMetricsAndDeadLetterDepthAreExposed() {
        String body = get("/actuator/prometheus", ADMIN).body();

        assertThat(body).contains("routeId=\"dispatch\"").contains("routeId=\"deliver-crm\"")
                .containsPattern("gateway_dlq_depth\\{queue=\"whatsapp.dlq.crm\"}")
                .containsPattern("gateway_stage_backlog\\{queue=\"whatsapp.gateway.ingest\"}")
                .containsPattern("gateway_stage_backlog\\{queue=\"whatsapp.gateway.crm\"}");
    }

    @Test
    void aDeadLetterRaisesTheDepthGauge() throws Exception {
        String before = depth("whatsapp.dlq.invalid");
        jms.convertAndSend("whatsapp.gateway.ingest", "{\"schemaVersion\":1,\"id\":\"x:metrics\",\"kind\":\"nonsense\"}",
                message -> {
                    message.setJMSCorrelationID("x:metrics");
                    return message;
                });

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> !depth("whatsapp.dlq.invalid").equals(before));
        assertThat(Double.parseDouble(depth("whatsapp.dlq.invalid"))).isGreaterThan(Double.parseDouble(before));
    }

    private String depth(String queue) {
        String body = get("/actuator/prometheus", ADMIN).body();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("gateway_dlq_depth\\{queue=\"" + java.util.regex.Pattern.quote(queue) + "\"} (\\S+)").matcher(body);
        return m.find() ? m.group(1) : "0";
    }
}
