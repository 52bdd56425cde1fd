package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wagateway.Fixtures;

/**
 * The JSON API the ops console reads over real HTTP: the stages with depth and age of their oldest message, a
 * dead-letter queue's messages page by page, one message with its canonical JSON, replay of chosen messages (each
 * at most once), discard (a whole queue only with its name as confirmation), the refusals (404, 400, 403), and
 * {@code gateway_queue_oldest_age_seconds} in {@code /actuator/prometheus}.
 */
class OpsConsoleApiTest extends GatewayTestSupport {

    private static final String DLQ_CRM = "whatsapp.dlq.crm";
    private static final String DLQ_REJECTED = "whatsapp.dlq.rejected";
    private static final String DLQ_DISPATCH = "whatsapp.dlq.dispatch";
    private static final Pattern AGE = Pattern.compile(
            "gateway_queue_oldest_age_seconds\\{[^}]*queue=\"" + Pattern.quote(DLQ_DISPATCH) + "\"[^}]*} (\\S+)");

    @Test
    void theStagesListEveryQueueWithItsDepthAndTheBreaker() throws Exception {
        JsonNode stages = json(get("/admin/stages", VIEWER));

        List<String> queues = new ArrayList<>();
        stages.path("queues").forEach(queue -> queues.add(queue.path("queue").asText()));
        assertThat(queues).containsExactly("whatsapp.gateway.ingest", "whatsapp.gateway.media",
                "whatsapp.gateway.crm", DLQ_CRM, "whatsapp.dlq.media", DLQ_DISPATCH, "whatsapp.dlq.invalid",
                DLQ_REJECTED);
        stages.path("queues").forEach(queue -> {
            assertThat(queue.path("depth").isNumber()).isTrue();
            assertThat(queue.path("oldestAgeSeconds").isNumber()).isTrue();
        });
        assertThat(stages.at("/crmCircuitBreaker/state").asText()).isEqualTo("closed");
        assertThat(json(get("/admin/me", VIEWER)).path("admin").asBoolean()).isFalse();
        assertThat(json(get("/admin/me", ADMIN)).path("roles").toString()).isEqualTo("[\"ADMIN\",\"VIEWER\"]");
    }

    @Test
    void aWaitingMessageAgesInPrometheusAndAnEmptyQueueReadsZero() throws Exception {
        drain(DLQ_DISPATCH);
        await().atMost(Duration.ofSeconds(10)).until(() -> prometheusAge() == 0.0);

        String id = "age-" + UUID.randomUUID();
        putDeadLetter(DLQ_DISPATCH, id, "{\"id\":\"" + id + "\"}");

        await().atMost(Duration.ofSeconds(15)).until(() -> prometheusAge() >= 1.0);
        double first = prometheusAge();
        await().atMost(Duration.ofSeconds(15)).until(() -> prometheusAge() > first);
        JsonNode dispatch = stageRow(DLQ_DISPATCH);
        assertThat(dispatch.path("depth").asLong()).isEqualTo(1);
        assertThat(dispatch.path("oldestAgeSeconds").asDouble()).isGreaterThan(0);

        drain(DLQ_DISPATCH);
        await().atMost(Duration.ofSeconds(10)).until(() -> prometheusAge() == 0.0);
        assertThat(get("/actuator/prometheus", ADMIN).body())
                .contains("gateway_queue_oldest_age_seconds{queue=\"whatsapp.gateway.ingest\"}")
                .contains("gateway_queue_oldest_age_seconds{queue=\"" + DLQ_REJECTED + "\"}");
    }

    @Test
    void aDeadLetterQueueIsReadPageByPageOldestFirst() throws Exception {
        drain(DLQ_REJECTED);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "page-" + i + "-" + UUID.randomUUID();
            ids.add(id);
            putDeadLetter(DLQ_REJECTED, id, "{\"id\":\"" + id + "\",\"n\":" + i + "}");
        }

        JsonNode first = json(get("/admin/dead-letters/rejected/messages?page=0&size=2", VIEWER));
        JsonNode last = json(get("/admin/dead-letters/rejected/messages?page=2&size=2", VIEWER));
        JsonNode beyond = json(get("/admin/dead-letters/rejected/messages?page=3&size=2", VIEWER));

        assertThat(first.path("total").asInt()).isEqualTo(5);
        assertThat(first.path("replayable").asBoolean()).isFalse();
        assertThat(canonicalIds(first)).containsExactly(ids.get(0), ids.get(1));
        assertThat(canonicalIds(last)).containsExactly(ids.get(4));
        assertThat(canonicalIds(beyond)).isEmpty();
        JsonNode summary = first.path("messages").get(0);
        assertThat(summary.path("reason").asText()).isEqualTo("test: refused");
        assertThat(summary.path("provider").asText()).isEqualTo("greenapi");
        assertThat(summary.path("messageId").asText()).startsWith("ID:");

        String messageId = summary.path("messageId").asText();
        HttpResponse<String> one = get("/admin/dead-letters/rejected/messages/" + messageId, VIEWER);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).at("/body/id").asText()).isEqualTo(ids.get(0));
        assertThat(json(one).at("/properties/deadLetterReason").asText()).isEqualTo("test: refused");
        drain(DLQ_REJECTED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/admin/dead-letters/nope/messages", "/admin/dead-letters/nope/messages/ID:x-1:1:1:1:1",
            "/admin/dead-letters/crm/messages/ID:not-there-1:1:1:1:1"})
    void anUnknownQueueOrMessageIs404(String path) throws Exception {
        HttpResponse<String> response = get(path, VIEWER);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("status").asText()).isEqualTo("rejected");
        assertThat(json(response).path("error").asText()).isIn("unknown_dead_letter_queue", "unknown_message");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/admin/dead-letters/crm/messages?page=-1", "/admin/dead-letters/crm/messages?size=0",
            "/admin/dead-letters/crm/messages?size=101", "/admin/dead-letters/crm/messages?page=abc",
            "/admin/dead-letters/crm/messages/ID:x'%20OR%20'1'='1"})
    void badParametersAre400(String path) throws Exception {
        HttpResponse<String> response = get(path, VIEWER);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("status").asText()).isEqualTo("rejected");
        assertThat(json(response).path("error").asText()).isIn("bad_parameter", "bad_message_id");
        assertThat(json(response).path("message").asText()).isNotBlank();
    }

    @Test
    void discardingAWholeQueueNeedsItsNameAsConfirmation() throws Exception {
        drain(DLQ_REJECTED);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add("discard-" + i + "-" + UUID.randomUUID());
            putDeadLetter(DLQ_REJECTED, ids.get(i), "{}");
        }

        HttpResponse<String> unconfirmed = post("/admin/dead-letters/rejected/discard", "", adminJson());
        HttpResponse<String> wrong = post("/admin/dead-letters/rejected/discard?confirm=whatsapp.dlq.crm", "",
                adminJson());
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(json(unconfirmed).path("error").asText()).isEqualTo("confirmation_required");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).path("error").asText()).isEqualTo("confirmation_mismatch");
        assertThat(onQueue(DLQ_REJECTED)).hasSize(4);

        List<String> chosen = messageIds(DLQ_REJECTED).subList(0, 2);
        HttpResponse<String> some = post("/admin/dead-letters/rejected/discard",
                "{\"ids\":" + JSON.writeValueAsString(chosen) + "}", adminJson());
        assertThat(some.statusCode()).isEqualTo(200);
        assertThat(json(some).path("discarded").asInt()).isEqualTo(2);
        assertThat(json(some).path("left").asInt()).isEqualTo(2);
        assertThat(onQueue(DLQ_REJECTED)).containsExactly(ids.get(2), ids.get(3));
        HttpResponse<String> again = post("/admin/dead-letters/rejected/discard",
                "{\"ids\":" + JSON.writeValueAsString(chosen) + "}", adminJson());
        assertThat(again.statusCode()).isEqualTo(404);

        HttpResponse<String> all = post("/admin/dead-letters/rejected/discard?confirm=" + DLQ_REJECTED, "",
                adminJson());
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all).path("discarded").asInt()).isEqualTo(2);
        assertThat(json(all).path("left").asInt()).isZero();
        assertThat(onQueue(DLQ_REJECTED)).isEmpty();
    }

    @Test
    void replayOfChosenMessagesMovesOnlyThoseEachOnce() throws Exception {
        drain(DLQ_CRM);
        String batch = "chosen-" + UUID.randomUUID();
        StubMapping refusal = crmAnswersKeys("greenapi:" + batch + "-.*",
                aResponse().withStatus(422).withBody("{\"error\":\"unknown chat\"}"));
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ObjectNode sample = Fixtures.load("greenapi/text-message.json").deepCopy();
                sample.put("idMessage", batch + "-" + i);
                ids.add("greenapi:" + batch + "-" + i);
                assertThat(postGreenApi(sample).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> onQueue(DLQ_CRM).containsAll(ids));
            JsonNode listed = json(get("/admin/dead-letters/crm/messages?size=100", VIEWER));
            Map<String, String> messageIdByCanonical = new HashMap<>();
            listed.path("messages").forEach(m -> messageIdByCanonical.put(m.path("canonicalId").asText(),
                    m.path("messageId").asText()));
            JsonNode first = listed.path("messages").get(0);
            assertThat(first.path("crmStatus").asText()).isEqualTo("422");
            assertThat(first.path("crmAnswer").asText()).isEqualTo("{\"error\":\"unknown chat\"}");
            assertThat(first.path("attempts").asText()).isEqualTo("1");
            List<String> chosen = List.of(ids.get(1), ids.get(3));
            List<String> chosenMessageIds = chosen.stream().map(messageIdByCanonical::get).toList();
            // the same id twice in one call still moves that message once
            List<String> sent = new ArrayList<>(chosenMessageIds);
            sent.add(chosenMessageIds.get(0));

            HttpResponse<String> replay = post("/admin/dead-letters/crm/replay",
                    "{\"ids\":" + JSON.writeValueAsString(sent) + "}", adminJson());

            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(json(replay).path("replayed").asInt()).isEqualTo(2);
            String replayId = json(replay).path("replayId").asText();
            // the CRM refuses them again: back on the dead-letter queue, each once, the others never moved
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> chosen.stream().allMatch(id -> crmRequests(id).size() == 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> onQueue(DLQ_CRM).containsAll(ids));
            assertThat(crmRequests(ids.get(0))).hasSize(1);
            assertThat(crmRequests(ids.get(2))).hasSize(1);
            assertThat(chosen).allSatisfy(id -> assertThat(crmRequests(id)).hasSize(2));
            for (Message message : browse(DLQ_CRM)) {
                String id = message.getJMSCorrelationID();
                assertThat(message.getStringProperty("replayId"))
                        .isEqualTo(chosen.contains(id) ? replayId : null);
            }
            // the old JMS message ids are gone from the queue: a second call with them finds nothing
            HttpResponse<String> stale = post("/admin/dead-letters/crm/replay",
                    "{\"ids\":" + JSON.writeValueAsString(chosenMessageIds) + "}", adminJson());
            assertThat(stale.statusCode()).isEqualTo(404);
            assertThat(json(stale).path("error").asText()).isEqualTo("unknown_message");
        } finally {
            CRM.removeStub(refusal);
            drain(DLQ_CRM);
        }
    }

    @Test
    void replayAndDiscardRefuseBadIdsAndTheViewer() throws Exception {
        HttpResponse<String> badId = post("/admin/dead-letters/crm/replay", "{\"ids\":[\"x') OR (1=1\"]}",
                adminJson());
        HttpResponse<String> badBody = post("/admin/dead-letters/crm/discard", "{\"ids\":", adminJson());
        HttpResponse<String> unknown = post("/admin/dead-letters/nope/discard?confirm=nope", "", adminJson());
        Map<String, String> viewer = new HashMap<>(VIEWER);
        viewer.put("Content-Type", "application/json");
        HttpResponse<String> viewerReplay = post("/admin/dead-letters/crm/replay", "{\"ids\":[\"ID:a-1:1:1:1:1\"]}",
                viewer);
        HttpResponse<String> viewerDiscard = post("/admin/dead-letters/crm/discard?confirm=" + DLQ_CRM, "", viewer);

        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).path("error").asText()).isEqualTo("bad_message_id");
        assertThat(badBody.statusCode()).isEqualTo(400);
        assertThat(json(badBody).path("error").asText()).isEqualTo("bad_body");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(viewerReplay.statusCode()).isEqualTo(403);
        assertThat(json(viewerReplay).path("error").asText()).isEqualTo("forbidden");
        assertThat(viewerDiscard.statusCode()).isEqualTo(403);
    }

    @Test
    void theConsoleIsAtOpsBehindTheLoginAndFetchesNothingFromElsewhere() throws Exception {
        HttpResponse<String> anonymous = get("/ops/", Map.of("Accept", "text/html"));
        HttpResponse<String> bare = get("/ops", ADMIN);
        HttpResponse<String> page = get("/ops/", ADMIN);
        HttpResponse<String> script = get("/ops/ops.js", ADMIN);

        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(get("/ops/ops.js").statusCode()).isEqualTo(401);
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/ops/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script src=\"ops.js\"", "ops.css");
        assertThat(script.statusCode()).isEqualTo(200);
        for (HttpResponse<String> file : List.of(page, script, get("/ops/ops.css", ADMIN))) {
            assertThat(file.body()).doesNotContain("http://", "https://", "innerHTML", "//cdn");
        }
    }

    private double prometheusAge() {
        Matcher matcher = AGE.matcher(get("/actuator/prometheus", ADMIN).body());
        assertThat(matcher.find()).as("gateway_queue_oldest_age_seconds of " + DLQ_DISPATCH).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private JsonNode stageRow(String queue) throws Exception {
        for (JsonNode row : json(get("/admin/stages", VIEWER)).path("queues")) {
            if (row.path("queue").asText().equals(queue)) {
                return row;
            }
        }
        throw new AssertionError(queue + " not in /admin/stages");
    }

    private void putDeadLetter(String queue, String canonicalId, String body) {
        jms.send(queue, session -> {
            TextMessage message = session.createTextMessage(body);
            message.setJMSCorrelationID(canonicalId);
            message.setStringProperty("provider", "greenapi");
            message.setStringProperty("type", "text");
            message.setStringProperty("deadLetterReason", "test: refused");
            message.setStringProperty("deadLetterAt", "2026-01-01T00:00:00Z");
            return message;
        });
    }

    private static List<String> canonicalIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("messages").forEach(m -> ids.add(m.path("canonicalId").asText()));
        return ids;
    }

    private void drain(String queue) {
        jms.setReceiveTimeout(200);
        while (jms.receive(queue) != null) {
            // dropped
        }
    }

    private List<Message> browse(String queue) {
        List<Message> found = jms.browse(queue, (session, browser) -> {
            List<Message> all = new ArrayList<>();
            for (Object next : Collections.list(browser.getEnumeration())) {
                all.add((Message) next);
            }
            return all;
        });
        return found == null ? List.of() : found;
    }

    /** The canonical ids on a queue, oldest first. */
    private List<String> onQueue(String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Message message : browse(queue)) {
            ids.add(message.getJMSCorrelationID());
        }
        return ids;
    }

    private List<String> messageIds(String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Message message : browse(queue)) {
            ids.add(message.getJMSMessageID());
        }
        return ids;
    }

    private static Map<String, String> adminJson() {
        Map<String, String> headers = new HashMap<>(ADMIN);
        headers.put("Content-Type", "application/json");
        return headers;
    }
}
