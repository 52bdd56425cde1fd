package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Credentials come before anything is kept: requests without them, whatever their method and provider name,
 * are answered and never stored; only an authenticated caller's malformed request is kept on
 * {@code whatsapp.dlq.rejected}.
 */
class UnauthenticatedRequestsTest extends GatewayTestSupport {

    private static final String DLQ = "whatsapp.dlq.rejected";

    @Autowired
    private BrokerService broker;

    @Test
    void requestsWithoutCredentialsAreAnsweredAndNeverKept() throws Exception {
        QueueCounts queues = new QueueCounts(broker, jms);
        int keptBefore = queues.waiting(DLQ);
        long storedBefore = queues.storedAtIntake();
        byte[] body = "{\"id\":\"not-kept\",\"pad\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        List<String> answers = new ArrayList<>();

        for (int round = 0; round < 3; round++) {
            for (String method : List.of("GET", "PUT", "DELETE", "POST", "PATCH")) {
                for (String provider : List.of("kazinfoteh", "greenapi", "x", "meta")) {
                    for (Map<String, String> credentials : List.of(Map.<String, String>of(),
                            Map.of("X-API-KEY", "guess", "Authorization", "Bearer guess",
                                    "X-Hub-Signature-256", "sha256=" + "ab".repeat(32)))) {
                        Map<String, String> headers = new LinkedHashMap<>(credentials);
                        headers.put("Content-Type", "application/json");
                        RawHttp.Answer answer = RawHttp.exchange(port, method, "/webhooks/" + provider, headers,
                                method.equals("GET") || method.equals("DELETE") ? new byte[0] : body);
                        answers.add(method + " " + provider + " " + answer.status() + " "
                                + answer.json().path("status").asText() + " " + answer.json().path("error").asText());
                    }
                }
            }
        }

        assertThat(queues.waiting(DLQ)).as("messages on " + DLQ).isEqualTo(keptBefore);
        // Meta's GET is its subscription handshake: without the verify token it is 403. Meta signs the body, so a
        // signature of the right shape passes the head's check: another method is then 405, and still not kept.
        assertThat(answers).hasSize(120).allSatisfy(answer -> assertThat(answer)
                .matches("GET meta 403 rejected verification_failed|(PUT|DELETE|PATCH) meta 405 rejected method_not_allowed"
                        + "|.* (401|404) rejected (unauthorized|unknown_provider)"));
        assertThat(answers).filteredOn(answer -> answer.startsWith("GET meta")).hasSize(6);
        assertThat(queues.storedAtIntake()).as("stored as a message").isEqualTo(storedBefore);
    }

    @Test
    void anAuthenticatedCallersMalformedRequestIsStillKept() throws Exception {
        QueueCounts queues = new QueueCounts(broker, jms);
        int keptBefore = queues.waiting(DLQ);

        RawHttp.Answer get = RawHttp.exchange(port, "GET", "/webhooks/kazinfoteh", Map.of("X-API-KEY", KAZINFOTEH_KEY),
                new byte[0]);
        RawHttp.Answer broken = RawHttp.exchange(port, "POST", "/webhooks/greenapi",
                Map.of("Authorization", "Bearer " + GREENAPI_TOKEN, "Content-Type", "application/json"),
                "{\"typeWebhook\": ".getBytes(StandardCharsets.UTF_8));

        assertThat(get.status()).isEqualTo(405);
        assertThat(get.json().path("error").asText()).isEqualTo("method_not_allowed");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("error").asText()).isEqualTo("malformed_json");
        await().atMost(Duration.ofSeconds(10)).until(() -> queues.waiting(DLQ) == keptBefore + 2);
    }
}
