package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/**
 * Ops replay dead letters once the cause is fixed: the message goes through, and leaves the dead-letter queue.
 * One call moves each message at most once, even when the cause is not fixed and the message is back on the
 * dead-letter queue before the call ends.
 */
class DeadLetterReplayTest extends GatewayTestSupport {

    private static final String DLQ_CRM = "whatsapp.dlq.crm";
    private static final String DLQ_MEDIA = "whatsapp.dlq.media";
    private static final int BATCH = 10;

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
    void oneCallMovesEachDeadLetterOnceWhileTheCrmStillRefuses() throws Exception {
        drain(DLQ_CRM);
        String batch = "replay-" + UUID.randomUUID();
        StubMapping refusal = crmAnswersKeys("greenapi:" + batch + "-.*",
                aResponse().withStatus(422));
        try {
            List<String> ids = deadLetterBatch(batch);

            HttpResponse<String> replay = post("/admin/dead-letters/crm/replay?max=1000", "", adminJson());

            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(json(replay).path("replayed").asInt()).isEqualTo(BATCH);
            String replayId = json(replay).path("replayId").asText();
            assertThat(replayId).isNotBlank();
            // each went to the CRM once more, was refused again, and is back on the dead-letter queue once
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ids.stream().allMatch(id -> crmRequests(id).size() == 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> onDeadLetters(DLQ_CRM, ids).size() == BATCH);
            List<Message> back = onDeadLetters(DLQ_CRM, ids);
            assertThat(back).extracting(Message::getJMSCorrelationID).containsExactlyInAnyOrderElementsOf(ids);
            for (Message message : back) {
                assertThat(message.getStringProperty("replayedFrom")).isEqualTo(DLQ_CRM);
                assertThat(message.getStringProperty("replayId")).isEqualTo(replayId);
                assertThat(message.getStringProperty("deadLetterHttpStatus")).isEqualTo("422");
            }
            assertThat(ids).allSatisfy(id -> assertThat(crmRequests(id)).hasSize(2));
        } finally {
            CRM.removeStub(refusal);
        }
    }

    @Test
    void oneCallDeliversEveryDeadLetterOnceTheCrmTakesThem() throws Exception {
        drain(DLQ_CRM);
        String batch = "replay-" + UUID.randomUUID();
        StubMapping refusal = crmAnswersKeys("greenapi:" + batch + "-.*",
                aResponse().withStatus(400));
        List<String> ids = deadLetterBatch(batch);
        CRM.removeStub(refusal);

        HttpResponse<String> replay = post("/admin/dead-letters/crm/replay?max=1000", "", adminJson());

        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json(replay).path("replayed").asInt()).isEqualTo(BATCH);
        assertThat(json(replay).path("left").asInt()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> crmRequests(id).size() == 2));
        assertThat(onDeadLetters(DLQ_CRM, ids)).isEmpty();
        assertThat(waiting("crm")).isZero();
        assertThat(ids).allSatisfy(id -> assertThat(crmRequests(id)).hasSize(2));
    }

    @Test
    void oneCallFetchesEachFailedAttachmentOnceWhileItsLinkStillFails() throws Exception {
        drain(DLQ_MEDIA);
        String batch = "replay-" + UUID.randomUUID();
        String path = "/upl/" + batch + ".jpeg";
        try (MediaServer media = new MediaServer().status(path, 404)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                ObjectNode sample = Fixtures.load("kazinfoteh/image.json").deepCopy();
                sample.put("id", batch + "-" + i);
                sample.put("msgAttachmentUrl", media.url(path));
                ids.add("kazinfoteh:" + batch + "-" + i);
                assertThat(postKazinfoteh(sample).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> onDeadLetters(DLQ_MEDIA, ids).size() == BATCH);
            assertThat(media.requestsTo(path)).isEqualTo(BATCH);

            HttpResponse<String> replay = post("/admin/dead-letters/media/replay?max=1000", "", adminJson());

            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(json(replay).path("replayed").asInt()).isEqualTo(BATCH);
            String replayId = json(replay).path("replayId").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> onDeadLetters(DLQ_MEDIA, ids).size() == BATCH
                    && media.requestsTo(path) == 2 * BATCH);
            List<Message> back = onDeadLetters(DLQ_MEDIA, ids);
            assertThat(back).extracting(Message::getJMSCorrelationID).containsExactlyInAnyOrderElementsOf(ids);
            for (Message message : back) {
                assertThat(message.getStringProperty("replayedFrom")).isEqualTo(DLQ_MEDIA);
                assertThat(message.getStringProperty("replayId")).isEqualTo(replayId);
                assertThat(message.getStringProperty("mediaStatus")).isEqualTo("failed");
            }
            assertThat(media.requestsTo(path)).isEqualTo(2 * BATCH);
        }
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

    /** {@value #BATCH} webhooks whose messages the CRM refuses with a 4xx: all on the CRM dead-letter queue. */
    private List<String> deadLetterBatch(String batch) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            ObjectNode sample = Fixtures.load("greenapi/text-message.json").deepCopy();
            sample.put("idMessage", batch + "-" + i);
            ids.add("greenapi:" + batch + "-" + i);
            assertThat(postGreenApi(sample).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> onDeadLetters(DLQ_CRM, ids).size() == BATCH);
        assertThat(ids).allSatisfy(id -> assertThat(crmRequests(id)).hasSize(1));
        return ids;
    }

    /** What other tests of the shared gateway left on a dead-letter queue, out of this test's count. */
    private void drain(String queue) {
        jms.setReceiveTimeout(200);
        while (jms.receive(queue) != null) {
            // dropped
        }
    }

    /** The messages of these ids on a dead-letter queue (browsed, left in place). */
    private List<Message> onDeadLetters(String queue, List<String> ids) {
        List<Message> found = jms.browse(queue, (session, browser) -> {
            List<Message> ours = new ArrayList<>();
            for (Object next : Collections.list(browser.getEnumeration())) {
                Message message = (Message) next;
                if (ids.contains(message.getJMSCorrelationID())) {
                    ours.add(message);
                }
            }
            return ours;
        });
        return found == null ? List.of() : found;
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
