package org.wagateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/** Ops replay dead letters once the cause is fixed: the message goes through, and leaves the dead-letter queue. */
class DeadLetterReplayTest extends GatewayTestSupport {

    @Test
    void aMessageTheCrmRefusedIsReplayedOnceTheCrmTakesIt() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        var refusal = CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1)
                .withHeader("Idempotency-Key", equalTo(id)).willReturn(aResponse().withStatus(422)));
        postGreenApi(sample);
        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting("crm") > 0);
        CRM.removeStub(refusal);

        HttpResponse<String> replay = post("/admin/dead-letters/crm/replay?max=1000", "", adminJson());

        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json(replay).path("replayed").asInt()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);
        assertThat(receive("whatsapp.dlq.crm", id, Duration.ofSeconds(1))).isNull();
    }

    @Test
    void replayNeedsTheOpsAccount() {
        HttpResponse<String> response = post("/admin/dead-letters/crm/replay", "", Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownDeadLetterQueueIs404() throws Exception {
        HttpResponse<String> response = post("/admin/dead-letters/rejected/replay", "", adminJson());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("error").asText()).isEqualTo("unknown_dead_letter_queue");
    }

    private long waiting(String name) throws Exception {
        return json(get("/admin/dead-letters", ADMIN)).at("/" + name + "/waiting").asLong();
    }

    private static Map<String, String> adminJson() {
        Map<String, String> headers = new HashMap<>(ADMIN);
        headers.put("Content-Type", "application/json");
        return headers;
    }
}
