package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/** Providers retry webhooks they think failed: a retry is answered like the first, and delivers nothing new. */
class ProviderRetryTest extends GatewayTestSupport {

    @Test
    void aRetriedWebhookIsAcceptedAgainButQueuedAndPostedOnce() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();

        HttpResponse<String> first = postGreenApi(sample);
        crmRequestFor(id);
        HttpResponse<String> retry = postGreenApi(sample);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).path("id").asText()).isEqualTo(id);
        assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(10))).isNotNull();
        assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(2))).as("a second copy on the queue").isNull();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> crmRequests(id).size() == 1);
    }
}
