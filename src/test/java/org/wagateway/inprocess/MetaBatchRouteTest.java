package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.Fixtures;

/**
 * meta-webhook's split, with a part the broker cannot store (accept-webhook's send refused: see
 * {@link RouteWiringTestSupport}): the batch stops at that part, its answer is that part's failure (503, so Meta
 * retries), the parts before it are stored and none after it; the retry stores the rest.
 */
class MetaBatchRouteTest extends RouteWiringTestSupport {

    @Autowired
    private BrokerService broker;

    @Test
    void aPartTheBrokerRefusesStopsTheBatchWithA503AndTheRetryStoresTheRest() throws Exception {
        String run = UUID.randomUUID().toString();
        String batch = Fixtures.text("meta/batch.json").replace("wamid.", "wamid.r" + run + "-")
                // the second message (…31AA==) is the one the broker refuses
                .replace("wamid.r" + run + "-HBgLMTY1MDU1NTEyMzQVAgASGBQzRUIwQzRBQjZERjAwMDAwMD31AA==",
                        "wamid.r" + run + "-" + REFUSED_BY_BROKER);
        byte[] body = batch.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Content-Type", "application/json",
                "X-Hub-Signature-256", MetaWebhookTest.sign(body, META_APP_SECRET));
        QueueCounts queues = new QueueCounts(broker, jms);
        long before = queues.storedAtIntake();

        RawHttp.Answer refused = RawHttp.exchange(port, "POST", "/webhooks/meta", headers, body);

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().path("status").asText()).isEqualTo("rejected");
        assertThat(refused.json().path("error").asText()).isEqualTo("broker_unavailable");
        assertThat(queues.storedAtIntake() - before).as("parts stored before the refused one").isEqualTo(1);

        // the retry: the part stored is skipped, the refused one is refused again, nothing after it is reached
        RawHttp.Answer retried = RawHttp.exchange(port, "POST", "/webhooks/meta", headers, body);
        assertThat(retried.status()).isEqualTo(503);
        assertThat(queues.storedAtIntake() - before).isEqualTo(1);

        // the same batch without the refused part: everything else is stored once, the first part not again
        String healed = batch.replace(REFUSED_BY_BROKER, "healed");
        byte[] healedBody = healed.getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer accepted = RawHttp.exchange(port, "POST", "/webhooks/meta", Map.of("Content-Type",
                "application/json", "X-Hub-Signature-256", MetaWebhookTest.sign(healedBody, META_APP_SECRET)),
                healedBody);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode id : accepted.json().path("ids")) {
            ids.add(id.asText());
        }
        assertThat(ids).hasSize(5);
        // five parts, each stored once: the first at the first attempt, the four others now
        assertThat(queues.storedAtIntake() - before).isEqualTo(5);
    }
}
